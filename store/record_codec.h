#ifndef NEWSDEDUP_STORE_RECORD_CODEC_H_
#define NEWSDEDUP_STORE_RECORD_CODEC_H_

// The binary format of the records a StoryStore keeps (store/records.h).
// Every record starts with a format version byte, then its fields in
// declaration order: integers as LEB128 varints, strings and lists as a
// varint length followed by their bytes or elements, doubles as 8
// little-endian bytes of their IEEE-754 bits, booleans as one byte. A record
// Enums are one byte, checked against their range. A record
// whose version byte is unknown, that ends early or that carries trailing
// bytes is corrupt: decoding it returns DataLossError and never crashes or
// allocates more than the bytes given could describe.
//
// Independent of RocksDB; only the store calls it.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/records.h"

namespace newsdedup {

// Written as the first byte of every record. Bump it, and keep decoding the
// older values, when a record's layout changes within one store schema
// (store/store_format.h's kSchemaVersion). Version 2 (schema 2) stores
// enums as bytes and stories' per-source appearances, version 3 (schema 3)
// a version's title in its record too, version 4 (schema 4) items'
// transition evidence and the histories of source texts; older stores are
// refused at open, so older versions are no longer read.
inline constexpr uint8_t kRecordFormatVersion = 4;

std::string EncodeSnapshot(const SnapshotRecord& record);
absl::StatusOr<SnapshotRecord> DecodeSnapshot(std::string_view bytes);

std::string EncodeItem(const ItemRecord& record);
absl::StatusOr<ItemRecord> DecodeItem(std::string_view bytes);

std::string EncodeStory(const StoryRecord& record);
absl::StatusOr<StoryRecord> DecodeStory(std::string_view bytes);

// A version without its texts (lede and body), which are stored apart so
// that rewriting a version's last-seen time never rewrites its texts. The
// title is in both: a report names thousands of versions and reads no text.
std::string EncodeVersion(const VersionRecord& record);
// Leaves lede and body empty.
absl::StatusOr<VersionRecord> DecodeVersion(std::string_view bytes);

// Only the texts of a version.
std::string EncodeVersionTexts(const VersionRecord& record);
// Sets the title, lede and body of `record`; leaves it unchanged on error.
absl::Status DecodeVersionTexts(std::string_view bytes, VersionRecord* record);

// A source text's history (the key holds its source, kind and hash).
std::string EncodeTextHistory(const TextHistory& history);
absl::StatusOr<TextHistory> DecodeTextHistory(std::string_view bytes);

std::string EncodeCounters(const StoreCounters& counters);
absl::StatusOr<StoreCounters> DecodeCounters(std::string_view bytes);

// A posting list is a bare sequence of varint version ids, without a version
// byte: appending to a list is then a plain concatenation of two encodings,
// which lets RocksDB merge postings without decoding them. Its format is
// covered by the store's schema version instead.
void AppendPostings(std::span<const uint64_t> version_ids, std::string* out);
absl::StatusOr<std::vector<uint64_t>> DecodePostings(std::string_view bytes);
// Appends the decoded ids to `ids` (nothing on an error).
absl::Status DecodePostingsInto(std::string_view bytes, std::vector<uint64_t>* ids);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_RECORD_CODEC_H_
