#!/usr/bin/env bash
# Scaffolder figures: `idp scaffold run` and `idp scaffold dry-run` against
# the genuine scaffolder-backend 4.0.2 dry-run (tests/conformance/scaffolder/
# oracle, when installed) on the same Templates, in the same run:
#   fetch-2000  one fetch:template over a 2,000-file skeleton
#   steps-10    a 10-step template of every built-in family
#   empty       one debug:log step: process start-up and loading
# Each cell is WALL/CPU: medians of RUNS runs (default 5) of whole
# processes, wall seconds and user+system CPU seconds (CPU is the steadier
# figure on a shared machine); the oracle's rows include node start-up and
# loading Backstage (see `empty`).
# Figures only: nothing here passes or fails on speed.
#
#   tests/bench/scaffolder/run-scaffolder-bench.sh [IDP_BINARY]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
idp="${1:-$repo/build/tools/idp/idp}"
runs="${RUNS:-5}"
oracle="$repo/tests/conformance/scaffolder/oracle/run-template.mjs"
[[ -x "$idp" ]] || { echo "no idp binary at $idp" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen-bench-templates.py" "$tmp/t"
have_oracle=0
if command -v node >/dev/null && [[ -f "$repo/tests/conformance/scaffolder/oracle/real/node_modules/isolated-vm/build/Release/isolated_vm.node" ]]; then
  have_oracle=1
fi

# median SECONDS of RUNS runs of a command (stdout dropped; must succeed)
median() {
  python3 - "$runs" "$@" <<'PY'
import os, subprocess, sys, time, shutil, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
walls, cpus = [], []
for i in range(runs):
    for p in cmd:
        if p.endswith('/out-run'):
            shutil.rmtree(p, ignore_errors=True)
    before = os.times()
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    walls.append(time.perf_counter() - t)
    after = os.times()
    cpus.append((after.children_user - before.children_user) + (after.children_system - before.children_system))
    if r.returncode != 0:
        sys.exit(f'failed: {" ".join(cmd)}: {r.stderr.decode()[-500:]}')
print(f'{statistics.median(walls):.3f}/{statistics.median(cpus):.2f}')
PY
}

printf 'load before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %14s %16s %22s\n' template "idp run" "idp dry-run" "Backstage dry-run"
for t in empty steps-10 fetch-2000; do
  run_s=$(median "$idp" scaffold run "$tmp/t/$t/template.yaml" --values "$tmp/t/values.json" --out "$tmp/out-run")
  dry_s=$(median "$idp" scaffold dry-run "$tmp/t/$t" --values "$tmp/t/values.json" --json)
  oracle_s="n/a"
  if (( have_oracle )); then
    oracle_s=$(median node "$oracle" "$tmp/t/$t" "$tmp/t/values.json" "$tmp/oracle-out")
  fi
  printf '%-12s %14s %16s %22s\n' "$t" "$run_s" "$dry_s" "$oracle_s"
done
printf 'load after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
