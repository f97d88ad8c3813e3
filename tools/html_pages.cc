#include "tools/html_pages.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/matcher.h"
#include "core/story_status.h"
#include "tools/markup.h"

namespace newsdedup {
namespace {

constexpr char kStylesheet[] = R"css(
:root { --ink: #1d232a; --muted: #5b6570; --line: #d9dee3; --bg: #fbfcfd; --accent: #0b5cad;
        --new: #1a7f37; --updated: #9a6700; --dropped: #b3261e; --unchanged: #5b6570; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
header.site { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem;
              border-bottom: 1px solid var(--line); background: #fff; }
header.site a.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
header.site form { margin-left: auto; }
header.site input[type=search] { width: 18rem; padding: .3rem .5rem; border: 1px solid var(--line);
                                 border-radius: 4px; font: inherit; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: .8rem 0 .4rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
a { color: var(--accent); }
.muted, .meta { color: var(--muted); font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ul.counts { display: flex; gap: .5rem; list-style: none; padding: 0; margin: .8rem 0; flex-wrap: wrap; }
ul.counts li { padding: .15rem .6rem; border-radius: 999px; border: 1px solid var(--line); background: #fff; }
.status-new { color: var(--new); } .status-updated { color: var(--updated); }
.status-dropped { color: var(--dropped); } .status-unchanged { color: var(--unchanged); }
ol.entries, ol.timeline, ol.results { list-style: none; padding: 0; margin: 0; }
ol.entries > li, ol.results > li { padding: .55rem 0; border-bottom: 1px solid var(--line); }
.badge { display: inline-block; font-size: .75rem; padding: 0 .45rem; border-radius: 4px;
         border: 1px solid currentColor; margin-left: .3rem; vertical-align: .1rem; }
.diff, .text { color: var(--ink); white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; border: 1px solid var(--line);
               border-radius: 4px; padding: .5rem .7rem; margin: .4rem 0; font-size: .95rem; }
del { background: #ffebe9; color: #82071e; text-decoration: line-through; }
ins { background: #dafbe1; color: #116329; text-decoration: none; }
ol.timeline > li { border-left: 3px solid var(--line); padding: .2rem 0 .8rem 1rem; margin-left: .3rem; }
ol.timeline > li.canonical { border-left-color: var(--accent); }
ol.timeline h3 { font-size: 1rem; margin: .3rem 0; }
ul.seen { list-style: none; padding: 0; margin: .2rem 0; display: flex; flex-wrap: wrap; gap: .2rem .8rem;
          font-size: .9rem; }
table.snapshots { border-collapse: collapse; width: 100%; font-size: .92rem; background: #fff; }
table.snapshots th, table.snapshots td { border-bottom: 1px solid var(--line); padding: .3rem .5rem;
                                         text-align: left; }
table.snapshots td.num { text-align: right; font-variant-numeric: tabular-nums; }
nav.pager { display: flex; justify-content: space-between; margin: 1rem 0; }
details > summary { cursor: pointer; }
time { white-space: nowrap; }
summary > h2 { display: inline; }
)css";

std::string Name(std::string_view name) { return EscapeHtml(name); }

// The empty-title placeholder the text report uses too.
std::string TitleOf(const std::string& title) {
  return title.empty() ? std::string("(no title: lede only)") : title;
}

// "2025-05-02T00:00:00Z" shown as "2025-05-02 00:00 UTC"; the stored form
// stays in the datetime attribute.
std::string Time(const std::string& iso) {
  std::string shown = iso;
  if (iso.size() == 20 && iso[10] == 'T' && iso[19] == 'Z') {
    shown = absl::StrCat(iso.substr(0, 10), " ", iso.substr(11, 5), " UTC");
  }
  return absl::StrCat("<time datetime=\"", EscapeHtml(iso), "\">", EscapeHtml(shown), "</time>");
}

std::string StoryLink(const std::string& id, const std::string& text, bool links) {
  if (!links) return EscapeHtml(text);
  return absl::StrCat("<a href=\"/stories/", EscapeUrlComponent(id), "\">", EscapeHtml(text),
                      "</a>");
}

std::string SnapshotLink(uint64_t id, const std::string& text, bool links) {
  if (!links) return EscapeHtml(text);
  return absl::StrCat("<a href=\"/snapshots/", id, "\">", EscapeHtml(text), "</a>");
}

std::string FeedPath(const std::string& source) {
  return absl::StrCat("/feeds/", EscapeUrlComponent(source), ".atom");
}

// The whole document around `body`.
std::string Page(const std::string& title, const std::string& body, bool standalone,
                 const std::string& head_extra = "") {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      EscapeHtml(title), " · newsdedup</title>\n");
  if (standalone) {
    absl::StrAppend(&out, "<style>", kStylesheet, "</style>\n");
  } else {
    absl::StrAppend(&out, "<link rel=\"stylesheet\" href=\"", kStylesheetPath, "\">\n");
  }
  absl::StrAppend(&out, head_extra, "</head>\n<body>\n<header class=\"site\">");
  absl::StrAppend(&out, standalone ? "<span class=\"brand\">newsdedup</span>"
                                   : "<a class=\"brand\" href=\"/\">newsdedup</a>");
  if (!standalone) {
    absl::StrAppend(&out,
                    "<form action=\"/search\" method=\"get\" role=\"search\">"
                    "<input type=\"search\" name=\"q\" maxlength=\"256\" "
                    "placeholder=\"Title words or a URL\" aria-label=\"Search stories\"></form>");
  }
  absl::StrAppend(&out, "</header>\n<main>\n", body, "</main>\n</body>\n</html>\n");
  return out;
}

std::string CountsList(const SnapshotReport& report) {
  return absl::StrFormat(
      "<ul class=\"counts\"><li class=\"status-new\" data-count=\"new\">%d new</li>"
      "<li class=\"status-updated\" data-count=\"updated\">%d updated</li>"
      "<li class=\"status-unchanged\" data-count=\"unchanged\">%d unchanged</li>"
      "<li class=\"status-dropped\" data-count=\"dropped\">%d dropped</li></ul>\n",
      report.new_count, report.updated_count, report.unchanged_count, report.dropped_count);
}

std::string SnapshotFacts(const SnapshotReport& report, bool links) {
  const SnapshotRecord& s = report.snapshot;
  std::string out = "<dl class=\"facts\">";
  absl::StrAppend(&out, "<dt>source</dt><dd>", EscapeHtml(s.source), "</dd>");
  absl::StrAppend(&out, "<dt>captured</dt><dd>", Time(s.captured_at), "</dd>");
  absl::StrAppend(&out, "<dt>file</dt><dd>", EscapeHtml(s.file), "</dd>");
  absl::StrAppend(&out, "<dt>kind</dt><dd>", Name(SnapshotKindName(s.kind)), ", ", s.item_count,
                  s.item_count == 1 ? " item" : " items", "</dd><dt>format</dt><dd>",
                  Name(DumpFormatName(s.format)), "</dd>");
  absl::StrAppend(&out, "<dt>compared with</dt><dd>");
  if (!report.previous.empty()) {
    // The previous capture of this source and kind, which may hold several files.
    for (size_t p = 0; p < report.previous.size(); ++p) {
      const SnapshotRecord& previous = report.previous[p];
      absl::StrAppend(&out, p == 0 ? "" : ", ",
                      SnapshotLink(previous.id, absl::StrCat("snapshot ", previous.id), links));
    }
    absl::StrAppend(&out, " of ", Time(report.previous.back().captured_at));
  } else {
    absl::StrAppend(&out, "nothing: the first ", Name(SnapshotKindName(s.kind)), " of this source");
  }
  absl::StrAppend(&out, "</dd>");
  for (const std::string& warning : s.warnings) {
    absl::StrAppend(&out, "<dt>warning</dt><dd>", EscapeHtml(warning), "</dd>");
  }
  absl::StrAppend(&out, "</dl>\n");
  return out;
}

// One new version of an updated story: its change class, evidence and
// word diff against the closest version the last appearance showed.
std::string ChangeBlock(const VersionChange& change) {
  std::string out = absl::StrCat("<div class=\"change\" data-version=\"", change.version_id,
                                 "\"><div class=\"meta\"><span class=\"badge change\">",
                                 Name(ChangeClassName(change.change)), "</span>");
  absl::StrAppendFormat(&out, " version %d from %d · similarity %.2f · containment %.2f</div>",
                        change.version_id, change.previous_version_id, change.similarity,
                        change.containment);
  absl::StrAppend(&out, "<div class=\"diff\">",
                  HtmlDiff(WordDiff(change.before_text, change.after_text)), "</div></div>");
  return out;
}

std::string EntryItem(const ReportEntry& entry, const std::string& source, bool links) {
  const std::string status = Name(StoryStatusName(entry.status));
  std::string out = absl::StrCat("<li class=\"entry status-", status, "\" data-story=\"",
                                 EscapeHtml(entry.story_id), "\">");
  absl::StrAppend(&out, StoryLink(entry.story_id, TitleOf(entry.title), links));
  if (entry.returned) absl::StrAppend(&out, "<span class=\"badge\">returned</span>");
  absl::StrAppend(&out, "<div class=\"meta\">", EscapeHtml(entry.story_id));
  if (!entry.items.empty()) absl::StrAppend(&out, " · items ", absl::StrJoin(entry.items, ", "));
  if (entry.status != StoryStatus::kNew) {
    absl::StrAppend(&out, " · first seen ", Time(entry.first_seen));
  } else if (!entry.first_source.empty() && entry.first_source != source) {
    absl::StrAppend(&out, " · first seen in ", EscapeHtml(entry.first_source), " ",
                    Time(entry.first_seen));
  }
  absl::StrAppend(&out, "</div>");
  if (entry.status == StoryStatus::kUpdated) {
    for (const VersionChange& change : entry.changes) absl::StrAppend(&out, ChangeBlock(change));
  }
  absl::StrAppend(&out, "</li>\n");
  return out;
}

// One status's entries: a section, folded for unchanged stories.
std::string StatusSection(const SnapshotReport& report, StoryStatus status, const char* heading,
                          int count, const SnapshotPageOptions& options) {
  if (count == 0) return "";
  const bool fold = status == StoryStatus::kUnchanged;
  const std::string name = Name(StoryStatusName(status));
  std::string out = absl::StrCat("<section id=\"", name, "\" class=\"status-", name, "\">");
  const std::string title = absl::StrCat(heading, " (", count, ")");
  absl::StrAppend(&out, fold ? "<details><summary><h2>" : "<h2>", title,
                  fold ? "</h2></summary>" : "</h2>", "\n<ol class=\"entries\">\n");
  size_t shown = 0;
  for (const ReportEntry& entry : report.stories) {
    if (entry.status != status) continue;
    if (shown++ == options.max_entries_per_status) break;
    absl::StrAppend(&out, EntryItem(entry, report.snapshot.source, !options.standalone));
  }
  absl::StrAppend(&out, "</ol>\n");
  if (static_cast<size_t>(count) > options.max_entries_per_status) {
    absl::StrAppend(&out, "<p class=\"muted\">… and ", count - options.max_entries_per_status,
                    " more (the JSON report lists them all).</p>\n");
  }
  absl::StrAppend(&out, fold ? "</details>" : "", "</section>\n");
  return out;
}

std::string Pager(const SnapshotNeighbours& neighbours) {
  std::string out = "<nav class=\"pager\"><span>";
  if (neighbours.previous.has_value()) {
    absl::StrAppend(&out, "← ",
                    SnapshotLink(neighbours.previous->id,
                                 absl::StrCat("snapshot ", neighbours.previous->id, " (",
                                              neighbours.previous->captured_at, ")"),
                                 true));
  }
  absl::StrAppend(&out, "</span><span>");
  if (neighbours.next.has_value()) {
    absl::StrAppend(&out,
                    SnapshotLink(neighbours.next->id,
                                 absl::StrCat("snapshot ", neighbours.next->id, " (",
                                              neighbours.next->captured_at, ")"),
                                 true),
                    " →");
  }
  absl::StrAppend(&out, "</span></nav>\n");
  return out;
}

std::string HomeSection(const HomeSource& home) {
  const SourceSummary& source = home.source;
  std::string out = absl::StrCat(
      "<section class=\"source\" data-source=\"", EscapeHtml(source.name), "\"><h2>",
      EscapeHtml(source.name), "</h2>\n<p class=\"meta\">", source.snapshots, " snapshots, ",
      Time(source.first_captured_at), " to ", Time(source.last_captured_at), " · <a href=\"",
      FeedPath(source.name), "\">Atom feed</a></p>\n");
  absl::StrAppend(&out,
                  "<table class=\"snapshots\"><thead><tr><th>snapshot</th><th>captured</th>"
                  "<th>kind</th><th>file</th><th>items</th><th>new</th><th>updated</th>"
                  "<th>unchanged</th><th>dropped</th></tr></thead><tbody>\n");
  for (const std::shared_ptr<const SnapshotReport>& latest : home.latest) {
    const SnapshotReport& report = *latest;
    const SnapshotRecord& s = report.snapshot;
    absl::StrAppend(&out, "<tr data-snapshot=\"", s.id, "\"><td>",
                    SnapshotLink(s.id, absl::StrCat(s.id), true), "</td><td>", Time(s.captured_at),
                    "</td><td>", Name(SnapshotKindName(s.kind)), "</td><td>", EscapeHtml(s.file),
                    "</td>");
    absl::StrAppendFormat(&out,
                          "<td class=\"num\">%d</td><td class=\"num status-new\">%d</td>"
                          "<td class=\"num status-updated\">%d</td><td class=\"num\">%d</td>"
                          "<td class=\"num status-dropped\">%d</td></tr>\n",
                          s.item_count, report.new_count, report.updated_count,
                          report.unchanged_count, report.dropped_count);
  }
  absl::StrAppend(&out, "</tbody></table>\n</section>\n");
  return out;
}

// `previous`: the version before, which `entry`'s diff starts from; null for
// the first.
std::string VersionItem(const VersionView& entry, const VersionView* previous, size_t number,
                        size_t count) {
  const VersionRecord& v = entry.version;
  std::string out = absl::StrCat("<li class=\"version", entry.canonical ? " canonical" : "",
                                 "\" id=\"v", v.id, "\" data-version=\"", v.id, "\">");
  absl::StrAppend(&out, "<h3>Version ", number, " of ", count, " <span class=\"muted\">(id ", v.id,
                  ")</span>");
  if (entry.canonical) absl::StrAppend(&out, "<span class=\"badge\">canonical</span>");
  if (previous != nullptr) {
    absl::StrAppend(&out, "<span class=\"badge change\">", Name(ChangeClassName(entry.change)),
                    "</span>");
  }
  absl::StrAppend(&out, "</h3>\n<div class=\"meta\">first seen ", Time(v.first_seen),
                  " · last seen ", Time(v.last_seen), " · rule ", Name(MatchRuleName(v.rule)));
  if (previous != nullptr) {
    absl::StrAppendFormat(&out, " · similarity %.2f · containment %.2f with version %d",
                          entry.similarity, entry.containment, previous->version.id);
  }
  absl::StrAppend(&out, "</div>\n<ul class=\"seen\">");
  for (const SnapshotRecord& snapshot : entry.snapshots) {
    absl::StrAppend(
        &out, "<li>", SnapshotLink(snapshot.id, absl::StrCat("snapshot ", snapshot.id), true), " ",
        Name(SnapshotKindName(snapshot.kind)), " ", Time(snapshot.captured_at), "</li>");
  }
  absl::StrAppend(&out, "</ul>\n");
  if (previous == nullptr) {
    absl::StrAppend(&out, "<div class=\"text\">", EscapeHtml(VersionText(v)), "</div>\n");
  } else {
    // A timeline shows every changed word; only long unchanged runs fold.
    absl::StrAppend(&out, "<div class=\"diff\">", HtmlDiff(entry.diff, 400, SIZE_MAX),
                    "</div>\n<details><summary>Full text</summary><div class=\"text\">",
                    EscapeHtml(VersionText(v)), "</div></details>\n");
  }
  absl::StrAppend(&out, "</li>\n");
  return out;
}

}  // namespace

std::string_view Stylesheet() { return kStylesheet; }

std::string RenderHomePage(const std::vector<HomeSource>& sources) {
  std::string body = "<h1>Sources</h1>\n";
  if (sources.empty()) {
    absl::StrAppend(&body,
                    "<p class=\"muted\">The store holds no snapshot yet: "
                    "<code>newsdedup ingest</code> adds one.</p>\n");
  }
  for (const HomeSource& source : sources) absl::StrAppend(&body, HomeSection(source));
  std::string feeds;
  for (const HomeSource& source : sources) {
    absl::StrAppend(&feeds, "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"",
                    EscapeHtml(source.source.name), "\" href=\"", FeedPath(source.source.name),
                    "\">\n");
  }
  return Page("Sources", body, /*standalone=*/false, feeds);
}

std::string RenderSnapshotPage(const SnapshotReport& report, const SnapshotNeighbours& neighbours,
                               const SnapshotPageOptions& options) {
  const SnapshotRecord& s = report.snapshot;
  const bool links = !options.standalone;
  std::string body = absl::StrCat("<h1>Snapshot ", s.id, " · ", EscapeHtml(s.source), " · ",
                                  Time(s.captured_at), "</h1>\n");
  absl::StrAppend(&body, SnapshotFacts(report, links), CountsList(report));
  absl::StrAppend(
      &body, StatusSection(report, StoryStatus::kNew, "New", report.new_count, options),
      StatusSection(report, StoryStatus::kUpdated, "Updated", report.updated_count, options),
      StatusSection(report, StoryStatus::kDropped, "Dropped", report.dropped_count, options),
      StatusSection(report, StoryStatus::kUnchanged, "Unchanged", report.unchanged_count, options));
  if (links) {
    absl::StrAppend(&body, Pager(neighbours), "<p class=\"meta\"><a href=\"/api/snapshots/", s.id,
                    "\">JSON</a> · <a href=\"", FeedPath(s.source), "\">Atom feed of ",
                    EscapeHtml(s.source), "</a></p>\n");
  }
  return Page(absl::StrCat("Snapshot ", s.id, " of ", s.source), body, options.standalone);
}

std::string RenderStoryPage(const StoryView& view) {
  const StoryRecord& story = view.story;
  std::string body = absl::StrCat("<h1>", EscapeHtml(TitleOf(story.title)), "</h1>\n");
  absl::StrAppend(&body, "<dl class=\"facts\"><dt>story</dt><dd>", EscapeHtml(story.id),
                  "</dd><dt>first seen</dt><dd>", Time(story.first_seen),
                  "</dd><dt>last seen</dt><dd>", Time(story.last_seen),
                  "</dd><dt>versions</dt><dd>", view.versions.size(), "</dd>");
  if (!story.url.empty()) {
    absl::StrAppend(&body, "<dt>URL</dt><dd>");
    if (IsWebUrl(story.url)) {
      absl::StrAppend(&body, "<a rel=\"nofollow noopener noreferrer\" href=\"",
                      EscapeHtml(story.url), "\">", EscapeHtml(story.url), "</a>");
    } else {
      absl::StrAppend(&body, EscapeHtml(story.url));
    }
    absl::StrAppend(&body, "</dd>");
  }
  absl::StrAppend(&body, "</dl>\n<h2>Timeline</h2>\n<ol class=\"timeline\">\n");
  for (size_t v = 0; v < view.versions.size(); ++v) {
    absl::StrAppend(&body, VersionItem(view.versions[v], v == 0 ? nullptr : &view.versions[v - 1],
                                       v + 1, view.versions.size()));
  }
  absl::StrAppend(&body, "</ol>\n<p class=\"meta\"><a href=\"/api/stories/",
                  EscapeUrlComponent(story.id), "\">JSON</a></p>\n");
  return Page(TitleOf(story.title), body, /*standalone=*/false);
}

std::string RenderSearchPage(std::string_view query, const StorySearchResult& result) {
  std::string body = absl::StrCat("<h1>Stories matching “", EscapeHtml(query), "”</h1>\n");
  if (result.stories.empty()) absl::StrAppend(&body, "<p class=\"muted\">No story found.</p>\n");
  absl::StrAppend(&body, "<ol class=\"results\">\n");
  for (const StoryRecord& story : result.stories) {
    absl::StrAppend(&body, "<li data-story=\"", EscapeHtml(story.id), "\">",
                    StoryLink(story.id, TitleOf(story.title), true), "<div class=\"meta\">",
                    EscapeHtml(story.id), " · first seen ", Time(story.first_seen), " · last seen ",
                    Time(story.last_seen), " · ", story.versions.size(), " versions</div></li>\n");
  }
  absl::StrAppend(&body, "</ol>\n");
  if (result.truncated) {
    absl::StrAppend(&body,
                    "<p class=\"muted\">The search stopped before the end of the store; "
                    "more words narrow it.</p>\n");
  }
  return Page("Search", body, /*standalone=*/false);
}

std::string RenderErrorPage(int status, std::string_view message) {
  return Page(absl::StrCat("Error ", status),
              absl::StrCat("<h1>Error ", status, "</h1>\n<p class=\"error\">", EscapeHtml(message),
                           "</p>\n<p><a href=\"/\">Home</a></p>\n"),
              /*standalone=*/false);
}

}  // namespace newsdedup
