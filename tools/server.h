#ifndef NEWSDEDUP_TOOLS_SERVER_H_
#define NEWSDEDUP_TOOLS_SERVER_H_

// `newsdedup serve`: a store over HTTP (cpp-httplib), beside the nightly
// ingest. Routes:
//   GET  /                          home: each source's latest snapshots
//   GET  /snapshots/{id|latest}     a snapshot's report, word diffs inline
//   GET  /stories/{id}              a story's timeline
//   GET  /search?q=WORDS|URL        stories by title words or URL
//   GET  /feeds/{source}.atom       new and updated stories, diffs inside
//   GET  /api/sources               JSON: sources and their latest snapshots
//   GET  /api/snapshots             JSON: snapshots, paged (source, after,
//                                   limit, order=newest|oldest)
//   GET  /api/snapshots/{id|latest} JSON: the report (report --format json)
//   GET  /api/stories?q=|url=       JSON: stories found
//   GET  /api/stories/{id}          JSON: the story (story --format json)
//   GET  /api/health                JSON: ok, snapshots, store position
//   POST /api/match[?format=]       JSON: would these texts (a dump, or one
//                                   JSON object) join a stored story, by
//                                   which rule and evidence? Read-only.
//   POST /api/ingest?source=&at=    a dump in the body; only with the token
// Reads go through a StoreFollower refreshed in the background: they never
// block the ingest (no lock is taken) and each request sees one committed
// state. Errors are JSON {"error": {"code", "message"}} under /api/ and a
// page elsewhere; unknown paths are 404. Request bodies and query values
// are capped.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace newsdedup {

struct ServerOptions {
  std::string db;  // The store folder; it must hold a store.
  // Where to listen. Default: loopback only; anything else is a choice.
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port()).
  // Required (as "Authorization: Bearer TOKEN") by POST /api/ingest;
  // empty: the server takes no writes.
  std::string token;
  // How the server is reached, for absolute links in feeds
  // ("https://news.example.org"); empty: from the request's Host header.
  std::string public_url;
  // Worker threads; each open connection holds one while it is kept alive.
  int threads = 32;
  // How often the store is checked for snapshots committed by others.
  std::chrono::milliseconds refresh_interval{1000};
  size_t max_body_bytes = 64 << 20;  // POST bodies (a dump to ingest).
  size_t max_query_bytes = 1024;     // Any one query value.
  size_t max_match_bytes = 1 << 20;  // POST /api/match bodies.
  size_t max_page_size = 500;        // Largest `limit` of a listing.
  // Reports kept between requests (tools/report_cache.h).
  size_t report_cache_bytes = 256 << 20;
};

class Server {
 public:
  // Opens the store, binds and starts serving on background threads.
  // NotFoundError when the store is missing; UnavailableError when the
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();  // Stops.

  // The bound port (the chosen one when ServerOptions::port was 0).
  int port() const;
  // Stops listening, finishes the requests in flight and joins the threads.
  void Stop();
  // Blocks until Stop() (from another thread).
  void Wait();

 private:
  struct Rep;
  explicit Server(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_SERVER_H_
