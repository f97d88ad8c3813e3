// The item layout of the MPI dups (tools/mpi/item_layout.h, header only, no
// MPI needed): every item has one owner and one index there, chunks are dealt
// back and forth, and empty chunks are skipped.

#include "tools/mpi/item_layout.h"

#include <vector>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(ItemLayoutTest, ChunksAreDealtBackAndForth) {
  std::vector<int> owners;
  for (size_t c = 0; c < 8; ++c) owners.push_back(ItemLayout::RankOfChunk(c, 3));
  EXPECT_EQ(owners, (std::vector<int>{0, 1, 2, 2, 1, 0, 0, 1}));
}

TEST(ItemLayoutTest, LocalIndexAndGlobalIdAreInverse) {
  // Three ranks, two chunks each, some empty.
  const ItemLayout layout(3, {5, 0, 3, 4, 0, 2});
  EXPECT_EQ(layout.total(), 14u);
  std::vector<uint32_t> seen(3, 0);
  for (uint32_t item = 0; item < layout.total(); ++item) {
    const int owner = layout.OwnerOf(item);
    EXPECT_EQ(layout.GlobalId(owner, layout.LocalIndex(item)), item);
    ++seen[owner];
  }
  for (int rank = 0; rank < 3; ++rank) EXPECT_EQ(seen[rank], layout.count(rank));
  EXPECT_EQ(layout.count(0), 7u);  // Chunks 0 and 5.
  EXPECT_EQ(layout.OwnerOf(5), 2);  // Chunk 1 is empty: item 5 is chunk 2's first.
  EXPECT_EQ(layout.GlobalId(2, 0), 5u);
}

TEST(ItemLayoutTest, AskingByOwnerSortsByOwnerThenItem) {
  const ItemLayout layout(2, {2, 2, 2, 2});  // Ranks 0, 1, 1, 0.
  std::vector<uint32_t> ids = {7, 0, 3, 2, 7, 5};
  layout.SortByOwner(&ids);
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 7, 2, 3, 5}));
}

}  // namespace
}  // namespace newsdedup
