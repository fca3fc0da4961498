#!/usr/bin/env bash
# Regenerates expected.jsonl and expected-graph.jsonl with the oracle (the real
# Backstage catalog code, pinned in oracle/package-lock.json).
# Run it after adding or changing a file in cases/; review the diff.
# usage: tests/conformance/catalog/regen.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ ! -d "$here/oracle/node_modules" ]]; then
  (cd "$here/oracle" && npm ci --no-audit --no-fund)
fi

# The case files: top-level *.yaml of cases/ (cases/data/ holds placeholder
# payloads, not cases), bare names, byte order. run-idp.sh lists them the
# same way, so both tools see the same arguments in the same order.
cd "$here/cases"
mapfile -t files < <(find . -maxdepth 1 -type f -name '*.yaml' -printf '%f\n' | LC_ALL=C sort)
((${#files[@]})) || { echo "regen.sh: no case files in $here/cases" >&2; exit 1; }

# Write to temporaries first so a failing oracle never leaves half a file.
node ../oracle/validate.mjs "${files[@]}" >"$here/expected.jsonl.tmp"
node ../oracle/validate.mjs --graph "${files[@]}" >"$here/expected-graph.jsonl.tmp"
mv "$here/expected.jsonl.tmp" "$here/expected.jsonl"
mv "$here/expected-graph.jsonl.tmp" "$here/expected-graph.jsonl"

echo "regen.sh: ${#files[@]} files, $(wc -l <"$here/expected.jsonl") documents," \
  "$(wc -l <"$here/expected-graph.jsonl") stored entities"
