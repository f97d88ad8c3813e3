#!/usr/bin/env python3
"""Builds the real-site dev set from public capture archives (never committed).

Reads a git copy of one of two public repositories and writes captures that
`newsdedup ingest` takes as they come, with the truth beside them:

  ppe2     MichaBiriuchinskii/PPE2: daily captures of Le Monde's RSS feeds in
           2022 (Corpus/2022/<Mon>/<dd>/<hh-mm-ss>/<feed>.xml), and .txt
           exports whose PROF fields hold the visible text of each linked
           article page. Each feed is a source; each day's feed is a listing
           (JSON Lines: title, text; no URL, so that only texts decide), and
           the pages of some stories new that day are article pages of the
           same capture. June to December only: January to May is held out.
  spiegel  AgricolaJKB/spiegel-morse: Der Spiegel's top headlines as JSON,
           one capture per commit of public/headlines.json.

Output folder:
  manifest.jsonl  one capture per line, in time order:
                  {"source", "at", "files": [listing, page...]}
  truth.jsonl     one item per line: {"file", "position", "story", "kind",
                  "title", "lede"}; story is the article id of the URL/guid.
  <source>/<date>/... the dumps.

Usage:
  convert.py ppe2 GIT_DIR OUT [--from 2022-06-01] [--to 2022-07-31]
             [--feeds N] [--pages-per-capture N]
  convert.py spiegel GIT_DIR OUT [--from 2022-10-01] [--to 2022-10-31]
             [--every N]
  --with-urls: listing items keep their URL (by default they have none).
GIT_DIR is a clone (or bare copy) of the repository.
"""

import argparse
import datetime
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# PPE2 months reserved for the final measurement: never converted for development.
HELD_OUT_MONTHS = {1, 2, 3, 4, 5}


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True).stdout


def git_show(git_dir, rev, path):
    return git(git_dir, "show", f"{rev}:{path}")


def clean(text):
    """One line: whitespace runs collapsed, HTML entities decoded."""
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def parse_date(text):
    return datetime.date.fromisoformat(text)


# --- PPE2 -------------------------------------------------------------------

LE_MONDE_ID = re.compile(r"_(\d{6,})_\d+\.html")


def ppe2_article_id(link):
    match = LE_MONDE_ID.search(link or "")
    return match.group(1) if match else None


def ppe2_items(xml_bytes):
    """(title, description, article id, link) of each RSS item, in feed order."""
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError:
        return []
    items = []
    for item in root.iter("item"):
        link = item.findtext("link") or item.findtext("guid") or ""
        items.append((clean(item.findtext("title")), clean(item.findtext("description")),
                      ppe2_article_id(link), link.strip()))
    return items


PROF_FIELD = re.compile(r'<filname="PROF-[^"]*-(\d+)"> \u00a4 ?(.*?)(?=\n<article-nb=|\n<filname=|\Z)',
                        re.S)


def ppe2_pages(txt_bytes):
    """Visible text of each item's article page, by 1-based item number."""
    text = txt_bytes.decode("utf-8", errors="replace")
    return {int(m.group(1)): m.group(2) for m in PROF_FIELD.finditer(text)}


PAGE_URL = re.compile(r'"mainEntityOfPage":\{"@type":"WebPage","@id":"([^"]+)"')


def ppe2_page_article(visible_text):
    """The article id the page says it is (its JSON-LD), or None.

    The export does not always put an item's own page under it: the page's
    own metadata is the truth, not the item it was filed under."""
    match = PAGE_URL.search(visible_text)
    return ppe2_article_id(match.group(1)) if match else None


def page_lines(visible_text):
    """The export separates blocks by runs of spaces: one block per line."""
    lines = []
    for raw in visible_text.split("\n"):
        for block in re.split(r" {3,}|\t+", raw):
            block = clean(block)
            if block:
                lines.append(block)
    return lines


def listing_item(title, lede, url, args):
    """A listing line: with --with-urls, the item's URL too (as a scraper would keep it), else
    the texts alone, so that only they decide."""
    item = {"title": title, "text": lede}
    if args.with_urls and url:
        item["url"] = url
    return item


def ppe2_captures(git_dir, first, last):
    """(date, folder) of each capture day in [first, last], in time order."""
    names = git(git_dir, "ls-tree", "-d", "--name-only", "HEAD:Corpus/2022/").decode().split()
    captures = []
    for month_name in names:
        if month_name not in MONTHS:
            continue
        month = MONTHS.index(month_name) + 1
        for day_name in git(git_dir, "ls-tree", "-d", "--name-only",
                            f"HEAD:Corpus/2022/{month_name}/").decode().split():
            date = datetime.date(2022, month, int(day_name))
            if not first <= date <= last:
                continue
            times = git(git_dir, "ls-tree", "-d", "--name-only",
                        f"HEAD:Corpus/2022/{month_name}/{day_name}/").decode().split()
            for time in sorted(times)[:1]:
                captures.append((date, time, f"Corpus/2022/{month_name}/{day_name}/{time}"))
    return sorted(captures)


def ppe2_feed_names(git_dir, folder):
    """Feeds of one capture: the .xml files that have a .txt beside them."""
    names = git(git_dir, "ls-tree", "--name-only", f"HEAD:{folder}/").decode().split("\n")
    stems = {n[:-4] for n in names if n.endswith(".xml")}
    return sorted(s for s in stems if f"{s}.txt" in names)


def pick(ids, count, salt):
    """A deterministic choice of `count` ids (the same on every run)."""
    ranked = sorted(ids, key=lambda i: hashlib.sha1(f"{salt}:{i}".encode()).hexdigest())
    return set(ranked[:count])


def convert_ppe2(args):
    first, last = parse_date(args.first or "2022-06-01"), parse_date(args.last or "2022-07-31")
    if first.year != 2022 or last.year != 2022:
        sys.exit("ppe2: the archive covers 2022 only")
    if not args.allow_held_out and any(
            m in HELD_OUT_MONTHS for m in range(first.month, last.month + 1)):
        sys.exit("ppe2: January to May 2022 is held out for the final measurement; "
                 "use June to December (--from 2022-06-01 or later)")
    captures = ppe2_captures(args.git_dir, first, last)
    if not captures:
        sys.exit(f"ppe2: no capture between {first} and {last}")
    feeds = ppe2_feed_names(args.git_dir, captures[0][2])
    if args.feeds:
        feeds = feeds[:args.feeds]
    manifest, truth = [], []
    seen = {feed: set() for feed in feeds}  # Article ids each feed showed.
    for date, time, folder in captures:
        at = f"{date.isoformat()}T{time.replace('-', ':')}+02:00"
        for feed in feeds:
            try:
                items = ppe2_items(git_show(args.git_dir, "HEAD", f"{folder}/{feed}.xml"))
                pages = ppe2_pages(git_show(args.git_dir, "HEAD", f"{folder}/{feed}.txt"))
            except subprocess.CalledProcessError:
                continue  # The feed is missing from this capture.
            items = [it for it in items if it[2] is not None and (it[0] or it[1])]
            if not items:
                continue
            source = f"lemonde-{feed}"
            folder_out = os.path.join(args.out, source, date.isoformat())
            os.makedirs(folder_out, exist_ok=True)
            listing = os.path.join(folder_out, "listing.jsonl")
            write_jsonl(listing, [listing_item(t, d, link, args) for t, d, _, link in items])
            files = [listing]
            for position, (title, lede, story, _) in enumerate(items):
                truth.append({"file": os.path.relpath(listing, args.out), "position": position,
                              "story": story, "kind": "listing", "title": title, "lede": lede})
            fresh = {it[2]: n for n, it in enumerate(items, 1) if it[2] not in seen[feed]}
            number_of = {it[2]: n for n, it in enumerate(items, 1)}
            for filed_under in sorted(pick(fresh, args.pages_per_capture, f"{feed}:{date}")):
                text = pages.get(fresh[filed_under], "")
                story = ppe2_page_article(text)
                lines = page_lines(text)
                # Only pages of an article this listing shows: it has a teaser.
                if story not in number_of or len(lines) < 3:
                    continue
                page = os.path.join(folder_out, f"page-{story}.txt")
                if page in files:
                    continue
                with open(page, "w", encoding="utf-8") as out:
                    out.write("\n".join(lines) + "\n")
                files.append(page)
                title, lede, _, _ = items[number_of[story] - 1]
                truth.append({"file": os.path.relpath(page, args.out), "position": 0,
                              "story": story, "kind": "article", "title": title, "lede": lede})
            seen[feed].update(it[2] for it in items)
            manifest.append({"source": source, "at": at,
                             "files": [os.path.relpath(f, args.out) for f in files]})
    write_jsonl(os.path.join(args.out, "manifest.jsonl"), manifest)
    write_jsonl(os.path.join(args.out, "truth.jsonl"), truth)
    pages = sum(1 for t in truth if t["kind"] == "article")
    print(f"ppe2: {len(captures)} days, {len(feeds)} feeds, {len(manifest)} captures, "
          f"{len(truth) - pages} listing items, {pages} article pages -> {args.out}")


# --- Spiegel ------------------------------------------------------------------


# A Spiegel guid is the article's URL, whose section and slug change when the
# article moves or is retitled ("/kultur/babylon-…-a-18c35fe8-…" and
# "/kultur/tv/babylon-…-a-18c35fe8-…"): the article id is what follows "-a-".
SPIEGEL_ID = re.compile(r"-a-([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+)(?:\.html)?$")


def spiegel_article_id(guid):
    match = SPIEGEL_ID.search(guid or "")
    return match.group(1) if match else guid


def convert_spiegel(args):
    first, last = parse_date(args.first or "2022-10-01"), parse_date(args.last or "2022-10-31")
    log = git(args.git_dir, "log", "--reverse", "--format=%H %aI", "--",
              "public/headlines.json").decode().split("\n")
    commits = []
    for line in log:
        if not line:
            continue
        commit, when = line.split(" ", 1)
        if first <= datetime.datetime.fromisoformat(when).date() <= last:
            commits.append((commit, when))
    commits = commits[::max(args.every, 1)]
    if not commits:
        sys.exit(f"spiegel: no capture between {first} and {last}")
    manifest, truth = [], []
    last_bytes = None
    for commit, when in commits:
        raw = git_show(args.git_dir, commit, "public/headlines.json")
        if raw == last_bytes:
            continue
        last_bytes = raw
        try:
            headlines = json.loads(raw)
        except json.JSONDecodeError:
            continue
        items = [(clean(h.get("title")), clean(h.get("description")),
                  spiegel_article_id(h.get("guid")), h.get("guid"))
                 for h in headlines if isinstance(h, dict) and h.get("guid")]
        items = [it for it in items if it[0] or it[1]]
        if not items:
            continue
        at = datetime.datetime.fromisoformat(when).astimezone(datetime.timezone.utc)
        stamp = at.strftime("%Y-%m-%dT%H-%M-%S")
        folder_out = os.path.join(args.out, "spiegel", stamp[:10])
        os.makedirs(folder_out, exist_ok=True)
        listing = os.path.join(folder_out, f"{stamp}.jsonl")
        write_jsonl(listing, [listing_item(t, d, url, args) for t, d, _, url in items])
        for position, (title, lede, story, _) in enumerate(items):
            truth.append({"file": os.path.relpath(listing, args.out), "position": position,
                          "story": story, "kind": "listing", "title": title, "lede": lede})
        manifest.append({"source": "spiegel", "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "files": [os.path.relpath(listing, args.out)]})
    write_jsonl(os.path.join(args.out, "manifest.jsonl"), manifest)
    write_jsonl(os.path.join(args.out, "truth.jsonl"), truth)
    print(f"spiegel: {len(manifest)} captures, {len(truth)} listing items -> {args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", choices=["ppe2", "spiegel"])
    parser.add_argument("git_dir")
    parser.add_argument("out")
    parser.add_argument("--from", dest="first")
    parser.add_argument("--to", dest="last")
    parser.add_argument("--feeds", type=int, default=0, help="ppe2: first N feeds only")
    parser.add_argument("--pages-per-capture", type=int, default=2,
                        help="ppe2: article pages per feed and day, of stories new there")
    parser.add_argument("--every", type=int, default=1, help="spiegel: every N-th commit")
    parser.add_argument("--with-urls", action="store_true",
                        help="listing items keep their URL (the truth's source: a check of "
                             "what URLs add, not of the texts)")
    parser.add_argument("--allow-held-out", action="store_true",
                        help="ppe2: admit January-May (the final measurement only)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if os.listdir(args.out):
        sys.exit(f"{args.out} is not empty")
    (convert_ppe2 if args.archive == "ppe2" else convert_spiegel)(args)


if __name__ == "__main__":
    main()
