#!/usr/bin/env bash
# Fault probe in the style of RocksDB's db_stress: damages copies of the seeds' store the ways a
# bad disk, a crash, a full disk or a careless copy would (issue 17, holes 1-8), runs what a
# nightly user runs next, applies the repair the error message names, and prints one table row
# per fault: trials, detected, repaired, committed snapshots lost, silent.
#   detected  a command failed with a message, or `check` reported a problem
#   repaired  after the named repair (rebuild-index, restore, ...), `check` passes and the next
#             night's report is the one the undamaged store gives
#   lost      acknowledged snapshots (ingest exited 0) missing after the repair
#   silent    every command succeeded but the store was wrong (the next report differs)
#   no effect the damage changed nothing a user could see (check passes, the same report)
# Usage: scripts/fault_probe.sh [FLIPS] [KILLS] [WORKDIR]   (defaults 200, 100, /tmp/newsdedup-faults)
# Needs root for the tmpfs cases (skipped otherwise) and strace (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
flips=${1:-200}
kills=${2:-100}
work=${3:-/tmp/newsdedup-faults}
build_dir=${BUILD_DIR:-build}
bash scripts/setup.sh
if ! command -v strace >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace >/dev/null
fi
bin=$(realpath "$build_dir/tools/newsdedup")
fault=$(realpath "$build_dir/tests/store_fault")
seeds=$(realpath seeds)
rm -rf "$work" && mkdir -p "$work"
cd "$work"

nights=(000_cf8142584f5eb925 001_8a463b74158542bd 002_be30da7762e67050 003_3e9d996f7f80b2c1
  004_9e2104cae3fc0cc9)
times=(2025-03-29 2025-05-02 2025-07-31 2025-08-15 2025-09-26)
ingest() {  # ingest DB NIGHT [extra args...]: one night into DB, JSON report on stdout.
  local db=$1 n=$2
  shift 2
  "$bin" ingest -q --db "$db" --source novastan --at "${times[n]}" --format json "$@" \
    "$seeds/${nights[n]}.txt"
}
rng() { python3 -c "import random,sys; print(random.Random(int(sys.argv[1])).randrange(int(sys.argv[2])))" "$@"; }

# The seeds' store (nights 0-3), its backup, and what night 4 reports on it.
for n in 0 1 2 3; do ingest pristine "$n" >/dev/null; done
"$bin" backup -q --db pristine --to backups >/dev/null
cp -a pristine scratch
ingest scratch 4 >expected.json
rm -rf scratch

declare -A trials detected repaired lost silent no_effect said
order=()
row() {
  order+=("$1")
  trials[$1]=0 detected[$1]=0 repaired[$1]=0 lost[$1]=0 silent[$1]=0 no_effect[$1]=0
}
copy() { rm -rf "$1" "$1".before-restore-* && cp -a pristine "$1"; }
snapshots() { "$bin" stats --db "$1" --format json 2>/dev/null |
  python3 -c "import json,sys; print(json.load(sys.stdin)['snapshots'])" 2>/dev/null || echo 0; }

# What a nightly user sees after the damage: `check`, then the next night's ingest. Sets
# $outcome to detected, silent or none.
observe() {
  local db=$1
  outcome=none
  if ! "$bin" check --db "$db" >check.out 2>&1; then outcome=detected; fi
  if ! ingest "$db" 4 >got.json 2>ingest.err; then
    outcome=detected
  elif [ "$outcome" = none ] && ! cmp -s got.json expected.json; then
    outcome=silent
  fi
}

# The repair the messages name, then the undamaged store's answers. Sets $outcome to repaired or
# unrepaired, $lost_now to the acknowledged snapshots (of 4, plus night 4 when `observe` got it
# in) missing afterwards.
repair_and_verify() {
  local db=$1 how=$2
  case $how in
    rebuild) "$bin" rebuild-index -q --db "$db" >/dev/null 2>repair.err || true ;;
    restore) "$bin" restore -q --from backups --db "$db" >/dev/null 2>repair.err || true ;;
    current)
      ls "$db"/MANIFEST-* 2>/dev/null | sort | tail -1 | xargs -r basename >"$db/CURRENT"
      : >repair.err
      ;;
  esac
  local have
  have=$(snapshots "$db")
  lost_now=$((have < 4 ? 4 - have : 0))
  outcome=unrepaired
  if "$bin" check --db "$db" >check.out 2>&1; then
    if ((have == 5)); then
      outcome=repaired  # Night 4 was ingested before the repair and survived it.
    elif ingest "$db" 4 >got.json 2>/dev/null && cmp -s got.json expected.json; then
      outcome=repaired
    fi
  fi
  if [ "$outcome" != repaired ]; then
    echo "UNREPAIRED ($how, $have snapshots): $(cat repair.err) $(head -3 check.out)" >&2
  fi
}

# One trial: damage applied by the caller to $db, then observe, repair, count.
tally() {
  local name=$1 db=$2 how=$3
  observe "$db"
  trials[$name]=$((trials[$name] + 1))
  if [ "$outcome" = none ]; then
    no_effect[$name]=$((no_effect[$name] + 1))
    return 0
  fi
  if [ "$outcome" = silent ]; then
    silent[$name]=$((silent[$name] + 1))
    echo "SILENT: $name (trial ${trials[$name]})" >&2
    return 0
  fi
  detected[$name]=$((detected[$name] + 1))
  # What the user was told first (check's first problem, else ingest's error).
  [ -n "${said[$name]:-}" ] || said[$name]=$(grep -h -m1 "problem\|error" check.out ingest.err |
    head -1 | sed "s|$work/||g" | cut -c1-300)
  repair_and_verify "$db" "$how"
  [ "$outcome" = repaired ] && repaired[$name]=$((repaired[$name] + 1))
  lost[$name]=$((lost[$name] + lost_now))
  return 0
}

manifest_of() { echo "$1/$(cat "$1/CURRENT")"; }

# 1. MANIFEST damage: its tail cut, or one bit flipped.
name="MANIFEST tail cut (1 byte to 1/2 of it)"
row "$name"
for cut in 1 7 32 100 500 1000 3000 half; do
  copy db && m=$(manifest_of db) && size=$(stat -c %s "$m")
  [ "$cut" = half ] && cut=$((size / 2))
  truncate -s $((size - cut)) "$m"
  tally "$name" db restore
done
name="MANIFEST one bit flipped ($flips random bits)"
row "$name"
for ((i = 0; i < flips; i++)); do
  copy db && m=$(manifest_of db) && size=$(stat -c %s "$m")
  python3 - "$m" "$(rng "$i" $((size * 8)))" <<'EOF'
import sys
path, bit = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
data[bit // 8] ^= 1 << (bit % 8)
open(path, "wb").write(data)
EOF
  tally "$name" db restore
done

# 1'. What such a MANIFEST left in older builds: index families without their data.
name="index families lost (lsh, exact, title)"
row "$name"
copy db
for family in lsh exact title; do "$fault" drop-family db "$family"; done
tally "$name" db rebuild

# 8. One bad block in an index family, and in a record family; a bad table footer.
for family in lsh exact title texts stories; do
  how=rebuild
  [[ $family = texts || $family = stories ]] && how=restore
  name="bad block in a table file of '$family'"
  row "$name"
  copy db
  file=$("$fault" table-files db "$family" | head -1)
  "$fault" flip "$file" 10 8
  tally "$name" db "$how"
done
name="bad table footer (magic number) in 'lsh'"
row "$name"
copy db
file=$("$fault" table-files db lsh | head -1)
"$fault" flip "$file" $(($(stat -c %s "$file") - 8)) 8
tally "$name" db rebuild

# 2. The write-ahead log: damaged after a finished ingest (the snapshot was flushed), and
# damaged after a kill right after the commit's synced write (before the ledger line), or right
# after the ledger line (before the flush).
name="write-ahead log damaged after ingest exited 0"
row "$name"
copy db
ingest db 4 >/dev/null
for log in db/*.log; do
  size=$(stat -c %s "$log")
  ((size > 16)) && "$fault" flip "$log" $((size / 2)) 4
done
# Nothing to repair when nothing is wrong: the night is there, once.
trials[$name]=1
if "$bin" check --db db >/dev/null 2>&1 && (($(snapshots db) == 5)); then
  no_effect[$name]=1
else
  silent[$name]=1
fi
kill_at() {  # kill_at DB WHEN: ingest night 4 into DB, SIGKILLed at a syscall of the ledger.
  local db=$work/$1 when=$2 syscall=openat count=2
  [ "$when" = after-ledger ] && syscall=fsync count=1
  # In a subshell, so that bash's "Killed" line goes where its output goes.
  (strace -f -qq -o /dev/null -P "$db/SNAPSHOT-LEDGER" -e trace="$syscall" \
    -e inject="$syscall:signal=KILL:when=$count" \
    "$bin" ingest -q --db "$db" --source novastan --at "${times[4]}" \
    "$seeds/${nights[4]}.txt" || true) >/dev/null 2>&1
}
for when in after-commit after-ledger; do
  name="killed $when, then its write-ahead log damaged"
  row "$name"
  for damage in middle tail; do
    copy db
    kill_at db "$when"
    log=$(ls -S db/*.log | head -1)
    size=$(stat -c %s "$log")
    if [ "$damage" = middle ]; then
      "$fault" flip "$log" $((size / 2)) 4
    else
      truncate -s $((size - 100)) "$log"
    fi
    tally "$name" db restore
  done
done

# 8. A store that lost its CURRENT file.
name="CURRENT file deleted"
row "$name"
copy db && rm db/CURRENT
tally "$name" db current

# 3. The first ingest killed at random moments: no store, or a whole one, never a folder that
# every later ingest refuses.
name="first ingest (creation) killed at random ($kills kills)"
row "$name"
start=$(date +%s.%N)
ingest timing 0 >/dev/null
whole=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
rm -rf timing
for ((i = 0; i < kills; i++)); do
  rm -rf new .new.creating-*
  delay=$(awk -v d="$whole" -v r="$(rng "$i" 1000000)" 'BEGIN { printf "%.4f", r / 1000000 * d }')
  "$bin" ingest -q --db new --source novastan --at "${times[0]}" "$seeds/${nights[0]}.txt" \
    >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  trials[$name]=$((trials[$name] + 1))
  # Absent or whole; then the night goes in.
  if [ -e new ] && ! "$bin" check --db new >/dev/null 2>&1 &&
    ! "$bin" check --db new 2>&1 | grep -q "holds no newsdedup store"; then
    silent[$name]=$((silent[$name] + 1))
    echo "UNUSABLE after creation kill $i:" && ls -a new
    continue
  fi
  if ingest new 0 >/dev/null 2>&1 && "$bin" check --db new >/dev/null; then
    repaired[$name]=$((repaired[$name] + 1))
  else
    echo "creation kill $i: the next ingest failed" && silent[$name]=$((silent[$name] + 1))
  fi
done

# Folders an interrupted creation of an older build left.
name="folder of an older build's interrupted creation"
row "$name"
for leftover in "LOCK" "LOCK IDENTITY MANIFEST-000001 OPTIONS-000007 000004.log"; do
  rm -rf old && mkdir old
  for f in $leftover; do : >"old/$f"; done
  trials[$name]=$((trials[$name] + 1))
  ingest old 0 >/dev/null 2>&1 && "$bin" check --db old >/dev/null && repaired[$name]=$((repaired[$name] + 1))
done

# A full disk at creation and at commit; a read-only filesystem (tmpfs mounts: root only).
disk_full() {  # disk_full SIZE_KB NIGHT FROM: ingest NIGHT into a copy of FROM (or a new store)
  local size=$1 night=$2 from=$3
  mount -t tmpfs -o size=64m tmpfs small
  [ -n "$from" ] && cp -a "$from" small/db
  mount -o remount,size=$(($(du -sk small | cut -f1) + size))k small
  if ingest small/db "$night" >/dev/null 2>full.err; then
    echo "disk full: night $night fit in ${size}k more" >&2
  elif grep -q "No space left" full.err; then
    detected[$name]=$((detected[$name] + 1))
    mount -o remount,size=64m small
    # Whole and unchanged: the night goes in once there is room.
    if { [ -z "$from" ] || "$bin" check --db small/db >/dev/null 2>&1; } &&
      ingest small/db "$night" >got.json 2>full.err &&
      { [ -n "$from" ] || "$bin" check --db small/db >/dev/null 2>&1; } &&
      { [ -z "$from" ] || cmp -s got.json expected.json; }; then
      repaired[$name]=$((repaired[$name] + 1))
    else
      echo "disk full: not repaired: $(cat full.err)" >&2
    fi
  fi
  trials[$name]=$((trials[$name] + 1))
  umount small
}
if [ "$(id -u)" -eq 0 ] && mkdir -p small && mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
  umount small
  name="disk full at creation, at the first commit, at a later commit"
  row "$name"
  disk_full 60 0 ""
  disk_full 200 0 ""
  disk_full 40 4 pristine
  name="read-only filesystem"
  row "$name"
  mount -t tmpfs -o size=64m tmpfs small && cp -a pristine small/db && mount -o remount,ro small
  trials[$name]=1
  if ! ingest small/db 4 >/dev/null 2>ro.err && grep -q "read-only" ro.err; then
    detected[$name]=1
  fi
  "$bin" report --db small/db >/dev/null 2>&1 && "$bin" check --db small/db >/dev/null 2>&1 &&
    repaired[$name]=1
  umount small
fi

# 8. A backup taken while an ingest runs: refused rather than half; taken after, it restores.
name="backup during an ingest"
row "$name"
copy db
trials[$name]=1
strace -f -qq -o /dev/null -e trace=fdatasync -e inject=fdatasync:delay_enter=2000000:when=1 \
  "$bin" ingest -q --db db --source novastan --at "${times[4]}" "$seeds/${nights[4]}.txt" \
  >/dev/null 2>&1 &
pid=$!
sleep 1
"$bin" backup --db db --to mid-backups >/dev/null 2>backup.err || {
  grep -q "in use" backup.err && detected[$name]=1
}
wait "$pid" || true
"$bin" backup -q --db db --to mid-backups >/dev/null && rm -rf restored &&
  "$bin" restore -q --from mid-backups --db restored >/dev/null &&
  "$bin" check --db restored >/dev/null && (($(snapshots restored) == 5)) && repaired[$name]=1

printf '\n| fault | trials | no effect | detected | repaired | snapshots lost | silent |\n'
printf '|---|---|---|---|---|---|---|\n'
total_silent=0 total_lost=0
for name in "${order[@]}"; do
  printf '| %s | %d | %d | %d | %d | %d | %d |\n' "$name" "${trials[$name]}" \
    "${no_effect[$name]}" "${detected[$name]}" "${repaired[$name]}" "${lost[$name]}" \
    "${silent[$name]}"
  total_silent=$((total_silent + silent[$name]))
  total_lost=$((total_lost + lost[$name]))
done
echo
echo "What the user is told first (one trial of each):"
for name in "${order[@]}"; do
  [ -n "${said[$name]:-}" ] && echo "- $name: ${said[$name]}"
done
echo
echo "silent: $total_silent, committed snapshots lost after repair: $total_lost"
((total_silent == 0 && total_lost == 0))
