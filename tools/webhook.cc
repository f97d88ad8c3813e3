#include "tools/webhook.h"

#include <chrono>
#include <cmath>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "httplib.h"

namespace newsdedup {
namespace {

constexpr char kUserAgent[] = "newsdedup/0.1.0";

// A URL split the way httplib's client wants it.
struct Target {
  std::string scheme_host_port;  // "http://host:8080".
  std::string path;              // "/hook?x=1".
};

absl::StatusOr<Target> SplitUrl(const std::string& url) {
  const std::string lower = absl::AsciiStrToLower(url);
  const bool https = absl::StartsWith(lower, "https://");
  if (!https && !absl::StartsWith(lower, "http://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook URL must start with http:// or https://, not '", url, "'"));
  }
  const size_t start = https ? 8 : 7;
  const size_t slash = url.find_first_of("/?#", start);
  const std::string authority =
      url.substr(start, slash == std::string::npos ? slash : slash - start);
  if (authority.empty() || authority.find('@') != std::string::npos ||
      authority.find_first_of(" \t\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("webhook URL '", url, "' has no valid host"));
  }
  Target target;
  target.scheme_host_port = absl::StrCat(https ? "https://" : "http://", authority);
  target.path = slash == std::string::npos ? "/" : url.substr(slash);
  if (target.path[0] != '/') target.path = "/" + target.path;
  if (const size_t hash = target.path.find('#'); hash != std::string::npos) {
    target.path.resize(hash);
  }
  return target;
}

void SetTimeouts(httplib::Client& client, double seconds) {
  const auto timeout = std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
}

}  // namespace

absl::Status ValidateWebhookUrl(const std::string& url) { return SplitUrl(url).status(); }

absl::StatusOr<std::vector<std::string>> ParseWebhookList(const std::string& text) {
  std::vector<std::string> urls;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    const std::string url(absl::StripAsciiWhitespace(line));
    if (url.empty() || url[0] == '#') continue;
    if (absl::Status status = ValidateWebhookUrl(url); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_number, ": ", status.message()));
    }
    urls.push_back(url);
  }
  return urls;
}

absl::Status PostJson(const std::string& url, const std::string& json,
                      const WebhookOptions& options) {
  absl::StatusOr<Target> target = SplitUrl(url);
  if (!target.ok()) return target.status();
  httplib::Client client(target->scheme_host_port);
  SetTimeouts(client, options.timeout_seconds);
  client.set_keep_alive(false);
  const httplib::Headers headers = {{"User-Agent", kUserAgent}, {"X-Newsdedup-Event", "snapshot"}};
  std::string last_failure = "not attempted";
  double backoff = options.backoff_seconds;
  for (int attempt = 1; attempt <= options.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(backoff * 1e6)));
      backoff *= 2;
    }
    const httplib::Result result = client.Post(target->path, headers, json, "application/json");
    if (!result) {
      last_failure = httplib::to_string(result.error());
      continue;
    }
    const int status = result->status;
    if (status >= 200 && status < 300) return absl::OkStatus();
    last_failure = absl::StrCat("HTTP ", status);
    // A client error is the receiver refusing this request: sending it
    // again gets the same answer (but 429 asks to come back later).
    if (status >= 400 && status < 500 && status != 429) {
      return absl::FailedPreconditionError(
          absl::StrCat("webhook ", url, " refused the report: ", last_failure));
    }
  }
  return absl::UnavailableError(absl::StrCat("webhook ", url, " failed after ", options.attempts,
                                             " attempts: ", last_failure));
}

}  // namespace newsdedup
