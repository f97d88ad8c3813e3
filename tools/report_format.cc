#include "tools/report_format.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/word_diff.h"

namespace newsdedup {
namespace {

// Two decimals are what a reader compares; more is noise in a report.
double Round2(double value) { return std::round(value * 100.0) / 100.0; }

std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), "…");
}

std::string TitleOf(const ReportEntry& entry) {
  return entry.title.empty() ? std::string("(no title: lede only)") : entry.title;
}

}  // namespace

std::string ChangeDiff(const VersionChange& change, bool color) {
  return RenderDiff(WordDiff(change.before_text, change.after_text),
                    color ? ColorDiffStyle() : DiffStyle());
}

namespace {

std::string Versions(const std::vector<uint64_t>& ids) { return absl::StrJoin(ids, ","); }

void AppendEntryText(const ReportEntry& entry, const std::string& source, bool color,
                     std::string* out) {
  absl::StrAppend(out, "  ", Shorten(TitleOf(entry), 100));
  if (!entry.items.empty()) absl::StrAppend(out, "  [items ", absl::StrJoin(entry.items, ","), "]");
  if (entry.status == StoryStatus::kNew && !entry.first_source.empty() &&
      entry.first_source != source) {
    absl::StrAppend(out, "  first seen in ", entry.first_source, " at ", entry.first_seen);
  } else if (entry.status != StoryStatus::kNew && entry.status != StoryStatus::kDropped) {
    absl::StrAppend(out, "  first seen ", entry.first_seen);
  }
  if (entry.returned) absl::StrAppend(out, "  (returned)");
  absl::StrAppend(out, "\n");
  if (entry.status != StoryStatus::kUpdated) return;
  for (const VersionChange& change : entry.changes) {
    absl::StrAppendFormat(out, "      %s: similarity %.2f, containment %.2f", ChangeClassName(change.change),
                          change.similarity, change.containment);
    if (entry.changes.size() > 1) absl::StrAppend(out, "  (version ", change.version_id, ")");
    absl::StrAppend(out, "\n      ", ChangeDiff(change, color), "\n");
  }
  if (entry.changes.empty()) {
    absl::StrAppend(out, "      versions ", Versions(entry.versions), " (last time ",
                    Versions(entry.previous_versions), "): no longer shows some of them\n");
  }
}

}  // namespace

std::string RenderReportText(const SnapshotReport& report, bool color) {
  const SnapshotRecord& s = report.snapshot;
  const std::string kind(SnapshotKindName(s.kind));
  std::string out = absl::StrFormat("snapshot %d  %s  %s  %s  (%s, %d items)", s.id, s.source,
                                    s.captured_at, s.file, kind, s.item_count);
  if (!report.previous.empty()) {
    absl::StrAppend(&out, "  vs snapshot ", report.previous.back().id);
  } else {
    absl::StrAppend(&out, "  first ", kind, " of ", s.source);
  }
  absl::StrAppendFormat(&out, "\n%d new, %d updated, %d unchanged, %d dropped\n",
                        report.new_count, report.updated_count, report.unchanged_count,
                        report.dropped_count);
  for (const std::string& warning : s.warnings) absl::StrAppend(&out, "warning: ", warning, "\n");

  struct Section {
    StoryStatus status;
    const char* heading;
    const char* mark;
    int count;
  };
  for (const Section& section :
       {Section{StoryStatus::kNew, "NEW", "+", report.new_count},
        Section{StoryStatus::kUpdated, "UPDATED", "~", report.updated_count},
        Section{StoryStatus::kUnchanged, "UNCHANGED", "=", report.unchanged_count},
        Section{StoryStatus::kDropped, "DROPPED", "-", report.dropped_count}}) {
    if (section.count == 0) continue;
    absl::StrAppend(&out, "\n", section.heading, " (", section.count, ")\n");
    for (const ReportEntry& entry : report.stories) {
      if (entry.status != section.status) continue;
      absl::StrAppend(&out, "  ", section.mark, " ", entry.story_id);
      AppendEntryText(entry, s.source, color, &out);
    }
  }
  return out;
}

namespace {

nlohmann::json ChangeJson(const VersionChange& change) {
  return {{"version", change.version_id},
          {"previous_version", change.previous_version_id},
          {"change", ChangeClassName(change.change)},
          {"similarity", Round2(change.similarity)},
          {"containment", Round2(change.containment)},
          {"diff", ChangeDiff(change, /*color=*/false)}};
}

nlohmann::json EntryJson(const ReportEntry& entry) {
  nlohmann::json story = {{"status", StoryStatusName(entry.status)},
                          {"story", entry.story_id},
                          {"title", entry.title},
                          {"first_seen", entry.first_seen},
                          {"first_source", entry.first_source},
                          {"items", entry.items}};
  if (entry.status == StoryStatus::kDropped) return story;
  story["rule"] = EntryRuleName(entry);
  story["version"] = entry.version_id;
  story["versions"] = entry.versions;
  if (entry.status == StoryStatus::kNew) return story;
  story["similarity"] = Round2(entry.similarity);
  story["containment"] = Round2(entry.containment);
  story["returned"] = entry.returned;
  story["previous_versions"] = entry.previous_versions;
  if (entry.status != StoryStatus::kUpdated) return story;
  nlohmann::json changes = nlohmann::json::array();
  for (const VersionChange& change : entry.changes) changes.push_back(ChangeJson(change));
  story["changes"] = changes;
  if (!entry.changes.empty()) {
    const VersionChange& first = entry.changes.front();
    story["change"] = ChangeClassName(first.change);
    story["previous_version"] = first.previous_version_id;
    story["diff"] = ChangeDiff(first, /*color=*/false);
  }
  return story;
}

}  // namespace

void WriteReportJson(const SnapshotReport& report, std::ostream& out) {
  // The keys in nlohmann's (sorted) order, "stories" last: one entry is
  // built and written at a time, so that a night of a hundred thousand
  // stories never becomes one tree of millions of small allocations.
  nlohmann::json head = ReportJson(SnapshotReport{.snapshot = report.snapshot,
                                                  .previous = report.previous,
                                                  .new_count = report.new_count,
                                                  .updated_count = report.updated_count,
                                                  .unchanged_count = report.unchanged_count,
                                                  .dropped_count = report.dropped_count,
                                                  .stories = {}});
  std::string text = head.dump();
  text.resize(text.size() - std::string_view("]}").size());  // Reopen "stories".
  out << text;
  for (size_t e = 0; e < report.stories.size(); ++e) {
    if (e > 0) out << ',';
    out << EntryJson(report.stories[e]).dump();
  }
  out << "]}";
}

nlohmann::json SnapshotJson(const SnapshotRecord& s) {
  return {{"id", s.id},
          {"source", s.source},
          {"captured_at", s.captured_at},
          {"file", s.file},
          {"kind", SnapshotKindName(s.kind)},
          {"items", s.item_count},
          {"format", DumpFormatName(s.format)},
          {"content_hash", s.content_hash},
          {"warnings", s.warnings}};
}

nlohmann::json ReportJson(const SnapshotReport& report) {
  const nlohmann::json snapshot = SnapshotJson(report.snapshot);
  nlohmann::json stories = nlohmann::json::array();
  for (const ReportEntry& entry : report.stories) stories.push_back(EntryJson(entry));
  nlohmann::json previous = nlohmann::json::array();
  for (const SnapshotRecord& p : report.previous) previous.push_back(p.id);
  return {{"snapshot", snapshot},
          {"previous_snapshot",
           report.previous.empty() ? nlohmann::json() : nlohmann::json(report.previous.back().id)},
          {"previous_snapshots", previous},
          {"counts",
           {{"new", report.new_count},
            {"updated", report.updated_count},
            {"unchanged", report.unchanged_count},
            {"dropped", report.dropped_count}}},
          {"stories", stories}};
}

nlohmann::json StoryJson(const StoryView& view) {
  const StoryRecord& story = view.story;
  nlohmann::json versions = nlohmann::json::array();
  for (size_t v = 0; v < view.versions.size(); ++v) {
    const VersionView& entry = view.versions[v];
    const VersionRecord& version = entry.version;
    nlohmann::json out = {{"version", version.id},       {"first_seen", version.first_seen},
                          {"last_seen", version.last_seen}, {"snapshots", version.snapshots},
                          {"rule", MatchRuleName(version.rule)}, {"title", version.title},
                          {"text", VersionText(version)}, {"canonical", entry.canonical}};
    if (v > 0) {
      out["diff"] = RenderDiff(entry.diff, DiffStyle());
      out["change"] = ChangeClassName(entry.change);
      out["similarity"] = Round2(entry.similarity);
      out["containment"] = Round2(entry.containment);
      out["previous_version"] = view.versions[v - 1].version.id;
    }
    versions.push_back(std::move(out));
  }
  return {{"story", story.id},
          {"title", story.title},
          {"first_seen", story.first_seen},
          {"first_source", story.first_source},
          {"last_seen", story.last_seen},
          {"canonical_version", story.canonical_version},
          {"url", story.url},
          {"versions", std::move(versions)}};
}

std::string RenderStoryText(const StoryView& view, bool color) {
  const StoryRecord& story = view.story;
  std::string text = absl::StrFormat("%s  %s\nfirst seen %s, last seen %s, %d versions\n", story.id,
                                     story.title, story.first_seen, story.last_seen,
                                     view.versions.size());
  for (size_t v = 0; v < view.versions.size(); ++v) {
    const VersionView& entry = view.versions[v];
    const VersionRecord& version = entry.version;
    absl::StrAppendFormat(&text, "\nversion %d%s  first seen %s, last seen %s, snapshots %s (%s)\n",
                          version.id, entry.canonical ? " (canonical)" : "", version.first_seen,
                          version.last_seen, absl::StrJoin(version.snapshots, ","),
                          std::string(MatchRuleName(version.rule)));
    if (v > 0) {
      absl::StrAppendFormat(&text, "  %s: similarity %.2f, containment %.2f\n",
                            std::string(ChangeClassName(entry.change)), entry.similarity,
                            entry.containment);
      absl::StrAppend(&text, "  ", RenderDiff(entry.diff, color ? ColorDiffStyle() : DiffStyle()),
                      "\n");
    } else {
      absl::StrAppend(&text, "  ", Shorten(VersionText(version), 400), "\n");
    }
  }
  return text;
}

}  // namespace newsdedup
