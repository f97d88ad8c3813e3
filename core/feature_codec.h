#ifndef NEWSDEDUP_CORE_FEATURE_CODEC_H_
#define NEWSDEDUP_CORE_FEATURE_CODEC_H_

// The bytes of a text's features as the ranks of the MPI `dups` send them to
// each other (tools/mpi/): every field that verification and conflicts read,
// without the LSH band keys (only candidate finding uses those, on the rank
// that sketched the item). Fixed-width little-endian fields, each set as a
// 32-bit count and its elements. Not a storage format: both ends are the same
// build.

#include <string>
#include <string_view>

#include "core/matcher.h"

namespace newsdedup {

// Appends `f` without its band keys to *out.
void AppendFeatures(const TextFeatures& f, std::string* out);

// Reads the features at the front of *in and advances it; false when the
// bytes end early.
bool ReadFeatures(std::string_view* in, TextFeatures* f);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_FEATURE_CODEC_H_
