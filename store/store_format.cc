#include "store/store_format.h"

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace store_format {

void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<uint8_t>(byte);
  return value;
}

std::string IdKey(uint64_t id) {
  std::string key;
  AppendBigEndian(id, 8, &key);
  return key;
}

std::string ItemKey(uint64_t snapshot_id, uint32_t position) {
  std::string key = IdKey(snapshot_id);
  AppendBigEndian(position, 4, &key);
  return key;
}

std::string SnapshotKey(const std::string& source, const std::string& captured_at,
                        const std::string& content_hash) {
  const absl::string_view nul("\0", 1);
  return absl::StrCat(source, nul, captured_at, nul, content_hash);
}

std::string SourceKindPrefix(const std::string& source, SnapshotKind kind) {
  const absl::string_view nul("\0", 1);
  return absl::StrCat(source, nul, std::string(SnapshotKindName(kind)), nul);
}

std::string SourceKindTimePrefix(const std::string& source, SnapshotKind kind,
                                 const std::string& captured_at) {
  return absl::StrCat(SourceKindPrefix(source, kind), captured_at, absl::string_view("\0", 1));
}

std::string DeletedKey(uint64_t snapshot_id) {
  return absl::StrCat(kDeletedPrefix, IdKey(snapshot_id));
}

std::string SourceTextKey(const std::string& source, SourceTextKind kind, uint64_t hash) {
  std::string key = source;
  key.push_back('\0');
  key.push_back(static_cast<char>(kind));
  AppendBigEndian(hash, 8, &key);
  return key;
}

bool IsSourceTextKind(uint8_t byte) {
  return byte >= static_cast<uint8_t>(SourceTextKind::kPageLine) &&
         byte <= static_cast<uint8_t>(SourceTextKind::kLede);
}

std::string EncodeRemovedCounts(const RemovedCounts& counts) {
  std::string bytes;
  AppendBigEndian(counts.stories, 8, &bytes);
  AppendBigEndian(counts.versions, 8, &bytes);
  return bytes;
}

absl::StatusOr<RemovedCounts> DecodeRemovedCounts(std::string_view bytes) {
  if (bytes.size() != 16) {
    return absl::DataLossError(absl::StrCat("removed counts of ", bytes.size(), " bytes"));
  }
  return RemovedCounts{.stories = ReadBigEndian(bytes.substr(0, 8)),
                       .versions = ReadBigEndian(bytes.substr(8))};
}

}  // namespace store_format
}  // namespace newsdedup
