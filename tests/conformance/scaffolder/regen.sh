#!/usr/bin/env bash
# Regenerates expected/ from the genuine scaffolder-backend 4.0.2 (oracle/):
# for every cases/<template>/<case>/ (values.json, optional secrets.json) the
# POST /v2/dry-run answer (dry-run.json) and, when the case holds a file named
# `execute`, a real execution (execute.json: taskStatus, events, files).
# Needs node; installs the oracle on first use (builds isolated-vm, ~2 min).
# The ctest reads only the committed expected/ files, never node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
oracle="$here/oracle"
engines="$here/../template/oracle"   # run-template.mjs imports its engines.mjs

if [ ! -d "$engines/node_modules" ]; then
  (cd "$engines" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f "$oracle/real/node_modules/isolated-vm/build/Release/isolated_vm.node" ]; then
  (cd "$oracle/real" && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  (cd "$oracle/real/node_modules/isolated-vm" && node "$gyp" rebuild --release -j 2 --nodedir=/usr >/dev/null)
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
rm -rf "$here/expected"
for case_dir in "$here"/cases/*/*/; do
  case_dir="${case_dir%/}"
  name="${case_dir#"$here/cases/"}"
  template="$here/templates/${name%%/*}"
  out="$here/expected/$name"
  mkdir -p "$out"
  secrets=()
  [ -f "$case_dir/secrets.json" ] && secrets=(--secrets="$case_dir/secrets.json")
  node "$oracle/run-template.mjs" "$template" "$case_dir/values.json" "$scratch/d" "${secrets[@]}" >/dev/null
  cp "$scratch/d/response.json" "$out/dry-run.json"
  if [ -f "$case_dir/execute" ]; then
    node "$oracle/run-template.mjs" "$template" "$case_dir/values.json" "$scratch/e" --execute "${secrets[@]}" >/dev/null
    cp "$scratch/e/response.json" "$out/execute.json"
  fi
  echo "$name"
done
