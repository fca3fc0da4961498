#!/usr/bin/env bash
# Regenerates cases.jsonl (gen_cases.py) and expected.jsonl from the oracle:
# real nunjucks 3.2.4 + Backstage's filters (oracle/render.mjs, vm engine).
set -euo pipefail
cd "$(dirname "$0")"
python3 gen_cases.py
if [ ! -d oracle/node_modules ]; then (cd oracle && npm ci --no-audit --no-fund); fi
node oracle/render.mjs cases.jsonl > expected.jsonl
echo "expected.jsonl: $(wc -l < expected.jsonl) cases"
