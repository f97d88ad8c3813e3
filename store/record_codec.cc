#include "store/record_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

class Writer {
 public:
  Writer() { bytes_.push_back(static_cast<char>(kRecordFormatVersion)); }

  void Varint(uint64_t value) { AppendVarint(value, &bytes_); }
  void String(const std::string& value) {
    Varint(value.size());
    bytes_.append(value);
  }
  void Double(double value) {
    uint64_t bits = std::bit_cast<uint64_t>(value);
    for (int i = 0; i < 8; ++i, bits >>= 8) {
      bytes_.push_back(static_cast<char>(bits & 0xff));
    }
  }
  void Bool(bool value) { bytes_.push_back(value ? 1 : 0); }
  template <typename Enum>
  void EnumByte(Enum value) {
    bytes_.push_back(static_cast<char>(static_cast<uint8_t>(value)));
  }
  void Uint64List(const std::vector<uint64_t>& values) {
    Varint(values.size());
    for (uint64_t value : values) Varint(value);
  }
  void StringList(const std::vector<std::string>& values) {
    Varint(values.size());
    for (const std::string& value : values) String(value);
  }

  std::string Finish() && { return std::move(bytes_); }

  static void AppendVarint(uint64_t value, std::string* out) {
    while (value >= 0x80) {
      out->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out->push_back(static_cast<char>(value));
  }

 private:
  std::string bytes_;
};

// Reads fields in order; the first failure sticks, so a decoder reads all
// fields and checks ok() once at the end.
class Reader {
 public:
  Reader(std::string_view bytes, const char* what)
      : rest_(bytes), what_(what) {}

  // Consumes the version byte. Call first.
  void Version() {
    uint8_t version = 0;
    if (!Byte(&version)) return;
    if (version != kRecordFormatVersion) {
      Fail(absl::StrCat("unknown format version ", version));
    }
  }

  void Varint(uint64_t* value) {
    if (!ok()) return;
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) return Fail("truncated varint");
      const uint8_t byte = static_cast<uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      // The tenth byte may only carry the top bit of a uint64.
      if (shift == 63 && byte > 1) return Fail("varint overflows 64 bits");
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return;
      }
    }
  }
  void Uint32(uint32_t* value) {
    uint64_t wide = 0;
    Varint(&wide);
    if (!ok()) return;
    if (wide > std::numeric_limits<uint32_t>::max()) {
      return Fail("value overflows 32 bits");
    }
    *value = static_cast<uint32_t>(wide);
  }
  void String(std::string* value) {
    uint64_t size = 0;
    Varint(&size);
    if (!ok()) return;
    if (size > rest_.size()) return Fail("truncated string");
    value->assign(rest_.data(), size);
    rest_.remove_prefix(size);
  }
  void Double(double* value) {
    if (!ok()) return;
    if (rest_.size() < 8) return Fail("truncated double");
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) {
      bits = (bits << 8) | static_cast<uint8_t>(rest_[i]);
    }
    rest_.remove_prefix(8);
    *value = std::bit_cast<double>(bits);
  }
  void Bool(bool* value) {
    uint8_t byte = 0;
    if (!Byte(&byte)) return;
    if (byte > 1) return Fail("invalid boolean");
    *value = byte == 1;
  }
  // An enum stored as one byte; values above `last` are corrupt.
  template <typename Enum>
  void EnumByte(Enum* value, Enum last) {
    uint8_t byte = 0;
    if (!Byte(&byte)) return;
    if (byte > static_cast<uint8_t>(last)) return Fail("invalid enum value");
    *value = static_cast<Enum>(byte);
  }
  void Uint64List(std::vector<uint64_t>* values) {
    uint64_t count = 0;
    // Each element takes at least one byte: a larger count is corrupt, and
    // must not become a huge allocation.
    if (!Count(&count)) return;
    values->resize(count);
    for (uint64_t& value : *values) Varint(&value);
  }
  // A counted list of records, each read by read_one(&element).
  template <typename T, typename ReadOne>
  void List(std::vector<T>* values, ReadOne read_one) {
    uint64_t count = 0;
    if (!Count(&count)) return;
    values->resize(count);
    for (T& value : *values) read_one(&value);
  }
  void StringList(std::vector<std::string>* values) {
    uint64_t count = 0;
    if (!Count(&count)) return;
    values->resize(count);
    for (std::string& value : *values) String(&value);
  }

  // True after a failure or once every byte has been read.
  bool done() const { return !ok() || rest_.empty(); }

  // The outcome of all reads, failing if bytes are left over.
  absl::Status Finish() {
    if (ok() && !rest_.empty()) Fail("trailing bytes");
    return status_;
  }

 private:
  bool ok() const { return status_.ok(); }

  void Fail(std::string_view reason) {
    if (!ok()) return;
    status_ = absl::DataLossError(
        absl::StrCat("corrupt ", what_, " record: ", std::string(reason)));
  }

  bool Byte(uint8_t* value) {
    if (!ok()) return false;
    if (rest_.empty()) {
      Fail("truncated");
      return false;
    }
    *value = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return true;
  }

  bool Count(uint64_t* count) {
    Varint(count);
    if (!ok()) return false;
    if (*count > rest_.size()) {
      Fail("list longer than the record");
      return false;
    }
    return true;
  }

  std::string_view rest_;
  const char* what_;
  absl::Status status_;
};

}  // namespace

std::string EncodeSnapshot(const SnapshotRecord& record) {
  Writer writer;
  writer.Varint(record.id);
  writer.String(record.source);
  writer.String(record.captured_at);
  writer.String(record.file);
  writer.String(record.content_hash);
  writer.EnumByte(record.kind);
  writer.EnumByte(record.format);
  writer.Varint(record.item_count);
  writer.StringList(record.warnings);
  return std::move(writer).Finish();
}

absl::StatusOr<SnapshotRecord> DecodeSnapshot(std::string_view bytes) {
  SnapshotRecord record;
  Reader reader(bytes, "snapshot");
  reader.Version();
  reader.Varint(&record.id);
  reader.String(&record.source);
  reader.String(&record.captured_at);
  reader.String(&record.file);
  reader.String(&record.content_hash);
  reader.EnumByte(&record.kind, SnapshotKind::kArticle);
  reader.EnumByte(&record.format, DumpFormat::kHtml);
  reader.Uint32(&record.item_count);
  reader.StringList(&record.warnings);
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  return record;
}

std::string EncodeItem(const ItemRecord& record) {
  Writer writer;
  writer.Varint(record.position);
  writer.String(record.story_id);
  writer.Varint(record.version_id);
  writer.EnumByte(record.status);
  writer.EnumByte(record.change);
  writer.EnumByte(record.rule);
  writer.Bool(record.in_snapshot);
  writer.Varint(record.previous_version_id);
  writer.Uint64List(record.previous_versions);
  writer.Double(record.similarity);
  writer.Double(record.containment);
  writer.Bool(record.returned);
  if (record.rule == MatchRule::kTransition) {
    const TransitionEvidence& t = record.transition;
    writer.Double(t.title_similarity);
    writer.Double(t.lead_similarity);
    writer.Varint(static_cast<uint64_t>(std::max(t.shared, 0)));
    writer.Varint(t.previous_position);
    writer.Varint(t.position);
  }
  return std::move(writer).Finish();
}

absl::StatusOr<ItemRecord> DecodeItem(std::string_view bytes) {
  ItemRecord record;
  Reader reader(bytes, "item");
  reader.Version();
  reader.Uint32(&record.position);
  reader.String(&record.story_id);
  reader.Varint(&record.version_id);
  reader.EnumByte(&record.status, StoryStatus::kDropped);
  reader.EnumByte(&record.change, ChangeClass::kRewritten);
  reader.EnumByte(&record.rule, MatchRule::kTransition);
  reader.Bool(&record.in_snapshot);
  reader.Varint(&record.previous_version_id);
  reader.Uint64List(&record.previous_versions);
  reader.Double(&record.similarity);
  reader.Double(&record.containment);
  reader.Bool(&record.returned);
  if (record.rule == MatchRule::kTransition) {
    TransitionEvidence& t = record.transition;
    uint32_t shared = 0;
    reader.Double(&t.title_similarity);
    reader.Double(&t.lead_similarity);
    reader.Uint32(&shared);
    reader.Uint32(&t.previous_position);
    reader.Uint32(&t.position);
    t.shared = static_cast<int>(std::min<uint32_t>(shared, 1u << 30));
  }
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  return record;
}

std::string EncodeStory(const StoryRecord& record) {
  Writer writer;
  writer.String(record.id);
  writer.String(record.title);
  writer.String(record.url);
  writer.String(record.first_seen);
  writer.String(record.last_seen);
  writer.Varint(record.first_snapshot);
  writer.Varint(record.last_snapshot);
  writer.String(record.first_source);
  writer.Uint64List(record.versions);
  writer.Varint(record.canonical_version);
  writer.Varint(record.appearances.size());
  for (const StoryAppearance& appearance : record.appearances) {
    writer.String(appearance.source);
    writer.EnumByte(appearance.kind);
    writer.Varint(appearance.snapshot);
    writer.String(appearance.captured_at);
    writer.Uint64List(appearance.versions);
  }
  return std::move(writer).Finish();
}

absl::StatusOr<StoryRecord> DecodeStory(std::string_view bytes) {
  StoryRecord record;
  Reader reader(bytes, "story");
  reader.Version();
  reader.String(&record.id);
  reader.String(&record.title);
  reader.String(&record.url);
  reader.String(&record.first_seen);
  reader.String(&record.last_seen);
  reader.Varint(&record.first_snapshot);
  reader.Varint(&record.last_snapshot);
  reader.String(&record.first_source);
  reader.Uint64List(&record.versions);
  reader.Varint(&record.canonical_version);
  reader.List(&record.appearances, [&](StoryAppearance* appearance) {
    reader.String(&appearance->source);
    reader.EnumByte(&appearance->kind, SnapshotKind::kArticle);
    reader.Varint(&appearance->snapshot);
    reader.String(&appearance->captured_at);
    reader.Uint64List(&appearance->versions);
  });
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  return record;
}

std::string EncodeVersion(const VersionRecord& record) {
  Writer writer;
  writer.Varint(record.id);
  writer.String(record.story_id);
  writer.String(record.title);
  writer.Varint(record.matching_hash);
  writer.Varint(record.canonical_hash);
  writer.Varint(record.url_hash);
  writer.String(record.first_seen);
  writer.String(record.last_seen);
  writer.Uint64List(record.snapshots);
  writer.EnumByte(record.rule);
  writer.Double(record.similarity);
  writer.Double(record.containment);
  // Last and only when set: a version of a store written before the field
  // existed reads as having none, and one without a URL id keeps its bytes.
  if (record.url_key_hash != 0) writer.Varint(record.url_key_hash);
  return std::move(writer).Finish();
}

absl::StatusOr<VersionRecord> DecodeVersion(std::string_view bytes) {
  VersionRecord record;
  Reader reader(bytes, "version");
  reader.Version();
  reader.Varint(&record.id);
  reader.String(&record.story_id);
  reader.String(&record.title);
  reader.Varint(&record.matching_hash);
  reader.Varint(&record.canonical_hash);
  reader.Varint(&record.url_hash);
  reader.String(&record.first_seen);
  reader.String(&record.last_seen);
  reader.Uint64List(&record.snapshots);
  reader.EnumByte(&record.rule, MatchRule::kTransition);
  reader.Double(&record.similarity);
  reader.Double(&record.containment);
  if (!reader.done()) reader.Varint(&record.url_key_hash);
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  return record;
}

std::string EncodeVersionTexts(const VersionRecord& record) {
  Writer writer;
  writer.String(record.title);
  writer.String(record.lede);
  writer.String(record.body);
  return std::move(writer).Finish();
}

absl::Status DecodeVersionTexts(std::string_view bytes, VersionRecord* record) {
  std::string title, lede, body;
  Reader reader(bytes, "version texts");
  reader.Version();
  reader.String(&title);
  reader.String(&lede);
  reader.String(&body);
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  record->title = std::move(title);
  record->lede = std::move(lede);
  record->body = std::move(body);
  return absl::OkStatus();
}

std::string EncodeTextHistory(const TextHistory& history) {
  Writer writer;
  writer.Varint(history.partners);
  writer.Uint64List(history.recent);
  return std::move(writer).Finish();
}

absl::StatusOr<TextHistory> DecodeTextHistory(std::string_view bytes) {
  TextHistory history;
  Reader reader(bytes, "source text");
  reader.Version();
  reader.Uint32(&history.partners);
  reader.Uint64List(&history.recent);
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  if (history.recent.size() > TextHistory::kRecentPartners ||
      history.recent.size() > history.partners) {
    return absl::DataLossError("corrupt source text record: more recent partners than counted");
  }
  return history;
}

std::string EncodeCounters(const StoreCounters& counters) {
  Writer writer;
  writer.Varint(counters.last_snapshot_id);
  writer.Varint(counters.last_story_number);
  writer.Varint(counters.last_version_id);
  return std::move(writer).Finish();
}

absl::StatusOr<StoreCounters> DecodeCounters(std::string_view bytes) {
  StoreCounters counters;
  Reader reader(bytes, "counters");
  reader.Version();
  reader.Varint(&counters.last_snapshot_id);
  reader.Varint(&counters.last_story_number);
  reader.Varint(&counters.last_version_id);
  if (absl::Status status = reader.Finish(); !status.ok()) return status;
  return counters;
}

void AppendPostings(std::span<const uint64_t> version_ids, std::string* out) {
  for (uint64_t id : version_ids) Writer::AppendVarint(id, out);
}

absl::StatusOr<std::vector<uint64_t>> DecodePostings(std::string_view bytes) {
  std::vector<uint64_t> ids;
  if (absl::Status status = DecodePostingsInto(bytes, &ids); !status.ok()) return status;
  return ids;
}

absl::Status DecodePostingsInto(std::string_view bytes, std::vector<uint64_t>* ids) {
  const size_t before = ids->size();
  // No version byte: the list is a run of varints up to the end.
  Reader reader(bytes, "posting list");
  while (!reader.done()) {
    uint64_t id = 0;
    reader.Varint(&id);
    ids->push_back(id);
  }
  absl::Status status = reader.Finish();
  if (!status.ok()) ids->resize(before);
  return status;
}

}  // namespace newsdedup
