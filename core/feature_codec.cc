#include "core/feature_codec.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace newsdedup {
namespace {

// A field added to TextFeatures must be sent too, or ranks would verify
// pairs on features the single process does not have.
static_assert(sizeof(TextFeatures) ==
                  9 * sizeof(uint64_t) + 10 * sizeof(std::vector<uint64_t>) + sizeof(uint64_t),
              "TextFeatures changed: send the new field in AppendFeatures/ReadFeatures");

template <typename T>
void Put(const T& value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
void PutAll(const std::vector<T>& values, std::string* out) {
  Put(static_cast<uint32_t>(values.size()), out);
  out->append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <typename T>
bool Get(std::string_view* in, T* value) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(value, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

template <typename T>
bool GetAll(std::string_view* in, std::vector<T>* values) {
  uint32_t count = 0;
  if (!Get(in, &count) || in->size() / sizeof(T) < count) return false;
  values->resize(count);
  std::memcpy(values->data(), in->data(), count * sizeof(T));
  in->remove_prefix(count * sizeof(T));
  return true;
}

}  // namespace

void AppendFeatures(const TextFeatures& f, std::string* out) {
  Put(f.matching_hash, out);
  Put(f.canonical_hash, out);
  Put(f.title_hash, out);
  Put(f.lede_body_hash, out);
  Put(f.lede_hash, out);
  Put(f.lede_fingerprint, out);
  Put(f.url_hash, out);
  Put(f.url_key_hash, out);
  Put(f.kicker_hash, out);
  Put(static_cast<int32_t>(f.words), out);
  PutAll(f.title_words, out);
  PutAll(f.title_rest_words, out);
  PutAll(f.full, out);
  PutAll(f.dates, out);
  PutAll(f.title_numbers, out);
  PutAll(f.title_ordinals, out);
  PutAll(f.lead_words, out);
  PutAll(f.names, out);
}

bool ReadFeatures(std::string_view* in, TextFeatures* f) {
  int32_t words = 0;
  const bool ok =
      Get(in, &f->matching_hash) && Get(in, &f->canonical_hash) && Get(in, &f->title_hash) &&
      Get(in, &f->lede_body_hash) && Get(in, &f->lede_hash) && Get(in, &f->lede_fingerprint) &&
      Get(in, &f->url_hash) && Get(in, &f->url_key_hash) && Get(in, &f->kicker_hash) &&
      Get(in, &words) && GetAll(in, &f->title_words) && GetAll(in, &f->title_rest_words) &&
      GetAll(in, &f->full) && GetAll(in, &f->dates) && GetAll(in, &f->title_numbers) &&
      GetAll(in, &f->title_ordinals) && GetAll(in, &f->lead_words) && GetAll(in, &f->names);
  f->words = words;
  return ok;
}

}  // namespace newsdedup
