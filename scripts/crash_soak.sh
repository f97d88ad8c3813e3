#!/usr/bin/env bash
# Crash soak: SIGKILLs `newsdedup ingest` KILLS times (default 100) at random moments and checks,
# after each kill, that the store is whole: `newsdedup check` passes, the snapshot count grew by
# at most one, a new snapshot has every item of its dump (report item count and every item in
# exactly one story entry), and the store's item total is the sum of its snapshots' dumps.
# Then two targeted phases: CREATION_KILLS (default 50) first ingests into a fresh folder, killed
# in their first 300 ms (creating the store), each leaving no store or a whole one that the next
# ingest goes on with; and AFTER_COMMIT_KILLS (default 50) ingests killed right after the commit
# (strace injects the SIGKILL at the ledger's open, right after the synced write, or at its
# fsync, right before the flush), each snapshot then whole and present, and the same dump again
# "already ingested": a committed snapshot is never lost.
# Usage: scripts/crash_soak.sh [KILLS] [ITEMS_PER_DUMP] [WORKDIR] [CREATION_KILLS] [AFTER_COMMIT_KILLS]
# (defaults 100, 20000, /tmp/newsdedup-soak, 50, 50). BUILD_DIR (default build) as in
# scripts/setup.sh.
#
# One store lives through the whole run; each round ingests the next of ten generated nightly
# listings at a new time, so the store grows and commits keep adding stories and versions.
# Delays are uniform in [0, 1.2 x the measured ingest time]: kills land while reading, parsing,
# matching, during the single synced commit and after it; rounds where ingest ended before its
# kill are counted apart and do not count as kills.
set -euo pipefail
cd "$(dirname "$0")/.."
kills_wanted=${1:-100}
items=${2:-20000}
work=${3:-/tmp/newsdedup-soak}
creation_kills=${4:-50}
after_commit_kills=${5:-50}
build_dir=${BUILD_DIR:-build}
bash scripts/setup.sh
bin=$build_dir/tools/newsdedup
nights=10
rm -rf "$work" && mkdir -p "$work"
"$build_dir/benchmarks/corpus_generator" --items $((items * nights)) --nights "$nights" \
  --seed 11 --format text --kind listing --out "$work/corpus" 2>/dev/null
dump() { printf '%s/corpus/night-%03d.txt' "$work" $(($1 % nights)); }
at() { date -u -d "2025-01-01 + $1 hours" +%Y-%m-%dT%H:%M:%SZ; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# Items, ingest time and commit start per night, from a complete ingest of each in turn into a
# scratch store that grows as the soak's store does. The commit starts when the write-ahead log
# grows by the batch (2 MB over its smallest size since the start: opening the store flushes and
# drops the previous log; sampled every 20 ms).
wal_kb() {
  local kb
  kb=$(du -ck --apparent-size "$work"/scratch/*.log 2>/dev/null | tail -1 | cut -f1 || true)
  echo "${kb:-0}"
}
declare -a expected duration commit_start
for ((n = 0; n < nights; n++)); do
  smallest=$(wal_kb)
  start=$(date +%s.%N)
  "$bin" ingest -q --db "$work/scratch" --source soak --at "$(at "$n")" --min-listing-share 0 \
    --format json \
    "$(dump "$n")" >"$work/scratch.json" &
  pid=$!
  commit_at=""
  while kill -0 "$pid" 2>/dev/null; do
    size=$(wal_kb)
    ((size < smallest)) && smallest=$size
    if [ -z "$commit_at" ] && ((size > smallest + 2048)); then
      commit_at=$(date +%s.%N)
    fi
    sleep 0.02
  done
  wait "$pid"
  end=$(date +%s.%N)
  expected[n]=$(json "d['snapshot']['items']" <"$work/scratch.json")
  duration[n]=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
  commit_start[n]=$(awk -v a="$start" -v b="${commit_at:-$end}" 'BEGIN { print b - a }')
  printf 'night %d: %s items, ingest %.2f s, commit from about %.2f s\n' "$n" "${expected[n]}" \
    "${duration[n]}" "${commit_start[n]}"
done
rm -rf "$work/scratch"

db=$work/db
snapshots=0 total_items=0 kills=0 survived=0 finished=0 round=0
in_commit=0 after_commit=0
while ((kills < kills_wanted)); do
  night=$((round % nights))
  delay=$(awk -v d="${duration[night]}" -v r="$RANDOM$RANDOM" \
    'BEGIN { srand(r); printf "%.3f", rand() * 1.2 * d }')
  # The nights cycle: a small one after a large one is no failed scrape here.
  "$bin" ingest -q --db "$db" --source soak --at "$(at "$round")" --min-listing-share 0 \
    "$(dump "$night")" >/dev/null 2>"$work/ingest.err" &
  pid=$!
  sleep "$delay"
  killed=0
  kill -KILL "$pid" 2>/dev/null && killed=1
  status=0
  wait "$pid" 2>/dev/null || status=$?  # Without bash's "Killed" line.
  round=$((round + 1))
  # A kill that reached a process already exiting (a zombie) leaves status 0: not a kill.
  killed=$((killed && status == 137))
  if ((killed)); then
    kills=$((kills + 1))
    awk -v a="$delay" -v b="${commit_start[night]}" 'BEGIN { exit !(a >= b) }' &&
      in_commit=$((in_commit + 1))
  else
    ((status == 0)) || { echo "round $round: ingest failed: $(cat "$work/ingest.err")"; exit 1; }
    finished=$((finished + 1))
    # It ran in less than `delay`: the machine got quieter than when the
    # night was measured, so later delays for this night draw from less.
    duration[night]=$(awk -v d="${duration[night]}" -v a="$delay" 'BEGIN { print (a < d ? a : d) }')
  fi

  # Killed before it created the store: absent is whole.
  if ((snapshots == 0)) && [ ! -e "$db/CURRENT" ]; then
    survived=$((survived + killed))
    continue
  fi
  ok=1
  "$bin" check --db "$db" >"$work/check.out" 2>&1 || { ok=0; echo "round $round: check failed"; cat "$work/check.out"; }
  read -r now_snapshots now_items < <("$bin" stats --db "$db" --format json |
    json "d['snapshots'], d['items']")
  if ((now_snapshots == snapshots + 1)); then
    total_items=$((total_items + expected[night]))
    ((killed)) && after_commit=$((after_commit + 1))
    # The new snapshot is whole: its item count is its dump's, and the report places every
    # position 0..n-1 in exactly one story entry.
    complete=$("$bin" report --db "$db" --snapshot "$now_snapshots" --format json | json \
      "d['snapshot']['items'] == $((expected[night])) and sorted(i for s in d['stories'] for i in s['items']) == list(range($((expected[night]))))")
    [ "$complete" = True ] || { ok=0; echo "round $round: snapshot $now_snapshots is incomplete"; }
  elif ((now_snapshots == snapshots)); then
    ((status == 0)) && { ok=0; echo "round $round: finished ingest left no snapshot"; }
  else
    ok=0
    echo "round $round: $snapshots snapshots became $now_snapshots"
  fi
  snapshots=$now_snapshots
  ((now_items == total_items)) || { ok=0; echo "round $round: $now_items items stored, $total_items expected"; }
  if ((killed)); then
    ((ok)) && survived=$((survived + 1))
  elif ((!ok)); then
    exit 1
  fi
done
echo "rounds $round: $kills killed ($((kills - in_commit)) before the commit started, $in_commit" \
  "after, $after_commit of them once it was durable), $finished finished first; $snapshots snapshots"
echo "random kills survived $survived / tried $kills"

# Creation: the first ingest of a store killed early. Absent or whole, then the ingest goes on.
unusable=0 absent=0 whole=0
for ((k = 0; k < creation_kills; k++)); do
  new_db=$work/new
  rm -rf "$new_db" "$work"/.new.creating-*
  "$bin" ingest -q --db "$new_db" --source soak --at "$(at 0)" "$(dump 0)" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", r / 32768 * 0.3 }')"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ ! -e "$new_db/CURRENT" ]; then
    absent=$((absent + 1))
  elif "$bin" check --db "$new_db" >/dev/null 2>&1; then
    whole=$((whole + 1))
  else
    unusable=$((unusable + 1))
    echo "creation kill $k: the store is neither absent nor whole"
  fi
  if ! "$bin" ingest -q --db "$new_db" --source soak --at "$(at 0)" "$(dump 0)" >/dev/null ||
    ! "$bin" check --db "$new_db" >/dev/null; then
    unusable=$((unusable + 1))
    echo "creation kill $k: the next ingest failed"
  fi
done
echo "creation kills $creation_kills: store absent after $absent, whole after $whole; unusable $unusable"

# Right after the commit: the snapshot is committed (synced), so it must be there, whole.
lost=0 half=0
for ((k = 0; k < after_commit_kills; k++)); do
  night=$((round % nights))
  syscall=openat when=2
  ((k % 2)) && syscall=fsync when=1
  (strace -f -qq -o /dev/null -P "$(realpath "$db")/SNAPSHOT-LEDGER" -e trace=$syscall \
    -e inject=$syscall:signal=KILL:when=$when \
    "$bin" ingest -q --db "$db" --source soak --at "$(at "$round")" --min-listing-share 0 \
    "$(dump "$night")" || true) >/dev/null 2>&1
  round=$((round + 1))
  read -r now_snapshots now_items < <("$bin" stats --db "$db" --format json |
    json "d['snapshots'], d['items']")
  if ((now_snapshots != snapshots + 1)) || ! "$bin" check --db "$db" >/dev/null 2>&1; then
    lost=$((lost + 1))
    echo "after-commit kill $k ($syscall): $snapshots snapshots became $now_snapshots"
  else
    total_items=$((total_items + expected[night]))
    complete=$("$bin" report --db "$db" --snapshot "$now_snapshots" --format json | json \
      "sorted(i for s in d['stories'] for i in s['items']) == list(range($((expected[night]))))")
    [ "$complete" = True ] && ((now_items == total_items)) || {
      half=$((half + 1))
      echo "after-commit kill $k: snapshot $now_snapshots is not whole"
    }
    # The same dump at the same time again: the killed ingest's snapshot is known ("already
    # ingested"), and opening the store for writing appends the ledger line the kill cut, so
    # that the next kill lands after that ingest's own commit, not while this one is completed.
    "$bin" ingest --db "$db" --source soak --at "$(at $((round - 1)))" --min-listing-share 0 \
      "$(dump "$night")" \
      >/dev/null 2>"$work/again.err" && grep -q "already ingested" "$work/again.err" || {
      lost=$((lost + 1))
      echo "after-commit kill $k: the same dump again was not recognized: $(cat "$work/again.err")"
    }
  fi
  snapshots=$now_snapshots
done
echo "after-commit kills $after_commit_kills: committed snapshots lost $lost, half snapshots $half"
echo "kills $((kills + creation_kills + after_commit_kills)): unusable stores $unusable," \
  "half snapshots $half, lost committed snapshots $lost, random kills survived $survived / $kills"
((survived == kills && unusable == 0 && half == 0 && lost == 0))
