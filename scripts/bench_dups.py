#!/usr/bin/python3
"""newsdedup dups against datasketch (and the Go ekzhu/minhash-lsh when built) on one corpus.

usage: bench_dups.py --datasketch DIR [--items N] [--runs R] [--build BUILD] [--work DIR]
                     [--minhash-lsh-go BINARY] [--threads N]

Generates a corpus with the project's corpus generator (JSON Lines, default shares), runs each
tool R times in turn (so that the machine's load hits them alike), and prints the median wall
time, the ratio to newsdedup, peak RSS, and beside each tool its pairwise precision and recall
against the generator's truth and its recall of the pairs whose word 5-gram Jaccard is >= 0.8.

datasketch is not a Debian package: DIR is a checkout of github.com/ekzhu/datasketch, run on
Debian's python3-numpy and python3-scipy (the script refuses to run without them). Its setup is
the usual one for near-duplicate detection: MinHash(num_perm=128) over word 5-grams of the
lowercased title and text, MinHashLSH(threshold=0.8), every item inserted and then queried,
clusters by union-find over the query results.
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

# The datasketch side, run in a child process with PYTHONPATH set to the checkout.
DATASKETCH_RUN = r'''
import json, re, sys
from datasketch import MinHash, MinHashLSH
WORD = re.compile(r"\w+", re.UNICODE)
def shingles(text, n=5):
    words = WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words).encode("utf8")}
    return {" ".join(words[i:i + n]).encode("utf8") for i in range(len(words) - n + 1)}
ids, sketches = [], []
with open(sys.argv[1], encoding="utf8") as f:
    for line in f:
        o = json.loads(line)
        m = MinHash(num_perm=128)
        m.update_batch(list(shingles(o.get("title", "") + " " + o.get("text", ""))))
        ids.append(o["id"])
        sketches.append(m)
lsh = MinHashLSH(threshold=0.8, num_perm=128)
for i, m in enumerate(sketches):
    lsh.insert(i, m)
parent = list(range(len(ids)))
def find(a):
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a
for i, m in enumerate(sketches):
    for j in lsh.query(m):
        a, b = find(i), find(j)
        if a != b:
            parent[a] = b
groups = {}
for i in range(len(ids)):
    groups.setdefault(find(i), []).append(ids[i])
n = 0
with open(sys.argv[2], "w") as out:
    for members in groups.values():
        if len(members) > 1:
            out.write(json.dumps({"cluster": n, "items": members}) + "\n")
            n += 1
'''

WORD = re.compile(r"\w+", re.UNICODE)


def five_grams(text):
    words = WORD.findall(text.lower())
    if len(words) < 5:
        return {" ".join(words)}
    return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}


def similar_pairs(corpus, threshold=0.8):
    """Every pair of items whose word 5-gram Jaccard is >= threshold (prefix filtering)."""
    sets = []
    with open(corpus, encoding="utf8") as f:
        for line in f:
            o = json.loads(line)
            sets.append((o["id"], five_grams(o.get("title", "") + " " + o.get("text", ""))))
    frequency = collections.Counter(s for _, grams in sets for s in grams)
    ordered = [sorted(grams, key=lambda g: (frequency[g], g)) for _, grams in sets]
    index = collections.defaultdict(list)
    pairs = set()
    for i, grams in enumerate(ordered):
        prefix = len(grams) - int(threshold * len(grams) + 1e-9) + 1
        candidates = set()
        for g in grams[:prefix]:
            candidates.update(index[g])
            index[g].append(i)
        for j in candidates:
            a, b = sets[i][1], sets[j][1]
            if len(a & b) >= threshold * len(a | b) - 1e-9:
                pairs.add((min(sets[i][0], sets[j][0]), max(sets[i][0], sets[j][0])))
    return pairs


def read_clusters(path):
    cluster_of = {}
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            for item in o["items"]:
                cluster_of[item] = o["cluster"]
    return cluster_of


def score(cluster_of, truth, near_pairs):
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())
    predicted = {i: cluster_of.get(i, ("single", i)) for i in truth}
    true_pairs = pairs(collections.Counter(truth.values()))
    predicted_pairs = pairs(collections.Counter(predicted.values()))
    correct = pairs(collections.Counter((truth[i], predicted[i]) for i in truth))
    found = sum(1 for a, b in near_pairs if a in cluster_of and cluster_of.get(a) == cluster_of.get(b))
    return {"precision": correct / predicted_pairs if predicted_pairs else 1.0,
            "recall": correct / true_pairs if true_pairs else 1.0,
            "recall_j08": found / len(near_pairs) if near_pairs else 1.0}


def timed(command, env=None):
    """Wall seconds and peak RSS (MB) of one run, via /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.monotonic()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name] + command, check=True,
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - start
        return wall, int(stats.read().split()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasketch", required=True, help="checkout of ekzhu/datasketch")
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", default="build")
    parser.add_argument("--work", default=None)
    parser.add_argument("--threads", default=None, help="newsdedup --threads")
    parser.add_argument("--minhash-lsh-go", default=None,
                        help="a binary built from golang-github-ekzhu-minhash-lsh-dev")
    args = parser.parse_args()
    try:
        import numpy, scipy  # noqa: F401 (datasketch needs them)
    except ImportError:
        sys.exit("bench_dups: needs Debian's python3-numpy and python3-scipy")
    work = args.work or tempfile.mkdtemp(prefix="bench_dups_")
    corpus_dir = os.path.join(work, f"corpus{args.items}")
    if not os.path.exists(os.path.join(corpus_dir, "corpus.jsonl")):
        subprocess.run([os.path.join(args.build, "benchmarks", "corpus_generator"), "--items",
                        str(args.items), "--format", "jsonl", "--out", corpus_dir], check=True,
                       stderr=subprocess.DEVNULL)
    corpus = os.path.join(corpus_dir, "corpus.jsonl")
    newsdedup = [os.path.join(args.build, "tools", "newsdedup"), "dups"]
    if args.threads:
        newsdedup += ["--threads", args.threads]
    script = os.path.join(work, "datasketch_run.py")
    with open(script, "w") as f:
        f.write(DATASKETCH_RUN)
    tools = {
        "newsdedup": (lambda out: newsdedup + [corpus], True, None),
        "datasketch": (lambda out: ["/usr/bin/python3", script, corpus, out], False,
                       dict(os.environ, PYTHONPATH=args.datasketch)),
    }
    if args.minhash_lsh_go:
        tools["minhash-lsh (Go)"] = (lambda out: [args.minhash_lsh_go, corpus, out], False, None)
    runs = collections.defaultdict(list)
    outputs = {}
    for run in range(args.runs):
        for name, (command, to_stdout, env) in tools.items():
            out = os.path.join(work, f"{name.split()[0]}.jsonl")
            if to_stdout:
                with open(out, "w") as f:
                    start = time.monotonic()
                    with tempfile.NamedTemporaryFile("r") as stats:
                        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name] +
                                       command(out), check=True, stdout=f,
                                       stderr=subprocess.DEVNULL)
                        runs[name].append((time.monotonic() - start,
                                           int(stats.read().split()[-1]) / 1024))
            else:
                runs[name].append(timed(command(out), env))
            outputs[name] = out
    truth = {}
    with open(os.path.join(corpus_dir, "truth.jsonl")) as f:
        for line in f:
            o = json.loads(line)
            truth[o["id"]] = o["cluster"]
    with open(corpus) as f:
        ids = {json.loads(line)["id"] for line in f}
    truth = {k: v for k, v in truth.items() if k in ids}
    near = similar_pairs(corpus)
    base = statistics.median(w for w, _ in runs["newsdedup"])
    print(f"corpus: {len(ids)} items, {os.path.getsize(corpus) / 1e6:.0f} MB, "
          f"{len(near)} pairs with word 5-gram Jaccard >= 0.8; {args.runs} runs each, medians")
    print(f"{'tool':18} {'wall s':>8} {'x newsdedup':>12} {'peak MB':>8} {'precision':>10} "
          f"{'recall':>8} {'recall J>=0.8':>14}")
    for name in tools:
        wall = statistics.median(w for w, _ in runs[name])
        rss = max(m for _, m in runs[name])
        s = score(read_clusters(outputs[name]), truth, near)
        print(f"{name:18} {wall:8.3f} {wall / base:12.1f} {rss:8.0f} {s['precision']:10.4f} "
              f"{s['recall']:8.4f} {s['recall_j08']:14.4f}")


if __name__ == "__main__":
    main()
