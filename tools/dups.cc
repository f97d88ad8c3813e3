#include "tools/dups.h"

#include <chrono>
#include <cstdint>

#include "core/match_params.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "core/story_resolver.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tools/dups_corpus.h"
#include "tools/progress.h"

namespace newsdedup {

absl::Status FindDuplicates(const std::vector<std::string>& files, const DupsOptions& options,
                            std::ostream& out) {
  const auto start = std::chrono::steady_clock::now();
  const MatchParams params;
  const int threads = ResolveThreads(options.threads);
  DupsCorpus corpus(files, params, threads);
  {
    Progress progress(files.size(), "files");
    for (size_t f = 0; f < files.size(); ++f) {
      progress.Update(f);
      if (absl::Status status = corpus.AddFile(static_cast<uint32_t>(f), options.format);
          !status.ok()) {
        return status;
      }
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
  std::vector<std::vector<size_t>> members;
  for (size_t i = 0; i < stories.size(); ++i) {
    if (stories[i].story >= members.size()) members.resize(stories[i].story + 1);
    members[stories[i].story].push_back(i);
  }
  spdlog::debug("candidates, {} items completed and compared in {:.2f}s", completed,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - read_done).count());
  int cluster_number = 0;
  for (const std::vector<size_t>& cluster : members) {
    if (cluster.size() < 2) continue;
    nlohmann::json items = nlohmann::json::array();
    for (size_t i : cluster) items.push_back(corpus.NameOf(i));
    out << nlohmann::json{{"cluster", cluster_number++}, {"items", items}}.dump() << "\n";
  }
  spdlog::info("{} items, {} clusters of duplicates", corpus.size(), cluster_number);
  return absl::OkStatus();
}

}  // namespace newsdedup
