#!/usr/bin/env bash
# Builds the platform-specific VS Code extension package with the server binary bundled:
#
#   editors/vscode/package.sh [SERVER_BINARY]
#
# SERVER_BINARY defaults to target/release/iam-policy-lsp of this repository. VSCE_TARGET (default
# linux-x64) must match the binary's platform. Writes <repo>/target/iam-policy-lsp-<target>.vsix.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SERVER=${1:-$REPO/target/release/iam-policy-lsp}
TARGET=${VSCE_TARGET:-linux-x64}
VSIX=$REPO/target/iam-policy-lsp-$TARGET.vsix

[[ -x $SERVER ]] || { echo "package.sh: server binary '$SERVER' not found or not executable (cargo build --release)" >&2; exit 1; }
"$SERVER" --version >/dev/null || { echo "package.sh: '$SERVER --version' failed" >&2; exit 1; }

cd "$HERE"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.iam-lock-hash || $(cat node_modules/.iam-lock-hash) != "$lock_hash" ]]; then
  npm ci --no-audit --no-fund >/dev/null
  echo "$lock_hash" > node_modules/.iam-lock-hash
fi
npm run -s typecheck

rm -rf server && mkdir server
cp "$SERVER" server/iam-policy-lsp
chmod 755 server/iam-policy-lsp
if command -v strip >/dev/null; then strip --strip-debug server/iam-policy-lsp; fi

mkdir -p "$(dirname "$VSIX")"
# vscode:prepublish (package.json) rebuilds out/main.js minified. The README's screenshot link stays
# relative: the package has no public repository URL to rewrite it against.
npx vsce package --target "$TARGET" --no-dependencies --allow-missing-repository --no-rewrite-relative-links \
  -o "$VSIX"
echo "package.sh: $VSIX ($(du -h "$VSIX" | cut -f1)), bundled server: $("$HERE/server/iam-policy-lsp" --version)"
