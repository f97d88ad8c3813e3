#ifndef NEWSDEDUP_TOOLS_WEBHOOK_H_
#define NEWSDEDUP_TOOLS_WEBHOOK_H_

// Notifying other systems of a new snapshot (ingest --notify URL): the
// snapshot's JSON report POSTed to each URL after the commit, with a
// timeout and a few retries. A webhook that fails is reported and
// forgotten; it never undoes or fails the ingest.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsdedup {

struct WebhookOptions {
  // Per attempt, for connecting, sending and reading the answer each.
  double timeout_seconds = 5;
  int attempts = 3;
  // Wait before the second attempt; doubled before each later one.
  double backoff_seconds = 0.5;
};

// InvalidArgumentError unless `url` is http:// or https:// with a host.
absl::Status ValidateWebhookUrl(const std::string& url);

// The URLs of a notify file: one per line; blank lines and lines starting
// with '#' are skipped. InvalidArgumentError naming the line of a bad URL.
absl::StatusOr<std::vector<std::string>> ParseWebhookList(const std::string& text);

// POSTs `json` to `url` as application/json. Retries after a connection
// failure, a timeout, a 5xx or a 429 answer; a 2xx is success. Returns
// UnavailableError (or FailedPreconditionError for a 4xx, which retrying
// cannot fix) naming the URL and the last failure.
absl::Status PostJson(const std::string& url, const std::string& json,
                      const WebhookOptions& options);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_WEBHOOK_H_
