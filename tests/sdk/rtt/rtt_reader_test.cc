// RttReader and the control-block code against a fake target RAM: reading, wrap-around, corrupt
// and late blocks, resets, scans, down-buffer writes and dropped-byte counters.
#include "gale/rtt/reader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "fake_memory.h"
#include "gale/rtt/control_block.h"

namespace gale::rtt {
namespace {

using testing::FakeMemory;
using testing::FakeTarget;

constexpr uint64_t kRam = 0x20000000;
constexpr uint64_t kBlock = 0x20000100;
constexpr uint32_t kUp0 = 0x20001000;
constexpr uint32_t kUp1 = 0x20002000;
constexpr uint32_t kDown0 = 0x20003000;

std::string Text(const std::vector<uint8_t> &bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// Everything a poll returned for `channel`.
std::string Got(const PollResult &result, unsigned channel) {
  std::string out;
  for (const ChannelData &c : result.up) {
    if (c.channel == channel) {
      out += Text(c.data);
    }
  }
  return out;
}

class RttReaderTest : public ::testing::Test {
 protected:
  RttReaderTest() : memory_(kRam, 64 * 1024), target_(memory_, kBlock) {}

  RttReaderOptions Options() {
    RttReaderOptions options;
    options.control_block = kBlock;
    options.ram = {memory_.range()};
    options.min_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(4);
    return options;
  }

  void InitTarget(uint32_t up0_size = 64) {
    target_.Init({{kUp0, up0_size}, {kUp1, 16}, {0, 0}}, {{kDown0, 8}});
  }

  PollResult Poll(RttReader &reader) {
    absl::StatusOr<PollResult> result = reader.Poll();
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : PollResult{};
  }

  FakeMemory memory_;
  FakeTarget target_;
};

TEST_F(RttReaderTest, ReadsNewBytesAndMovesRdOff) {
  InitTarget();
  RttReader reader(memory_, Options());
  PollResult first = Poll(reader);
  EXPECT_TRUE(first.attached);
  EXPECT_TRUE(first.reattached);
  EXPECT_TRUE(first.up.empty());
  ASSERT_TRUE(reader.control_block().has_value());
  EXPECT_EQ(reader.control_block()->up.size(), 3u);
  EXPECT_EQ(reader.control_block()->down.size(), 1u);

  target_.Write(0, "hello ");
  target_.Write(1, "other");
  PollResult second = Poll(reader);
  EXPECT_FALSE(second.reattached);
  EXPECT_EQ(Got(second, 0), "hello ");
  EXPECT_EQ(Got(second, 1), "other");
  EXPECT_EQ(memory_.Get32(target_.UpDesc(0) + kOffsetRdOff), 6u);
  EXPECT_EQ(memory_.Get32(target_.UpDesc(1) + kOffsetRdOff), 5u);

  target_.Write(0, "world");
  EXPECT_EQ(Got(Poll(reader), 0), "world");
  EXPECT_TRUE(Poll(reader).up.empty());
}

TEST_F(RttReaderTest, OnePollIsOneBlockReadAndOneReadPerChannelWithData) {
  InitTarget();
  RttReader reader(memory_, Options());
  Poll(reader);
  target_.Write(0, "abc");
  memory_.reads = memory_.writes = 0;
  EXPECT_EQ(Got(Poll(reader), 0), "abc");
  EXPECT_EQ(memory_.reads, 2);   // the block, the data
  EXPECT_EQ(memory_.writes, 1);  // RdOff
  memory_.reads = memory_.writes = 0;
  Poll(reader);
  EXPECT_EQ(memory_.reads, 1);
  EXPECT_EQ(memory_.writes, 0);
}

TEST_F(RttReaderTest, WrapAround) {
  InitTarget();
  RttReader reader(memory_, Options());
  Poll(reader);
  std::string all;
  std::string expected;
  // A 16-byte ring written 7 bytes at a time wraps every few rounds; each round must come out
  // whole and in order, whatever the offsets.
  for (int round = 0; round < 20; round++) {
    std::string chunk = absl::StrCat(round % 10, "abcdef");
    ASSERT_EQ(target_.Write(1, chunk), chunk.size());
    expected += chunk;
    all += Got(Poll(reader), 1);
  }
  EXPECT_EQ(all, expected);
  // A full ring: 15 bytes, with the write offset behind the read offset.
  target_.Write(1, "0123456789ABCDEFGHIJ");
  EXPECT_EQ(Got(Poll(reader), 1), "0123456789ABCDE");
}

TEST_F(RttReaderTest, BigWrappedRingWithLittleDataIsReadInTwoPieces) {
  InitTarget(32 * 1024);
  RttReader reader(memory_, Options());
  Poll(reader);
  constexpr uint32_t kNearEnd = 32 * 1024 - 3;
  memory_.Set32(target_.UpDesc(0) + kOffsetWrOff, kNearEnd);
  memory_.Set32(target_.UpDesc(0) + kOffsetRdOff, kNearEnd);
  Poll(reader);  // RdOff moved by someone else: taken as a new stream, nothing to read
  target_.Write(0, "wrapped!");
  uint64_t before = reader.bytes_read();
  EXPECT_EQ(Got(Poll(reader), 0), "wrapped!");
  EXPECT_LT(reader.bytes_read() - before, 1024u) << "not the whole 32 KiB ring";
}

TEST_F(RttReaderTest, CorruptBlocksAreReportedNotFollowed) {
  RttReader reader(memory_, Options());
  struct Case {
    const char *what;
    std::function<void()> corrupt;
    const char *message;
  } cases[] = {
      {"counts", [&] { memory_.Set32(kBlock + 16, 100000); }, "implausible channel counts"},
      {"negative count", [&] { memory_.Set32(kBlock + 20, 0xffffffff); }, "implausible"},
      {"ring outside RAM", [&] { memory_.Set32(target_.UpDesc(0) + 4, 0x08000000); },
       "outside RAM"},
      {"ring past RAM's end", [&] { memory_.Set32(target_.UpDesc(1) + 8, 0x10000000); },
       "outside RAM"},
      {"WrOff", [&] { memory_.Set32(target_.UpDesc(0) + kOffsetWrOff, 64); }, "past its size"},
      {"RdOff", [&] { memory_.Set32(target_.DownDesc(0) + kOffsetRdOff, 9); }, "past its size"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    memory_.Clear();
    InitTarget();
    c.corrupt();
    PollResult result = Poll(reader);
    EXPECT_FALSE(result.attached);
    EXPECT_TRUE(absl::IsDataLoss(result.detached_reason)) << result.detached_reason;
    EXPECT_NE(result.detached_reason.message().find(c.message), std::string::npos)
        << result.detached_reason;
    EXPECT_FALSE(reader.control_block().has_value());
  }
  // Repaired, the block is taken again.
  memory_.Clear();
  InitTarget();
  EXPECT_TRUE(Poll(reader).attached);
}

TEST_F(RttReaderTest, RandomGarbageNeverCrashes) {
  std::mt19937 random(7);
  RttReaderOptions options = Options();
  options.scan_ranges = {memory_.range()};
  RttReader reader(memory_, options);
  for (int i = 0; i < 500; i++) {
    InitTarget();
    // Overwrite a random part of the header and descriptors with random bytes.
    size_t from = random() % (kHeaderSize + 4 * kDescriptorSize);
    size_t count = 1 + random() % 16;
    for (size_t b = 0; b < count; b++) {
      *memory_.At(kBlock + 16 + (from + b) % (4 * kDescriptorSize)) =
          static_cast<uint8_t>(random());
    }
    absl::StatusOr<PollResult> result = reader.Poll();
    ASSERT_TRUE(result.ok()) << result.status();
    if (result->attached) {
      for (const BufferDesc &d : reader.control_block()->up) {
        EXPECT_TRUE(!d.active() || (d.wr_off < d.size && d.rd_off < d.size));
      }
    }
  }
}

TEST_F(RttReaderTest, LateBlock) {
  RttReader reader(memory_, Options());
  PollResult before = Poll(reader);
  EXPECT_FALSE(before.attached);
  EXPECT_TRUE(absl::IsNotFound(before.detached_reason)) << before.detached_reason;

  // Not there for the first reads, then initialised by the "target".
  int reads_until_init = 5;
  memory_.on_read = [&] {
    if (--reads_until_init == 0) {
      InitTarget();
      target_.Write(0, "first bytes");
    }
  };
  ASSERT_TRUE(reader.WaitForControlBlock(absl::Seconds(10)).ok());
  memory_.on_read = nullptr;
  PollResult after = Poll(reader);
  EXPECT_TRUE(after.attached);
  EXPECT_TRUE(after.reattached);
  EXPECT_EQ(Got(after, 0), "first bytes") << "the wait must not consume data";
}

TEST_F(RttReaderTest, WaitTimesOutAndCancels) {
  RttReader reader(memory_, Options());
  absl::Status timed_out = reader.WaitForControlBlock(absl::Milliseconds(30));
  EXPECT_TRUE(absl::IsDeadlineExceeded(timed_out)) << timed_out;
  EXPECT_NE(timed_out.message().find("SEGGER RTT"), std::string::npos) << timed_out;
  std::atomic<bool> cancel{true};
  EXPECT_TRUE(absl::IsCancelled(reader.WaitForControlBlock(absl::Seconds(10), &cancel)));
}

TEST_F(RttReaderTest, ResetIsFollowed) {
  InitTarget();
  RttReader reader(memory_, Options());
  Poll(reader);
  target_.Write(0, "before reset");
  EXPECT_EQ(Got(Poll(reader), 0), "before reset");

  memory_.Clear();  // reset: .bss cleared, the id is gone
  PollResult during = Poll(reader);
  EXPECT_FALSE(during.attached);
  EXPECT_TRUE(absl::IsNotFound(during.detached_reason));

  InitTarget();
  target_.Write(0, "after");
  PollResult after = Poll(reader);
  EXPECT_TRUE(after.attached);
  EXPECT_TRUE(after.reattached);
  EXPECT_EQ(Got(after, 0), "after");
}

TEST_F(RttReaderTest, ResetBetweenTwoPollsIsNoticed) {
  InitTarget();
  RttReader reader(memory_, Options());
  Poll(reader);
  target_.Write(0, "first run");
  EXPECT_EQ(Got(Poll(reader), 0), "first run");
  // Reset and re-initialised before the next poll: the id never looked absent, the layout is
  // the same, but RdOff (the host's) went back to 0.
  memory_.Clear();
  InitTarget();
  target_.Write(0, "second run");
  PollResult after = Poll(reader);
  EXPECT_TRUE(after.reattached);
  EXPECT_EQ(Got(after, 0), "second run");
  EXPECT_FALSE(Poll(reader).reattached);
}

TEST_F(RttReaderTest, ReflashWithOtherLayoutIsReattached) {
  InitTarget();
  RttReader reader(memory_, Options());
  Poll(reader);
  // A new image: same address, a bigger ring elsewhere, without the host seeing the id vanish.
  target_.Init({{kUp1, 256}}, {{kDown0, 8}});
  target_.Write(0, "new image");
  PollResult result = Poll(reader);
  EXPECT_TRUE(result.attached);
  EXPECT_TRUE(result.reattached);
  EXPECT_EQ(Got(result, 0), "new image");
  EXPECT_EQ(reader.control_block()->up.size(), 1u);
}

TEST_F(RttReaderTest, ScanFindsTheBlockAndFollowsItWhenItMoves) {
  RttReaderOptions options = Options();
  options.control_block.reset();
  options.scan_ranges = {memory_.range()};
  // A stale id with nonsense counts comes first and must be skipped.
  std::memcpy(memory_.At(kRam + 0x40), kControlBlockId, sizeof(kControlBlockId));
  memory_.Set32(kRam + 0x40 + 16, 0x7fffffff);
  InitTarget();
  RttReader reader(memory_, options);
  target_.Write(0, "found");
  PollResult result = Poll(reader);
  ASSERT_TRUE(result.attached) << result.detached_reason;
  EXPECT_EQ(reader.control_block()->address, kBlock);
  EXPECT_EQ(Got(result, 0), "found");

  // Reflashed: the block now straddles the scanner's 64 KiB chunks... of a 64 KiB RAM, so put
  // it near the end instead, unaligned.
  memory_.Clear();
  FakeTarget moved(memory_, kRam + 0xff01);
  moved.Init({{kUp0, 32}}, {});
  moved.Write(0, "moved");
  EXPECT_FALSE(Poll(reader).attached);  // the old address has no id: the next poll scans
  PollResult again = Poll(reader);
  ASSERT_TRUE(again.attached) << again.detached_reason;
  EXPECT_EQ(reader.control_block()->address, kRam + 0xff01);
  EXPECT_EQ(Got(again, 0), "moved");
}

TEST(RttScanTest, FindsAnIdAcrossChunkBoundaries) {
  FakeMemory memory(kRam, 192 * 1024);
  uint64_t at = kRam + 64 * 1024 - 5;  // the id straddles the first and second chunk
  FakeTarget target(memory, at);
  target.Init({{static_cast<uint32_t>(kRam + 0x100), 16}}, {});
  MemoryRange ram[] = {memory.range()};
  absl::StatusOr<uint64_t> found = ScanForControlBlock(memory, ram, ram);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, at);

  FakeMemory empty(kRam, 1024);
  MemoryRange none[] = {empty.range()};
  absl::StatusOr<uint64_t> missing = ScanForControlBlock(empty, none, none);
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_NE(missing.status().message().find("0x20000000"), std::string::npos) << missing.status();
}

TEST_F(RttReaderTest, WritesDownBuffers) {
  InitTarget();
  RttReader reader(memory_, Options());
  std::vector<uint8_t> hello = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_TRUE(absl::IsFailedPrecondition(reader.WriteDown(0, hello).status()));
  Poll(reader);
  absl::StatusOr<size_t> n = reader.WriteDown(0, hello);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 5u);
  EXPECT_EQ(target_.Read(0), "hello");
  // Wraps in the 8-byte ring (WrOff 5 -> 2), then fills it: 7 bytes at most.
  std::vector<uint8_t> more = {'w', 'o', 'r', 'l', 'd'};
  EXPECT_EQ(*reader.WriteDown(0, more), 5u);
  EXPECT_EQ(memory_.Get32(target_.DownDesc(0) + kOffsetWrOff), 2u);
  EXPECT_EQ(*reader.WriteDown(0, more), 2u) << "7 of 8 bytes usable";
  EXPECT_EQ(*reader.WriteDown(0, more), 0u);
  EXPECT_EQ(target_.Read(0), "worldwo");
  EXPECT_TRUE(absl::IsInvalidArgument(reader.WriteDown(1, more).status()));
  // The target broke its descriptor meanwhile.
  memory_.Set32(target_.DownDesc(0) + kOffsetRdOff, 99);
  EXPECT_TRUE(absl::IsDataLoss(reader.WriteDown(0, more).status()));
}

TEST_F(RttReaderTest, DroppedCountersAreReadWithTheBlock) {
  InitTarget();
  constexpr uint64_t kCounters = kBlock - 12;  // as the linker placed them: just before
  RttReaderOptions options = Options();
  options.dropped_counters = kCounters;
  options.dropped_channels = 3;
  memory_.Set32(kCounters + 4, 10);
  RttReader reader(memory_, options);
  PollResult first = Poll(reader);
  ASSERT_EQ(first.dropped.size(), 3u);
  EXPECT_EQ(first.dropped[1], 10u);
  memory_.Set32(kCounters + 4, 25);
  memory_.Set32(kCounters, 1);
  memory_.reads = 0;
  PollResult second = Poll(reader);
  EXPECT_EQ(memory_.reads, 1);
  EXPECT_EQ(second.dropped, (std::vector<uint64_t>{1, 15, 0}));

  // Far away: a read of their own.
  memory_.Set32(kRam + 0x8000, 3);
  options.dropped_counters = kRam + 0x8000;
  options.dropped_channels = 1;
  RttReader far(memory_, options);
  memory_.reads = 0;
  EXPECT_EQ(Poll(far).dropped, (std::vector<uint64_t>{3}));
}

TEST_F(RttReaderTest, RunKeepsPollingThroughErrorsAndResets) {
  RttReader reader(memory_, Options());
  std::atomic<bool> cancel{false};
  std::string got;
  int errors = 0;
  int attaches = 0;
  int polls = 0;
  RunOptions pace;
  pace.min_idle = absl::Microseconds(10);
  pace.max_idle = absl::Microseconds(100);
  // The "target" acts between polls, driven by the poll count: late block, data, an
  // unreachable target, a reset, more data.
  reader.Run(
      [&](const PollResult &result) {
        polls++;
        attaches += result.reattached ? 1 : 0;
        got += Got(result, 0);
        switch (polls) {
          case 3:
            InitTarget();
            target_.Write(0, "one ");
            break;
          case 6:
            memory_.fail = absl::UnavailableError("emulator restarting");
            break;
          case 9:
            memory_.Clear();
            InitTarget();
            target_.Write(0, "two");
            break;
          case 12:
            cancel = true;
            break;
          default:
            break;
        }
      },
      [&](const absl::Status &error) {
        EXPECT_TRUE(absl::IsUnavailable(error)) << error;
        if (++errors == 3) {
          memory_.fail = absl::OkStatus();
        }
      },
      cancel, pace);
  EXPECT_EQ(got, "one two");
  EXPECT_EQ(errors, 3);
  EXPECT_EQ(attaches, 2);
}

TEST_F(RttReaderTest, MemoryErrorsAreReturned) {
  InitTarget();
  RttReader reader(memory_, Options());
  memory_.fail = absl::UnavailableError("probe gone");
  absl::StatusOr<PollResult> result = reader.Poll();
  EXPECT_TRUE(absl::IsUnavailable(result.status())) << result.status();
  memory_.fail = absl::OkStatus();
  EXPECT_TRUE(Poll(reader).attached);
}

TEST(ControlBlockTest, ParsesSeggerLayout) {
  std::vector<uint8_t> bytes(kHeaderSize + 2 * kDescriptorSize, 0);
  std::memcpy(bytes.data(), "SEGGER RTT", 11);
  bytes[16] = 1;
  bytes[20] = 1;
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) {
      bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
    }
  };
  put(24 + 4, 0x20000400);
  put(24 + 8, 1024);
  put(24 + 12, 10);
  put(24 + 16, 3);
  put(24 + 20, 2);
  absl::StatusOr<ControlBlock> block = ParseControlBlock(bytes, 0x20000000, {});
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(block->up[0].buffer, 0x20000400u);
  EXPECT_EQ(block->up[0].size, 1024u);
  EXPECT_EQ(block->up[0].wr_off, 10u);
  EXPECT_EQ(block->up[0].rd_off, 3u);
  EXPECT_EQ(block->up[0].flags, 2u);
  EXPECT_FALSE(block->down[0].active());
  EXPECT_EQ(block->Size(), bytes.size());
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseControlBlock(std::span(bytes).first(30), 0x20000000, {}).status()));
}

// A 64-bit program's block (native_sim on a 64-bit host): pointers are 8 bytes, so each
// descriptor is 32 bytes and the offsets move with them.
TEST(ControlBlockTest, ParsesSixtyFourBitLayout) {
  std::vector<uint8_t> bytes(BlockSize(1, 1, 8), 0);
  ASSERT_EQ(bytes.size(), kHeaderSize + 2 * 32u);
  std::memcpy(bytes.data(), "SEGGER RTT", 11);
  bytes[16] = 1;
  bytes[20] = 1;
  auto put = [&](size_t at, uint64_t v, int width) {
    for (int i = 0; i < width; i++) {
      bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
    }
  };
  put(24, 0x404350, 8);               // sName
  put(24 + 8, 0x7f0000417660ull, 8);  // pBuffer, above 4 GiB
  put(24 + 16, 4096, 4);
  put(24 + 20, 100, 4);  // WrOff
  put(24 + 24, 40, 4);   // RdOff
  put(24 + 28, 2, 4);
  put(24 + 32 + 8, 0x417620, 8);  // the down ring
  put(24 + 32 + 16, 64, 4);
  absl::StatusOr<ControlBlock> block = ParseControlBlock(bytes, 0x4186a0, {}, 8);
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(block->up[0].name, 0x404350u);
  EXPECT_EQ(block->up[0].buffer, 0x7f0000417660u);
  EXPECT_EQ(block->up[0].size, 4096u);
  EXPECT_EQ(block->up[0].wr_off, 100u);
  EXPECT_EQ(block->up[0].rd_off, 40u);
  EXPECT_EQ(block->up[0].flags, 2u);
  EXPECT_EQ(block->down[0].buffer, 0x417620u);
  EXPECT_EQ(block->down[0].size, 64u);
  EXPECT_EQ(block->Size(), bytes.size());
  EXPECT_EQ(block->DownDescAddress(0), 0x4186a0u + 24 + 32);
  EXPECT_EQ(block->OffsetWrOff(), 20u);
  EXPECT_EQ(block->OffsetRdOff(), 24u);
}

}  // namespace
}  // namespace gale::rtt
