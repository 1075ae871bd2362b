// sys_heap, compiled for the host: boundary cases, and randomized sequences of allocations,
// frees and reallocations checked against a shadow model (no overlap, alignment, contents kept,
// bookkeeping consistent), ending with everything freed and the heap one free block again.
#include <gale/sys/sys_heap.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace {

struct Block {
  size_t size;
  uint8_t fill;
};

class Heap {
 public:
  // @p offset: where in an 8-aligned buffer the heap starts, to cover unaligned buffers.
  explicit Heap(size_t bytes, size_t offset = 0) : storage_(bytes + 16), bytes_(bytes) {
    mem_ = reinterpret_cast<uint8_t *>((reinterpret_cast<uintptr_t>(storage_.data()) + 7) &
                                       ~static_cast<uintptr_t>(7)) +
           offset;
    sys_heap_init(&heap_, mem_, bytes);
  }

  sys_heap *get() { return &heap_; }
  uint8_t *begin() const { return mem_; }
  uint8_t *end() const { return mem_ + bytes_; }

  gale_sys_heap_info Info() {
    gale_sys_heap_info info;
    gale_sys_heap_info_get(&heap_, &info);
    return info;
  }

 private:
  std::vector<uint64_t> storage_;
  size_t bytes_;
  uint8_t *mem_;
  sys_heap heap_;
};

TEST(SysHeap, FreshHeapIsOneFreeBlock) {
  for (size_t offset = 0; offset < 8; offset++) {
    Heap heap(4096, offset);
    ASSERT_TRUE(sys_heap_validate(heap.get()));
    gale_sys_heap_info info = heap.Info();
    EXPECT_EQ(info.free_blocks, 1U);
    EXPECT_EQ(info.used_blocks, 0U);
    // The bookkeeping takes a little of the buffer, never much.
    EXPECT_GT(info.largest_free_bytes, 4096U - 160U) << "offset " << offset;
    EXPECT_LE(info.largest_free_bytes, 4096U);
  }
}

TEST(SysHeap, LargestFreeBlockCanBeAllocatedWhole) {
  Heap heap(2048);
  size_t largest = heap.Info().largest_free_bytes;
  void *p = sys_heap_alloc(heap.get(), largest);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(sys_heap_alloc(heap.get(), 1), nullptr);
  EXPECT_GE(sys_heap_usable_size(heap.get(), p), largest);
  sys_heap_free(heap.get(), p);
  EXPECT_EQ(sys_heap_alloc(heap.get(), largest + 1), nullptr);
  EXPECT_TRUE(sys_heap_validate(heap.get()));
}

TEST(SysHeap, ZeroAndHugeRequestsFail) {
  Heap heap(1024);
  EXPECT_EQ(sys_heap_alloc(heap.get(), 0), nullptr);
  EXPECT_EQ(sys_heap_alloc(heap.get(), SIZE_MAX), nullptr);
  EXPECT_EQ(sys_heap_alloc(heap.get(), SIZE_MAX - 3), nullptr);
  EXPECT_EQ(sys_heap_aligned_alloc(heap.get(), 64, SIZE_MAX - 100), nullptr);
  EXPECT_EQ(sys_heap_aligned_alloc(heap.get(), size_t{1} << 20, 8), nullptr);
  EXPECT_EQ(sys_heap_realloc(heap.get(), nullptr, SIZE_MAX), nullptr);
  sys_heap_free(heap.get(), nullptr);  // no effect
  EXPECT_TRUE(sys_heap_validate(heap.get()));
}

TEST(SysHeap, SmallBlocksAreEightByteAligned) {
  Heap heap(1024, 3);
  std::vector<void *> blocks;
  while (void *p = sys_heap_alloc(heap.get(), 1)) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0U);
    EXPECT_GE(p, static_cast<void *>(heap.begin()));
    EXPECT_LE(static_cast<uint8_t *>(p) + 1, heap.end());
    blocks.push_back(p);
  }
  // 1024 bytes minus bookkeeping, 16-byte minimum blocks.
  EXPECT_GT(blocks.size(), 50U);
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  // Free every other one: no two free neighbours merge, then the rest: one block again.
  for (size_t i = 0; i < blocks.size(); i += 2) {
    sys_heap_free(heap.get(), blocks[i]);
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  EXPECT_EQ(heap.Info().free_blocks, (blocks.size() + 1) / 2);
  for (size_t i = 1; i < blocks.size(); i += 2) {
    sys_heap_free(heap.get(), blocks[i]);
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  EXPECT_EQ(heap.Info().free_blocks, 1U);
  EXPECT_EQ(heap.Info().used_blocks, 0U);
}

TEST(SysHeap, FreeMergesWithBothNeighbours) {
  Heap heap(1024);
  void *a = sys_heap_alloc(heap.get(), 40);
  void *b = sys_heap_alloc(heap.get(), 40);
  void *c = sys_heap_alloc(heap.get(), 40);
  void *d = sys_heap_alloc(heap.get(), 40);  // keeps c from merging with the tail
  void *rest = sys_heap_alloc(heap.get(), heap.Info().largest_free_bytes);
  ASSERT_NE(rest, nullptr);
  sys_heap_free(heap.get(), a);
  sys_heap_free(heap.get(), c);
  EXPECT_EQ(heap.Info().free_blocks, 2U);
  sys_heap_free(heap.get(), b);  // a, b and c become one
  EXPECT_EQ(heap.Info().free_blocks, 1U);
  EXPECT_TRUE(sys_heap_validate(heap.get()));
  // The merged block serves a request as large as the three.
  void *big = sys_heap_alloc(heap.get(), 130);
  EXPECT_EQ(big, a);
  sys_heap_free(heap.get(), big);
  sys_heap_free(heap.get(), rest);
  sys_heap_free(heap.get(), d);
  EXPECT_EQ(heap.Info().free_blocks, 1U);
  EXPECT_EQ(heap.Info().used_blocks, 0U);
}

TEST(SysHeap, AlignedAllocationsHonourEveryAlignment) {
  Heap heap(16384, 4);
  std::vector<void *> blocks;
  for (size_t align = 1; align <= 1024; align <<= 1) {
    for (size_t bytes : {1, 7, 8, 24, 100}) {
      void *p = sys_heap_aligned_alloc(heap.get(), align, bytes);
      ASSERT_NE(p, nullptr) << "align " << align << " bytes " << bytes;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % std::max<size_t>(align, 8), 0U);
      memset(p, 0x5a, bytes);
      blocks.push_back(p);
      ASSERT_TRUE(sys_heap_validate(heap.get()));
    }
  }
  for (void *p : blocks) {
    sys_heap_free(heap.get(), p);
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  EXPECT_EQ(heap.Info().free_blocks, 1U);
}

TEST(SysHeap, AlignedAtAnOffset) {
  Heap heap(8192, 4);
  std::vector<void *> blocks;
  for (size_t align = 16; align <= 1024; align <<= 1) {
    for (size_t offset : {8, 16, 24}) {
      auto *p = static_cast<uint8_t *>(
          gale_sys_heap_aligned_alloc_offset(heap.get(), align, offset, 40 + offset));
      ASSERT_NE(p, nullptr) << "align " << align << " offset " << offset;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p + offset) % align, 0U);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 8, 0U);
      memset(p, 0x33, 40 + offset);
      blocks.push_back(p);
    }
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  for (void *p : blocks) {
    sys_heap_free(heap.get(), p);
  }
  EXPECT_EQ(heap.Info().free_blocks, 1U);
}

TEST(SysHeap, ReallocGrowsInPlaceShrinksAndMoves) {
  Heap heap(2048);
  auto *p = static_cast<uint8_t *>(sys_heap_alloc(heap.get(), 32));
  for (int i = 0; i < 32; i++) {
    p[i] = static_cast<uint8_t>(i);
  }
  // The rest of the heap follows p: growing stays in place.
  auto *q = static_cast<uint8_t *>(sys_heap_realloc(heap.get(), p, 200));
  EXPECT_EQ(q, p);
  q = static_cast<uint8_t *>(sys_heap_realloc(heap.get(), q, 16));
  EXPECT_EQ(q, p);
  EXPECT_TRUE(sys_heap_validate(heap.get()));
  void *blocker = sys_heap_alloc(heap.get(), 8);  // right after p now
  auto *moved = static_cast<uint8_t *>(sys_heap_realloc(heap.get(), q, 300));
  ASSERT_NE(moved, nullptr);
  EXPECT_NE(moved, p);
  for (int i = 0; i < 16; i++) {
    EXPECT_EQ(moved[i], i);
  }
  // No room: NULL, and the block is untouched.
  EXPECT_EQ(sys_heap_realloc(heap.get(), moved, 4000), nullptr);
  EXPECT_EQ(moved[5], 5);
  EXPECT_EQ(sys_heap_realloc(heap.get(), moved, 0), nullptr);  // frees
  sys_heap_free(heap.get(), blocker);
  EXPECT_TRUE(sys_heap_validate(heap.get()));
  EXPECT_EQ(heap.Info().free_blocks, 1U);
  void *fresh = sys_heap_realloc(heap.get(), nullptr, 10);
  EXPECT_NE(fresh, nullptr);
  void *aligned = sys_heap_aligned_realloc(heap.get(), fresh, 256, 40);
  ASSERT_NE(aligned, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(aligned) % 256, 0U);
  sys_heap_free(heap.get(), aligned);
  EXPECT_EQ(heap.Info().free_blocks, 1U);
}

TEST(SysHeap, RuntimeStats) {
  Heap heap(2048);
  sys_memory_stats stats;
  ASSERT_EQ(sys_heap_runtime_stats_get(heap.get(), &stats), 0);
  EXPECT_EQ(stats.allocated_bytes, 0U);
  size_t total = stats.free_bytes;
  void *p = sys_heap_alloc(heap.get(), 100);
  ASSERT_EQ(sys_heap_runtime_stats_get(heap.get(), &stats), 0);
  EXPECT_GE(stats.allocated_bytes, 100U);
  EXPECT_EQ(stats.allocated_bytes + stats.free_bytes, total);
  EXPECT_EQ(stats.max_allocated_bytes, stats.allocated_bytes);
  sys_heap_free(heap.get(), p);
  ASSERT_EQ(sys_heap_runtime_stats_get(heap.get(), &stats), 0);
  EXPECT_EQ(stats.allocated_bytes, 0U);
  EXPECT_GE(stats.max_allocated_bytes, 100U);
  EXPECT_EQ(sys_heap_runtime_stats_reset_max(heap.get()), 0);
  ASSERT_EQ(sys_heap_runtime_stats_get(heap.get(), &stats), 0);
  EXPECT_EQ(stats.max_allocated_bytes, 0U);
  EXPECT_EQ(sys_heap_runtime_stats_get(nullptr, &stats), -EINVAL);
  EXPECT_EQ(sys_heap_runtime_stats_get(heap.get(), nullptr), -EINVAL);
  EXPECT_EQ(sys_heap_runtime_stats_reset_max(nullptr), -EINVAL);
}

TEST(SysHeap, CorruptionIsDetected) {
  Heap heap(1024);
  auto *p = static_cast<uint8_t *>(sys_heap_alloc(heap.get(), 16));
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  uint32_t header;
  memcpy(&header, p - 4, sizeof(header));
  uint32_t bad = header + (1U << 2);
  memcpy(p - 4, &bad, sizeof(bad));
  EXPECT_FALSE(sys_heap_validate(heap.get()));
  memcpy(p - 4, &header, sizeof(header));
  EXPECT_TRUE(sys_heap_validate(heap.get()));
}

// Random allocations (some aligned), frees and reallocations, each block filled with its own
// byte and checked before it goes: any overlap or lost contents shows.
void RandomRun(uint32_t seed, size_t heap_bytes, size_t max_request, size_t offset) {
  SCOPED_TRACE(testing::Message() << "seed " << seed << " heap " << heap_bytes);
  Heap heap(heap_bytes, offset);
  std::mt19937 rng(seed);
  std::map<uint8_t *, Block> live;
  uint8_t next_fill = 1;

  auto check_block = [](uint8_t *p, const Block &b) {
    for (size_t i = 0; i < b.size; i++) {
      if (p[i] != b.fill) {
        return false;
      }
    }
    return true;
  };
  auto add = [&](uint8_t *p, size_t size) {
    ASSERT_GE(p, heap.begin());
    ASSERT_LE(p + size, heap.end());
    auto after = live.lower_bound(p);
    if (after != live.end()) {
      ASSERT_LE(p + size, after->first) << "overlaps the next block";
    }
    if (after != live.begin()) {
      auto before = std::prev(after);
      ASSERT_LE(before->first + before->second.size, p) << "overlaps the previous block";
    }
    Block b{size, next_fill++};
    if (next_fill == 0) {
      next_fill = 1;
    }
    memset(p, b.fill, size);
    live[p] = b;
  };

  for (int step = 0; step < 20000; step++) {
    int op = static_cast<int>(rng() % 10);
    if (op < 5 || live.empty()) {
      size_t size = 1 + rng() % max_request;
      size_t align = (rng() % 4 == 0) ? size_t{1} << (rng() % 9) : 0;
      auto *p = static_cast<uint8_t *>(align != 0 ? sys_heap_aligned_alloc(heap.get(), align, size)
                                                  : sys_heap_alloc(heap.get(), size));
      if (p == nullptr) {
        continue;
      }
      ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % std::max<size_t>(align, 8), 0U);
      ASSERT_GE(sys_heap_usable_size(heap.get(), p), size);
      add(p, size);
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      uint8_t *p = it->first;
      Block b = it->second;
      ASSERT_TRUE(check_block(p, b)) << "contents of a live block changed";
      live.erase(it);
      if (op < 8) {
        sys_heap_free(heap.get(), p);
      } else {
        size_t size = 1 + rng() % max_request;
        auto *q = static_cast<uint8_t *>(sys_heap_realloc(heap.get(), p, size));
        if (q == nullptr) {
          live[p] = b;  // failed: untouched
          continue;
        }
        for (size_t i = 0; i < std::min(size, b.size); i++) {
          ASSERT_EQ(q[i], b.fill) << "realloc lost contents";
        }
        add(q, size);
      }
    }
    if (step % 97 == 0) {
      ASSERT_TRUE(sys_heap_validate(heap.get())) << "step " << step;
    }
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  for (auto &[p, b] : live) {
    ASSERT_TRUE(check_block(p, b));
    sys_heap_free(heap.get(), p);
  }
  ASSERT_TRUE(sys_heap_validate(heap.get()));
  gale_sys_heap_info info = heap.Info();
  EXPECT_EQ(info.used_blocks, 0U);
  EXPECT_EQ(info.free_blocks, 1U) << "free space did not merge back into one block";
  sys_memory_stats stats;
  sys_heap_runtime_stats_get(heap.get(), &stats);
  EXPECT_EQ(stats.allocated_bytes, 0U);
}

TEST(SysHeap, RandomSmallHeap) {
  for (uint32_t seed = 1; seed <= 20; seed++) {
    RandomRun(seed, 512 + seed * 13, 64, seed % 8);
  }
}

TEST(SysHeap, RandomMediumHeap) {
  for (uint32_t seed = 100; seed < 110; seed++) {
    RandomRun(seed, 16384, 700, seed % 8);
  }
}

TEST(SysHeap, RandomLargeHeap) {
  for (uint32_t seed = 200; seed < 204; seed++) {
    RandomRun(seed, 1 << 20, 20000, 0);
  }
}

}  // namespace
