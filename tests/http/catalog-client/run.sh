#!/usr/bin/env bash
# ctest entry: run.sh NODE (IDP_SERVER in the environment).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node="${1:-node}"
if [[ ! -d "$here/node_modules/@backstage/catalog-client" ]]; then
  echo "SKIP: $here/node_modules missing (run tools/setup.sh or npm ci there)" >&2
  exit 77
fi
cd "$here"
exec "$node" --test --test-reporter=spec catalog-client.test.mjs
