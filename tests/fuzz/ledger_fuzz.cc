// The snapshot-id ledger parser on arbitrary text (a damaged or hand-edited
// ledger): never crashes, and a ledger that parses, written back from its
// entries, parses to the same entries.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "store/snapshot_ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsdedup;  // NOLINT
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<Ledger> ledger = ParseLedger(text, "fuzz");
  if (!ledger.ok()) return 0;
  std::vector<LedgerEvent> events;
  for (const auto& [id, entry] : ledger->snapshots) {
    events.push_back(entry.deleted
                         ? LedgerEvent{LedgerEvent::Kind::kDelete, id, ""}
                         : LedgerEvent{LedgerEvent::Kind::kCommit, id, entry.content_hash});
  }
  const absl::StatusOr<Ledger> again = ParseLedger(LedgerText(events), "fuzz");
  bool same = again.ok() && again->snapshots.size() == ledger->snapshots.size();
  for (auto a = ledger->snapshots.begin(), b = again.ok() ? again->snapshots.begin() : a;
       same && a != ledger->snapshots.end(); ++a, ++b) {
    same = a->first == b->first && a->second.deleted == b->second.deleted &&
           a->second.content_hash == b->second.content_hash;
  }
  if (!same) {
    std::fprintf(stderr, "ledger does not survive being written back\n");
    std::abort();
  }
  return 0;
}
