#include "tools/server.h"

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <regex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "store/ingest.h"
#include "store/queries.h"
#include "store/store_follower.h"
#include "tools/atom_feed.h"
#include "tools/html_pages.h"
#include "tools/report_cache.h"
#include "tools/report_format.h"
#include "tools/times.h"

namespace newsdedup {
namespace {

// Snapshots a source's feed is built from, newest first.
constexpr size_t kFeedSnapshots = 20;
// Snapshots per source on the home page.
constexpr size_t kHomeSnapshots = 10;
// Items of one POST /api/match: each is resolved like an ingested item.
constexpr size_t kMaxMatchItems = 1000;

// What a handler answers.
struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
  // Sent instead of `body` when set: a cached report, shared, never copied.
  std::shared_ptr<const std::string> shared_body;
};

int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 413;
    case absl::StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

// Two decimals, as the report gives its similarities.
double Round2(double value) { return std::round(value * 100.0) / 100.0; }

std::string Dump(const nlohmann::json& json) {
  // Stored texts are valid UTF-8; a request value need not be.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply JsonReply(const nlohmann::json& json, int status = 200) {
  return {status, "application/json; charset=utf-8", Dump(json) + "\n", nullptr};
}

Reply JsonError(int status, std::string_view message) {
  return JsonReply({{"error", {{"code", status}, {"message", message}}}}, status);
}

Reply JsonError(const absl::Status& status) {
  return JsonError(HttpStatus(status), std::string(status.message()));
}

Reply HtmlReply(std::string body, int status = 200) {
  return {status, "text/html; charset=utf-8", std::move(body), nullptr};
}

Reply PageError(const absl::Status& status) {
  const int code = HttpStatus(status);
  return HtmlReply(RenderErrorPage(code, std::string(status.message())), code);
}

absl::Status BadRequest(std::string_view message) {
  return absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
}

// "latest" (of `source` when given) or a snapshot id.
absl::StatusOr<uint64_t> SnapshotRef(StoryStore* store, const std::string& text,
                                     const std::string& source) {
  if (text == "latest") return LatestSnapshotId(store, source);
  uint64_t id = 0;
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      !absl::SimpleAtoi(text, &id) || id == 0) {
    return BadRequest("a snapshot is a positive number or 'latest'");
  }
  return id;
}

// Story ids are short and plain ("s-000003"); anything else is refused
// before it reaches the store or a message.
absl::Status ValidateStoryId(const std::string& id) {
  const bool plain =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
      });
  return plain ? absl::OkStatus() : BadRequest("a story id is letters, digits, '-', '_' or '.'");
}

// The texts of the first `max_entries` new stories of `reports`, by version
// id, which a feed shows (a report carries texts only for changes).
absl::StatusOr<std::map<uint64_t, std::string>> NewTexts(
    StoryStore* store, size_t max_entries,
    const std::vector<std::shared_ptr<const SnapshotReport>>& reports) {
  std::vector<uint64_t> version_ids;
  for (const std::shared_ptr<const SnapshotReport>& report : reports) {
    for (const ReportEntry& entry : report->stories) {
      if (entry.status == StoryStatus::kNew && version_ids.size() < max_entries) {
        version_ids.push_back(entry.version_id);
      }
    }
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store->MultiGetVersions(version_ids);
  if (!versions.ok()) return versions.status();
  std::map<uint64_t, std::string> texts;
  for (const std::optional<VersionRecord>& version : *versions) {
    if (version.has_value()) texts[version->id] = VersionText(*version);
  }
  return texts;
}

// The answers, each from one fixed view of the store.
class Handlers {
 public:
  Handlers(const ServerOptions& options, StoreFollower* follower)
      : options_(options), follower_(follower), reports_(options.report_cache_bytes) {}

  Reply HomeHtml() {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<std::vector<SourceSummary>> sources = ListSources(view.store(), kHomeSnapshots);
    if (!sources.ok()) return PageError(sources.status());
    std::vector<HomeSource> home;
    for (SourceSummary& source : *sources) {
      HomeSource entry;
      for (uint64_t id : source.latest) {
        absl::StatusOr<ReportCache::Entry> report = reports_.Get(view, id);
        if (!report.ok()) return PageError(report.status());
        entry.latest.push_back(report->report);
      }
      entry.source = std::move(source);
      home.push_back(std::move(entry));
    }
    return HtmlReply(RenderHomePage(home));
  }

  Reply SnapshotHtml(const std::string& ref) {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<uint64_t> id = SnapshotRef(view.store(), ref, "");
    if (!id.ok()) return PageError(id.status());
    absl::StatusOr<ReportCache::Entry> report = reports_.Get(view, *id);
    if (!report.ok()) return PageError(report.status());
    absl::StatusOr<SnapshotNeighbours> neighbours = GetNeighbours(view.store(), *id);
    if (!neighbours.ok()) return PageError(neighbours.status());
    return HtmlReply(RenderSnapshotPage(*report->report, *neighbours, SnapshotPageOptions()));
  }

  Reply StoryHtml(const std::string& id) {
    if (absl::Status valid = ValidateStoryId(id); !valid.ok()) return PageError(valid);
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<StoryView> story = GetStoryView(view.store(), id);
    if (!story.ok()) return PageError(story.status());
    return HtmlReply(RenderStoryPage(*story));
  }

  Reply SearchHtml(const std::string& query) {
    if (query.empty()) return PageError(BadRequest("give title words or a URL (?q=...)"));
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<StorySearchResult> found = FindStories(view.store(), Search(query, "", 100));
    if (!found.ok()) return PageError(found.status());
    return HtmlReply(RenderSearchPage(query, *found));
  }

  Reply FeedXml(const std::string& source, const std::string& base_url) {
    StoreFollower::View view = follower_->Acquire();
    SnapshotListRequest request;
    request.source = source;
    request.limit = kFeedSnapshots;
    request.newest_first = true;
    absl::StatusOr<SnapshotPage> page = ListSnapshots(view.store(), request);
    if (!page.ok()) return PageError(page.status());
    if (page->snapshots.empty()) {
      return PageError(absl::NotFoundError(absl::StrCat("no source '", source, "'")));
    }
    FeedOptions options;
    options.base_url = base_url;
    std::vector<std::shared_ptr<const SnapshotReport>> reports;
    size_t entries = 0;
    for (const SnapshotRecord& snapshot : page->snapshots) {
      if (entries >= options.max_entries) break;
      absl::StatusOr<ReportCache::Entry> report = reports_.Get(view, snapshot.id);
      if (!report.ok()) return PageError(report.status());
      entries += report->report->new_count + report->report->updated_count;
      reports.push_back(report->report);
    }
    absl::StatusOr<std::map<uint64_t, std::string>> texts =
        NewTexts(view.store(), options.max_entries, reports);
    if (!texts.ok()) return PageError(texts.status());
    return {200, "application/atom+xml; charset=utf-8",
            RenderAtomFeed(source, reports, *texts, options), nullptr};
  }

  // Builds the report of each source's newest snapshot ahead of its first
  // reader, who would otherwise wait for it (a second for 20,000 items).
  void WarmNewest() {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<std::vector<SourceSummary>> sources = ListSources(view.store(), 1);
    if (!sources.ok()) return;
    for (const SourceSummary& source : *sources) {
      for (uint64_t id : source.latest) reports_.Get(view, id).IgnoreError();
    }
  }

  Reply ApiSources() {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<std::vector<SourceSummary>> sources = ListSources(view.store(), kHomeSnapshots);
    if (!sources.ok()) return JsonError(sources.status());
    nlohmann::json out = nlohmann::json::array();
    for (const SourceSummary& source : *sources) {
      out.push_back({{"source", source.name},
                     {"snapshots", source.snapshots},
                     {"first_captured_at", source.first_captured_at},
                     {"last_captured_at", source.last_captured_at},
                     {"latest", source.latest}});
    }
    return JsonReply({{"sources", out}});
  }

  Reply ApiSnapshots(const httplib::Request& req) {
    SnapshotListRequest request;
    request.source = req.get_param_value("source");
    const std::string order = req.get_param_value("order");
    if (!order.empty() && order != "newest" && order != "oldest") {
      return JsonError(BadRequest("order is newest or oldest"));
    }
    request.newest_first = order == "newest";
    absl::StatusOr<size_t> limit = Limit(req, 100);
    if (!limit.ok()) return JsonError(limit.status());
    request.limit = *limit;
    if (req.has_param("after") && !absl::SimpleAtoi(req.get_param_value("after"), &request.after)) {
      return JsonError(BadRequest("after is a snapshot id"));
    }
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<SnapshotPage> page = ListSnapshots(view.store(), request);
    if (!page.ok()) return JsonError(page.status());
    nlohmann::json snapshots = nlohmann::json::array();
    for (const SnapshotRecord& snapshot : page->snapshots)
      snapshots.push_back(SnapshotJson(snapshot));
    return JsonReply({{"snapshots", snapshots},
                      {"next", page->next == 0 ? nlohmann::json() : nlohmann::json(page->next)}});
  }

  Reply ApiReport(const std::string& ref, const std::string& source) {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<uint64_t> id = SnapshotRef(view.store(), ref, source);
    if (!id.ok()) return JsonError(id.status());
    absl::StatusOr<ReportCache::Entry> report = reports_.Get(view, *id);
    if (!report.ok()) return JsonError(report.status());
    return {200, "application/json; charset=utf-8", "", report->json};
  }

  Reply ApiStory(const std::string& id) {
    if (absl::Status valid = ValidateStoryId(id); !valid.ok()) return JsonError(valid);
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<StoryView> story = GetStoryView(view.store(), id);
    if (!story.ok()) return JsonError(story.status());
    return JsonReply(StoryJson(*story));
  }

  Reply ApiStories(const httplib::Request& req) {
    absl::StatusOr<size_t> limit = Limit(req, 50);
    if (!limit.ok()) return JsonError(limit.status());
    const std::string q = req.get_param_value("q");
    const std::string url = req.get_param_value("url");
    if (q.empty() && url.empty()) return JsonError(BadRequest("give q=WORDS or url=URL"));
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<StorySearchResult> found = FindStories(view.store(), Search(q, url, *limit));
    if (!found.ok()) return JsonError(found.status());
    nlohmann::json stories = nlohmann::json::array();
    for (const StoryRecord& story : found->stories) {
      stories.push_back({{"story", story.id},
                         {"title", story.title},
                         {"url", story.url},
                         {"first_seen", story.first_seen},
                         {"last_seen", story.last_seen},
                         {"versions", story.versions.size()}});
    }
    return JsonReply({{"stories", stories}, {"truncated", found->truncated}});
  }

  Reply ApiHealth() {
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<StoreCounters> counters = view.store()->GetCounters();
    if (!counters.ok()) return JsonError(counters.status());
    return JsonReply(
        {{"ok", true}, {"snapshots", counters->last_snapshot_id}, {"position", view.position()}});
  }

  Reply ApiMatch(const httplib::Request& req) {
    if (req.body.size() > options_.max_match_bytes) {
      return JsonError(
          413, absl::StrCat("a text to match is at most ", options_.max_match_bytes, " bytes"));
    }
    std::optional<DumpFormat> format;
    if (req.has_param("format")) {
      absl::StatusOr<DumpFormat> parsed = ParseDumpFormatName(req.get_param_value("format"));
      if (!parsed.ok()) return JsonError(BadRequest("format is listing, article or jsonl"));
      format = *parsed;
    }
    StoreFollower::View view = follower_->Acquire();
    absl::StatusOr<std::vector<TextMatch>> matches =
        MatchDump(view.store(), req.body, format, kMaxMatchItems);
    if (!matches.ok()) return JsonError(matches.status());
    nlohmann::json items = nlohmann::json::array();
    for (const TextMatch& match : *matches) {
      nlohmann::json item = {{"position", match.position},
                             {"title", match.title},
                             {"known", match.known},
                             {"rule", MatchRuleName(match.evidence.rule)},
                             {"in_snapshot", match.in_snapshot},
                             {"similarity", Round2(match.evidence.similarity)},
                             {"containment", Round2(match.evidence.containment)},
                             {"title_similarity", Round2(match.evidence.title_similarity)}};
      if (match.known) {
        item["story"] = {{"story", match.story.id},
                         {"title", match.story.title},
                         {"first_seen", match.story.first_seen},
                         {"last_seen", match.story.last_seen},
                         {"versions", match.story.versions.size()}};
      }
      items.push_back(std::move(item));
    }
    return JsonReply({{"items", items}});
  }

  Reply ApiIngest(const httplib::Request& req) {
    if (options_.token.empty()) {
      return JsonError(absl::PermissionDeniedError(
          "this server takes no writes (start it with --token to allow POST /api/ingest)"));
    }
    if (!TokenMatches(req.get_header_value("Authorization"))) {
      return JsonError(
          absl::UnauthenticatedError("missing or wrong 'Authorization: Bearer' token"));
    }
    absl::StatusOr<IngestRequest> request = IngestRequestOf(req);
    if (!request.ok()) return JsonError(request.status());
    // One write at a time from here; the nightly job may still hold the
    // store, which makes this a 409 rather than a wait.
    std::lock_guard<std::mutex> one_writer(ingest_mutex_);
    StoryStore::Options store_options;
    store_options.create_if_missing = false;
    absl::StatusOr<std::unique_ptr<StoryStore>> store =
        StoryStore::Open(options_.db, MatchParams().Describe(), store_options);
    if (!store.ok()) return JsonError(store.status());
    absl::StatusOr<IngestResult> result = Ingester(store->get(), MatchParams()).Ingest(*request);
    if (!result.ok()) return JsonError(result.status());
    absl::StatusOr<SnapshotReport> report = GetReport(store->get(), result->snapshot.id);
    store->reset();  // Releases the lock before answering.
    if (!report.ok()) return JsonError(report.status());
    if (absl::StatusOr<bool> refreshed = follower_->Refresh(); !refreshed.ok()) {
      spdlog::warn("after POST /api/ingest: {}", refreshed.status().ToString());
    }
    nlohmann::json out = ReportJson(*report, ReportView{});
    out["already_ingested"] = result->already_ingested;
    return JsonReply(out, result->already_ingested ? 200 : 201);
  }

 private:
  static StorySearch Search(const std::string& q, const std::string& url, size_t limit) {
    StorySearch search;
    // A URL typed into the search box is a URL search.
    const bool q_is_url = absl::StartsWith(q, "http://") || absl::StartsWith(q, "https://");
    search.words = q_is_url ? "" : q;
    search.url = q_is_url ? q : url;
    search.limit = limit;
    return search;
  }

  absl::StatusOr<size_t> Limit(const httplib::Request& req, size_t fallback) const {
    if (!req.has_param("limit")) return fallback;
    size_t limit = 0;
    if (!absl::SimpleAtoi(req.get_param_value("limit"), &limit) || limit == 0 ||
        limit > options_.max_page_size) {
      return BadRequest(absl::StrCat("limit is a number from 1 to ", options_.max_page_size));
    }
    return limit;
  }

  bool TokenMatches(const std::string& header) const {
    const std::string expected = "Bearer " + options_.token;
    // Compares every byte whatever differs first, so that timing does not
    // tell how much of a guess was right.
    unsigned char difference = header.size() != expected.size();
    for (size_t i = 0; i < expected.size(); ++i) {
      difference |= static_cast<unsigned char>(expected[i] ^ (i < header.size() ? header[i] : 0));
    }
    return difference == 0;
  }

  static absl::StatusOr<IngestRequest> IngestRequestOf(const httplib::Request& req) {
    IngestRequest request;
    request.source = req.has_param("source") ? req.get_param_value("source") : "default";
    request.file_name = req.has_param("file") ? req.get_param_value("file") : "-";
    if (req.has_param("at")) {
      absl::StatusOr<CaptureTime> at =
          ParseCaptureTime(req.get_param_value("at"), absl::UTCTimeZone());
      if (!at.ok()) return at.status();
      request.captured_at = at->stored;
    } else {
      request.captured_at = CaptureTimeNow();
    }
    if (req.has_param("format")) {
      absl::StatusOr<DumpFormat> format = ParseDumpFormatName(req.get_param_value("format"));
      if (!format.ok()) return BadRequest("format is listing, article or jsonl");
      request.parse_options.format = *format;
    }
    request.bytes = req.body;
    return request;
  }

  const ServerOptions& options_;
  StoreFollower* follower_;
  std::mutex ingest_mutex_;
  ReportCache reports_;
};

}  // namespace

struct Server::Rep {
  ServerOptions options;
  std::unique_ptr<StoreFollower> follower;
  std::unique_ptr<Handlers> handlers;
  httplib::Server http;
  int port = 0;
  std::thread listener;
  std::thread refresher;
  std::mutex stop_mutex;
  std::condition_variable stop_signal;
  bool stopping = false;

  void Refresh();
  void Route();
  std::string BaseUrl(const httplib::Request& req) const;
};

namespace {

void Send(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  if (reply.shared_body == nullptr) {
    res.set_content(reply.body, reply.content_type);
    return;
  }
  std::shared_ptr<const std::string> body = reply.shared_body;
  res.set_content_provider(body->size(), reply.content_type,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(body->data() + offset, length);
                           });
}

bool IsApi(const httplib::Request& req) { return absl::StartsWith(req.path, "/api/"); }

}  // namespace

std::string Server::Rep::BaseUrl(const httplib::Request& req) const {
  if (!options.public_url.empty()) return options.public_url;
  const std::string host = req.get_header_value("Host");
  const bool plain =
      !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
      });
  return absl::StrCat("http://", plain ? host : absl::StrCat(options.host, ":", port));
}

void Server::Rep::Route() {
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    Send(handlers->HomeHtml(), res);
  });
  http.Get(kStylesheetPath, [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(std::string(Stylesheet()), "text/css; charset=utf-8");
  });
  http.Get(R"(/snapshots/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->SnapshotHtml(req.matches[1]), res);
  });
  http.Get(R"(/stories/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->StoryHtml(req.matches[1]), res);
  });
  http.Get("/search", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->SearchHtml(req.get_param_value("q")), res);
  });
  http.Get(R"(/feeds/(.+)\.atom)", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->FeedXml(req.matches[1], BaseUrl(req)), res);
  });
  http.Get("/api/sources", [this](const httplib::Request&, httplib::Response& res) {
    Send(handlers->ApiSources(), res);
  });
  http.Get("/api/snapshots", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->ApiSnapshots(req), res);
  });
  http.Get(R"(/api/snapshots/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) {
             Send(handlers->ApiReport(req.matches[1], req.get_param_value("source")), res);
           });
  http.Get("/api/stories", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->ApiStories(req), res);
  });
  http.Get(R"(/api/stories/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->ApiStory(req.matches[1]), res);
  });
  http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
    Send(handlers->ApiHealth(), res);
  });
  http.Post("/api/match", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->ApiMatch(req), res);
  });
  http.Post("/api/ingest", [this](const httplib::Request& req, httplib::Response& res) {
    Send(handlers->ApiIngest(req), res);
  });
}

void Server::Rep::Refresh() {
  std::string last_error;
  handlers->WarmNewest();
  std::unique_lock<std::mutex> lock(stop_mutex);
  while (!stop_signal.wait_for(lock, options.refresh_interval, [&] { return stopping; })) {
    lock.unlock();
    absl::StatusOr<bool> refreshed = follower->Refresh();
    // One line per new problem, not one per second while it lasts.
    if (!refreshed.ok() && refreshed.status().ToString() != last_error) {
      last_error = refreshed.status().ToString();
      spdlog::warn("cannot refresh the store view: {}", last_error);
    } else if (refreshed.ok()) {
      if (!last_error.empty()) spdlog::info("store view refreshed again");
      last_error.clear();
      if (*refreshed) {
        spdlog::debug("store view refreshed");
        handlers->WarmNewest();
      }
    }
    lock.lock();
  }
}

Server::Server(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Server::~Server() { Stop(); }

int Server::port() const { return rep_->port; }

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  absl::StatusOr<std::unique_ptr<StoreFollower>> follower = StoreFollower::Open(options.db);
  if (!follower.ok()) return follower.status();
  rep->follower = *std::move(follower);
  rep->handlers = std::make_unique<Handlers>(rep->options, rep->follower.get());
  Rep* r = rep.get();
  const int threads = std::max(1, options.threads);
  r->http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  r->http.set_payload_max_length(options.max_body_bytes);
  // httplib's default also sets SO_REUSEPORT, which lets a second server
  // share a busy port in silence; a restart only needs SO_REUSEADDR.
  r->http.set_socket_options([](socket_t socket) {
    const int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  r->http.set_keep_alive_max_count(1000);
  r->http.set_keep_alive_timeout(5);
  r->http.set_read_timeout(10);
  r->http.set_write_timeout(10);
  r->http.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
  });
  // Every query value is capped before any handler sees it.
  r->http.set_pre_routing_handler([r](const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, value] : req.params) {
      if (name.size() + value.size() > r->options.max_query_bytes) {
        Send(JsonError(414, absl::StrCat("query value '", name.substr(0, 40), "' is longer than ",
                                         r->options.max_query_bytes, " bytes")),
             res);
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Unknown paths, bodies over the cap and the like: a JSON error under
  // /api/, a page elsewhere, unless the handler already answered.
  r->http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const std::string message = res.status == 404   ? "no such page"
                                : res.status == 413 ? "request body too large"
                                                    : absl::StrCat("HTTP ", res.status);
    Send(IsApi(req) ? JsonError(res.status, message)
                    : HtmlReply(RenderErrorPage(res.status, message), res.status),
         res);
  });
  r->http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("{} {} {}", req.method, req.path, res.status);
  });
  r->Route();
  r->port = options.port == 0
                ? r->http.bind_to_any_port(options.host)
                : (r->http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (r->port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.host, ":", options.port,
                                               " (in use, or not an address of this machine)"));
  }
  r->listener = std::thread([r] { r->http.listen_after_bind(); });
  r->refresher = std::thread([r] { r->Refresh(); });
  return std::unique_ptr<Server>(new Server(std::move(rep)));
}

void Server::Stop() {
  if (rep_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(rep_->stop_mutex);
    rep_->stopping = true;
  }
  rep_->stop_signal.notify_all();
  rep_->http.stop();
  if (rep_->listener.joinable()) rep_->listener.join();
  if (rep_->refresher.joinable()) rep_->refresher.join();
}

void Server::Wait() {
  std::unique_lock<std::mutex> lock(rep_->stop_mutex);
  rep_->stop_signal.wait(lock, [&] { return rep_->stopping; });
}

}  // namespace newsdedup
