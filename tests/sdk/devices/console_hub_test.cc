// ConsoleHub: the ring, replay for late readers, drops for slow ones, events, listeners, input.
#include "gale/devices/console_hub.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gale::devices {
namespace {

// Everything a reader has now (chunks until the hub is idle), concatenated, with flags noted.
struct Drained {
  std::string replayed;
  std::string live;
  uint64_t dropped = 0;
  std::vector<int> exits;
  std::vector<std::string> stops;
  bool closed = false;
};

Drained Drain(ConsoleReader &reader) {
  Drained out;
  while (true) {
    absl::StatusOr<ConsoleChunk> chunk = reader.Read(absl::Milliseconds(20));
    if (!chunk.ok()) {
      break;
    }
    out.dropped += chunk->dropped;
    (chunk->replayed ? out.replayed : out.live) += chunk->data;
    if (chunk->exited) {
      out.exits.push_back(chunk->exit_code);
    }
    if (chunk->closed) {
      out.closed = true;
    } else if (!chunk->stopped.empty()) {
      out.stops.push_back(chunk->stopped);
    }
  }
  return out;
}

TEST(ConsoleHubTest, LateReaderGetsRetainedOutputFlaggedReplayedThenLive) {
  ConsoleHub hub;
  hub.Write("*** Booting ***\n");
  hub.Write("Hello\n");
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  hub.Write("later\n");
  Drained got = Drain(*reader);
  EXPECT_EQ(got.replayed, "*** Booting ***\nHello\n");
  EXPECT_EQ(got.live, "later\n");
  EXPECT_EQ(got.dropped, 0u);
}

TEST(ConsoleHubTest, NoReplaySkipsRetainedOutput) {
  ConsoleHub hub;
  hub.Write("old\n");
  std::unique_ptr<ConsoleReader> reader = hub.Attach(/*replay=*/false);
  hub.Write("new\n");
  Drained got = Drain(*reader);
  EXPECT_EQ(got.replayed, "");
  EXPECT_EQ(got.live, "new\n");
}

TEST(ConsoleHubTest, TwoReadersSeeTheSameOutput) {
  ConsoleHub hub;
  std::unique_ptr<ConsoleReader> a = hub.Attach();
  std::unique_ptr<ConsoleReader> b = hub.Attach();
  for (int i = 0; i < 100; ++i) {
    hub.Write("line " + std::to_string(i) + "\n");
  }
  Drained got_a = Drain(*a);
  Drained got_b = Drain(*b);
  EXPECT_EQ(got_a.live, got_b.live);
  EXPECT_EQ(got_a.live, hub.Retained());
}

TEST(ConsoleHubTest, RingKeepsTheNewestBytesAndLateReadersLearnWhatWasDropped) {
  ConsoleHub hub(16);
  hub.Write("0123456789");
  hub.Write("abcdefghij");  // 20 bytes into 16
  EXPECT_EQ(hub.Retained(), "456789abcdefghij");
  EXPECT_EQ(hub.total_bytes(), 20u);
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  Drained got = Drain(*reader);
  EXPECT_EQ(got.replayed, "456789abcdefghij");
  EXPECT_EQ(got.dropped, 0u) << "what was gone before attaching is not this reader's loss";
}

TEST(ConsoleHubTest, ASlowReaderIsToldHowManyBytesItLostAndTheProducerNeverBlocks) {
  ConsoleHub hub(16);
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  hub.Write("first");  // 5 bytes, read below
  absl::StatusOr<ConsoleChunk> chunk = reader->Read(absl::Seconds(1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->data, "first");
  // The reader sleeps while 40 bytes come; the ring holds 16.
  hub.Write(std::string(40, 'x'));
  hub.Write("tail");
  chunk = reader->Read(absl::Seconds(1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->dropped, 28u);
  EXPECT_EQ(chunk->data, std::string(12, 'x') + "tail");
  EXPECT_FALSE(chunk->replayed);
}

TEST(ConsoleHubTest, AWriteLargerThanTheRingKeepsItsEnd) {
  ConsoleHub hub(8);
  hub.Write("0123456789abcdef");
  EXPECT_EQ(hub.Retained(), "89abcdef");
}

TEST(ConsoleHubTest, ExitEventsComeAfterTheOutputBeforeThem) {
  ConsoleHub hub;
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  hub.MarkStarted();
  hub.Write("PROJECT EXECUTION SUCCESSFUL\n");
  hub.MarkExited(0);
  hub.Write("next run\n");
  absl::StatusOr<ConsoleChunk> chunk = reader->Read(absl::Seconds(1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->data, "PROJECT EXECUTION SUCCESSFUL\n");
  chunk = reader->Read(absl::Seconds(1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_TRUE(chunk->exited);
  EXPECT_EQ(chunk->exit_code, 0);
  EXPECT_TRUE(chunk->data.empty());
  chunk = reader->Read(absl::Seconds(1));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->data, "next run\n");
}

TEST(ConsoleHubTest, ALateReaderOfAnExitedRunGetsTheExitAfterTheReplay) {
  ConsoleHub hub;
  hub.MarkStarted();
  hub.Write("bye\n");
  hub.MarkExited(3);
  std::unique_ptr<ConsoleReader> replaying = hub.Attach();
  Drained got = Drain(*replaying);
  EXPECT_EQ(got.replayed, "bye\n");
  EXPECT_EQ(got.exits, std::vector<int>{3});
  // Without replay too: the device has exited, a reader waiting for that must learn it.
  std::unique_ptr<ConsoleReader> live = hub.Attach(/*replay=*/false);
  got = Drain(*live);
  EXPECT_EQ(got.exits, std::vector<int>{3});
}

TEST(ConsoleHubTest, ExitsOfSupersededRunsAreNotReplayed) {
  ConsoleHub hub;
  hub.MarkStarted();
  hub.Write("run 1\n");
  hub.MarkExited(1);
  hub.MarkStarted();  // flashed again
  hub.Write("run 2\n");
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  Drained got = Drain(*reader);
  EXPECT_EQ(got.replayed, "run 1\nrun 2\n");
  EXPECT_TRUE(got.exits.empty());
  std::unique_ptr<ConsoleReader> live = hub.Attach(/*replay=*/false);
  EXPECT_TRUE(Drain(*live).exits.empty());
}

TEST(ConsoleHubTest, StopAndCloseReachReaders) {
  ConsoleHub hub;
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  hub.Write("x");
  hub.MarkStopped("qemu-system-arm was killed by signal 9");
  hub.Close("device emu-x-1 was deleted");
  Drained got = Drain(*reader);
  EXPECT_EQ(got.live, "x");
  ASSERT_EQ(got.stops.size(), 1u);
  EXPECT_EQ(got.stops[0], "qemu-system-arm was killed by signal 9");
  EXPECT_TRUE(got.closed);
  EXPECT_TRUE(absl::IsOutOfRange(reader->Read(absl::Milliseconds(1)).status()));
}

TEST(ConsoleHubTest, CancelWakesABlockedReader) {
  ConsoleHub hub;
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  absl::Status status;
  std::thread blocked([&] { status = reader->Read(absl::Hours(1)).status(); });
  absl::SleepFor(absl::Milliseconds(50));
  reader->Cancel();
  blocked.join();
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
}

TEST(ConsoleHubTest, ReadTimesOutWhenNothingComes) {
  ConsoleHub hub;
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  EXPECT_TRUE(absl::IsDeadlineExceeded(reader->Read(absl::Milliseconds(10)).status()));
}

TEST(ConsoleHubTest, ReadersOutliveTheHub) {
  std::unique_ptr<ConsoleReader> reader;
  {
    ConsoleHub hub;
    reader = hub.Attach();
    hub.Write("last words\n");
  }
  Drained got = Drain(*reader);
  EXPECT_EQ(got.live, "last words\n");
  EXPECT_TRUE(got.closed);
}

TEST(ConsoleHubTest, LineListenersGetWholeLinesWithoutTerminators) {
  ConsoleHub hub;
  std::vector<std::string> lines;
  std::string bytes;
  ConsoleHub::ListenerId line_id =
      hub.AddLineListener([&](std::string_view line) { lines.emplace_back(line); });
  ConsoleHub::ListenerId byte_id =
      hub.AddOutputListener([&](std::string_view b) { bytes.append(b); });
  EXPECT_NE(line_id, 0u);
  hub.Write("*** Boot");
  hub.Write("ing ***\r\nHello\nparti");
  hub.Write("al");
  EXPECT_EQ(lines, (std::vector<std::string>{"*** Booting ***", "Hello"}));
  hub.MarkExited(0);  // flushes the partial line
  EXPECT_EQ(lines.back(), "partial");
  EXPECT_EQ(bytes, "*** Booting ***\r\nHello\npartial");
  hub.RemoveListener(line_id);
  hub.RemoveListener(byte_id);
  hub.Write("more\n");
  EXPECT_EQ(lines.size(), 3u);
}

TEST(ConsoleHubTest, InputGoesToTheSinkOrFailsClearly) {
  ConsoleHub hub;
  absl::Status status = hub.SendInput("help\n");
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  std::string typed;
  hub.SetInputSink([&](std::string_view bytes) {
    typed.append(bytes);
    return absl::OkStatus();
  });
  EXPECT_TRUE(hub.SendInput("help\n").ok());
  EXPECT_EQ(typed, "help\n");
}

TEST(ConsoleHubTest, ConcurrentProducerAndReadersLoseNothingWhenTheyKeepUp) {
  ConsoleHub hub(1 << 20);
  std::unique_ptr<ConsoleReader> reader = hub.Attach();
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    expected += "line " + std::to_string(i) + "\n";
  }
  std::thread producer([&] {
    for (int i = 0; i < 2000; ++i) {
      hub.Write("line " + std::to_string(i) + "\n");
    }
    hub.MarkExited(0);
  });
  std::string got;
  while (true) {
    absl::StatusOr<ConsoleChunk> chunk = reader->Read(absl::Seconds(30));
    ASSERT_TRUE(chunk.ok()) << chunk.status();
    EXPECT_EQ(chunk->dropped, 0u);
    got += chunk->data;
    if (chunk->exited) {
      break;
    }
  }
  producer.join();
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace gale::devices
