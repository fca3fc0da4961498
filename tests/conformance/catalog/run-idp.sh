#!/usr/bin/env bash
# The catalog_conformance test: runs the idp CLI over every case file the
# way the oracle was run (from cases/, bare file names, byte-sorted), then
# compares its JSON lines with expected.jsonl.
# usage: run-idp.sh IDP_BINARY OUTPUT_DIR [PYTHON3]
set -euo pipefail

idp="$1"
out_dir="$2"
python="${3:-python3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out_dir"
actual="$out_dir/catalog-actual.jsonl"

cd "$here/cases"
mapfile -t files < <(find . -maxdepth 1 -type f -name '*.yaml' -printf '%f\n' | LC_ALL=C sort)

# Exit 1 only says that some entities are invalid, which the cases are
# meant to contain; anything else (2 = usage/internal error, a crash) fails.
status=0
"$idp" validate --format jsonl "${files[@]}" >"$actual" || status=$?
if ((status != 0 && status != 1)); then
  echo "run-idp.sh: '$idp validate' exited with status $status" >&2
  exit 1
fi

exec "$python" "$here/compare.py" "$here/expected.jsonl" "$actual"
