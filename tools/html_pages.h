#ifndef NEWSDEDUP_TOOLS_HTML_PAGES_H_
#define NEWSDEDUP_TOOLS_HTML_PAGES_H_

// The server's HTML pages, rendered from what the query layer returns
// (store/queries.h): the home page with each source's latest snapshots, a
// snapshot's report (word diffs as <del>/<ins>), a story's timeline, story
// search and error pages. No JavaScript; one stylesheet (Stylesheet(),
// served at kStylesheetPath). Every stored text and every request value is
// escaped (tools/markup.h); only http(s) URLs become links.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/queries.h"
#include "store/snapshot_report.h"

namespace newsdedup {

inline constexpr char kStylesheetPath[] = "/static/style.css";

// The stylesheet of every page.
std::string_view Stylesheet();

// A source of the home page with the reports of its latest snapshots
// (only their snapshot records and counts are shown).
struct HomeSource {
  SourceSummary source;
  std::vector<std::shared_ptr<const SnapshotReport>> latest;
};

std::string RenderHomePage(const std::vector<HomeSource>& sources);

struct SnapshotPageOptions {
  // A file on its own (report --format html): the stylesheet inline and no
  // links to the server's other pages.
  bool standalone = false;
  // Entries listed per status; the rest are counted ("… and 12 more").
  size_t max_entries_per_status = 1000;
};

std::string RenderSnapshotPage(const SnapshotReport& report, const SnapshotNeighbours& neighbours,
                               const SnapshotPageOptions& options);

std::string RenderStoryPage(const StoryView& view);

// `query` as the user typed it; `result` of FindStories.
std::string RenderSearchPage(std::string_view query, const StorySearchResult& result);

// A page for an HTTP error: its status code and a one-line message.
std::string RenderErrorPage(int status, std::string_view message);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_HTML_PAGES_H_
