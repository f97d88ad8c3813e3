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

std::string EntryDiff(const ReportEntry& entry, bool color) {
  return RenderDiff(WordDiff(entry.before_text, entry.after_text),
                    color ? ColorDiffStyle() : DiffStyle());
}

std::string RenderReportText(const SnapshotReport& report, bool color) {
  const SnapshotRecord& s = report.snapshot;
  std::string out = absl::StrFormat("snapshot %d  %s  %s  %s  (%s, %d items)", s.id, s.source,
                                    s.captured_at, s.file, s.kind, s.item_count);
  if (report.previous.has_value()) {
    absl::StrAppend(&out, "  vs snapshot ", report.previous->id);
  } else {
    absl::StrAppend(&out, "  first ", s.kind, " of ", s.source);
  }
  absl::StrAppendFormat(&out, "\n%d new, %d updated, %d unchanged, %d dropped\n",
                        report.new_count, report.updated_count, report.unchanged_count,
                        report.dropped_count);
  for (const std::string& warning : s.warnings) absl::StrAppend(&out, "warning: ", warning, "\n");

  struct Section {
    const char* status;
    const char* heading;
    const char* mark;
    int count;
  };
  for (const Section& section :
       {Section{"new", "NEW", "+", report.new_count},
        Section{"updated", "UPDATED", "~", report.updated_count},
        Section{"unchanged", "UNCHANGED", "=", report.unchanged_count},
        Section{"dropped", "DROPPED", "-", report.dropped_count}}) {
    if (section.count == 0) continue;
    absl::StrAppend(&out, "\n", section.heading, " (", section.count, ")\n");
    for (const ReportEntry& entry : report.stories) {
      if (entry.status != section.status) continue;
      absl::StrAppend(&out, "  ", section.mark, " ", entry.story_id, "  ",
                      Shorten(TitleOf(entry), 100));
      if (!entry.items.empty()) absl::StrAppend(&out, "  [items ", absl::StrJoin(entry.items, ","), "]");
      if (entry.status != "new" && entry.status != "dropped") {
        absl::StrAppend(&out, "  first seen ", entry.first_seen);
      }
      if (entry.returned) absl::StrAppend(&out, "  (returned)");
      absl::StrAppend(&out, "\n");
      if (entry.status == "updated") {
        absl::StrAppendFormat(&out, "      %s: similarity %.2f, containment %.2f\n", entry.change,
                              entry.similarity, entry.containment);
        absl::StrAppend(&out, "      ", EntryDiff(entry, color), "\n");
      }
    }
  }
  return out;
}

nlohmann::json ReportJson(const SnapshotReport& report) {
  const SnapshotRecord& s = report.snapshot;
  nlohmann::json snapshot = {{"id", s.id},         {"source", s.source},
                             {"captured_at", s.captured_at}, {"file", s.file},
                             {"kind", s.kind},     {"items", s.item_count},
                             {"format", s.format}, {"content_hash", s.content_hash},
                             {"warnings", s.warnings}};
  nlohmann::json stories = nlohmann::json::array();
  for (const ReportEntry& entry : report.stories) {
    nlohmann::json story = {{"status", entry.status},
                            {"story", entry.story_id},
                            {"title", entry.title},
                            {"first_seen", entry.first_seen},
                            {"items", entry.items}};
    if (entry.status != "dropped") {
      story["rule"] = entry.rule;
      story["version"] = entry.version_id;
    }
    if (entry.status == "updated" || entry.status == "unchanged") {
      story["similarity"] = Round2(entry.similarity);
      story["containment"] = Round2(entry.containment);
      story["returned"] = entry.returned;
    }
    if (entry.status == "updated") {
      story["change"] = entry.change;
      story["previous_version"] = entry.previous_version_id;
      story["diff"] = EntryDiff(entry, /*color=*/false);
    }
    stories.push_back(std::move(story));
  }
  return {{"snapshot", snapshot},
          {"previous_snapshot",
           report.previous.has_value() ? nlohmann::json(report.previous->id) : nlohmann::json()},
          {"counts",
           {{"new", report.new_count},
            {"updated", report.updated_count},
            {"unchanged", report.unchanged_count},
            {"dropped", report.dropped_count}}},
          {"stories", stories}};
}

}  // namespace newsdedup
