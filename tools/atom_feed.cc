#include "tools/atom_feed.h"

#include <map>

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

// The entry's HTML content: what changed, then the diff; for a new story,
// its text.
std::string EntryContent(const ReportEntry& entry, const SnapshotRecord& snapshot,
                         const std::map<uint64_t, std::string>& new_texts) {
  std::string html;
  if (entry.status == StoryStatus::kUpdated) {
    for (const VersionChange& change : entry.changes) {
      absl::StrAppendFormat(
          &html, "<p>%s in snapshot %d (%s): similarity %.2f, containment %.2f</p>",
          EscapeHtml(ChangeClassName(change.change)), snapshot.id, EscapeHtml(snapshot.captured_at),
          change.similarity, change.containment);
      absl::StrAppend(&html, "<div style=\"white-space: pre-wrap\">",
                      HtmlDiff(WordDiff(change.before_text, change.after_text), 400, 4000),
                      "</div>");
    }
    return html;
  }
  absl::StrAppend(&html, "<p>New in snapshot ", snapshot.id, " (", EscapeHtml(snapshot.captured_at),
                  ")</p>");
  if (const auto text = new_texts.find(entry.version_id); text != new_texts.end()) {
    const std::vector<DiffChunk> all_new = {{DiffChunk::Kind::kInserted, text->second}};
    absl::StrAppend(&html, "<div style=\"white-space: pre-wrap\">", HtmlDiff(all_new, 400, 4000),
                    "</div>");
  }
  return html;
}

// "Updated (expanded)", "New".
std::string Label(const ReportEntry& entry) {
  if (entry.status == StoryStatus::kNew) return "New";
  std::string label = "Updated";
  if (!entry.changes.empty()) {
    absl::StrAppend(&label, " (", std::string(ChangeClassName(entry.changes.front().change)), ")");
  }
  return label;
}

std::string Entry(const ReportEntry& entry, const SnapshotRecord& snapshot,
                  const std::map<uint64_t, std::string>& new_texts, const FeedOptions& options) {
  const std::string title = entry.title.empty() ? "(no title: lede only)" : entry.title;
  std::string out = "<entry>\n";
  absl::StrAppend(&out, "  <title>", EscapeHtml(absl::StrCat(Label(entry), ": ", title)),
                  "</title>\n");
  absl::StrAppend(&out, "  <id>", EntryId(snapshot.source, snapshot.id, entry.story_id), "</id>\n");
  absl::StrAppend(&out, "  <updated>", EscapeHtml(snapshot.captured_at), "</updated>\n");
  absl::StrAppend(&out, "  <link rel=\"alternate\" type=\"text/html\" href=\"",
                  EscapeHtml(options.base_url), "/stories/", EscapeUrlComponent(entry.story_id),
                  "\"/>\n");
  absl::StrAppend(&out, "  <link rel=\"related\" type=\"text/html\" href=\"",
                  EscapeHtml(options.base_url), "/snapshots/", snapshot.id, "\"/>\n");
  absl::StrAppend(&out, "  <category term=\"", EscapeHtml(StoryStatusName(entry.status)), "\"/>\n");
  for (const VersionChange& change : entry.changes) {
    absl::StrAppend(&out, "  <category term=\"", EscapeHtml(ChangeClassName(change.change)),
                    "\"/>\n");
  }
  // type="html": the markup travels escaped, and a reader renders it.
  absl::StrAppend(&out, "  <content type=\"html\">",
                  EscapeHtml(EntryContent(entry, snapshot, new_texts)), "</content>\n</entry>\n");
  return out;
}

}  // namespace

std::string RenderAtomFeed(const std::string& source,
                           const std::vector<std::shared_ptr<const SnapshotReport>>& reports,
                           const std::map<uint64_t, std::string>& new_texts,
                           const FeedOptions& options) {
  const std::string updated =
      reports.empty() ? std::string("1970-01-01T00:00:00Z") : reports.front()->snapshot.captured_at;
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
  for (const std::shared_ptr<const SnapshotReport>& report : reports) {
    for (const ReportEntry& entry : report->stories) {
      if (entry.status != StoryStatus::kNew && entry.status != StoryStatus::kUpdated) continue;
      if (entries++ == options.max_entries) break;
      absl::StrAppend(&out, Entry(entry, report->snapshot, new_texts, options));
    }
    if (entries > options.max_entries) break;
  }
  absl::StrAppend(&out, "</feed>\n");
  return out;
}

}  // namespace newsdedup
