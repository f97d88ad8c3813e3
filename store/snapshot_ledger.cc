#include "store/snapshot_ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "store/store_files.h"

namespace newsdedup {
namespace {

constexpr char kHeader[] = "newsdedup snapshot ledger 1";
// Stands for an empty content hash, so that every line has its fields.
constexpr char kNoHash[] = "-";

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  const int error = errno;
  const std::string message = absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(error));
  if (error == ENOSPC || error == EDQUOT) return absl::ResourceExhaustedError(message);
  if (error == EACCES || error == EPERM) return absl::PermissionDeniedError(message);
  if (error == EROFS) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

std::string EventLine(const LedgerEvent& event) {
  if (event.kind == LedgerEvent::Kind::kDelete) {
    return absl::StrCat("delete ", event.snapshot_id, "\n");
  }
  return absl::StrCat("commit ", event.snapshot_id, " ",
                      event.content_hash.empty() ? kNoHash : event.content_hash, "\n");
}

absl::Status WriteAllAndSync(int fd, const std::string& bytes, const std::string& path) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", path);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return ErrnoError("sync", path);
  return absl::OkStatus();
}

// Applies one line to `ledger`; false if it does not parse.
bool ApplyLine(absl::string_view line, Ledger* ledger) {
  const std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
  uint64_t id = 0;
  if (fields.size() == 2 && fields[0] == "delete" && absl::SimpleAtoi(fields[1], &id) && id > 0) {
    ledger->snapshots[id] = Ledger::Entry{.deleted = true, .content_hash = ""};
    return true;
  }
  if (fields.size() == 3 && fields[0] == "commit" && absl::SimpleAtoi(fields[1], &id) && id > 0 &&
      !fields[2].empty()) {
    ledger->snapshots[id] = Ledger::Entry{
        .deleted = false, .content_hash = fields[2] == kNoHash ? "" : std::string(fields[2])};
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Ledger> ReadLedger(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) {
      return absl::NotFoundError(absl::StrCat(path, " does not exist"));
    }
    return absl::InternalError(absl::StrCat("cannot read ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseLedger(buffer.str(), path);
}

absl::StatusOr<Ledger> ParseLedger(std::string_view text, std::string_view name) {
  Ledger ledger;
  size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;  // Cut by a crash: never acknowledged.
    const absl::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_number;
    const bool parsed = line_number == 1 ? line == kHeader : ApplyLine(line, &ledger);
    if (!parsed) {
      return absl::DataLossError(absl::StrCat(absl::string_view(name.data(), name.size()),
                                              " line ", line_number, " is damaged: '",
                                              line.substr(0, 80), "'"));
    }
  }
  if (line_number == 0) {
    return absl::DataLossError(
        absl::StrCat(absl::string_view(name.data(), name.size()), " has no header line"));
  }
  return ledger;
}

std::string LedgerText(std::span<const LedgerEvent> events) {
  std::string text = absl::StrCat(kHeader, "\n");
  for (const LedgerEvent& event : events) text += EventLine(event);
  return text;
}

absl::Status AppendToLedger(const std::string& path, std::span<const LedgerEvent> events) {
  if (events.empty()) return absl::OkStatus();
  std::string bytes;
  for (const LedgerEvent& event : events) bytes += EventLine(event);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open", path);
  absl::Status status = WriteAllAndSync(fd, bytes, path);
  if (::close(fd) != 0 && status.ok()) status = ErrnoError("close", path);
  return status;
}

absl::Status WriteLedger(const std::string& path, std::span<const LedgerEvent> events) {
  const std::string bytes = LedgerText(events);
  const std::string temporary = absl::StrCat(path, ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("create", temporary);
  absl::Status status = WriteAllAndSync(fd, bytes, temporary);
  if (::close(fd) != 0 && status.ok()) status = ErrnoError("close", temporary);
  if (status.ok() && ::rename(temporary.c_str(), path.c_str()) != 0) {
    status = ErrnoError("rename", temporary);
  }
  if (!status.ok()) {
    ::unlink(temporary.c_str());
    return status;
  }
  return SyncFolder(std::filesystem::path(path).parent_path().empty()
                        ? std::filesystem::path(".")
                        : std::filesystem::path(path).parent_path());
}

LedgerComparison CompareWithLedger(const Ledger& ledger, const StoredSnapshotIds& stored) {
  LedgerComparison comparison;
  const std::set<uint64_t> deleted(stored.deleted.begin(), stored.deleted.end());
  for (const auto& [id, entry] : ledger.snapshots) {
    const auto present = stored.present.find(id);
    if (entry.deleted) {
      if (present != stored.present.end()) comparison.undeleted.push_back(id);
      continue;
    }
    if (present != stored.present.end()) {
      if (present->second != entry.content_hash) comparison.replaced.push_back(id);
    } else if (!deleted.contains(id)) {
      comparison.lost.push_back(id);
    }
  }
  for (const auto& [id, hash] : stored.present) {
    const auto known = ledger.snapshots.find(id);
    if (known == ledger.snapshots.end()) {
      comparison.missing_from_ledger.push_back(
          {.kind = LedgerEvent::Kind::kCommit, .snapshot_id = id, .content_hash = hash});
    }
  }
  for (uint64_t id : deleted) {
    const auto known = ledger.snapshots.find(id);
    if (known == ledger.snapshots.end() || !known->second.deleted) {
      comparison.missing_from_ledger.push_back(
          {.kind = LedgerEvent::Kind::kDelete, .snapshot_id = id, .content_hash = ""});
    }
  }
  return comparison;
}

std::vector<LedgerEvent> LedgerEventsOf(const StoredSnapshotIds& stored) {
  return CompareWithLedger(Ledger(), stored).missing_from_ledger;
}

std::string DescribeIds(std::span<const uint64_t> ids, size_t max_ranges) {
  std::vector<std::string> ranges;
  for (size_t i = 0; i < ids.size();) {
    size_t end = i + 1;
    while (end < ids.size() && ids[end] == ids[end - 1] + 1) ++end;
    if (ranges.size() == max_ranges) {
      ranges.push_back(absl::StrCat("... (", ids.size() - i, " more)"));
      break;
    }
    ranges.push_back(end - i == 1 ? absl::StrCat(ids[i])
                                  : absl::StrCat(ids[i], "-", ids[end - 1]));
    i = end;
  }
  return absl::StrJoin(ranges, ", ");
}

}  // namespace newsdedup
