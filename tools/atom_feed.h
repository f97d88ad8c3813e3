#ifndef NEWSDEDUP_TOOLS_ATOM_FEED_H_
#define NEWSDEDUP_TOOLS_ATOM_FEED_H_

// An Atom feed (RFC 4287) of one source's changes: one entry per new or
// updated story of each snapshot, with the word diff inside the entry (as
// escaped HTML, <del>/<ins>), so that a feed reader shows what changed
// without opening the site. Entry ids are stable: the same story in the
// same snapshot always has the same id.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/snapshot_report.h"

namespace newsdedup {

struct FeedOptions {
  // Where the server is reached, for absolute links: "http://host:port",
  // no trailing slash.
  std::string base_url;
  size_t max_entries = 200;  // Newest first; older changes are left out.
};

// `reports`: the source's latest snapshots, newest first. `new_texts`: the
// text of new stories' versions by version id, shown in their entries
// (reports carry texts only for changes).
std::string RenderAtomFeed(const std::string& source,
                           const std::vector<std::shared_ptr<const SnapshotReport>>& reports,
                           const std::map<uint64_t, std::string>& new_texts,
                           const FeedOptions& options);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_ATOM_FEED_H_
