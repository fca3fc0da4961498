#!/usr/bin/env bash
# Validate benchmark: idp vs Backstage's own catalog code on the same files.
#
#   tests/bench/run-validate-bench.sh [IDP_BINARY]
#
# IDP_BINARY defaults to build/tools/idp/idp (relative to the repository).
# Environment:
#   ENTITIES=100000   documents to generate
#   SEED=1            generator seed
#   CATALOG_DIR=...   where the catalog goes (default tests/bench/out/catalog-$ENTITIES,
#                     git-ignored); generated only if absent or for another
#                     N, seed or generator version
#   RUNS=1            timed runs per configuration; the fastest one is reported
#   SKIP_BACKSTAGE=1  only run idp (Backstage takes ~30 s per 100k documents)
#
# Prints a table: tool, jobs, docs, seconds, docs/s, MB/s, peak RSS MiB and
# the speed ratio vs Backstage (Backstage seconds / tool seconds). Figures
# only: nothing here passes or fails on performance.
#
# What is timed:
#   idp        wall time and max RSS of the whole process from /usr/bin/time -v
#              (start-up included), `validate --format jsonl --jobs N`, output
#              to /dev/null;
#   backstage  backstage-validate.mjs's own processing time, after node has
#              loaded the Backstage modules (~1 s, excluded: this favours
#              Backstage), and the process's max RSS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

idp="${1:-$repo/build/tools/idp/idp}"
entities="${ENTITIES:-100000}"
seed="${SEED:-1}"
# Absolute, because the script later runs from inside the catalog folder.
catalog="$(realpath -m "${CATALOG_DIR:-$here/out/catalog-$entities}")"
runs="${RUNS:-1}"
jobs_all="$(nproc)"

die() { echo "run-validate-bench: $*" >&2; exit 2; }

[[ -x "$idp" ]] || die "no idp binary at $idp (build target idp_cli, or pass its path)"
idp="$(cd "$(dirname "$idp")" && pwd)/$(basename "$idp")" # we cd into the catalog below
command -v node >/dev/null || die "node is required (Backstage side and generator)"
if [[ ! -x /usr/bin/time ]]; then
  die "/usr/bin/time missing: apt-get install time"
fi

# --- catalog ---------------------------------------------------------------
# Regenerate only when missing, generated with other parameters or by another
# version of the generator: the generator is deterministic, so an existing
# tree with the same manifest is byte-identical to a fresh one.
manifest="$catalog/manifest.json"
want="$entities/$seed/$(sha256sum "$here/gen-catalog.mjs" | cut -d' ' -f1)"
have=""
if [[ -f "$manifest" ]]; then
  have="$(node -e 'const m=require(process.argv[1]);console.log(`${m.documents}/${m.seed}/${m.generatorSha256}`)' "$manifest")"
fi
if [[ "$have" != "$want" ]]; then
  echo "generating $entities documents (seed $seed) into $catalog" >&2
  node "$here/gen-catalog.mjs" --entities "$entities" --seed "$seed" --out "$catalog" >/dev/null
fi
read -r docs bytes nfiles < <(node -e 'const m=require(process.argv[1]);console.log(m.documents,m.bytes,m.files)' "$manifest")

# Both tools get the same explicit file list, relative to the catalog folder
# (as the oracle recommends). Location targets are therefore not followed by
# either side: every file is on the command line once.
mapfile -t files <"$catalog/files.txt"
cd "$catalog"

# Warm the page cache so the first timed run does not pay for disk reads the
# others do not.
cat "${files[@]}" >/dev/null

# Other work on the machine skews wall times: record the load around the runs.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# /usr/bin/time -v wall clock is "h:mm:ss" or "m:ss.ss"; convert to seconds.
# CPU seconds (user + system) are kept too: on a shared machine they move
# less than wall time when other work competes for the cores.
parse_time() { # file -> "seconds rss_kib cpu_seconds"
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { rss = $2 }
    /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
    END { printf "%.3f %d %.2f\n", s, rss, cpu }' "$1"
}

# Runs idp RUNS times with the given --jobs; prints "seconds rss_kib cpu_s" of the fastest.
bench_idp() {
  local jobs="$1" best="" i rc
  for ((i = 0; i < runs; i++)); do
    rc=0
    /usr/bin/time -v -o "$tmp/time" "$idp" validate --format jsonl --jobs "$jobs" "${files[@]}" \
      >/dev/null 2>"$tmp/stderr" || rc=$?
    # Exit 1 means "some input is invalid", which the generated catalog should
    # never be; report it but keep the figure. Anything else is a failure.
    if ((rc == 1)); then
      echo "warning: idp --jobs $jobs exited 1 (invalid input reported)" >&2
    elif ((rc != 0)); then
      cat "$tmp/stderr" >&2
      die "idp --jobs $jobs failed with exit code $rc"
    fi
    read -r s rss cpu < <(parse_time "$tmp/time")
    if [[ -z "$best" ]] || awk -v a="$s" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best="$s $rss $cpu"
    fi
  done
  echo "$best"
}

rows=() # "tool jobs docs seconds rss_kib cpu_s"

echo "catalog: $catalog ($docs documents, $nfiles files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB)" >&2

# Untimed run: check that idp sees every document and how many it rejects,
# so a fast but wrong result is noticed.
"$idp" validate --format jsonl --jobs "$jobs_all" "${files[@]}" >"$tmp/idp.jsonl" 2>/dev/null || true
idp_lines="$(wc -l <"$tmp/idp.jsonl")"
idp_invalid="$(grep -c '"valid":false' "$tmp/idp.jsonl" || true)"
rm -f "$tmp/idp.jsonl"
echo "idp check: $idp_lines JSONL lines for $docs documents, $idp_invalid with \"valid\":false" >&2

echo "timing idp --jobs 1 ..." >&2
# Assign first: a failure inside $(...) stops the script under set -e.
result="$(bench_idp 1)"
read -r s rss cpu <<<"$result"
rows+=("idp 1 $docs $s $rss $cpu")
if ((jobs_all > 1)); then
  echo "timing idp --jobs $jobs_all ..." >&2
  result="$(bench_idp "$jobs_all")"
  read -r s rss cpu <<<"$result"
  rows+=("idp $jobs_all $docs $s $rss $cpu")
fi

bs_seconds=""
if [[ -z "${SKIP_BACKSTAGE:-}" ]]; then
  if [[ ! -d "$here/node_modules/@backstage/plugin-catalog-backend" ]]; then
    echo "installing the pinned Backstage packages (npm ci in tests/bench)" >&2
    (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
  fi
  best=""
  for ((i = 0; i < runs; i++)); do
    echo "timing backstage (run $((i + 1))/$runs) ..." >&2
    node "$here/backstage-validate.mjs" --json --list files.txt >"$tmp/bs.json"
    result="$(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(r.seconds.toFixed(3), Math.round(r.peak_rss_mib * 1024), r.documents, r.invalid, r.cpu_s.toFixed(2));' "$tmp/bs.json")"
    read -r s rss bdocs invalid cpu <<<"$result"
    ((invalid == 0)) || echo "warning: Backstage rejected $invalid documents" >&2
    if [[ -z "$best" ]] || awk -v a="$s" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best="$s $rss $bdocs $cpu"
    fi
  done
  read -r s rss bdocs cpu <<<"$best"
  rows+=("backstage 1 $bdocs $s $rss $cpu")
  bs_seconds="$s"
fi

# --- table -----------------------------------------------------------------
printf '\n%-10s %5s %8s %9s %10s %8s %13s %14s %8s\n' tool jobs docs seconds docs/s MB/s "peak RSS MiB" "vs Backstage" "CPU s"
for row in "${rows[@]}"; do
  read -r tool jobs d s rss cpu <<<"$row"
  awk -v tool="$tool" -v jobs="$jobs" -v d="$d" -v s="$s" -v rss="$rss" -v cpu="$cpu" -v bytes="$bytes" -v bs="$bs_seconds" 'BEGIN {
    ratio = (bs == "" || s == 0) ? "n/a" : sprintf("%.1fx", bs / s)
    dps = (s > 0) ? sprintf("%.0f", d / s) : "inf"
    mbs = (s > 0) ? sprintf("%.2f", bytes / 1e6 / s) : "inf"
    printf "%-10s %5s %8d %9.3f %10s %8s %13.1f %14s %8.2f\n", tool, jobs, d, s, dps, mbs, rss / 1024, ratio, cpu
  }'
done
echo
echo "input: $nfiles files, $bytes bytes; machine: $(nproc) cores, $(uname -m); runs per row: $runs (fastest shown)"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
