#ifndef NEWSDEDUP_STORE_SNAPSHOT_LEDGER_H_
#define NEWSDEDUP_STORE_SNAPSHOT_LEDGER_H_

// The snapshot-id ledger: an append-only text file in the store folder that
// lists every snapshot id committed or deleted, appended and fsynced right
// after the RocksDB write it records. RocksDB recovers from a damaged
// write-ahead log or MANIFEST to an earlier consistent state without a word,
// taking acknowledged snapshots along; the ledger lives outside both, so
// that opening the store and `check` can tell a deleted snapshot from a lost
// one. It holds no data: the store's own records always win, and a ledger
// behind the store (a crash between the commit and the append) is caught up.
//
// Format (text, one event per line, after a header line):
//   newsdedup snapshot ledger 1
//   commit ID CONTENT_HASH
//   delete ID
// A last line without its newline is an append cut by a crash and is
// ignored; any other line that does not parse makes the ledger corrupt. A
// later line about an id replaces an earlier one.
//
// Plain file I/O, independent of RocksDB.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsdedup {

struct LedgerEvent {
  enum class Kind { kCommit, kDelete };
  Kind kind = Kind::kCommit;
  uint64_t snapshot_id = 0;
  std::string content_hash;  // For kCommit; no spaces or newlines.
};

// What the ledger says about each snapshot id it names.
struct Ledger {
  struct Entry {
    bool deleted = false;
    std::string content_hash;  // Of the committed snapshot.
  };
  std::map<uint64_t, Entry> snapshots;
  // Largest id named; 0 for an empty ledger.
  uint64_t LastId() const { return snapshots.empty() ? 0 : snapshots.rbegin()->first; }
};

// NotFoundError when `path` does not exist; DataLossError naming the line
// for a ledger that does not parse.
absl::StatusOr<Ledger> ReadLedger(const std::string& path);
// The same for the ledger text `text`; `name` (a path) starts error messages.
absl::StatusOr<Ledger> ParseLedger(std::string_view text, std::string_view name);
// The text of a ledger holding `events` (what WriteLedger writes).
std::string LedgerText(std::span<const LedgerEvent> events);

// Appends `events` in one write and fsyncs. REQUIRES: the ledger exists.
absl::Status AppendToLedger(const std::string& path, std::span<const LedgerEvent> events);

// Writes a ledger holding `events` in place of `path`, atomically (a temporary
// file renamed over it, both fsynced).
absl::Status WriteLedger(const std::string& path, std::span<const LedgerEvent> events);

// What the store holds, to compare with its ledger.
struct StoredSnapshotIds {
  std::map<uint64_t, std::string> present;  // Id -> content hash.
  std::vector<uint64_t> deleted;            // Recorded as deleted.
};

// How a store and its ledger disagree.
struct LedgerComparison {
  // Committed per the ledger, neither present nor recorded as deleted.
  std::vector<uint64_t> lost;
  // Present with another content hash than the ledger's: the ledger's
  // snapshot was lost and another took its id.
  std::vector<uint64_t> replaced;
  // Deleted per the ledger, present in the store: the store lost the
  // deletion.
  std::vector<uint64_t> undeleted;
  // In the store, not (yet) in the ledger: to append.
  std::vector<LedgerEvent> missing_from_ledger;
  bool Consistent() const { return lost.empty() && replaced.empty() && undeleted.empty(); }
};

LedgerComparison CompareWithLedger(const Ledger& ledger, const StoredSnapshotIds& stored);

// The events that describe `stored` (for a new or restored store).
std::vector<LedgerEvent> LedgerEventsOf(const StoredSnapshotIds& stored);

// "3, 5-9, 12": ids (ascending) as ranges, at most `max_ranges` of them.
std::string DescribeIds(std::span<const uint64_t> ids, size_t max_ranges = 20);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_SNAPSHOT_LEDGER_H_
