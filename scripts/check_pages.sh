#!/usr/bin/env bash
# Checks the server's pages in a real browser: ingests the five seeds into a fresh store, starts
# `newsdedup serve` on a free loopback port, loads the home page, the article snapshot (4) and the
# Kallas story in headless Chromium, saves a screenshot and the DOM Chromium built for each, and
# asserts on those DOMs (the Kallas story shows both versions and an expanded diff in <ins>).
#
#   bash scripts/check_pages.sh [NEWSDEDUP_BINARY] [OUT_DIR]
#
# Defaults: build/tools/newsdedup, build/pages. Installs Debian's chromium when it is missing and
# this runs as root; exits 77 (ctest: skipped) when no Chromium can be had.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/serve_port.sh
bin=$(realpath "${1:-build/tools/newsdedup}")
out=${2:-build/pages}
mkdir -p "$out"
out=$(realpath "$out")

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "check_pages: installing chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq >/dev/null &&
           apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }; then
      echo "check_pages: SKIP: chromium could not be installed" >&2
      exit 77
    fi
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    echo "check_pages: SKIP: no chromium (apt-get install chromium as root)" >&2
    exit 77
  fi
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

seeds=(seeds/*.txt)
"$bin" ingest --db "$work/db" --source novastan --at 2025-03-29 --at 2025-05-02 --at 2025-07-31 \
  --at 2025-08-15 --at 2025-09-26 "${seeds[@]}" >/dev/null
"$bin" serve --db "$work/db" --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=$(serve_port "$work/serve.out")
if [ -z "$port" ]; then
  echo "check_pages: the server did not start: $(cat "$work/serve.err")" >&2
  exit 1
fi
base="http://127.0.0.1:$port"

story=$(python3 - "$base" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/stories?q=kallas+partenariat+durable") as reply:
    print(json.load(reply)["stories"][0]["story"])
EOF
)

# The flags this machine's Chromium needs headless as root, without reaching any network.
browse() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile-$RANDOM" --hide-scrollbars --window-size=1200,1500 \
    --virtual-time-budget=3000 "$@" 2>>"$work/chromium.log"
}

pages=("home /" "snapshot /snapshots/4" "story /stories/$story")
for page in "${pages[@]}"; do
  name=${page%% *}
  path=${page#* }
  browse --dump-dom "$base$path" >"$out/$name.dom.html"
  browse --screenshot="$out/$name.png" "$base$path" >/dev/null
  [ -s "$out/$name.png" ] || { echo "check_pages: no screenshot of $path" >&2; exit 1; }
done

# Assertions on the DOMs Chromium built (not on the bytes the server sent).
python3 - "$out" <<'EOF'
import sys
from html.parser import HTMLParser

class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""
    def all(self):
        for child in self.children:
            yield child
            yield from child.all()
    def find(self, tag, cls=None, **attrs):
        return [n for n in self.all() if n.tag == tag
                and (cls is None or cls in n.attrs.get("class", "").split())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]
    def content(self):
        return self.text + "".join(child.content() + child.tail for child in self.children)

class Builder(HTMLParser):
    VOID = {"meta", "link", "input", "br", "img", "hr"}
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root
    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        node.tail = ""
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node
    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent
    def handle_data(self, data):
        if self.current.children:
            self.current.children[-1].tail += data
        else:
            self.current.text += data

def load(name):
    builder = Builder()
    builder.feed(open(f"{sys.argv[1]}/{name}.dom.html", encoding="utf-8").read())
    return builder.root

failures = []
def check(condition, what):
    if not condition:
        failures.append(what)

KALLAS = "UE-Asie centrale : Kaja Kallas mise sur le partenariat durable"
for name in ("home", "snapshot", "story"):
    dom = load(name)
    check(not dom.find("script"), f"{name}: no script element")
    check(dom.find("link", rel="stylesheet"), f"{name}: the stylesheet is linked")

home = load("home")
sources = home.find("section", "source")
check(len(sources) == 1 and sources[0].attrs.get("data-source") == "novastan", "home: one source, novastan")
check(len(home.find("tr")) == 1 + 5, "home: a header row and five snapshots")

snapshot = load("snapshot")
updated = [li for li in snapshot.find("li", "entry") if "status-updated" in li.attrs["class"].split()]
check(len(updated) == 1, "snapshot 4: one updated story")
if updated:
    check(updated[0].find("a")[0].content().strip() == KALLAS, "snapshot 4: it is the Kallas story")
    check(any(b.content() == "expanded" for b in updated[0].find("span", "change")), "snapshot 4: expanded")
    check(updated[0].find("ins"), "snapshot 4: the diff marks inserted words with <ins>")

story = load("story")
check([h.content().strip() for h in story.find("h1")] == [KALLAS], "story: the Kallas title")
versions = story.find("li", "version")
check(len(versions) == 2, "story: both versions on the timeline")
if len(versions) == 2:
    check(not versions[0].find("ins") and versions[0].find("div", "text"), "story: the teaser's text")
    check(any(b.content() == "expanded" for b in versions[1].find("span", "change")),
          "story: the article version is expanded")
    inserted = " ".join(i.content() for i in versions[1].find("ins"))
    check("Une dynamique de dialogue structurée" in inserted, "story: the article's new text in <ins>")
    check("canonical" in versions[1].attrs.get("class", ""), "story: the article is canonical")

if failures:
    for failure in failures:
        print("check_pages: FAILED:", failure)
    sys.exit(1)
print("check_pages: 3 pages checked in Chromium: home, snapshot 4, story; screenshots in", sys.argv[1])
EOF
