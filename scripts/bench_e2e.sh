#!/usr/bin/env bash
# End-to-end benchmark on a generated corpus: ingest N listing items as
# NIGHTS nightly snapshots into a fresh store, then `dups` on the JSONL
# corpus, and print a markdown table: items/s, MB/s, peak RSS, bytes on disk,
# and each night's time as the store grows, beside the XXH3 floor (hashing the
# same bytes). Usage: scripts/bench_e2e.sh [ITEMS] [NIGHTS] [WORKDIR]
# (defaults 1000000, 10, /tmp/newsdedup-bench). Medians need repeated runs:
# the machines are shared and noisy. BUILD_DIR (default build) as in scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-1000000}
nights=${2:-10}
work=${3:-/tmp/newsdedup-bench}
bash scripts/setup.sh
build_dir=${BUILD_DIR:-build}
bin=$build_dir/tools/newsdedup
rm -rf "$work" && mkdir -p "$work"

gen_start=$(date +%s.%N)
"$build_dir"/benchmarks/corpus_generator --items "$items" --nights "$nights" --seed 7 \
  --kind listing --out "$work/corpus" 2>"$work/generator.log"
gen_end=$(date +%s.%N)
echo "generator: $(cat "$work/generator.log")"
awk -v n="$items" -v a="$gen_start" -v b="$gen_end" 'BEGIN { printf "generated %d items in %.1f s\n\n", n, b - a }'

measure() {  # measure LABEL COMMAND... -> "seconds peak_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err"
  cat "$work/$label.time"
}

echo "| night | items | MB | seconds | items/s | MB/s | peak RSS MB | store MB after |"
echo "|---|---|---|---|---|---|---|---|"
total_items=0; total_bytes=0; total_seconds=0; peak=0; first_cost=""; last_cost=""
for night in $(seq 0 $((nights - 1))); do
  file=$(printf '%s/corpus/night-%03d.txt' "$work" "$night")
  day=$(date -u -d "2025-01-01 + $night days" +%Y-%m-%d)
  read -r seconds rss < <(measure "night$night" "$bin" ingest -q --db "$work/db" \
    --source bench --at "$day" --min-listing-share 0 --format json "$file")
  count=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['snapshot']['items'])" \
    "$work/night$night.out")
  bytes=$(stat -c %s "$file")
  disk=$("$bin" stats --db "$work/db" --format json |
    python3 -c "import json,sys; print(json.load(sys.stdin)['bytes_on_disk'])")
  awk -v n="$night" -v c="$count" -v b="$bytes" -v s="$seconds" -v r="$rss" -v d="$disk" \
    'BEGIN { printf "| %d | %d | %.1f | %.2f | %.0f | %.1f | %.0f | %.0f |\n",
             n, c, b / 1e6, s, c / s, b / 1e6 / s, r / 1024, d / 1e6 }'
  cost=$(awk -v c="$count" -v s="$seconds" 'BEGIN { print s / c }')
  [ -n "$first_cost" ] || first_cost=$cost
  last_cost=$cost
  total_items=$((total_items + count)); total_bytes=$((total_bytes + bytes))
  total_seconds=$(awk -v a="$total_seconds" -v b="$seconds" 'BEGIN { print a + b }')
  ((rss > peak)) && peak=$rss
done
awk -v c="$total_items" -v b="$total_bytes" -v s="$total_seconds" -v r="$peak" \
  'BEGIN { printf "| all | %d | %.1f | %.2f | %.0f | %.1f | %.0f | |\n\n",
           c, b / 1e6, s, c / s, b / 1e6 / s, r / 1024 }'
awk -v a="$first_cost" -v b="$last_cost" -v n="$nights" \
  'BEGIN { printf "per-item cost of night %d / night 1: %.2f\n\n", n, b / a }'

read -r seconds rss < <(measure dups "$bin" dups -q "$work/corpus/corpus.jsonl")
clusters=$(wc -l <"$work/dups.out")
bytes=$(stat -c %s "$work/corpus/corpus.jsonl")
awk -v n="$items" -v b="$bytes" -v s="$seconds" -v r="$rss" -v c="$clusters" \
  'BEGIN { printf "dups on %d JSONL items (%.1f MB): %.2f s wall, peak RSS %.0f MB, %d clusters\n",
           n, b / 1e6, s, r / 1024, c }'

# The floor: XXH3 over the same bytes, in memory.
"$build_dir"/benchmarks/newsdedup_bench --benchmark_filter='BM_Xxh3Floor' --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E 'median' || true
