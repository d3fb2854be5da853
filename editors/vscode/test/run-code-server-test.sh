#!/usr/bin/env bash
# Runs the VS Code extension's tests inside real VS Code: code-server 4.100.3 (= VS Code 1.100.3,
# from the npm registry) driven by Debian's headless Chromium through playwright-core.
#
#   editors/vscode/test/run-code-server-test.sh [SERVER_BINARY]
#
# SERVER_BINARY defaults to target/release/iam-policy-lsp of this repository. Environment:
#   IAM_TOOLS_DIR         where code-server is installed (default: <repo>/target/tools)
#   UPDATE_SCREENSHOT=1   copy the screenshot taken during the run to editors/vscode/images/screenshot.png
#   IAMTEST_TIMEOUT_S     deadline for the in-editor tests (default 180)
# Output (screenshot, logs of a failed run): <repo>/target/vscode-test/
# Exit code: 0 = all checks passed (a skipped check is reported, never counted as passed), non-zero otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT_DIR=$(dirname "$HERE")
REPO=$(cd "$EXT_DIR/../.." && pwd)
SERVER=${1:-$REPO/target/release/iam-policy-lsp}
CS_VERSION=4.100.3
TOOLS=${IAM_TOOLS_DIR:-$REPO/target/tools}
CS_DIR=$TOOLS/code-server
CS_BIN=$CS_DIR/node_modules/.bin/code-server
OUT=$REPO/target/vscode-test
T_START=$SECONDS

say() { printf '[vscode-test +%ss] %s\n' "$((SECONDS - T_START))" "$*"; }
die() { printf '[vscode-test] ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x $SERVER ]] || die "server binary '$SERVER' not found or not executable (build it: cargo build --release, or pass its path as the first argument)"
SERVER=$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")

# --- 1. Debian packages --------------------------------------------------------------------------
APT_PKGS=(chromium fonts-dejavu-core ripgrep libkrb5-dev build-essential pkg-config python3 curl procps)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  [[ $(id -u) == 0 ]] || die "missing Debian packages (${missing[*]}); run as root or install them"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v node >/dev/null || die "node (20) is required"

# --- 2. code-server, scripted install (a plain `npm install code-server` fails here four ways) ----
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
cs_ok() { [[ -f $CS_DIR/.installed && -x $CS_BIN ]] && "$CS_BIN" --version 2>/dev/null | grep -q "^$CS_VERSION "; }
if cs_ok; then
  say "code-server $CS_VERSION already installed in $CS_DIR"
else
  say "installing code-server $CS_VERSION into $CS_DIR"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  (
    export npm_config_yes=true           # node-pty's build asks `npx node-gyp`
    export npm_config_unsafe_perm=true   # root (older npm; npm 11 only warns that it no longer needs it)
    cd "$CS_DIR"
    echo '{"name":"code-server-tool","private":true}' > package.json
    # --ignore-scripts: its postinstall would download ripgrep from GitHub
    npm install --ignore-scripts "code-server@$CS_VERSION" >npm-install.log 2>&1 \
      || { tail -30 npm-install.log; exit 1; }
    npm rebuild argon2 >>npm-install.log 2>&1 || { tail -30 npm-install.log; exit 1; }
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts >>"$CS_DIR/npm-install.log" 2>&1 || { tail -30 "$CS_DIR/npm-install.log"; exit 1; }
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg      # Debian's rg instead of the GitHub download
    npm rebuild >>"$CS_DIR/npm-install.log" 2>&1 || { tail -30 "$CS_DIR/npm-install.log"; exit 1; }  # native modules against /usr/include/node
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    cd extensions
    npm install --omit=dev >>"$CS_DIR/npm-install.log" 2>&1 || { tail -30 "$CS_DIR/npm-install.log"; exit 1; }
  )
  "$CS_BIN" --version | grep -q "^$CS_VERSION " || die "code-server install finished but '$CS_BIN --version' does not say $CS_VERSION"
  touch "$CS_DIR/.installed"
  say "code-server installed: $("$CS_BIN" --version | head -1)"
fi

# --- 3. the extension and its test module --------------------------------------------------------
cd "$EXT_DIR"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.iam-lock-hash || $(cat node_modules/.iam-lock-hash) != "$lock_hash" ]]; then
  say "npm ci (editors/vscode)"
  npm ci --no-audit --no-fund >/dev/null
  echo "$lock_hash" > node_modules/.iam-lock-hash
fi
npm run -s typecheck
npm run -s build -- --log-level=warning
npm run -s build:test -- --log-level=warning
say "extension built"

# --- 4. code-server on 127.0.0.1, isolated, in its own process group -----------------------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/iam-vscode-test.XXXXXX")
CS_PID=
cleanup() {
  local rc=$?
  if [[ -n $CS_PID ]]; then
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    local end=$((SECONDS + 10))
    while pgrep -g "$CS_PID" >/dev/null 2>&1 && ((SECONDS < end)); do sleep 0.1; done
    if pgrep -g "$CS_PID" >/dev/null 2>&1; then
      say "process group $CS_PID still alive after TERM; sending KILL"
      kill -KILL -- "-$CS_PID" 2>/dev/null || true
    fi
  fi
  if ((rc != 0)) && [[ -f $RUN/cs.log ]]; then
    mkdir -p "$OUT" && cp "$RUN/cs.log" "$OUT/code-server.log" && say "code-server log: $OUT/code-server.log"
  fi
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RUN"/{xdg-config,xdg-data,xdg-state,xdg-cache,data/User,ext,signal} "$OUT"
rm -f "$OUT"/{screenshot.png,failure.png,result.json,code-server.log}
cp -r "$HERE/workspace" "$RUN/ws"
cat > "$RUN/data/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "editor.occurrencesHighlight": "off",
  "editor.selectionHighlight": false,
  "window.commandCenter": false,
  "chat.commandCenter.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
EOF
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
export XDG_CONFIG_HOME=$RUN/xdg-config XDG_DATA_HOME=$RUN/xdg-data XDG_STATE_HOME=$RUN/xdg-state XDG_CACHE_HOME=$RUN/xdg-cache
export IAM_POLICY_LSP_PATH=$SERVER IAMTEST_SIGNAL_DIR=$RUN/signal
unset RUST_LOG
setsid "$CS_BIN" --bind-addr "127.0.0.1:$PORT" --auth none \
  --user-data-dir "$RUN/data" --extensions-dir "$RUN/ext" \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened \
  >"$RUN/cs.log" 2>&1 </dev/null &
CS_PID=$!
end=$((SECONDS + 60))
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
  kill -0 "$CS_PID" 2>/dev/null || { tail -20 "$RUN/cs.log"; die "code-server exited during start-up"; }
  ((SECONDS < end)) || { tail -20 "$RUN/cs.log"; die "code-server did not answer /healthz within 60 s"; }
  sleep 0.1
done
say "code-server $CS_VERSION up on 127.0.0.1:$PORT (pgid $CS_PID)"

# --- 5. the tests, in the browser ------------------------------------------------------------------
set +e
timeout "$(( ${IAMTEST_TIMEOUT_S:-180} + 30 ))" node "$HERE/devtest.js" \
  --base "http://127.0.0.1:$PORT" --folder "$RUN/ws" --ext "$EXT_DIR" --tests "$EXT_DIR/out/test/index.js" \
  --signal-dir "$RUN/signal" --screenshot "$OUT/screenshot.png" --timeout-ms "$(( ${IAMTEST_TIMEOUT_S:-180} * 1000 ))"
rc=$?
set -e

summary="no result"
skipped=""
if [[ -f $RUN/signal/result.json ]]; then
  cp "$RUN/signal/result.json" "$OUT/result.json"
  summary=$(node -e 'console.log(require(process.argv[1]).summary)' "$OUT/result.json")
  skipped=$(node -e 'for (const o of require(process.argv[1]).outcomes) if (o.status === "skip") console.log("  SKIPPED " + o.name + ": " + o.detail)' "$OUT/result.json")
fi
if [[ -n $skipped ]]; then
  printf '[vscode-test] NOTE: some checks did not run:\n%s\n' "$skipped"
fi
if ((rc == 0)) && [[ ${UPDATE_SCREENSHOT:-0} == 1 ]]; then
  cp "$OUT/screenshot.png" "$EXT_DIR/images/screenshot.png"
  say "screenshot copied to editors/vscode/images/screenshot.png"
fi
say "done in $((SECONDS - T_START)) s (details: $OUT/result.json, screenshot: $OUT/screenshot.png)"
if ((rc == 0)); then
  echo "vscode: $summary"
else
  echo "vscode: FAILED ($summary; devtest exit $rc)" >&2
fi
exit "$rc"
