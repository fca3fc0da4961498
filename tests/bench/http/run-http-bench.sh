#!/usr/bin/env bash
# idp-server HTTP benchmark (figures, not a test): a generated catalog of N
# entities (tests/bench/gen-catalog.mjs) is ingested by idp-server on an
# ephemeral loopback port, then wrk (closed loop, as the Backstage reference
# was measured: -t1 -c8 -d10s) runs each scenario after a short warm-up:
#
#   by-name-1k      GET /entities/by-name/component/default/<one of 1,000 names>
#                   (what shared/backstage-host measured against Backstage)
#   by-name-all     the same over every Component of the catalog
#   by-query-owner  GET /entities/by-query?filter=kind=component,spec.owner=<team>&limit=20
#   by-query-large  GET /entities/by-query?filter=kind=component,spec.lifecycle=<l>&limit=20
#                   (thousands match: the count and the first page)
#
# Prints requests/s, p50, p99 and max per scenario with the load average at
# that moment (the machine may be shared), then the server's CPU time and
# peak RSS.
#
#   tests/bench/http/run-http-bench.sh [BUILD_DIR]         (default: build)
#   N=100000 DURATION=10 CONNS=8 WRK_THREADS=1 OUT=tests/bench/out ...   (defaults)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${1:-$root/build}"
server="$build/tools/idp-server/idp-server"
n="${N:-100000}"
duration="${DURATION:-10}"
conns="${CONNS:-8}"
wrk_threads="${WRK_THREADS:-1}"
out="${OUT:-$root/tests/bench/out}"
[[ -x "$server" ]] || { echo "no $server (cmake --build $build --target idp_server)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "needs wrk (tools/setup.sh installs it)" >&2; exit 2; }
command -v curl >/dev/null || { echo "needs curl" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }

src="$out/catalog-$n"
[[ -f "$src/manifest.json" ]] || node "$root/tests/bench/gen-catalog.mjs" --entities "$n" --out "$src" >/dev/null
cp -r "$src" "$work/cat"
cat >"$work/app-config.yaml" <<YAML
backend:
  accessLog: false
catalog:
  processingInterval: false
YAML

echo "http bench: $(nproc) cores, N=$n, wrk -t$wrk_threads -c$conns -d${duration}s, load $(load)"
start=$(date +%s.%N)
"$server" --config "$work/app-config.yaml" --listen 127.0.0.1:0 --db "$work/catalog.db" \
  --location "$work/cat/all.yaml" >"$work/stdout" 2>"$work/stderr" &
pid=$!
url=""
for _ in $(seq 1 6000); do  # the first line comes once the catalog is ingested and stitched
  if line=$(head -n1 "$work/stdout" 2>/dev/null) && [[ "$line" == "listening on "* ]]; then url="${line#listening on }"; break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "idp-server did not start listening" >&2; exit 1; }
printf 'ingest: %d entities served after %.1f s (start to listening), load %s\n' \
  "$(curl -sf "$url/api/catalog/entities/by-query?limit=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalItems"])')" \
  "$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')" "$(load)"

# Request paths per scenario, from what the server holds.
names() {  # kind -> every metadata.name of that kind, one per line
  curl -sf "$url/api/catalog/entities?filter=kind=$1&fields=metadata.name" |
    python3 -c 'import json,sys; print("\n".join(e["metadata"]["name"] for e in json.load(sys.stdin)))'
}
names component >"$work/components.txt"
names group >"$work/groups.txt"
by_name=/api/catalog/entities/by-name/component/default
awk -v p="$by_name" -v step="$(( $(wc -l <"$work/components.txt") / 1000 ))" \
  'NR % step == 0 && c < 1000 { print p "/" $0; c++ }' "$work/components.txt" >"$work/by-name-1k.txt"
sed "s|^|$by_name/|" "$work/components.txt" >"$work/by-name-all.txt"
sed "s|^|/api/catalog/entities/by-query?filter=kind=component,spec.owner=|; s|\$|\&limit=20|" \
  "$work/groups.txt" >"$work/by-query-owner.txt"
for l in production experimental deprecated; do
  echo "/api/catalog/entities/by-query?filter=kind=component,spec.lifecycle=$l&limit=20"
done >"$work/by-query-large.txt"
# Every path answers 200 before it is measured.
while read -r p; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url$p")
  [[ "$code" == 200 ]] || { echo "GET $p -> $code" >&2; exit 1; }
done < <(head -n 3 "$work/by-name-1k.txt"; head -n 3 "$work/by-query-owner.txt"; cat "$work/by-query-large.txt")

cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }  # utime + stime, clock ticks
hz=$(getconf CLK_TCK)
for scenario in by-name-1k by-name-all by-query-owner by-query-large; do
  wrk -t"$wrk_threads" -c"$conns" -d2s -s "$here/paths.lua" "$url" -- "$work/$scenario.txt" >/dev/null  # warm-up
  before=$(cpu)
  l=$(load)
  r=$(wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" -s "$here/paths.lua" "$url" -- "$work/$scenario.txt" | grep '^RESULT')
  after=$(cpu)
  printf '%-15s %s server_cpu_s=%.1f paths=%d | load before %s\n' "$scenario" "${r#RESULT }" \
    "$(awk -v a="$after" -v b="$before" -v hz="$hz" 'BEGIN { print (a - b) / hz }')" "$(wc -l <"$work/$scenario.txt")" "$l"
done
echo "server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$pid/status")"
kill -TERM "$pid"
wait "$pid" && echo "server: exit 0 on SIGTERM" || echo "server: exit $? on SIGTERM"
pid=""
