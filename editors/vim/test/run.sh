#!/usr/bin/env bash
# Headless Vim + ALE test of iam-policy-lsp: run.sh SERVER [VIM]
# The vimrc is one line, `source editors/vim/iam_policy_lsp.vim` (the README's snippet).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SERVER=$(realpath "$1") VIM=${2:-vim}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/iam-vim-test.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
trap 'exit 143' TERM INT          # run the EXIT trap when the driver's timeout fires
mkdir -p "$RUN/bin" "$RUN/home" "$RUN/ws"
ln -s "$SERVER" "$RUN/bin/iam-policy-lsp"          # the snippet runs "iam-policy-lsp" from PATH
cp "$REPO/editors/fixtures/policy.json" "$REPO/editors/fixtures/unicode.json" \
  "$REPO/editors/fixtures/package.json" "$RUN/ws/"
echo "source $REPO/editors/vim/iam_policy_lsp.vim" > "$RUN/home/.vimrc"
start=$(date +%s%N)
rc=0
(
  cd "$RUN/ws"
  HOME="$RUN/home" PATH="$RUN/bin:$PATH" IAM_TEST_WS="$RUN/ws" IAM_TEST_OUT="$RUN/report.json" \
    IAM_TEST_EXPECTED="$REPO/editors/fixtures/expected.json" \
    "$VIM" -N -u "$RUN/home/.vimrc" -i NONE -n -es -S "$HERE/e2e.vim" </dev/null >"$RUN/vim.log" 2>&1
) || rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
status=0
if [[ $rc -eq 0 && -s $RUN/report.json ]] && python3 "$REPO/editors/print-report.py" "$RUN/report.json" >/dev/null; then
  echo "vim ale: PASS in ${elapsed} ms"
else
  echo "vim ale: FAIL (exit $rc) in ${elapsed} ms"; status=1
  sed 's/^/  vim: /' "$RUN/vim.log" | tail -20
fi
if [[ -s $RUN/report.json ]]; then
  python3 "$REPO/editors/print-report.py" "$RUN/report.json" || true
else
  echo "   (no report written)"; status=1
fi
exit $status
