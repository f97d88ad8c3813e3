#!/usr/bin/env bash
# Threshold sweep for story identity (issue 7): runs newsdedup_eval on the
# seeds (with their truth and traps) and on a generated corpus (every edit
# type up to 15% of words, teasers with their articles, hard negatives of one
# template), for the defaults, the full shingle-size x num-hashes grid, and
# each other threshold moved alone. Prints one markdown table.
#
# usage: scripts/sweep_quality.sh [BUILD_DIR] [ITEMS] [SEED]
# URLs are dropped (--ignore-urls) so that the texts alone decide: the
# generator gives repeats their story's URL, which rule 0 would match.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
items=${2:-3000}
seed=${3:-7}
eval_bin=$build/benchmarks/newsdedup_eval
generator=$build/benchmarks/corpus_generator
for bin in "$eval_bin" "$generator"; do
  [[ -x $bin ]] || { echo "missing $bin: build newsdedup_eval and corpus_generator" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$generator" --items "$items" --seed "$seed" --out "$work/corpus" --format jsonl \
  --max-edit 0.15 --teaser-share 0.1 --hard-negative-share 0.15 2>/dev/null

# One configuration per line: a label, then the flags that differ from the
# defaults of core/match_params.h.
configs=(
  "defaults|"
  "shingle 2, k 64|--shingle-size 2 --num-hashes 64"
  "shingle 2, k 128|--shingle-size 2 --num-hashes 128"
  "shingle 3, k 64|--shingle-size 3 --num-hashes 64"
  "shingle 4, k 64|--shingle-size 4 --num-hashes 64"
  "shingle 4, k 128|--shingle-size 4 --num-hashes 128"
  "lsh 0.2|--lsh-threshold 0.2"
  "lsh 0.4|--lsh-threshold 0.4"
  "lsh 0.3|--lsh-threshold 0.3"
  "near-dup 0.4|--near-duplicate-jaccard 0.4"
  "near-dup 0.6|--near-duplicate-jaccard 0.6"
  "near-dup 0.7|--near-duplicate-jaccard 0.7"
  "containment 0.7|--containment 0.7"
  "containment 0.9|--containment 0.9"
  "title 0.8|--title-jaccard 0.8"
  "title 0.9|--title-jaccard 0.9"
  "title overlap 0.3|--title-text-overlap 0.3"
  "title overlap 0.5|--title-text-overlap 0.5"
  "date conflict 0.8|--date-conflict-jaccard 0.8"
)

run_one() {  # index label flags
  local flags=$3
  # shellcheck disable=SC2086  # flags are words on purpose
  "$eval_bin" --json --worst 0 $flags --truth "$root/tests/fixtures/seeds_truth.jsonl" \
    --traps "$root/tests/fixtures/seeds_traps.jsonl" "$root"/seeds/*.txt > "$work/seeds.$1.json"
  # shellcheck disable=SC2086
  "$eval_bin" --json --worst 0 $flags --ignore-urls --split-field night \
    --truth "$work/corpus/truth.jsonl" "$work/corpus/corpus.jsonl" \
    "$work/corpus/articles.jsonl" > "$work/synth.$1.json"
}
export -f run_one
export eval_bin root work

for i in "${!configs[@]}"; do
  printf '%s\0%s\0%s\0' "$i" "${configs[$i]%%|*}" "${configs[$i]#*|}"
done | xargs -0 -n 3 -P 2 bash -c 'run_one "$@"' _

echo "Seeds: 85 items, 18 trap pairs. Synthetic: $items items + articles, seed $seed,"
echo "max edit 0.15, URLs ignored, one snapshot per night. nearF1 = F1 of pairs"
echo "touching a near-duplicate; HN wrong = false-merge pairs touching a hard negative."
echo
echo "| config | seeds F1 | traps merged | P | R | F1 | ARI | near F1 | teaser recall | HN wrong pairs |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for i in "${!configs[@]}"; do
  python3 - "${configs[$i]%%|*}" "$work/seeds.$i.json" "$work/synth.$i.json" <<'PY'
import json, sys
label, seeds, synth = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
p, hn = synth["pairs"], synth["by_type"].get("hard_negative", {})
print(f'| {label} | {seeds["pairs"]["f1"]:.4f} | {seeds["traps"]["merged"]} '
      f'| {p["precision"]:.4f} | {p["recall"]:.4f} | {p["f1"]:.4f} '
      f'| {synth["adjusted_rand_index"]:.4f} | {synth["by_type"]["near"]["f1"]:.4f} '
      f'| {synth["teaser_article"]["recall"]:.4f} '
      f'| {hn.get("predicted_pairs", 0) - hn.get("correct_pairs", 0)} |')
PY
done
