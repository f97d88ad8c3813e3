#!/usr/bin/env bash
# Bounded load test of `newsdedup serve` on loopback while the nightly ingest writes the store.
#
#   bash scripts/load_test.sh [ITEMS_PER_NIGHT] [SECONDS] [CLIENTS] [WORKDIR]
#
# Defaults: 20000 items a night, 20 s, 16 clients, /tmp/newsdedup-load. Generates 12 nights of
# listings (corpus_generator), ingests the first 8, starts the server, and then for SECONDS runs
# two wrk processes of CLIENTS/2 connections each -- one on report endpoints
# (/api/snapshots/ID, every snapshot), one on story endpoints (/api/stories/ID, stories drawn from
# the reports) -- while `newsdedup ingest` commits the next nights, one after another, beside the
# server, until the load ends. Prints requests/s, p50 and p99 latency and errors per endpoint, and
# the ingest time of each night with and without the load. Stops by itself; only loopback is
# used. Installs wrk when missing (root).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/serve_port.sh
items=${1:-20000}
seconds=${2:-20}
clients=${3:-16}
work=${4:-/tmp/newsdedup-load}
nights=12
preloaded=8

if ! command -v wrk >/dev/null 2>&1; then
  echo "load_test: installing wrk" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
bash scripts/setup.sh
bin=$(realpath build/tools/newsdedup)
rm -rf "$work" && mkdir -p "$work"

server_pid=""
ingest_pid=""
cleanup() {
  for pid in $ingest_pid $server_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

echo "load_test: generating $nights nights of $items listing items" >&2
build/benchmarks/corpus_generator --items $((items * nights)) --nights "$nights" --seed 7 \
  --kind listing --format text --out "$work/corpus" >/dev/null 2>"$work/generator.log"
night_file() { printf '%s/corpus/night-%03d.txt' "$work" "$1"; }
night_day() { date -u -d "2025-01-01 + $1 days" +%Y-%m-%d; }

# ingest_night N -> "START END" (epoch seconds)
ingest_night() {
  local start end
  start=$(date +%s.%N)
  "$bin" ingest -q --db "$work/db" --source bench --at "$(night_day "$1")" --format json \
    "$(night_file "$1")" >/dev/null
  end=$(date +%s.%N)
  echo "$start $end"
}
seconds_of() { awk '{ printf "%.2f", $2 - $1 }'; }

echo "load_test: ingesting nights 0-$((preloaded - 1)) (no load)" >&2
quiet_times=()
for night in $(seq 0 $((preloaded - 1))); do
  quiet_times+=("$(ingest_night "$night" | seconds_of)")
done

"$bin" serve --db "$work/db" --listen 127.0.0.1:0 --threads $((clients + 8)) \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=$(serve_port "$work/serve.out")
[ -n "$port" ] || { echo "load_test: serve did not start: $(cat "$work/serve.err")" >&2; exit 1; }
base="http://127.0.0.1:$port"

# The paths each wrk draws from: every snapshot's report, and 500 stories of those reports.
python3 - "$base" "$preloaded" "$work" <<'EOF'
import json, random, sys, urllib.request
base, snapshots, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stories = []
# Reading every report once also warms the server as a day of readers would have: the load
# measures a running server, not its first request of each report.
with open(f"{work}/report.paths", "w") as out:
    for sid in range(1, snapshots + 1):
        out.write(f"/api/snapshots/{sid}\n")
        with urllib.request.urlopen(f"{base}/api/snapshots/{sid}") as reply:
            stories += [s["story"] for s in json.load(reply)["stories"]]
random.seed(7)
with open(f"{work}/story.paths", "w") as out:
    for story in random.sample(sorted(set(stories)), 500):
        out.write(f"/api/stories/{story}\n")
EOF
cat >"$work/paths.lua" <<'EOF'
-- Each request takes a random path of the file named by the first script argument; responses
-- other than 200 are counted by wrk itself ("Non-2xx or 3xx responses").
local paths = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
EOF

echo "load_test: $seconds s of load, $clients clients, while the next nights are ingested" >&2
load_start=$(date +%s.%N)
(
  for night in $(seq "$preloaded" $((nights - 1))); do
    [ -e "$work/load.done" ] && break
    echo "$night $(ingest_night "$night")" >>"$work/ingest.times"
  done
) &
ingest_pid=$!
half=$((clients / 2))
wrk_pids=()
for kind in report story; do
  wrk -t1 -c"$half" -d"${seconds}s" --timeout 10s --latency -s "$work/paths.lua" "$base" \
    -- "$work/$kind.paths" >"$work/wrk.$kind" 2>&1 &
  wrk_pids+=($!)
done
wait "${wrk_pids[@]}"
load_end=$(date +%s.%N)
touch "$work/load.done"  # No night starts after the load; the one running finishes.
wait "$ingest_pid"
ingest_pid=""

committed=$((preloaded + $(wc -l <"$work/ingest.times")))
for _ in $(seq 1 50); do  # The server looks for new commits every second.
  health=$(python3 -c "import json,urllib.request; print(json.load(urllib.request.urlopen('$base/api/health'))['snapshots'])")
  [ "$health" -eq "$committed" ] && break
  sleep 0.1
done
echo
echo "| endpoint | clients | requests | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|---|"
for kind in report story; do
  python3 - "$work/wrk.$kind" "$kind" "$half" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
def find(pattern, default="0"):
    match = re.search(pattern, text)
    return match.group(1) if match else default
requests = find(r"(\d+) requests in")
rate = find(r"Requests/sec:\s+([\d.]+)")
p50 = find(r"50%\s+(\S+)", "?")
p99 = find(r"99%\s+(\S+)", "?")
non2xx = int(find(r"Non-2xx or 3xx responses: (\d+)"))
sockets = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", find(r"Socket errors: (.*)", "")))
endpoint = "/api/snapshots/ID" if sys.argv[2] == "report" else "/api/stories/ID"
print(f"| {endpoint} | {sys.argv[3]} | {requests} | {float(rate):.0f} | {p50} | {p99} | {non2xx + sockets} |")
EOF
done
echo
echo "nights ingested before, without load: ${quiet_times[*]} s (about $items items each)"
awk -v a="$load_start" -v b="$load_end" '{
      overlap = ($3 < b ? $3 : b) - ($2 > a ? $2 : a)
      printf "%s%.2f s (%.0f%% under load)", sep, $3 - $2, 100 * overlap / ($3 - $2); sep = ", " }
    END { print "" }' "$work/ingest.times" | sed 's/^/nights ingested during the load: /'
echo "snapshots the server sees at the end: $health of $committed committed"
echo "load average at the end (2 cores, shared): $(cut -d' ' -f1-3 /proc/loadavg)"
