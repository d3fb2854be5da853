#!/usr/bin/env bash
# Headless Emacs + eglot test of iam-policy-lsp: run.sh SERVER [EMACS]
# Loads editors/emacs/iam-policy-lsp.el (the README's snippet) and then test/e2e.el.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
SERVER=$(realpath "$1") EMACS=${2:-emacs}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/iam-emacs-test.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
trap 'exit 143' TERM INT          # run the EXIT trap when the driver's timeout fires
mkdir -p "$RUN/bin" "$RUN/home" "$RUN/ws"
ln -s "$SERVER" "$RUN/bin/iam-policy-lsp"          # the snippet runs "iam-policy-lsp" from PATH
cp "$REPO/editors/fixtures/policy.json" "$REPO/editors/fixtures/unicode.json" \
  "$REPO/editors/fixtures/package.json" "$RUN/ws/"
start=$(date +%s%N)
rc=0
(
  cd "$RUN/ws"
  HOME="$RUN/home" PATH="$RUN/bin:$PATH" IAM_TEST_WS="$RUN/ws" IAM_TEST_OUT="$RUN/report.json" \
    IAM_TEST_EXPECTED="$REPO/editors/fixtures/expected.json" \
    "$EMACS" --batch -l "$REPO/editors/emacs/iam-policy-lsp.el" -l "$HERE/e2e.el" </dev/null >"$RUN/emacs.log" 2>&1
) || rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
status=0
if [[ $rc -eq 0 && -s $RUN/report.json ]] && python3 "$REPO/editors/print-report.py" "$RUN/report.json" >/dev/null; then
  echo "emacs eglot: PASS in ${elapsed} ms"
else
  echo "emacs eglot: FAIL (exit $rc) in ${elapsed} ms"; status=1
  grep -v '^Loading /etc/emacs\|^Loading .*debian' "$RUN/emacs.log" | sed 's/^/  emacs: /' | tail -20
fi
if [[ -s $RUN/report.json ]]; then
  python3 "$REPO/editors/print-report.py" "$RUN/report.json" || true
else
  echo "   (no report written)"; status=1
fi
exit $status
