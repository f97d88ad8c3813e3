#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang into build-fuzz and runs each for
# SECONDS_PER_TARGET seconds (default 60), or, with RUNS, for RUNS executions each (issue 17's
# long mode: scripts/fuzz.sh 0 10000000), seeded from seeds/ and tests/fixtures/. Prints, per
# target, the executions, the seconds and the crashes found; a crashing input is kept under
# build-fuzz/work/TARGET/artifacts/ (replay: build-fuzz/tests/fuzz/TARGET FILE). libFuzzer stops
# at the first crash of a target, so "crashes" is 0 or 1 per run. Exit 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
runs=${2:-0}
# Inputs up to 64 KB (MAX_LEN); in the long mode 4 KB, and less for the whole-text targets, which
# run normal forms, the tokenizer and MinHash over every byte under coverage instrumentation (about
# 250 executions per second on 4 KB inputs here): ten million executions then fit in hours.
declare -A long_max_len=([dump_parser_fuzz]=1024 [normalize_fuzz]=512 [json_lines_fuzz]=2048)

# Not in scripts/setup.sh: CI does not fuzz, and gcc builds everything else.
packages=(clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The libraries core builds against come from scripts/setup.sh's packages.
all_targets=(dump_parser_fuzz normalize_fuzz url_fuzz json_lines_fuzz record_codec_fuzz ledger_fuzz)
# FUZZ_TARGETS="url_fuzz ledger_fuzz" runs only those (all are built and seeded); FUZZ_BUILD_DIR
# (default build-fuzz) builds elsewhere, so that a second run can start while one is running.
# FUZZ_FORK=N runs each target in libFuzzer's fork mode with N worker processes (RUNS then counts
# the executions of all of them); FUZZ_RESUME=1 goes on from the corpus a run left in the build
# folder instead of starting again from the seeds.
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
fork=${FUZZ_FORK:-0}
resume=${FUZZ_RESUME:-0}
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEWSDEDUP_FUZZ=ON -DNEWSDEDUP_BUILD_TESTS=OFF -DNEWSDEDUP_BUILD_BENCHMARKS=OFF >/dev/null
# Only the targets: store/ and tools/ link gcc-built RocksDB and are not fuzzed.
cmake --build "$build_dir" -j2 --target "${all_targets[@]}" >/dev/null

# Seed corpora: a fresh copy each run, so that the seeds in the tree are never rewritten.
work=$build_dir/work
if [ "$resume" != 1 ]; then
  for t in "${targets[@]}"; do rm -rf "${work:?}/$t"; done
fi
for t in "${all_targets[@]}"; do mkdir -p "$work/$t/corpus" "$work/$t/artifacts"; done
for t in dump_parser_fuzz normalize_fuzz; do
  cp seeds/*.txt tests/fixtures/* "$work/$t/corpus/"
done
cp tests/fixtures/*.jsonl "$work/json_lines_fuzz/corpus/"
printf '%s\n' '{"id": 7, "url": "https://www.example.com/a?utm_source=x#c", "title": "T", "text": "Lede.\nBody.", "published": "2025-03-29"}' \
  '{"id": "n1", "title": "\u00e9t\u00e9 \ud83d\ude00", "description": "x"}' >"$work/json_lines_fuzz/corpus/fields.jsonl"
printf 'newsdedup snapshot ledger 1\ncommit 1 ec3fd8a86d5b5dd0\ncommit 2 -\ndelete 1\ncommit 3 04b7' \
  >"$work/ledger_fuzz/corpus/ledger"
n=0
grep -ohE 'https?://[^ "<>]+' -r seeds tests/fixtures tests/core tests/tools | sort -u |
  while read -r url; do
    n=$((n + 1))
    printf '%s' "$url" >"$work/url_fuzz/corpus/url$n"
  done

printf '%-18s %12s %8s %8s\n' target executions seconds crashes
status=0
for t in "${targets[@]}"; do
  log=$work/$t/log
  start=$(date +%s)
  # -max_len: whole article pages by default (64 KB), not only their first 4 KB; 4 KB in the
  # long mode. -timeout: a slow input is a bug too (an article page must not take seconds).
  limit=(-max_total_time="$seconds")
  max_len=${MAX_LEN:-65536}
  if ((runs > 0)); then
    limit=(-runs="$runs")
    max_len=${MAX_LEN:-${long_max_len[$t]:-4096}}
  fi
  ((fork > 0)) && limit+=(-fork="$fork")
  nice -n 19 "$build_dir/tests/fuzz/$t" "$work/$t/corpus" "${limit[@]}" -max_len="$max_len" \
    -timeout=30 -print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" >"$log" 2>&1 || true
  elapsed=$(($(date +%s) - start))
  # One process prints its final stats; fork mode only "INFO: fuzzed for N iterations".
  executions=$(sed -n -e 's/^stat::number_of_executed_units: *//p' \
    -e 's/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$log" | tail -1)
  crashes=$(find "$work/$t/artifacts" -type f | wc -l)
  printf '%-18s %12s %8s %8s\n' "$t" "${executions:-?}" "$elapsed" "$crashes"
  if ((crashes)); then
    status=1
    find "$work/$t/artifacts" -type f -printf '  %p\n'
    grep -m1 -E 'ERROR|invariant broken|runtime error' "$log" | sed 's/^/  /' || true
  fi
done
exit "$status"
