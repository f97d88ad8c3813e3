#include "store/ingest_checks.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "store/ingest.h"

namespace newsdedup {
namespace {

// Later than any capture time: the upper bound for "the latest capture".
constexpr char kAfterAnyTime[] = "9999-12-31T23:59:59Z";

constexpr char kCheckPayload[] = "newsdedup/ingest-check";

bool HasText(const Item& item) { return !item.lede.empty() || !item.body.empty(); }

absl::Status Refused(IngestCheck check, const std::string& message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kCheckPayload, absl::Cord(std::string(1, static_cast<char>(check))));
  return status;
}

}  // namespace

std::optional<IngestCheck> RefusedBy(const absl::Status& status) {
  const auto payload = status.GetPayload(kCheckPayload);
  if (!payload.has_value() || payload->size() != 1) return std::nullopt;
  return static_cast<IngestCheck>(std::string(*payload)[0]);
}

IngestChecks IngestChecks::Nightly() {
  IngestChecks checks;
  checks.refuse_empty = true;
  checks.refuse_no_text = true;
  // Half: a listing page varies by a few items from night to night; a scrape
  // cut by a timeout or a consent wall keeps a handful (the 700-byte cut of
  // a 21-item seed keeps 2).
  checks.min_listing_share = 0.5;
  checks.refuse_past = true;
  return checks;
}

absl::Status CheckDumpContent(const PreparedDump& dump) {
  const IngestChecks& checks = dump.request.checks;
  const std::vector<Item>& items = dump.dump.items;
  if (checks.refuse_empty && items.empty()) {
    return Refused(IngestCheck::kEmpty, "empty dump (no items): a failed scrape?");
  }
  if (checks.refuse_no_text && !items.empty() && std::none_of(items.begin(), items.end(), HasText)) {
    return Refused(IngestCheck::kNoText,
                   absl::StrCat("no text in ", items.size(), items.size() == 1 ? " item" : " items",
                                ", only titles: a page that did not load?"));
  }
  const std::string& at = dump.request.captured_at;
  if (!checks.latest_allowed_time.empty() && at > checks.latest_allowed_time) {
    return Refused(IngestCheck::kFuture,
                   absl::StrCat("captured at ", at, ", later than ", checks.latest_allowed_time,
                                ": a wrong capture time or clock?"));
  }
  return absl::OkStatus();
}

absl::Status IngestChecker::Check(const PreparedDump& dump) {
  const IngestRequest& request = dump.request;
  absl::StatusOr<std::optional<SnapshotRecord>> existing =
      store_->FindSnapshot(request.source, request.captured_at, dump.content_hash);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return absl::OkStatus();
  if (absl::Status content = CheckDumpContent(dump); !content.ok()) return content;
  const IngestChecks& checks = request.checks;
  absl::StatusOr<std::string> latest = LatestCapture(request.source);
  if (!latest.ok()) return latest.status();
  if (checks.refuse_past && request.captured_at < *latest) {
    return Refused(IngestCheck::kPast,
                   absl::StrCat("captured at ", request.captured_at,
                                ", before the latest capture of '", request.source, "' (", *latest,
                                "): a wrong capture time?"));
  }
  // An empty dump let through on purpose needs no second override.
  const bool allowed_empty = dump.dump.items.empty() && !checks.refuse_empty;
  if (dump.kind == SnapshotKind::kListing && checks.min_listing_share > 0 && !allowed_empty) {
    absl::StatusOr<std::pair<uint32_t, std::string>> previous =
        PreviousListing(request.source, request.captured_at);
    if (!previous.ok()) return previous.status();
    const size_t items = dump.dump.items.size();
    if (items < checks.min_listing_share * previous->first) {
      return Refused(IngestCheck::kShrunk,
                     absl::StrFormat("%d of the %d items of the last listing of '%s' (%s), below "
                                     "%.0f%%: a scrape cut short?",
                                     items, previous->first, request.source, previous->second,
                                     100 * checks.min_listing_share));
    }
  }
  std::string& checked = latest_checked_[request.source];
  checked = std::max(checked, request.captured_at);
  if (dump.kind == SnapshotKind::kListing) {
    uint32_t& largest = listings_checked_[request.source][request.captured_at];
    largest = std::max<uint32_t>(largest, dump.dump.items.size());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> IngestChecker::LatestCapture(const std::string& source) {
  std::string latest = latest_checked_[source];
  for (SnapshotKind kind : {SnapshotKind::kListing, SnapshotKind::kArticle}) {
    absl::StatusOr<std::optional<std::string>> time =
        store_->PreviousCaptureTime(source, kind, kAfterAnyTime);
    if (!time.ok()) return time.status();
    if (time->has_value()) latest = std::max(latest, **time);
  }
  return latest;
}

absl::StatusOr<std::pair<uint32_t, std::string>> IngestChecker::PreviousListing(
    const std::string& source, const std::string& captured_at) {
  absl::StatusOr<std::optional<std::string>> stored =
      store_->PreviousCaptureTime(source, SnapshotKind::kListing, captured_at);
  if (!stored.ok()) return stored.status();
  // A capture checked here (not committed yet) that is later than the
  // stored one and still before this dump.
  const std::map<std::string, uint32_t>& checked = listings_checked_[source];
  auto before = checked.lower_bound(captured_at);
  if (before != checked.begin() && (--before, !stored->has_value() || before->first > **stored)) {
    return std::make_pair(before->second, before->first);
  }
  if (!stored->has_value()) return std::make_pair(uint32_t{0}, std::string());
  absl::StatusOr<std::vector<SnapshotRecord>> capture =
      store_->SnapshotsAt(source, SnapshotKind::kListing, **stored);
  if (!capture.ok()) return capture.status();
  uint32_t largest = 0;
  for (const SnapshotRecord& snapshot : *capture) largest = std::max(largest, snapshot.item_count);
  return std::make_pair(largest, **stored);
}

}  // namespace newsdedup
