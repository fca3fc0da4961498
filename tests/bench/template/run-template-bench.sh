#!/usr/bin/env bash
# Template throughput: idp's native renderer vs the real nunjucks 3.2.4 (wired
# like Backstage's scaffolder), same inputs, same run. Builds nothing.
#
#   tests/bench/template/run-template-bench.sh [BENCH_BINARY]
#
# BENCH_BINARY defaults to build/tests/bench/template/idp_template_bench
# (relative to the repository; build target idp_template_bench).
# Environment:
#   MIN_TIME=2        timed wall seconds per row (whole passes, at least one)
#   WARMUP=0.5        nunjucks JIT warm-up seconds per row (untimed)
#   RUNS=1            runs per row; the one with the best CPU rate is kept
#   SKIP_NUNJUCKS=1   idp rows only
#   SKIP_VM=1         leave out the slow node:vm (SecureTemplater wiring) rows
#   JSON_CONTEXT=1    nunjucks host rows JSON-round-trip the context on every
#                     render, as SecureTemplater does (idp converts its JSON
#                     context on every Render call in any case)
#
# Every row runs in its own process under /usr/bin/time -v, so its peak RSS is
# its own; a "baseline" row per side shows the RSS of a process that loaded
# everything and rendered nothing. Rates come from the programs' own timers
# over the timed passes only (start-up, input parsing and warm-up excluded, on
# both sides). Figures only: nothing here passes or fails on speed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

bench="${1:-$repo/build/tests/bench/template/idp_template_bench}"
min_time="${MIN_TIME:-2}"
warmup="${WARMUP:-0.5}"
runs="${RUNS:-1}"
oracle="$repo/tests/conformance/template/oracle"

die() { echo "run-template-bench: $*" >&2; exit 2; }

[[ -x "$bench" ]] || die "no bench binary at $bench (build target idp_template_bench, or pass its path)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing: apt-get install time"
if [[ -z "${SKIP_NUNJUCKS:-}" ]]; then
  command -v node >/dev/null || die "node is required for the nunjucks side (or SKIP_NUNJUCKS=1)"
  if [[ ! -f "$oracle/node_modules/nunjucks/package.json" ]]; then
    echo "installing the oracle's pinned packages (npm ci in $oracle)" >&2
    (cd "$oracle" && npm ci --no-audit --no-fund >/dev/null)
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Both sides render the very same skeleton text and context.
"$bench" --write-skeleton "$tmp/skeleton"

# Other work on the machine skews wall times: record the load around the runs.
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# run_row SIDE ROW [extra args...]: appends "side row unit amount wall cpu passes rss_mib"
# to $tmp/rows (best CPU rate of RUNS runs; RSS from /usr/bin/time -v).
run_row() {
  local side="$1" row="$2" best="" i line rss
  shift 2
  for ((i = 0; i < runs; i++)); do
    echo "timing $side $row ($((i + 1))/$runs) ..." >&2
    local -a cmd
    if [[ "$side" == idp ]]; then
      cmd=("$bench" --tsv --only "$row" --min-time "$min_time" --skeleton "$tmp/skeleton" "$@")
    else
      cmd=(node "$here/nunjucks-bench.mjs" --tsv --only "$row" --min-time "$min_time" --warmup "$warmup"
        --skeleton "$tmp/skeleton" --oracle "$oracle" "$@")
      [[ -z "${JSON_CONTEXT:-}" ]] || cmd+=(--json-context)
    fi
    if ! /usr/bin/time -v -o "$tmp/time" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
      cat "$tmp/err" >&2
      die "$side $row failed"
    fi
    grep -E 'agree|warning' "$tmp/err" >&2 || true
    rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tmp/time")"
    if [[ "$row" == none ]]; then
      line="$side baseline - 0 0 0 0 $rss"
    else
      line="$(awk -v rss="$rss" -F'\t' '{ print $1, $2, $3, $4, $5, $6, $7, rss }' "$tmp/out")"
      [[ -n "$line" ]] || die "$side $row printed no figures"
    fi
    if [[ -z "$best" ]] || awk -v a="$line" -v b="$best" 'BEGIN {
        split(a, x, " "); split(b, y, " "); exit !(x[6] > 0 && y[6] > 0 && x[4] / x[6] > y[4] / y[6]) }'; then
      best="$line"
    fi
  done
  echo "$best" >>"$tmp/rows"
}

: >"$tmp/rows"
run_row idp none
run_row idp cases-cached
run_row idp cases-parse
run_row idp cases-default
run_row idp skeleton-cached --dump-skeleton-output "$tmp/idp-skeleton.out"
run_row idp skeleton-parse
if [[ -z "${SKIP_NUNJUCKS:-}" ]]; then
  run_row nunjucks none
  run_row nunjucks cases-compile-once
  run_row nunjucks cases-compile-each
  [[ -n "${SKIP_VM:-}" ]] || run_row nunjucks cases-vm
  run_row nunjucks skeleton-compile-once
  run_row nunjucks skeleton-compile-each --dump-skeleton-output "$tmp/nunjucks-skeleton.out"
  [[ -n "${SKIP_VM:-}" ]] || run_row nunjucks skeleton-vm
fi

# --- tables ------------------------------------------------------------------
echo
printf '%-9s %-22s %12s %-7s %12s %-7s %8s %8s %7s %13s\n' side row "rate (wall)" "" "rate (cpu)" "" "wall s" "cpu s" passes "peak RSS MiB"
while read -r side row unit amount wall cpu passes rss; do
  awk -v side="$side" -v row="$row" -v unit="$unit" -v amount="$amount" -v wall="$wall" -v cpu="$cpu" \
    -v passes="$passes" -v rss="$rss" 'BEGIN {
      u = (unit == "MB") ? "MB/s" : "cases/s"
      if (row == "baseline") { printf "%-9s %-22s %12s %-7s %12s %-7s %8s %8s %7s %13.1f\n", side, row, "-", "", "-", "", "-", "-", "-", rss; exit }
      printf "%-9s %-22s %12.1f %-7s %12.1f %-7s %8.3f %8.3f %7d %13.1f\n", side, row, amount / wall, u, amount / cpu, u, wall, cpu, passes, rss
    }'
done <"$tmp/rows"

if [[ -z "${SKIP_NUNJUCKS:-}" ]]; then
  echo
  printf '%-62s %11s %11s\n' "speed-up (idp rate / nunjucks rate; goal: 5x)" "wall" "cpu"
  ratio() { # idp_row nunjucks_row label
    awk -v a="$1" -v b="$2" -v label="$3" '
      $1 == "idp" && $2 == a { ia = $4 / $5; ic = $4 / $6; hi = 1 }
      $1 == "nunjucks" && $2 == b { na = $4 / $5; nc = $4 / $6; hn = 1 }
      END {
        if (!hi || !hn) exit
        rc = ic / nc
        printf "%-62s %10.2fx %10.2fx  %s\n", label, ia / na, rc, (rc >= 5 ? "" : "below 5x (cpu)")
      }' "$tmp/rows"
  }
  ratio cases-cached cases-compile-once "cases, compiled once: idp cached / nunjucks compile-once"
  ratio cases-parse cases-compile-each "cases, compile per render: idp parse / nunjucks renderString"
  ratio cases-parse cases-vm "cases, compile per render: idp parse / nunjucks vm (Backstage)"
  ratio skeleton-cached skeleton-compile-once "skeleton, compiled once: idp cached / nunjucks compile-once"
  ratio skeleton-parse skeleton-compile-each "skeleton, per render: idp parse / nunjucks renderString"
  ratio skeleton-parse skeleton-vm "skeleton, per render: idp parse / nunjucks vm (Backstage)"

  if [[ -f "$tmp/idp-skeleton.out" && -f "$tmp/nunjucks-skeleton.out" ]]; then
    if cmp -s "$tmp/idp-skeleton.out" "$tmp/nunjucks-skeleton.out"; then
      echo
      echo "skeleton output: byte-identical on both sides ($(wc -c <"$tmp/idp-skeleton.out") bytes)"
    else
      echo
      echo "WARNING: the skeleton output differs between idp and nunjucks (the figures compare different work)"
    fi
  fi
fi

echo
echo "input: $(wc -l <"$repo/tests/conformance/template/cases.jsonl") conformance cases; skeleton $(wc -c <"$tmp/skeleton/skeleton.tmpl") bytes (MB = 10^6 bytes of template source)"
if [[ -n "${JSON_CONTEXT:-}" ]]; then
  echo "nunjucks host rows: the context is JSON-round-tripped on every render (JSON_CONTEXT=1)"
else
  echo "nunjucks host rows: the context is passed as a ready object (favours nunjucks; JSON_CONTEXT=1 adds SecureTemplater's per-render JSON round trip)"
fi
echo "machine: $(nproc) cores, $(uname -m); node $(node --version 2>/dev/null || echo n/a); min time per row ${min_time}s; runs per row: $runs (best CPU rate kept)"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
