#!/usr/bin/env bash
# The real-site dev evaluation (issue 12): fetches the two public capture archives at run time
# (a bare git clone each, once, into $DEV_CACHE; never committed), converts the development
# months with convert.py and scores a newsdedup binary on them with score.py.
#
# Usage: bash benchmarks/dev_set/run.sh [NEWSDEDUP_BINARY] [ppe2|ppe2-short|spiegel]...
#   PPE2_GIT / SPIEGEL_GIT: use an existing copy (bare or not) instead of cloning.
# Default: build/tools/newsdedup on ppe2-short (June 1-10) and spiegel (October 2022).
set -euo pipefail
cd "$(dirname "$0")/../.."

binary=${1:-build/tools/newsdedup}
shift || true
sets=("$@")
((${#sets[@]})) || sets=(ppe2-short spiegel)
cache=${DEV_CACHE:-$HOME/.cache/newsdedup-dev}
mkdir -p "$cache"

# The git directory of a copy of github.com/$1, cloned when missing.
git_dir() {
  local repo=$1 dir="$cache/${1//\//+}.git"
  if [[ ! -d $dir ]]; then
    echo "dev set: cloning $repo into $dir" >&2
    git clone -q --bare "https://github.com/$repo" "$dir"
  fi
  echo "$dir"
}
ppe2=${PPE2_GIT:-}
spiegel=${SPIEGEL_GIT:-}

for set in "${sets[@]}"; do
  out="$cache/$set"
  if [[ ! -f $out/manifest.jsonl ]]; then
    case $set in
      ppe2) python3 benchmarks/dev_set/convert.py ppe2 "${ppe2:-$(git_dir MichaBiriuchinskii/PPE2)}" "$out" ;;
      ppe2-short)
        python3 benchmarks/dev_set/convert.py ppe2 "${ppe2:-$(git_dir MichaBiriuchinskii/PPE2)}" \
          "$out" --to 2022-06-10 ;;
      spiegel)
        python3 benchmarks/dev_set/convert.py spiegel \
          "${spiegel:-$(git_dir AgricolaJKB/spiegel-morse)}" "$out" ;;
      *) echo "dev set: unknown set '$set' (ppe2, ppe2-short or spiegel)" >&2; exit 2 ;;
    esac
  fi
  echo "== $set"
  python3 benchmarks/dev_set/score.py "$out" --newsdedup "$binary"
done
