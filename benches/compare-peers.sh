#!/usr/bin/env bash
# iam-policy-lsp side by side with the tools a user would pick instead, in one run, on the
# same files and the same edits; prints the figures and the ratios (peer ÷ ours).
#
#   benches/compare-peers.sh
#
# The peers are installed into a temporary folder (removed at the end) from npm and PyPI:
#   - vscode-json-language-server (npm vscode-langservers-extracted), what VS Code users
#     have for a policy file: didChange → diagnostics latency, driven by the same bench
#     binary (benches/server_latency.rs) with the same documents and edits, both ways it
#     offers diagnostics: pushed (what it does for clients without pull diagnostics: 500 ms
#     after the last change, by design) and pulled (textDocument/diagnostic, as VS Code asks);
#   - parliament (PyPI): a policy piped into it per file (its --file fails when stdin is not
#     a terminal), and its --directory mode (one process for the whole corpus);
#   - cfn-lint (PyPI): the same policies wrapped in CloudFormation templates generated here.
# Throughput is the time to check the whole corpus (hyperfine when installed, else a timing
# loop), against `iam-policy-lsp check` on the same files.
#
# Settings (environment): IAM_POLICY_CORPUS (default ../shared/corpus/policies), EDITS (per
# document, default 200), PUSH_EDITS (default 20: each push takes 500 ms), RUNS (timing runs
# of the fast commands, default 10), SLOW_RUNS (of the slow ones, default 2), SKIP_LATENCY=1
# (throughput only).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CORPUS=${IAM_POLICY_CORPUS:-$ROOT/../shared/corpus/policies}
EDITS=${EDITS:-200}
PUSH_EDITS=${PUSH_EDITS:-20}
RUNS=${RUNS:-10}
SLOW_RUNS=${SLOW_RUNS:-2}
if [ ! -d "$CORPUS" ]; then
  echo "no policy corpus at $CORPUS (set IAM_POLICY_CORPUS)" >&2
  exit 2
fi
CORPUS=$(cd "$CORPUS" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iam-policy-lsp-peers.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export CARGO_TERM_COLOR=never

step() { printf '\n=== %s\n\n' "$*"; }

step "machine and code"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:  $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benches Cargo.toml || echo ' (modified)')"
echo "cpu:     $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "kernel:  $(uname -sr)"

step "build iam-policy-lsp (release) and the latency driver"
cargo build --release --locked --quiet
cargo bench --locked --quiet --bench server_latency --no-run
OURS=$ROOT/target/release/iam-policy-lsp
"$OURS" --version

step "install the peers into $TMP"
npm install --prefix "$TMP/npm" --no-audit --no-fund --loglevel=error vscode-langservers-extracted >/dev/null
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install --quiet --disable-pip-version-check parliament cfn-lint
JSON_LS="$TMP/npm/node_modules/.bin/vscode-json-language-server --stdio"
echo "vscode-langservers-extracted $(node -p "require('$TMP/npm/node_modules/vscode-langservers-extracted/package.json').version") (node $(node --version))"
"$TMP/venv/bin/parliament" --version 2>&1 | head -1
"$TMP/venv/bin/cfn-lint" --version
python3 --version

SUMMARY=$TMP/latency.tsv
if [ -z "${SKIP_LATENCY:-}" ]; then
  step "latency: didChange → diagnostics (same driver, documents and edits)"
  latency() { cargo bench --locked --quiet --bench server_latency -- --summary "$SUMMARY" "$@"; }
  latency --edits "$EDITS"
  latency --server "$JSON_LS" --label vscode-json-pull --pull --edits "$EDITS" --cold-starts 10
  latency --server "$JSON_LS" --label vscode-json-push --edits "$PUSH_EDITS" --warmup 2 --only latency
fi

step "throughput: checking the whole corpus"
shopt -s nullglob
FILES=("$CORPUS"/*.json)
printf '%s\n' "${FILES[@]}" >"$TMP/files.txt"
BYTES=$(cat "${FILES[@]}" | wc -c)
echo "${#FILES[@]} files, $BYTES bytes, in $CORPUS"

# The same policies in CloudFormation templates (the files that are JSON policies).
mkdir -p "$TMP/cfn"
python3 - "$TMP/cfn" "${FILES[@]}" <<'PY'
import json, os, sys
out, files = sys.argv[1], sys.argv[2:]
for i, path in enumerate(files):
    try:
        with open(path, encoding="utf-8") as f:
            policy = json.load(f)
    except (ValueError, UnicodeDecodeError):
        continue
    if not isinstance(policy, dict) or "Statement" not in policy:
        continue
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {"Policy": {"Type": "AWS::IAM::ManagedPolicy",
                                 "Properties": {"PolicyDocument": policy}}},
    }
    with open(os.path.join(out, os.path.basename(path)), "w") as f:
        json.dump(template, f, indent=2)
PY
CFN=("$TMP"/cfn/*.json)
echo "${#CFN[@]} of them wrapped in CloudFormation templates in $TMP/cfn"

cat >"$TMP/parliament-each.sh" <<EOF
#!/usr/bin/env bash
while read -r f; do "$TMP/venv/bin/parliament" <"\$f" >/dev/null 2>&1 || true; done <"$TMP/files.txt"
EOF
chmod +x "$TMP/parliament-each.sh"

# name|runs|command
COMMANDS=(
  "iam-policy-lsp check (corpus)|$RUNS|$OURS check ${FILES[*]}"
  "parliament, one process per file (stdin)|$SLOW_RUNS|$TMP/parliament-each.sh"
  "parliament --directory (one process)|$SLOW_RUNS|$TMP/venv/bin/parliament --directory $CORPUS --include_policy_extension .json"
  "iam-policy-lsp check (templates)|$RUNS|$OURS check ${CFN[*]}"
  "cfn-lint (templates)|$SLOW_RUNS|$TMP/venv/bin/cfn-lint ${CFN[*]}"
)

# Median wall time of a command, in seconds.
time_command() {
  local runs=$1 command=$2
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs "$runs" --warmup 1 --ignore-failure --style none \
      --export-json "$TMP/h.json" "$command" >/dev/null 2>&1
    python3 -c "import json; print(json.load(open('$TMP/h.json'))['results'][0]['median'])"
  else
    local times=()
    for _ in $(seq "$runs"); do
      local start end
      start=$(date +%s%N)
      bash -c "$command" </dev/null >/dev/null 2>&1 || true
      end=$(date +%s%N)
      times+=("$(((end - start) / 1000))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.6f\n", a[int((NR+1)/2)]/1e6}'
  fi
}

echo "timing with $(command -v hyperfine >/dev/null && hyperfine --version || echo 'a shell loop (hyperfine not installed)')"
for entry in "${COMMANDS[@]}"; do
  IFS='|' read -r name runs command <<<"$entry"
  seconds=$(time_command "$runs" "$command")
  printf '%s\tthroughput\t%s\n' "$name" "$seconds" >>"$SUMMARY"
  printf '  %-45s %10.3f s  (median of %s)\n' "$name" "$seconds" "$runs"
done

step "ratios (peer ÷ iam-policy-lsp; goal ≥ 100×)"
python3 - "$SUMMARY" "${#FILES[@]}" "${#CFN[@]}" <<'PY'
import sys
from collections import defaultdict
rows = defaultdict(dict)
for line in open(sys.argv[1]):
    label, key, value = line.rstrip("\n").split("\t")
    rows[label][key] = float(value)
files, templates = sys.argv[2], sys.argv[3]
ours = rows.get("iam-policy-lsp", {})

def verdict(r):
    return "met" if r >= 100 else "not met"

def times(r):
    return f"{r:.1f}×" if r < 10 else f"{r:.0f}×"

print("| latency (ms) | iam-policy-lsp | vscode-json (pull) | ratio | vscode-json (push) | ratio |")
print("|---|---:|---:|---:|---:|---:|")
for key in sorted(k for k in ours if k.startswith("latency.")):
    doc, stat = key[len("latency."):].rsplit(".", 1)
    if stat not in ("p50", "p95"):
        continue
    cells = [f"{doc} {stat}", f"{ours[key]:.3f}"]
    for peer in ("vscode-json-pull", "vscode-json-push"):
        theirs = rows[peer].get(key)
        cells += [f"{theirs:.3f}", f"{times(theirs / ours[key])} ({verdict(theirs / ours[key])})"] if theirs else ["–", "–"]
    print("| " + " | ".join(cells) + " |")
for key, name, unit in (("cold_start.median", "cold start", "ms"), ("rss.peak_mb", "peak RSS, all corpus files open", "MB")):
    if key in ours and key in rows["vscode-json-pull"]:
        theirs = rows["vscode-json-pull"][key]
        print(f"| {name} ({unit}) | {ours[key]:.2f} | {theirs:.2f} | {times(theirs / ours[key])} | | |")

print()
print("| throughput | files | time (s) | per file (ms) | ratio to iam-policy-lsp on the same files |")
print("|---|---:|---:|---:|---:|")
base = {"corpus": rows["iam-policy-lsp check (corpus)"]["throughput"],
        "templates": rows["iam-policy-lsp check (templates)"]["throughput"]}
for name, values in rows.items():
    if "throughput" not in values:
        continue
    t = values["throughput"]
    kind = "templates" if ("templates" in name or "cfn" in name) else "corpus"
    n = int(templates if kind == "templates" else files)
    ratio = t / base[kind]
    mark = "" if name.startswith("iam-policy-lsp") else f"{times(ratio)} ({verdict(ratio)})"
    print(f"| {name} | {n} | {t:.3f} | {t / n * 1e3:.2f} | {mark} |")
PY
