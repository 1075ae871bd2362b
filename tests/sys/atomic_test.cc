// atomic.h: return values and results of every operation, bitmaps across word boundaries, and
// the operations under contention from several host threads.
#include <gale/sys/atomic.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <thread>
#include <vector>

#include <zephyr/sys/atomic.h>  // the forwarding header names the same API

namespace {

TEST(Atomic, ArithmeticReturnsThePreviousValue) {
  atomic_t a = ATOMIC_INIT(5);
  EXPECT_EQ(atomic_get(&a), 5);
  EXPECT_EQ(atomic_add(&a, 10), 5);
  EXPECT_EQ(atomic_sub(&a, 3), 15);
  EXPECT_EQ(atomic_inc(&a), 12);
  EXPECT_EQ(atomic_dec(&a), 13);
  EXPECT_EQ(atomic_get(&a), 12);
  EXPECT_EQ(atomic_set(&a, -7), 12);
  EXPECT_EQ(atomic_clear(&a), -7);
  EXPECT_EQ(atomic_get(&a), 0);
  EXPECT_EQ(atomic_dec(&a), 0);
  EXPECT_EQ(atomic_get(&a), -1);
}

TEST(Atomic, ArithmeticWrapsLikeTheMachineWord) {
  atomic_t a = ATOMIC_INIT(LONG_MAX);
  atomic_inc(&a);
  EXPECT_EQ(atomic_get(&a), LONG_MIN);
  atomic_dec(&a);
  EXPECT_EQ(atomic_get(&a), LONG_MAX);
}

TEST(Atomic, BitwiseReturnsThePreviousValue) {
  atomic_t a = ATOMIC_INIT(0x0F);
  EXPECT_EQ(atomic_or(&a, 0x30), 0x0F);
  EXPECT_EQ(atomic_get(&a), 0x3F);
  EXPECT_EQ(atomic_and(&a, 0x1C), 0x3F);
  EXPECT_EQ(atomic_get(&a), 0x1C);
  EXPECT_EQ(atomic_xor(&a, 0x14), 0x1C);
  EXPECT_EQ(atomic_get(&a), 0x08);
  EXPECT_EQ(atomic_nand(&a, 0x0C), 0x08);
  EXPECT_EQ(atomic_get(&a), ~0x08L);  // ~(0x08 & 0x0C)
}

TEST(Atomic, CompareAndSwap) {
  atomic_t a = ATOMIC_INIT(1);
  EXPECT_FALSE(atomic_cas(&a, 2, 3));
  EXPECT_EQ(atomic_get(&a), 1) << "a failed CAS writes nothing";
  EXPECT_TRUE(atomic_cas(&a, 1, 3));
  EXPECT_EQ(atomic_get(&a), 3);
}

TEST(Atomic, Pointers) {
  int x = 0;
  int y = 0;
  atomic_ptr_t p = ATOMIC_PTR_INIT(nullptr);
  EXPECT_EQ(atomic_ptr_get(&p), nullptr);
  EXPECT_EQ(atomic_ptr_set(&p, &x), nullptr);
  EXPECT_EQ(atomic_ptr_get(&p), &x);
  EXPECT_FALSE(atomic_ptr_cas(&p, &y, &y));
  EXPECT_EQ(atomic_ptr_get(&p), &x);
  EXPECT_TRUE(atomic_ptr_cas(&p, &x, &y));
  EXPECT_EQ(atomic_ptr_clear(&p), &y);
  EXPECT_EQ(atomic_ptr_get(&p), nullptr);
}

TEST(Atomic, BitmapGeometry) {
  EXPECT_EQ(ATOMIC_BITS, sizeof(long) * CHAR_BIT);
  EXPECT_EQ(ATOMIC_BITMAP_SIZE(1), 1U);
  EXPECT_EQ(ATOMIC_BITMAP_SIZE(ATOMIC_BITS), 1U);
  EXPECT_EQ(ATOMIC_BITMAP_SIZE(ATOMIC_BITS + 1), 2U);
  EXPECT_EQ(ATOMIC_BITMAP_SIZE(3 * ATOMIC_BITS), 3U);
  ATOMIC_DEFINE(bits, 2 * ATOMIC_BITS + 1);
  EXPECT_EQ(sizeof(bits), 3 * sizeof(atomic_t));
}

TEST(Atomic, BitOpsAcrossWordBoundaries) {
  constexpr int kBits = 3 * ATOMIC_BITS;
  ATOMIC_DEFINE(bits, kBits) = {};
  const int w = ATOMIC_BITS;
  const std::vector<int> edges = {0, 1, w - 2, w - 1, w, w + 1, 2 * w - 1, 2 * w, kBits - 1};
  for (int bit : edges) {
    EXPECT_FALSE(atomic_test_and_set_bit(bits, bit)) << bit;
    EXPECT_TRUE(atomic_test_and_set_bit(bits, bit)) << bit;
  }
  for (int bit = 0; bit < kBits; ++bit) {
    const bool expected = std::find(edges.begin(), edges.end(), bit) != edges.end();
    EXPECT_EQ(atomic_test_bit(bits, bit), expected) << bit;
  }
  // The top bit of a word is the sign bit of its atomic_t: it must not leak into neighbours.
  EXPECT_EQ(atomic_get(&bits[0]),
            static_cast<atomic_val_t>((1UL << (w - 1)) | (1UL << (w - 2)) | 3UL));
  EXPECT_EQ(atomic_get(&bits[1]), static_cast<atomic_val_t>((1UL << (w - 1)) | 3UL));
  EXPECT_EQ(atomic_get(&bits[2]), static_cast<atomic_val_t>((1UL << (w - 1)) | 1UL));

  EXPECT_TRUE(atomic_test_and_clear_bit(bits, w - 1));
  EXPECT_FALSE(atomic_test_and_clear_bit(bits, w - 1));
  EXPECT_TRUE(atomic_test_bit(bits, w)) << "clearing the last bit of a word spared the next";
  atomic_clear_bit(bits, w);
  EXPECT_FALSE(atomic_test_bit(bits, w));
  EXPECT_TRUE(atomic_test_bit(bits, w - 2));
  EXPECT_TRUE(atomic_test_bit(bits, w + 1));
  atomic_set_bit(bits, 2 * w + 5);
  EXPECT_TRUE(atomic_test_bit(bits, 2 * w + 5));
  atomic_set_bit_to(bits, w + 3, true);
  EXPECT_TRUE(atomic_test_bit(bits, w + 3));
  atomic_set_bit_to(bits, w + 3, false);
  EXPECT_FALSE(atomic_test_bit(bits, w + 3));
  atomic_set_bit_to(bits, kBits - 1, false);
  EXPECT_EQ(atomic_get(&bits[2]), static_cast<atomic_val_t>((1UL << 5) | 1UL));
}

TEST(Atomic, StaticBitmapStartsClear) {
  static ATOMIC_DEFINE(flags, 100);
  for (int bit = 0; bit < 100; ++bit) {
    EXPECT_FALSE(atomic_test_bit(flags, bit));
  }
}

TEST(Atomic, ConcurrentIncrementsAreNotLost) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 100000;
  atomic_t counter = ATOMIC_INIT(0);
  atomic_t cas_counter = ATOMIC_INIT(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        atomic_inc(&counter);
        atomic_val_t old;
        do {
          old = atomic_get(&cas_counter);
        } while (!atomic_cas(&cas_counter, old, old + 2));
      }
    });
  }
  for (std::thread &t : threads) {
    t.join();
  }
  EXPECT_EQ(atomic_get(&counter), kThreads * kPerThread);
  EXPECT_EQ(atomic_get(&cas_counter), 2 * kThreads * kPerThread);
}

TEST(Atomic, ConcurrentTestAndSetHasOneWinnerPerBit) {
  constexpr int kThreads = 8;
  constexpr int kBits = 4 * ATOMIC_BITS;
  ATOMIC_DEFINE(bits, kBits) = {};
  atomic_t wins = ATOMIC_INIT(0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the bits from a different start, so neighbouring bits of one word
      // are claimed by different threads at the same time.
      for (int i = 0; i < kBits; ++i) {
        if (!atomic_test_and_set_bit(bits, (i + t * 7) % kBits)) {
          atomic_inc(&wins);
        }
      }
    });
  }
  for (std::thread &t : threads) {
    t.join();
  }
  EXPECT_EQ(atomic_get(&wins), kBits);
  for (size_t i = 0; i < ATOMIC_BITMAP_SIZE(kBits); ++i) {
    EXPECT_EQ(atomic_get(&bits[i]), -1L) << "word " << i;
  }
}

}  // namespace
