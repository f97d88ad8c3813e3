#ifndef NEWSDEDUP_STORE_INGEST_H_
#define NEWSDEDUP_STORE_INGEST_H_

// The nightly job: one dump becomes one snapshot. Parses the dump, extracts
// every item's features on all cores, finds candidates in the store's
// indexes with batched lookups, decides each item's story with the matcher
// (in item order, so that results do not depend on the thread count), and
// commits everything in one atomic batch.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

struct IngestRequest {
  std::string source = "default";
  std::string captured_at;  // ISO-8601 UTC, "2025-03-29T00:00:00Z".
  std::string file_name;    // As shown in reports; "-" for standard input.
  std::string bytes;        // The raw dump.
  ParseOptions parse_options;
};

struct IngestResult {
  // The same source, time and content was ingested before: nothing written.
  bool already_ingested = false;
  SnapshotRecord snapshot;  // The new snapshot, or the earlier one.
  // Wall seconds per stage ("parse", "features", "lookup", "verify",
  // "commit"), in order, for `-v` logs and benchmarks.
  std::vector<std::pair<std::string, double>> stage_seconds;
};

class Ingester {
 public:
  // `store` must outlive the Ingester and have been opened with
  // params.Describe(). threads <= 0 means one per core.
  Ingester(StoryStore* store, const MatchParams& params, int threads = 0);

  // InvalidArgumentError for a dump the parser refuses, or for a source and
  // time already ingested with other content. Nothing is written on error.
  absl::StatusOr<IngestResult> Ingest(const IngestRequest& request);

 private:
  StoryStore* store_;
  MatchParams params_;
  int threads_;
};

// 16 lowercase hex digits of XXH3-64 of `bytes`.
std::string ContentHash(std::string_view bytes);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_INGEST_H_
