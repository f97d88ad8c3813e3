#!/usr/bin/env python3
"""Scores newsdedup on a converted dev set (benchmarks/dev_set/convert.py).

Ingests every capture of manifest.jsonl, in order, with the real binary
(`newsdedup ingest --db DIR --source S --at T --format json FILES...`, one
command per capture) into a fresh store, reads each snapshot's JSON report,
and compares the stories it gave with the truth (the article id of each
item's URL or guid):
  - pairwise precision, recall and F1 over all items (listing items and
    article pages), as newsdedup_eval counts them;
  - updated recall: listing items whose title or lede differs from the last
    appearance of their article in the same source, that the report shows as
    `updated` in the story of that appearance;
  - article pages joined: pages whose article had a teaser in the same source
    before, reported `updated` in the teaser's story; and how many pages got
    the teaser's title.
Prints a table (or --json) and, with --worst N, the missed updates, unjoined
pages and false merges.

Usage: score.py DEV_DIR [--newsdedup build/tools/newsdedup] [--db DIR]
                [--worst N] [--json]
"""

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ingest_all(args, manifest):
    """Per file of the manifest, the JSON report of its snapshot."""
    reports = {}
    for n, capture in enumerate(manifest):
        files = [os.path.join(args.dev_dir, f) for f in capture["files"]]
        command = [args.newsdedup, "ingest", "-q", "--db", args.db, "--source",
                   capture["source"], "--format", "json"]
        for _ in files:
            command += ["--at", capture["at"]]
        done = subprocess.run(command + files, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"capture {n} ({capture['source']} {capture['at']}): "
                     f"{done.stderr.strip()}")
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        if len(lines) != len(files):
            sys.exit(f"capture {n}: {len(lines)} reports for {len(files)} files")
        for name, report in zip(capture["files"], lines):
            reports[name] = report
        if args.progress and n % 50 == 0:
            print(f"  {n}/{len(manifest)} captures", file=sys.stderr)
    return reports


def item_outcomes(reports):
    """(file, position) -> (story id, status, change) from the reports."""
    outcomes = {}
    for name, report in reports.items():
        for entry in report["stories"]:
            for position in entry["items"]:
                outcomes[(name, position)] = (entry["story"], entry["status"],
                                              entry.get("change", ""), entry.get("title", ""),
                                              entry.get("rule", ""))
    return outcomes


def pairs(n):
    return n * (n - 1) // 2


def pairwise(rows):
    """Precision, recall, F1 over item pairs from (label, story) rows."""
    by_label, by_story, cells = (collections.Counter() for _ in range(3))
    for label, story in rows:
        by_label[label] += 1
        by_story[story] += 1
        cells[(label, story)] += 1
    true_pairs = sum(pairs(c) for c in by_label.values())
    predicted = sum(pairs(c) for c in by_story.values())
    correct = sum(pairs(c) for c in cells.values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, predicted - correct


def score(args, manifest, truth, reports):
    outcomes = item_outcomes(reports)
    capture_of = {}
    for n, capture in enumerate(manifest):
        for name in capture["files"]:
            capture_of[name] = (n, capture["source"])
    rows, missed, unjoined, wrong_title = [], [], [], []
    updates = joined = pages = titled = 0
    updated_hits = 0
    last_listing = {}  # (source, article) -> truth row of its last listing appearance
    story_of = {}      # (source, article) -> story of that appearance
    for t in sorted(truth, key=lambda t: (capture_of[t["file"]][0], t["file"], t["position"])):
        story, status, change, title, rule = outcomes[(t["file"], t["position"])]
        rows.append((t["story"], story))
        source = capture_of[t["file"]][1]
        key = (source, t["story"])
        if t["kind"] == "article":
            if key in story_of:
                pages += 1
                if status == "updated" and story == story_of[key]:
                    joined += 1
                else:
                    unjoined.append((t["file"], status, title, t["title"]))
                if title == t["title"]:
                    titled += 1
                else:
                    wrong_title.append((t["file"], title, t["title"]))
            continue
        before = last_listing.get(key)
        if before is not None and (before["title"], before["lede"]) != (t["title"], t["lede"]):
            updates += 1
            if status == "updated" and story == story_of[key]:
                updated_hits += 1
            else:
                missed.append((t["file"], status, change, before["title"], before["lede"],
                               t["title"], t["lede"]))
        last_listing[key] = t
        story_of[key] = story
    precision, recall, f1, false_pairs = pairwise(rows)
    return {
        "items": len(rows),
        "articles": len({t["story"] for t in truth}),
        "precision": precision, "recall": recall, "f1": f1, "false_pairs": false_pairs,
        "updates": updates, "updated_recall": updated_hits / updates if updates else 1.0,
        "article_pages": pages, "pages_joined": joined, "pages_titled": titled,
    }, missed, unjoined, wrong_title, rows


def false_merges(rows, truth, limit):
    """Stories holding several articles, biggest first."""
    articles = collections.defaultdict(collections.Counter)
    titles = {t["story"]: t["title"] for t in truth}
    for label, story in rows:
        articles[story][label] += 1
    merged = [(story, c) for story, c in articles.items() if len(c) > 1]
    merged.sort(key=lambda sc: -sum(sc[1].values()))
    return [(story, [(titles[a], n) for a, n in c.most_common(4)]) for story, c in merged[:limit]]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dev_dir")
    parser.add_argument("--newsdedup", default="build/tools/newsdedup")
    parser.add_argument("--db", help="store folder (default: a fresh temporary one)")
    parser.add_argument("--worst", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()
    manifest = read_jsonl(os.path.join(args.dev_dir, "manifest.jsonl"))
    truth = read_jsonl(os.path.join(args.dev_dir, "truth.jsonl"))
    temporary = None
    if args.db is None:
        temporary = tempfile.mkdtemp(prefix="newsdedup-dev-")
        args.db = os.path.join(temporary, "db")
    try:
        reports = ingest_all(args, manifest)
    finally:
        if temporary:
            shutil.rmtree(temporary)
    figures, missed, unjoined, wrong_title, rows = score(args, manifest, truth, reports)
    if args.json:
        print(json.dumps(figures))
    else:
        f = figures
        print(f"{f['items']} items of {f['articles']} articles in {len(manifest)} captures")
        print(f"precision {f['precision']:.4f}  recall {f['recall']:.4f}  F1 {f['f1']:.4f}  "
              f"({f['false_pairs']} false pairs)")
        print(f"updated recall {f['updated_recall']:.3f} ({f['updates']} changed items)")
        print(f"article pages joined {f['pages_joined']} / {f['article_pages']}, "
              f"titled as the teaser {f['pages_titled']} / {f['article_pages']}")
    for heading, rows_out in (("missed updates", missed), ("pages not joined", unjoined),
                              ("page titles", wrong_title)):
        if args.worst and rows_out:
            print(f"\n{heading} (first {min(args.worst, len(rows_out))} of {len(rows_out)}):")
            for row in rows_out[:args.worst]:
                print("  " + " | ".join(str(x) for x in row))
    if args.worst:
        print("\nfalse merges:")
        for story, articles in false_merges(rows, truth, args.worst):
            print(f"  {story}: " + " | ".join(f"{n}x {t}" for t, n in articles))


if __name__ == "__main__":
    main()
