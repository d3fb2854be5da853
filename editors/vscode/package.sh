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

[[ -x $SERVER ]] && SERVER=$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")
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

# Check the package installs into real VS Code with an executable server, when code-server is at hand
# (test/run-code-server-test.sh installs it into target/tools).
CS_BIN=${IAM_TOOLS_DIR:-$REPO/target/tools}/code-server/node_modules/.bin/code-server
if [[ -x $CS_BIN ]]; then
  T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
  XDG_CONFIG_HOME=$T/c XDG_DATA_HOME=$T/d XDG_STATE_HOME=$T/s timeout 120 "$CS_BIN" --user-data-dir "$T/u" \
    --extensions-dir "$T/ext" --install-extension "$VSIX" >"$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
  installed=$(echo "$T"/ext/iam-policy-lsp.iam-policy-lsp-*/server/iam-policy-lsp)
  [[ -x $installed ]] || { echo "package.sh: installed extension lacks an executable server/iam-policy-lsp" >&2; exit 1; }
  echo "package.sh: installs into code-server; bundled server runs: $("$installed" --version)"
fi
