#include "tools/atom_feed.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/word_diff.h"
#include "tools/markup.h"

namespace newsdedup {
namespace {

constexpr char kGeneratorVersion[] = "0.1.0";

// "urn:newsdedup:" ids stay the same wherever the server runs.
std::string EntryId(const std::string& source, uint64_t snapshot, const std::string& story) {
  return absl::StrCat("urn:newsdedup:", EscapeUrlComponent(source), ":snapshot:", snapshot,
                      ":story:", EscapeUrlComponent(story));
}

// The entry's HTML content: what changed, then the diff.
std::string EntryContent(const ReportEntry& entry, const SnapshotRecord& snapshot) {
  std::string html;
  if (entry.status == "updated") {
    absl::StrAppendFormat(&html, "<p>%s in snapshot %d (%s): similarity %.2f, containment %.2f</p>",
                          EscapeHtml(entry.change), snapshot.id, EscapeHtml(snapshot.captured_at),
                          entry.similarity, entry.containment);
    absl::StrAppend(&html, "<div style=\"white-space: pre-wrap\">",
                    HtmlDiff(WordDiff(entry.before_text, entry.after_text), 400, 4000), "</div>");
  } else {
    absl::StrAppend(&html, "<p>New in snapshot ", snapshot.id, " (",
                    EscapeHtml(snapshot.captured_at), ")</p>");
    if (!entry.after_text.empty()) {
      absl::StrAppend(&html, "<div style=\"white-space: pre-wrap\">",
                      HtmlDiff({{DiffChunk::Kind::kInserted, entry.after_text}}, 400, 4000),
                      "</div>");
    }
  }
  return html;
}

std::string Entry(const ReportEntry& entry, const SnapshotRecord& snapshot,
                  const FeedOptions& options) {
  const std::string title = entry.title.empty() ? "(no title: lede only)" : entry.title;
  const std::string label =
      entry.status == "updated" ? absl::StrCat("Updated (", entry.change, ")") : std::string("New");
  std::string out = "<entry>\n";
  absl::StrAppend(&out, "  <title>", EscapeHtml(absl::StrCat(label, ": ", title)), "</title>\n");
  absl::StrAppend(&out, "  <id>", EntryId(snapshot.source, snapshot.id, entry.story_id), "</id>\n");
  absl::StrAppend(&out, "  <updated>", EscapeHtml(snapshot.captured_at), "</updated>\n");
  absl::StrAppend(&out, "  <link rel=\"alternate\" type=\"text/html\" href=\"",
                  EscapeHtml(options.base_url), "/stories/", EscapeUrlComponent(entry.story_id),
                  "\"/>\n");
  absl::StrAppend(&out, "  <link rel=\"related\" type=\"text/html\" href=\"",
                  EscapeHtml(options.base_url), "/snapshots/", snapshot.id, "\"/>\n");
  absl::StrAppend(&out, "  <category term=\"", EscapeHtml(entry.status), "\"/>\n");
  if (entry.status == "updated") {
    absl::StrAppend(&out, "  <category term=\"", EscapeHtml(entry.change), "\"/>\n");
  }
  // type="html": the markup travels escaped, and a reader renders it.
  absl::StrAppend(&out, "  <content type=\"html\">", EscapeHtml(EntryContent(entry, snapshot)),
                  "</content>\n</entry>\n");
  return out;
}

}  // namespace

std::string RenderAtomFeed(const std::string& source, const std::vector<SnapshotReport>& reports,
                           const FeedOptions& options) {
  const std::string updated =
      reports.empty() ? std::string("1970-01-01T00:00:00Z") : reports.front().snapshot.captured_at;
  const std::string self =
      absl::StrCat(options.base_url, "/feeds/", EscapeUrlComponent(source), ".atom");
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  absl::StrAppend(&out, "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
  absl::StrAppend(&out, "<title>", EscapeHtml(absl::StrCat("newsdedup: ", source)), "</title>\n");
  absl::StrAppend(&out, "<subtitle>New and updated stories of each snapshot</subtitle>\n");
  absl::StrAppend(&out, "<id>urn:newsdedup:", EscapeUrlComponent(source), "</id>\n");
  absl::StrAppend(&out, "<updated>", EscapeHtml(updated), "</updated>\n");
  absl::StrAppend(&out, "<link rel=\"self\" type=\"application/atom+xml\" href=\"",
                  EscapeHtml(self), "\"/>\n");
  absl::StrAppend(&out, "<link rel=\"alternate\" type=\"text/html\" href=\"",
                  EscapeHtml(options.base_url), "/\"/>\n");
  absl::StrAppend(&out, "<author><name>newsdedup</name></author>\n");
  absl::StrAppend(&out, "<generator version=\"", kGeneratorVersion, "\">newsdedup</generator>\n");
  size_t entries = 0;
  for (const SnapshotReport& report : reports) {
    for (const ReportEntry& entry : report.stories) {
      if (entry.status != "new" && entry.status != "updated") continue;
      if (entries++ == options.max_entries) break;
      absl::StrAppend(&out, Entry(entry, report.snapshot, options));
    }
    if (entries > options.max_entries) break;
  }
  absl::StrAppend(&out, "</feed>\n");
  return out;
}

}  // namespace newsdedup
