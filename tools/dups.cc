#include "tools/dups.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "core/story_resolver.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/dups_corpus.h"
#include "tools/input.h"
#include "tools/progress.h"
#include "tools/report_format.h"
#include "tools/safe_text.h"

namespace newsdedup {

MatchParams DupsParams(const DupsOptions& options) {
  MatchParams params;
  if (options.threshold > 0) {
    params.near_duplicate_jaccard = options.threshold;
    params.lsh_threshold = std::min(params.lsh_threshold, options.threshold);
  }
  return params;
}

namespace {

// `text` as a JSON string, as DumpJson writes it: printable ASCII as it is,
// anything else (quotes, controls, UTF-8 to check) through DumpJson. Names
// are mostly plain ids, and building a JSON tree per name was a tenth of
// `dups` on a corpus of short items.
void AppendJsonString(std::string_view text, std::string* out) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  });
  if (!plain) {
    out->append(DumpJson(nlohmann::json(text)));
    return;
  }
  out->push_back('"');
  out->append(text);
  out->push_back('"');
}

// A score in [0, 1] to two places, as the shortest decimal that reads back
// as the rounded double (what nlohmann writes): 1.0, 0.9, 0.86, 0.05.
void AppendScore(double score, std::string* out) {
  const long hundredths = std::lround(score * 100.0);
  absl::StrAppend(out, hundredths / 100, ".");
  const long fraction = hundredths % 100;
  if (fraction == 0) {
    out->push_back('0');
  } else if (fraction % 10 == 0) {
    absl::StrAppend(out, fraction / 10);
  } else {
    absl::StrAppend(out, fraction < 10 ? "0" : "", fraction);
  }
}

}  // namespace

std::string DupsClusterLine(uint64_t number, std::span<const std::string> names,
                            std::span<const MatchEvidence> evidence) {
  std::string line = absl::StrCat("{\"cluster\":", number, ",\"items\":[");
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) line.push_back(',');
    AppendJsonString(names[i], &line);
  }
  line.append("],\"scores\":[");
  for (size_t i = 0; i < names.size(); ++i) {
    if (i == 0) {
      line.append("null");
      continue;
    }
    line.append(",{\"containment\":");
    AppendScore(evidence[i].containment, &line);
    line.append(",\"rule\":\"").append(MatchRuleName(evidence[i].rule));
    line.append("\",\"similarity\":");
    AppendScore(evidence[i].similarity, &line);
    line.push_back('}');
  }
  line.append("]}\n");
  return line;
}

absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const MatchParams params = DupsParams(options);
  const int threads = ResolveThreads(options.threads);
  // Opened first: a path that cannot be written fails before the work.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> kept(nullptr, &std::fclose);
  if (!options.keep_first.empty()) {
    kept.reset(std::fopen(options.keep_first.c_str(), "wb"));
    if (kept == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write ", options.keep_first, ": ", std::strerror(errno)));
    }
  }
  DupsCorpus corpus(files, params, threads, options.ignore_urls);
  {
    uint64_t total = 0;
    for (const std::string& file : files) total += InputSize(file);
    Progress progress(total, "bytes");
    uint64_t done = 0;
    for (size_t f = 0; f < files.size(); ++f) {
      const auto on_progress = [&](uint64_t bytes) { progress.Update(done + bytes); };
      if (absl::Status status =
              corpus.AddFile(static_cast<uint32_t>(f), options.format, on_progress);
          !status.ok()) {
        return status;
      }
      done += InputSize(files[f]);
    }
  }
  const auto read_done = std::chrono::steady_clock::now();
  spdlog::debug("read, parsed and sketched {} items in {:.2f}s", corpus.size(),
                std::chrono::duration<double>(read_done - start).count());

  // The same resolver as ingest: the clusters are the stories that ingesting
  // these items as one snapshot into an empty store would make.
  absl::Status completed_status;
  size_t completed = 0;
  const std::vector<Resolution> stories = StoryResolver(params, threads).Resolve(
      corpus.features(), StoredContext(),
      [&](std::span<const uint32_t> items, std::span<TextFeatures>) {
        completed = items.size();
        completed_status = corpus.Complete(items);
      });
  if (!completed_status.ok()) return completed_status;
  // The features are not needed any more: freed on another core while the
  // clusters are written (freeing 100k items' sets took 40 ms of two cores).
  std::jthread free_features([features = corpus.TakeFeatures()]() mutable {
    std::vector<TextFeatures>().swap(features);
  });
  // The items of story s are members[starts[s]...starts[s + 1]), ascending:
  // one array, not a vector per story.
  uint32_t story_count = 0;
  for (const Resolution& r : stories) story_count = std::max(story_count, r.story + 1);
  std::vector<uint32_t> starts(story_count + 1, 0);
  for (const Resolution& r : stories) ++starts[r.story + 1];
  for (uint32_t s = 0; s < story_count; ++s) starts[s + 1] += starts[s];
  std::vector<uint32_t> members(stories.size());
  {
    std::vector<uint32_t> fill(starts.begin(), starts.end() - 1);
    for (size_t i = 0; i < stories.size(); ++i) members[fill[stories[i].story]++] = i;
  }
  spdlog::debug("candidates, {} items completed and compared in {:.2f}s", completed,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count());
  uint64_t cluster_number = 0;
  std::vector<std::string> names;
  std::vector<MatchEvidence> evidence;
  for (uint32_t s = 0; s < story_count; ++s) {
    const std::span<const uint32_t> cluster(members.data() + starts[s], starts[s + 1] - starts[s]);
    if (cluster.size() < 2) continue;
    names.clear();
    evidence.clear();
    for (uint32_t i : cluster) {
      names.push_back(corpus.NameOf(i));
      evidence.push_back(stories[i].evidence);
    }
    out << DupsClusterLine(cluster_number++, names, evidence);
  }
  spdlog::info("{}, {} of duplicates", Plural(corpus.size(), "item", "items"),
               Plural(cluster_number, "cluster", "clusters"));
  if (!options.keep_first.empty()) {
    // The first item of each story stays.
    std::vector<char> keep(corpus.size(), false);
    for (uint32_t s = 0; s < story_count; ++s) keep[members[starts[s]]] = true;
    const auto write_error = [&] {
      return absl::DataLossError(
          absl::StrCat("cannot write ", options.keep_first, ": ", std::strerror(errno)));
    };
    absl::Status status = corpus.ForEachLine(keep, 0, corpus.size(), [&](std::string_view line) {
      if (std::fwrite(line.data(), 1, line.size(), kept.get()) != line.size()) {
        return write_error();
      }
      return absl::OkStatus();
    });
    if (status.ok() && (std::fflush(kept.get()) != 0 || std::ferror(kept.get()))) {
      status = write_error();
    }
    if (!status.ok()) return status;
    spdlog::info("{}: {} of {} items kept", options.keep_first, story_count, corpus.size());
  }
  return absl::OkStatus();
}

}  // namespace newsdedup
