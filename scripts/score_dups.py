#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of `newsdedup dups` output against a truth file.

usage: score_dups.py TRUTH.jsonl DUPS.jsonl [CORPUS.jsonl ...]

TRUTH lines carry `id` and `cluster` (the corpus generator's truth.jsonl); DUPS
is what `newsdedup dups` printed. Only items of the given corpora (all of
TRUTH when none is given) are scored: a pair is two items of one cluster.
"""
import json
import sys
from collections import Counter


def pairs(counts):
    return sum(n * (n - 1) // 2 for n in counts.values())


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    truth = {}
    with open(argv[1]) as f:
        for line in f:
            o = json.loads(line)
            truth[o["id"]] = o["cluster"]
    if len(argv) > 3:
        wanted = set()
        for path in argv[3:]:
            with open(path) as f:
                wanted.update(json.loads(line)["id"] for line in f if line.strip())
        truth = {k: v for k, v in truth.items() if k in wanted}
    predicted = {}
    with open(argv[2]) as f:
        for line in f:
            o = json.loads(line)
            for item in o["items"]:
                predicted[item] = o["cluster"]
    # Items in no printed cluster are singletons.
    for item in truth:
        predicted.setdefault(item, ("single", item))
    true_pairs = pairs(Counter(truth.values()))
    predicted_pairs = pairs(Counter(predicted[i] for i in truth))
    correct = pairs(Counter((truth[i], predicted[i]) for i in truth))
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(json.dumps({"items": len(truth), "true_pairs": true_pairs,
                      "predicted_pairs": predicted_pairs, "correct_pairs": correct,
                      "precision": round(precision, 4), "recall": round(recall, 4),
                      "f1": round(f1, 4)}))


if __name__ == "__main__":
    main(sys.argv)
