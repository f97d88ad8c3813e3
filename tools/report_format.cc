#include "tools/report_format.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/parallel_for.h"
#include "core/word_diff.h"
#include "tools/cli.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

// Two decimals are what a reader compares; more is noise in a report.
double Round2(double value) { return std::round(value * 100.0) / 100.0; }

// At most `max_bytes` of `text`, cut between words when a space is near.
std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const size_t space = text.rfind(' ', cut);
  if (space != std::string::npos && space > max_bytes / 2) cut = space;
  return absl::StrCat(text.substr(0, cut), "…");
}

std::string TitleOf(const ReportEntry& entry) {
  return entry.title.empty() ? std::string("(no title: lede only)") : TerminalSafe(entry.title);
}

std::string Versions(const std::vector<uint64_t>& ids) { return absl::StrJoin(ids, ","); }

bool Listed(const ReportView& view, StoryStatus status) {
  return !view.summary && (view.only.empty() || view.only.contains(status));
}

std::string StatusNames(const std::set<StoryStatus>& statuses) {
  std::vector<std::string> names;
  for (StoryStatus status : statuses) names.emplace_back(StoryStatusName(status));
  return absl::StrJoin(names, ", ");
}

// "snapshot 4  novastan  2025-08-15T00:00:00Z  003_….txt  (article, 1 item)  vs snapshot 3",
// or for a diff of two files the "--- OLD" / "+++ NEW" lines.
std::string Header(const SnapshotReport& report, const ReportView& view) {
  const SnapshotRecord& s = report.snapshot;
  const std::string kind(SnapshotKindName(s.kind));
  if (view.diff_old.has_value()) {
    const SnapshotRecord& old = *view.diff_old;
    return absl::StrFormat("--- %s  (%s, %s)\n+++ %s  (%s, %s)\n", TerminalSafe(old.file),
                           std::string(SnapshotKindName(old.kind)),
                           Plural(old.item_count, "item", "items"), TerminalSafe(s.file), kind,
                           Plural(s.item_count, "item", "items"));
  }
  const std::string source = TerminalSafe(s.source);
  std::string out = absl::StrFormat("snapshot %d  %s  %s  %s  (%s, %s)", s.id, source,
                                    s.captured_at, TerminalSafe(s.file), kind,
                                    Plural(s.item_count, "item", "items"));
  if (!report.previous.empty()) {
    absl::StrAppend(&out, "  vs snapshot ", report.previous.back().id);
  } else {
    absl::StrAppend(&out, "  first ", kind, " of ", source);
  }
  return out + "\n";
}

void AppendEntryText(const ReportEntry& entry, const std::string& source, const ReportView& view,
                     std::string* out) {
  absl::StrAppend(out, "  ", Shorten(TitleOf(entry), 100));
  if (!entry.items.empty()) {
    absl::StrAppend(out, entry.items.size() == 1 ? "  [item " : "  [items ",
                    absl::StrJoin(entry.items, ","), "]");
  }
  // A diff of two files has no times to show.
  const bool times = !view.diff_old.has_value();
  if (times && entry.status == StoryStatus::kNew && !entry.first_source.empty() &&
      entry.first_source != source) {
    absl::StrAppend(out, "  first seen in ", TerminalSafe(entry.first_source), " at ",
                    entry.first_seen);
  } else if (times && entry.status != StoryStatus::kNew && entry.status != StoryStatus::kDropped) {
    absl::StrAppend(out, "  first seen ", entry.first_seen);
  }
  if (entry.returned) absl::StrAppend(out, "  (returned)");
  absl::StrAppend(out, "\n");
  if (entry.status != StoryStatus::kUpdated) return;
  if (entry.transition.has_value()) {
    const TransitionEvidence& t = *entry.transition;
    absl::StrAppendFormat(out,
                          "      replaced a story that left the listing: title %.2f, lead %.2f, "
                          "%d shared names or numbers, position %d -> %d\n",
                          t.title_similarity, t.lead_similarity, t.shared, t.previous_position,
                          t.position);
  }
  for (const VersionChange& change : entry.changes) {
    absl::StrAppendFormat(out, "      %s: similarity %.2f, containment %.2f",
                          ChangeClassName(change.change), change.similarity, change.containment);
    if (entry.changes.size() > 1) absl::StrAppend(out, "  (version ", change.version_id, ")");
    absl::StrAppend(out, "\n      ",
                    RenderDiff(WordDiff(change.before_text, change.after_text),
                               TerminalDiffStyle(view.color)),
                    "\n");
  }
  if (entry.changes.empty()) {
    absl::StrAppend(out, "      versions ", Versions(entry.versions), " (last time ",
                    Versions(entry.previous_versions), "): no longer shows some of them\n");
  }
}

nlohmann::json ChangeJson(const VersionChange& change) {
  const std::vector<DiffChunk> chunks = WordDiff(change.before_text, change.after_text);
  return {{"version", change.version_id},
          {"previous_version", change.previous_version_id},
          {"change", ChangeClassName(change.change)},
          {"similarity", Round2(change.similarity)},
          {"containment", Round2(change.containment)},
          {"diff", RenderDiff(chunks, DiffStyle())},
          {"ops", DiffOpsJson(chunks)}};
}

nlohmann::json EntryJson(const ReportEntry& entry, bool diff) {
  nlohmann::json story = {{"status", StoryStatusName(entry.status)},
                          {"story", entry.story_id},
                          {"title", entry.title},
                          {"first_seen", diff ? nlohmann::json() : nlohmann::json(entry.first_seen)},
                          {"first_source", diff ? nlohmann::json() : nlohmann::json(entry.first_source)},
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
  if (entry.transition.has_value()) {
    const TransitionEvidence& t = *entry.transition;
    story["transition"] = {{"title_similarity", Round2(t.title_similarity)},
                           {"lead_similarity", Round2(t.lead_similarity)},
                           {"shared", t.shared},
                           {"previous_position", t.previous_position},
                           {"position", t.position}};
  }
  if (entry.status != StoryStatus::kUpdated) return story;
  nlohmann::json changes = nlohmann::json::array();
  for (const VersionChange& change : entry.changes) changes.push_back(ChangeJson(change));
  story["changes"] = changes;
  if (!entry.changes.empty()) {
    const nlohmann::json& first = changes.front();
    for (const char* field : {"change", "previous_version", "diff", "ops"}) {
      story[field] = first[field];
    }
  }
  return story;
}


}  // namespace

nlohmann::json SnapshotJson(const SnapshotRecord& s, bool diff) {
  return {{"id", s.id},
          {"source", diff ? nlohmann::json() : nlohmann::json(s.source)},
          {"captured_at", diff ? nlohmann::json() : nlohmann::json(s.captured_at)},
          {"file", s.file},
          {"kind", SnapshotKindName(s.kind)},
          {"items", s.item_count},
          {"format", DumpFormatName(s.format)},
          {"content_hash", s.content_hash},
          {"warnings", s.warnings}};
}

std::string Plural(uint64_t count, const char* one, const char* many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

absl::StatusOr<std::set<StoryStatus>> ParseOnlyStatuses(std::string_view list) {
  std::set<StoryStatus> statuses;
  for (absl::string_view part : absl::StrSplit(absl::string_view(list.data(), list.size()), ',',
                                               absl::SkipWhitespace())) {
    const absl::string_view name = absl::StripAsciiWhitespace(part);
    const std::optional<StoryStatus> status =
        StoryStatusFromName(std::string_view(name.data(), name.size()));
    if (!status.has_value()) {
      return UsageErrorStatus(absl::StrCat(
          "--only takes new, updated, unchanged or dropped, not '", name, "'"));
    }
    statuses.insert(*status);
  }
  if (statuses.empty()) return UsageErrorStatus("--only needs at least one status");
  return statuses;
}

namespace {

std::string TerminalSafePiece(std::string_view text) {
  return TerminalSafe(text, /*keep_newlines=*/true);
}

}  // namespace

DiffStyle TerminalDiffStyle(bool color, bool whole) {
  DiffStyle style = color ? ColorDiffStyle() : DiffStyle();
  if (whole) style.max_equal_bytes = style.max_change_bytes = SIZE_MAX;
  style.escape = TerminalSafePiece;
  return style;
}

nlohmann::json DiffOpsJson(const std::vector<DiffChunk>& chunks) {
  nlohmann::json ops = nlohmann::json::array();
  for (const DiffChunk& chunk : chunks) {
    const char* op = chunk.kind == DiffChunk::Kind::kEqual
                         ? "equal"
                         : (chunk.kind == DiffChunk::Kind::kDeleted ? "delete" : "insert");
    ops.push_back({{"op", op}, {"text", chunk.text}});
  }
  return ops;
}

std::string Preview(const std::string& text, size_t max_bytes) {
  std::string out;
  for (char c : Shorten(text, max_bytes)) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += DiffStyle().newline;
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderReportText(const SnapshotReport& report, const ReportView& view) {
  const SnapshotRecord& s = report.snapshot;
  std::string out = Header(report, view);
  absl::StrAppendFormat(&out, "%d new, %d updated, %d unchanged, %d dropped", report.new_count,
                        report.updated_count, report.unchanged_count, report.dropped_count);
  if (!view.summary && !view.only.empty()) {
    absl::StrAppend(&out, "  (showing ", StatusNames(view.only), " only)");
  }
  absl::StrAppend(&out, "\n");
  // A diff's warnings go to stderr, with the file they belong to.
  if (!view.diff_old.has_value()) {
    for (const std::string& warning : s.warnings) {
      absl::StrAppend(&out, "warning: ", TerminalSafe(warning), "\n");
    }
  }
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
    if (section.count == 0 || !Listed(view, section.status)) continue;
    absl::StrAppend(&out, "\n", section.heading, " (", section.count, ")\n");
    for (const ReportEntry& entry : report.stories) {
      if (entry.status != section.status) continue;
      absl::StrAppend(&out, "  ", section.mark, " ", entry.story_id);
      AppendEntryText(entry, s.source, view, &out);
    }
  }
  return out;
}

void WriteReportJson(const SnapshotReport& report, const ReportView& view, std::ostream& out,
                     int threads) {
  // The keys in nlohmann's (sorted) order, "stories" last: one entry is
  // built and written at a time, so that a night of a hundred thousand
  // stories never becomes one tree of millions of small allocations.
  nlohmann::json head = ReportJson(SnapshotReport{.snapshot = report.snapshot,
                                                  .previous = report.previous,
                                                  .new_count = report.new_count,
                                                  .updated_count = report.updated_count,
                                                  .unchanged_count = report.unchanged_count,
                                                  .dropped_count = report.dropped_count,
                                                  .stories = {}},
                                   view);
  std::string text = DumpJson(head);
  text.resize(text.size() - std::string_view("]}").size());  // Reopen "stories".
  out << text;
  // The entries of a window are rendered in parallel and written in order:
  // rendering took a tenth of a 85k-item night on one core.
  constexpr size_t kWindow = 4096;
  std::vector<const ReportEntry*> listed;
  for (const ReportEntry& entry : report.stories) {
    if (Listed(view, entry.status)) listed.push_back(&entry);
  }
  std::vector<std::string> rendered;
  for (size_t first = 0; first < listed.size(); first += kWindow) {
    rendered.assign(std::min(kWindow, listed.size() - first), std::string());
    ParallelFor(rendered.size(), ResolveThreads(threads), [&](size_t begin, size_t end, int) {
      for (size_t k = begin; k < end; ++k) {
        rendered[k] = DumpJson(EntryJson(*listed[first + k], view.diff_old.has_value()));
      }
    });
    for (size_t k = 0; k < rendered.size(); ++k) {
      if (first + k > 0) out << ',';
      out << rendered[k];
    }
  }
  out << "]}";
}

nlohmann::json ReportJson(const SnapshotReport& report, const ReportView& view) {
  const bool diff = view.diff_old.has_value();
  nlohmann::json stories = nlohmann::json::array();
  for (const ReportEntry& entry : report.stories) {
    if (Listed(view, entry.status)) stories.push_back(EntryJson(entry, diff));
  }
  nlohmann::json previous = nlohmann::json::array();
  for (const SnapshotRecord& p : report.previous) previous.push_back(p.id);
  nlohmann::json out = {
      {"snapshot", SnapshotJson(report.snapshot, diff)},
      {"previous_snapshot",
       report.previous.empty() ? nlohmann::json() : nlohmann::json(report.previous.back().id)},
      {"previous_snapshots", previous},
      {"counts",
       {{"new", report.new_count},
        {"updated", report.updated_count},
        {"unchanged", report.unchanged_count},
        {"dropped", report.dropped_count}}},
      {"stories", stories}};
  if (view.summary || !view.only.empty()) {
    nlohmann::json listed = nlohmann::json::array();
    if (!view.summary) {
      for (StoryStatus status : view.only) listed.push_back(StoryStatusName(status));
    }
    out["listed"] = listed;
  }
  if (diff) {
    nlohmann::json old = SnapshotJson(*view.diff_old, diff);
    for (const char* field : {"id", "source", "captured_at"}) old.erase(field);
    out["old"] = old;
  }
  return out;
}

nlohmann::json StoryJson(const StoryView& view) {
  const StoryRecord& story = view.story;
  nlohmann::json versions = nlohmann::json::array();
  for (size_t v = 0; v < view.versions.size(); ++v) {
    const VersionView& entry = view.versions[v];
    const VersionRecord& version = entry.version;
    const std::string text = VersionText(version);
    nlohmann::json out = {{"number", v + 1},
                          {"version", version.id},
                          {"first_seen", version.first_seen},
                          {"last_seen", version.last_seen},
                          {"snapshots", version.snapshots},
                          {"rule", MatchRuleName(version.rule)},
                          {"title", version.title},
                          {"text", text},
                          {"canonical", entry.canonical}};
    if (v > 0) {
      out["diff"] = RenderDiff(entry.diff, DiffStyle());
      out["ops"] = DiffOpsJson(entry.diff);
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

namespace {

// How much of the first version `story` shows without --full.
constexpr size_t kPreviewBytes = 400;

// Indents each line of `text` by four spaces.
std::string Indented(const std::string& text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out + "\n";
}

}  // namespace

std::string RenderStoryText(const StoryView& view, bool color, bool full) {
  const StoryRecord& story = view.story;
  std::string out = absl::StrFormat("%s  %s\nfirst seen %s, last seen %s, %s\n", story.id,
                                    TerminalSafe(story.title), story.first_seen, story.last_seen,
                                    Plural(view.versions.size(), "version", "versions"));
  for (size_t v = 0; v < view.versions.size(); ++v) {
    const VersionView& entry = view.versions[v];
    const VersionRecord& version = entry.version;
    const std::string text = TerminalSafe(VersionText(version), /*keep_newlines=*/true);
    absl::StrAppendFormat(&out, "\nv%d (version %d%s)  first seen %s, last seen %s, %s %s (%s)\n",
                          v + 1, version.id, entry.canonical ? ", canonical" : "",
                          version.first_seen, version.last_seen,
                          version.snapshots.size() == 1 ? "snapshot" : "snapshots",
                          absl::StrJoin(version.snapshots, ","),
                          std::string(MatchRuleName(version.rule)));
    if (full) absl::StrAppend(&out, Indented(text));
    if (v > 0) {
      absl::StrAppendFormat(&out, "  %s: similarity %.2f, containment %.2f%s\n",
                            std::string(ChangeClassName(entry.change)), entry.similarity,
                            entry.containment, full ? absl::StrCat(", changes from v", v, ":") : "");
      absl::StrAppend(&out, "    ", RenderDiff(entry.diff, TerminalDiffStyle(color, full)), "\n");
    } else if (!full) {
      absl::StrAppend(&out, "    ", Preview(text, kPreviewBytes), "\n");
    }
  }
  return out;
}

}  // namespace newsdedup
