#!/usr/bin/env bash
# Catalog engine benchmark (figures, not a test). For each size: a generated
# catalog (tests/bench/gen-catalog.mjs: a root Location, nested Locations,
# files on disk, the realistic relation mix) is ingested into a fresh SQLite
# file until fully stitched; then a refresh with nothing changed, a refresh
# after one file changed, and a 3-hop impact query (who depends on a
# Resource, transitively) timed inside the process.
#
#   tests/bench/catalog/run-catalog-bench.sh [BUILD_DIR]      (default: build)
#   SIZES="10000 100000" OUT=tests/bench/out ...               (defaults shown)
#
# Prints one line per step: the engine's own figures (ms, entities/s, phase
# split) and the process's wall time and peak RSS from /usr/bin/time -v.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${1:-$root/build}"
bench="$build/tests/bench/catalog/idp_catalog_bench"
sizes="${SIZES:-10000 100000}"
out="${OUT:-$root/tests/bench/out}"
[[ -x "$bench" ]] || { echo "no $bench (cmake --build $build --target idp_catalog_bench)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() {  # label, command...
  local label="$1"; shift
  local log="$work/time.log"
  local line
  line="$(/usr/bin/time -v -o "$log" "$@")"
  local wall rss cpu
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MiB", $2/1024}' "$log")"
  # CPU time too: on a shared machine wall time depends on the others' load.
  cpu="$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "user %.2f s + sys %.2f s", u, s}' "$log")"
  printf '%-22s %s | process wall %s, %s, peak RSS %s, load %s\n' "$label" "$line" "$wall" "$cpu" "$rss" \
    "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "catalog bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  src="$out/catalog-$n"
  [[ -f "$src/manifest.json" ]] || node "$root/tests/bench/gen-catalog.mjs" --entities "$n" --out "$src" >/dev/null
  rm -rf "$work/cat" "$work"/catalog.db*
  cp -r "$src" "$work/cat"
  # Files at rest: a refresh may trust size and mtime of files older than 2 s.
  find "$work/cat" -name '*.yaml' -exec touch -d '1 hour ago' {} +
  db="$work/catalog.db"
  run "ingest $n" "$bench" ingest "$db" "$work/cat/all.yaml"
  run "refresh-unchanged $n" "$bench" refresh "$db"
  file="$(find "$work/cat/domains" -name 'part-000.yaml' | sort | awk 'NR == 1')"
  sed -i '0,/description: /s/description: /description: edited /' "$file"
  touch -d '1 minute ago' "$file"
  run "refresh-1-changed $n" "$bench" refresh "$db"
  resource="$(awk '/^kind: Resource/ {r=1} r && /^  name: / {print $2; exit}' "$file")"
  run "impact-3hop $n" "$bench" impact "$db" "resource:default/$resource" 3 dependsOn,dependencyOf,consumesApi,apiProvidedBy,partOf,hasPart
  echo "db size $n: $(du -h "$db" | cut -f1)"
done
