#!/usr/bin/env bash
# Graph conformance: ingest every case file as its own file location (in byte
# order, as the oracle's --graph registers them) into a fresh SQLite catalog,
# export the stitched entities and compare each stored entity's `relations`
# with expected-graph.jsonl (the real Backstage code).
# usage: run-graph.sh IDP_BINARY OUT_DIR [PYTHON]
set -euo pipefail
idp="$1"; out="$2"; python="${3:-python3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
rm -f "$out/graph.db" "$out/graph.db-wal" "$out/graph.db-shm"

cd "$here/cases"
mapfile -t files < <(find . -maxdepth 1 -type f -name '*.yaml' -printf '%f\n' | LC_ALL=C sort)
# Exit 1 means some entities failed processing (the corpus has many on
# purpose); anything else is a failure of the tool.
set +e
"$idp" catalog ingest --db "$out/graph.db" "${files[@]}" >"$out/graph-ingest.log" 2>&1
rc=$?
set -e
if [[ $rc -gt 1 ]]; then
  cat "$out/graph-ingest.log" >&2
  exit "$rc"
fi
"$idp" catalog export --db "$out/graph.db" --format jsonl >"$out/graph-export.jsonl"

# {ref, relations} per stored entity; the generated Location entities of the
# registered files are idp's (and Backstage's), the oracle does not list them.
"$python" - "$out/graph-export.jsonl" >"$out/graph-actual.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    m = e["metadata"]
    ref = f"{e['kind']}:{m.get('namespace', 'default')}/{m['name']}".lower()
    if ref.startswith("location:default/generated-"):
        continue
    print(json.dumps({"ref": ref, "relations": e.get("relations", [])}))
PY
"$python" "$here/compare.py" --graph "$here/expected-graph.jsonl" "$out/graph-actual.jsonl"
