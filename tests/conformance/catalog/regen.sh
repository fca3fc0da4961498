#!/usr/bin/env bash
# Regenerates expected.jsonl and expected-graph.jsonl with the oracle (the real
# Backstage catalog code, pinned in oracle/package-lock.json).
# Run it after adding or changing a file in cases/; review the diff.
# usage: tests/conformance/catalog/regen.sh
#        tests/conformance/catalog/regen.sh --check OUTDIR
#   --check regenerates into OUTDIR and fails when the committed files differ
#   (exit 77, "skipped", when node or the installed oracle is missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
check_dir=""
if [[ "${1:-}" == "--check" ]]; then
  check_dir="${2:?--check needs an output directory}"
  mkdir -p "$check_dir"
  if ! command -v node >/dev/null || [[ ! -d "$here/oracle/node_modules" ]]; then
    echo "regen.sh: node or oracle/node_modules missing (tools/setup.sh installs them): skipped"
    exit 77
  fi
elif [[ ! -d "$here/oracle/node_modules" ]]; then
  (cd "$here/oracle" && npm ci --no-audit --no-fund)
fi

# The case files: top-level *.yaml of cases/ (cases/data/ holds placeholder
# payloads, not cases), bare names, byte order. run-idp.sh lists them the
# same way, so both tools see the same arguments in the same order.
cd "$here/cases"
mapfile -t files < <(find . -maxdepth 1 -type f -name '*.yaml' -printf '%f\n' | LC_ALL=C sort)
((${#files[@]})) || { echo "regen.sh: no case files in $here/cases" >&2; exit 1; }

if [[ -n "$check_dir" ]]; then
  node ../oracle/validate.mjs "${files[@]}" >"$check_dir/expected.jsonl"
  node ../oracle/validate.mjs --graph "${files[@]}" >"$check_dir/expected-graph.jsonl"
  status=0
  for f in expected.jsonl expected-graph.jsonl; do
    if ! cmp -s "$here/$f" "$check_dir/$f"; then
      echo "regen.sh: $f is stale: the real Backstage code now says otherwise (run regen.sh):" >&2
      diff "$here/$f" "$check_dir/$f" | head -20 >&2
      status=1
    fi
  done
  [[ $status == 0 ]] && echo "regen.sh: expected.jsonl and expected-graph.jsonl match the oracle"
  exit $status
fi

# Write to temporaries first so a failing oracle never leaves half a file.
node ../oracle/validate.mjs "${files[@]}" >"$here/expected.jsonl.tmp"
node ../oracle/validate.mjs --graph "${files[@]}" >"$here/expected-graph.jsonl.tmp"
mv "$here/expected.jsonl.tmp" "$here/expected.jsonl"
mv "$here/expected-graph.jsonl.tmp" "$here/expected-graph.jsonl"

echo "regen.sh: ${#files[@]} files, $(wc -l <"$here/expected.jsonl") documents," \
  "$(wc -l <"$here/expected-graph.jsonl") stored entities"
