#include <elf.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/unknown_field_set.h>

#include "elf_builder.h"
#include "gale/trace/image.h"
#include "gale/trace/stream.h"
#include "gale/trace/timeline.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gale::trace {
namespace {

using ::testing::HasSubstr;

constexpr uint32_t kBase = 0x20000100;
constexpr uint32_t kAlpha = 0x20000200;
constexpr uint32_t kBeta = 0x20000300;
constexpr uint32_t kIdle = 0x20000050;  // below the base: a negative offset
constexpr uint32_t kSem = 0x20000400;

Header TestHeader(std::vector<uint8_t> build_id = {1, 2, 3, 4}) {
  Header h;
  h.frequency = 1000000;  // 1 us per tick
  h.start_cycles = 0xfffff000;  // wraps during the test
  h.id_base = kBase;
  h.build_id = std::move(build_id);
  return h;
}

Event Ev(RecordType type, uint32_t thread = 0, int32_t number = 0, std::string text = {}) {
  Event e;
  e.type = type;
  e.thread = thread;
  e.number = number;
  e.text = std::move(text);
  return e;
}

// A capture as the target sends it: snapshot, then alpha and beta taking turns with idle.
std::vector<Event> Scenario() {
  std::vector<Event> events;
  events.push_back(Ev(RecordType::kThreadInfo, kAlpha, 4, "alpha"));
  events.push_back(Ev(RecordType::kThreadInfo, kBeta, 5, "beta"));
  events.push_back(Ev(RecordType::kThreadInfo, kIdle, 15, "idle"));
  Event end = Ev(RecordType::kSnapshotEnd);
  end.value = 3;
  events.push_back(end);
  events.push_back(Ev(RecordType::kSwitch, kIdle));
  for (int i = 0; i < 100; ++i) {
    events.push_back(Ev(RecordType::kReady, i % 2 == 0 ? kAlpha : kBeta));
    events.push_back(Ev(RecordType::kSwitch, i % 2 == 0 ? kAlpha : kBeta));
    Event give = Ev(RecordType::kObject);
    give.op = static_cast<uint8_t>(ObjectOp::kSemGive);
    give.object = kSem;
    events.push_back(give);
    Event isr = Ev(RecordType::kIsrEnter);
    isr.value = 15;
    events.push_back(isr);
    events.push_back(Ev(RecordType::kIsrExit));
    events.push_back(Ev(RecordType::kPend, i % 2 == 0 ? kAlpha : kBeta));
    events.back().object = kSem;
    events.push_back(Ev(RecordType::kSwitch, kIdle));
  }
  Event counter = Ev(RecordType::kCounter);
  counter.value = 7;
  counter.number = -42;
  events.push_back(counter);
  Event mark = Ev(RecordType::kMark);
  mark.op = static_cast<uint8_t>(MarkKind::kId);
  mark.value = 300;
  events.push_back(mark);
  events.push_back(Ev(RecordType::kName, kBeta, 0, "beta2"));
  Event dropped = Ev(RecordType::kDropped);
  dropped.value = 17;
  events.push_back(dropped);
  events.push_back(Ev(RecordType::kStop));
  return events;
}

std::vector<uint8_t> Encode(const std::vector<Event> &events, uint32_t step = 100) {
  Encoder enc(TestHeader());
  for (const Event &e : events) {
    enc.Add(e, step);
  }
  return enc.bytes();
}

TEST(TraceStreamTest, RoundTripsEveryRecordType) {
  std::vector<Event> in = Scenario();
  auto decoded = DecodeStream(Encode(in));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->header.frequency, 1000000U);
  EXPECT_EQ(decoded->header.BuildIdHex(), "01020304");
  ASSERT_EQ(decoded->events.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const Event &a = in[i];
    const Event &b = decoded->events[i];
    EXPECT_EQ(a.type, b.type) << i;
    EXPECT_EQ(a.thread, b.thread) << i;
    EXPECT_EQ(a.object, b.object) << i;
    EXPECT_EQ(a.op, b.op) << i;
    EXPECT_EQ(a.value, b.value) << i;
    EXPECT_EQ(a.number, b.number) << i;
    EXPECT_EQ(a.text, b.text) << i;
    EXPECT_EQ(b.cycles, 100U * (i + 1)) << i;  // across the 2^32 wrap of the raw clock
  }
}

TEST(TraceStreamTest, DecodesAnyChunking) {
  std::vector<uint8_t> bytes = Encode(Scenario());
  std::vector<uint8_t> garbage = {0x00, 'G', 'T', 0x55};  // before the header: skipped
  bytes.insert(bytes.begin(), garbage.begin(), garbage.end());
  auto whole = DecodeStream(bytes);
  ASSERT_TRUE(whole.ok()) << whole.status();
  for (size_t chunk : {1U, 2U, 3U, 7U, 64U}) {
    Decoder decoder;
    std::vector<Event> events;
    for (size_t pos = 0; pos < bytes.size(); pos += chunk) {
      size_t n = std::min(chunk, bytes.size() - pos);
      ASSERT_TRUE(decoder.Feed(std::span<const uint8_t>(bytes).subspan(pos, n), &events).ok());
    }
    EXPECT_TRUE(decoder.Finish().ok());
    EXPECT_EQ(decoder.skipped_bytes(), garbage.size());
    ASSERT_EQ(events.size(), whole->events.size()) << "chunk " << chunk;
    EXPECT_EQ(events.back().cycles, whole->events.back().cycles);
  }
}

TEST(TraceStreamTest, TruncatedStreamsFailClearly) {
  std::vector<uint8_t> bytes = Encode(Scenario());
  int truncated = 0;
  for (size_t len = 0; len < bytes.size(); ++len) {
    auto decoded = DecodeStream(std::span<const uint8_t>(bytes).first(len));
    if (decoded.ok()) {
      continue;  // cut between two records
    }
    ++truncated;
    EXPECT_TRUE(absl::IsDataLoss(decoded.status()) || absl::IsNotFound(decoded.status()))
        << len << ": " << decoded.status();
    if (absl::IsDataLoss(decoded.status())) {
      EXPECT_THAT(decoded.status().message(), HasSubstr("truncated"));
    }
  }
  EXPECT_GT(truncated, 0);
}

TEST(TraceStreamTest, NoHeaderIsNotFound) {
  std::vector<uint8_t> bytes(100, 0x01);
  auto decoded = DecodeStream(bytes);
  EXPECT_TRUE(absl::IsNotFound(decoded.status())) << decoded.status();
  EXPECT_THAT(decoded.status().message(), HasSubstr("CONFIG_TRACING"));
}

TEST(TraceStreamTest, CorruptRecordsAreDataLoss) {
  std::vector<uint8_t> good = Encode(Scenario());
  const size_t header_size = 6 + 13 + 4;
  {
    std::vector<uint8_t> bad = good;
    bad[header_size] = 0x7f;  // unknown type
    auto decoded = DecodeStream(bad);
    EXPECT_TRUE(absl::IsDataLoss(decoded.status()));
    EXPECT_THAT(decoded.status().message(), HasSubstr("unknown record type 0x7f"));
    EXPECT_THAT(decoded.status().message(), HasSubstr("at byte 23"));
  }
  {
    std::vector<uint8_t> bad = good;
    bad[4] = 9;  // format version
    auto decoded = DecodeStream(bad);
    EXPECT_TRUE(absl::IsFailedPrecondition(decoded.status())) << decoded.status();
    EXPECT_THAT(decoded.status().message(), HasSubstr("format version 9"));
  }
  {
    std::vector<uint8_t> bad = good;
    bad.insert(bad.begin() + header_size, {0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00});
    auto decoded = DecodeStream(bad);
    EXPECT_TRUE(absl::IsDataLoss(decoded.status())) << decoded.status();
  }
  // Random damage: an error or a decode, never a crash.
  std::mt19937 rng(8);
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> bad = good;
    for (int k = 0; k < 4; ++k) {
      bad[rng() % bad.size()] = static_cast<uint8_t>(rng());
    }
    auto decoded = DecodeStream(bad);
    if (decoded.ok()) {
      (void)ComputeStats(BuildTimeline(decoded->header, decoded->events, nullptr));
    }
  }
}

TEST(TraceStreamTest, SecondHeaderContinuesTheTimeLine) {
  Encoder enc(TestHeader());
  enc.Add(Ev(RecordType::kSwitch, kAlpha), 10);
  Header again = TestHeader();
  again.start_cycles = 0xfffff000 + 10 + 500;
  enc.AddHeader(again);
  enc.Add(Ev(RecordType::kSwitch, kBeta), 5);
  auto decoded = DecodeStream(enc.bytes());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->events.size(), 2U);
  EXPECT_EQ(decoded->events[1].cycles, 515U);
}

TEST(TraceTimelineTest, StatsAndChromeJsonRoundTrip) {
  auto decoded = DecodeStream(Encode(Scenario()));
  ASSERT_TRUE(decoded.ok());
  Timeline tl = BuildTimeline(decoded->header, decoded->events, nullptr);
  EXPECT_EQ(tl.dropped, 17U);
  EXPECT_EQ(tl.threads.at(kBeta).name, "beta2");
  EXPECT_EQ(tl.threads.at(kAlpha).priority, 4);
  EXPECT_EQ(tl.isrs.size(), 100U);
  Stats stats = ComputeStats(tl);
  // Each worker runs 5 records x 100 us per turn (give, isr enter and exit, pend, switch), 50
  // turns.
  auto find = [&](const Stats &s, const std::string &name) {
    for (const ThreadStats &t : s.threads) {
      if (t.name == name) {
        return t;
      }
    }
    ADD_FAILURE() << "no " << name;
    return ThreadStats{};
  };
  ThreadStats alpha = find(stats, "alpha");
  EXPECT_EQ(alpha.switches_in, 50U);
  EXPECT_EQ(alpha.run_ns, 50 * 500 * 1000);
  EXPECT_EQ(alpha.max_ready_latency_ns, 100 * 1000);
  EXPECT_EQ(stats.context_switches, 200U);
  EXPECT_EQ(stats.isr_ns, 100 * 100 * 1000);
  std::string text = FormatStats(stats);
  EXPECT_THAT(text, HasSubstr("alpha"));
  EXPECT_THAT(text, HasSubstr("17 records dropped"));

  std::string json = ExportChromeJson(tl);
  EXPECT_THAT(json, HasSubstr("\"thread_name\""));
  auto back = ImportChromeJson(json, "t.json");
  ASSERT_TRUE(back.ok()) << back.status();
  Stats again = ComputeStats(*back);
  ThreadStats alpha2 = find(again, "alpha");
  EXPECT_EQ(alpha2.switches_in, alpha.switches_in);
  EXPECT_EQ(alpha2.run_ns, alpha.run_ns);
  EXPECT_EQ(alpha2.max_ready_latency_ns, alpha.max_ready_latency_ns);
  EXPECT_EQ(again.dropped, 17U);
  EXPECT_EQ(again.isr_ns, stats.isr_ns);
  EXPECT_EQ(back->counters.size(), 1U);
  EXPECT_EQ(back->counters[0].value, -42);
}

// A live view keeps the end of the capture: slices that reach into the window (whole), later
// instants and counters, and every thread's name, even of threads that last ran before it.
TEST(TraceTimelineTest, WindowKeepsTheEndAndEveryName) {
  auto decoded = DecodeStream(Encode(Scenario()));
  ASSERT_TRUE(decoded.ok());
  Timeline tl = BuildTimeline(decoded->header, decoded->events, nullptr);
  ASSERT_GT(tl.end_ns, 10'000'000);
  const int64_t from = tl.end_ns - 10'000'000;  // the last 10 ms: 14 turns of 7 records
  Timeline window = WindowOf(tl, from);
  EXPECT_EQ(window.threads.size(), tl.threads.size());
  EXPECT_EQ(window.end_ns, tl.end_ns);
  EXPECT_EQ(window.dropped, tl.dropped);
  ASSERT_FALSE(window.runs.empty());
  EXPECT_LT(window.runs.size(), tl.runs.size() / 4);
  for (const Slice &run : window.runs) {
    EXPECT_GE(run.start_ns + run.duration_ns, from);
  }
  // The first kept slice may start before the window: it is kept whole.
  EXPECT_EQ(window.runs.back().start_ns, tl.runs.back().start_ns);
  EXPECT_LT(window.isrs.size(), tl.isrs.size());
  for (const Instant &op : window.operations) {
    EXPECT_GE(op.time_ns, from);
  }
  EXPECT_EQ(window.counters.size(), 1U);  // the counter sample comes at the end
  EXPECT_EQ(WindowOf(tl, tl.end_ns + 1).runs.size(), 0U);
  EXPECT_EQ(WindowOf(tl, 0).runs.size(), tl.runs.size());
  // What Studio draws: the window exported, every thread named.
  auto back = ImportChromeJson(ExportChromeJson(window), "live");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->threads.size(), window.threads.size());
}

// The Perfetto export at the wire level, read without Gale's schema: the field numbers of
// Perfetto's format (Trace.packet 1; TracePacket timestamp 8, trusted_packet_sequence_id 10,
// track_event 11, sequence_flags 13, track_descriptor 60; TrackDescriptor uuid 1, thread 4 with
// tid 2 and thread_name 5, counter 8; TrackEvent type 9, track_uuid 11, name 23,
// counter_value 30). Then back through ImportPerfetto: the same statistics.
TEST(TraceTimelineTest, PerfettoExportHasTheFormatsFieldsAndRoundTrips) {
  auto decoded = DecodeStream(Encode(Scenario()));
  ASSERT_TRUE(decoded.ok());
  Timeline tl = BuildTimeline(decoded->header, decoded->events, nullptr);
  const std::string bytes = ExportPerfetto(tl);
  using google::protobuf::UnknownField;
  using google::protobuf::UnknownFieldSet;
  UnknownFieldSet trace;
  ASSERT_TRUE(trace.ParseFromString(bytes));
  std::vector<std::string> thread_names;
  int begins = 0;
  int ends = 0;
  int counters = 0;
  uint64_t last_time = 0;
  for (int i = 0; i < trace.field_count(); ++i) {
    const UnknownField &packet_field = trace.field(i);
    ASSERT_EQ(packet_field.number(), 1);
    UnknownFieldSet packet;
    ASSERT_TRUE(packet.ParseFromString(packet_field.length_delimited()));
    std::map<int, const UnknownField *> fields;
    for (int j = 0; j < packet.field_count(); ++j) {
      fields[packet.field(j).number()] = &packet.field(j);
    }
    ASSERT_TRUE(fields.count(10)) << "packet " << i << " has no trusted_packet_sequence_id";
    EXPECT_EQ(fields.count(13), i == 0 ? 1U : 0U) << "sequence_flags on the first packet only";
    if (fields.count(60)) {
      UnknownFieldSet track;
      ASSERT_TRUE(track.ParseFromString(fields[60]->length_delimited()));
      for (int j = 0; j < track.field_count(); ++j) {
        if (track.field(j).number() == 4) {
          UnknownFieldSet thread;
          ASSERT_TRUE(thread.ParseFromString(track.field(j).length_delimited()));
          for (int k = 0; k < thread.field_count(); ++k) {
            if (thread.field(k).number() == 5) {
              thread_names.push_back(thread.field(k).length_delimited());
            }
          }
        }
      }
      continue;
    }
    ASSERT_TRUE(fields.count(11) && fields.count(8)) << "packet " << i;
    EXPECT_GE(fields[8]->varint(), last_time) << "events out of time order";
    last_time = fields[8]->varint();
    UnknownFieldSet event;
    ASSERT_TRUE(event.ParseFromString(fields[11]->length_delimited()));
    for (int j = 0; j < event.field_count(); ++j) {
      if (event.field(j).number() == 9) {
        begins += event.field(j).varint() == 1 ? 1 : 0;
        ends += event.field(j).varint() == 2 ? 1 : 0;
      }
      counters += event.field(j).number() == 30 ? 1 : 0;
    }
  }
  EXPECT_THAT(thread_names, ::testing::IsSupersetOf({"interrupts", "alpha", "beta2", "idle"}));
  EXPECT_EQ(begins, ends);
  EXPECT_EQ(begins, static_cast<int>(tl.runs.size() + tl.isrs.size()));
  EXPECT_EQ(counters, 1);

  auto back = LoadSavedTrace(bytes, "t.pftrace", nullptr);
  ASSERT_TRUE(back.ok()) << back.status();
  Stats before = ComputeStats(tl);
  Stats after = ComputeStats(*back);
  EXPECT_EQ(after.context_switches, before.context_switches);
  EXPECT_EQ(after.isr_ns, before.isr_ns);
  EXPECT_EQ(after.isr_count, before.isr_count);
  ASSERT_EQ(after.threads.size(), before.threads.size());
  for (size_t i = 0; i < before.threads.size(); ++i) {
    EXPECT_EQ(after.threads[i].name, before.threads[i].name);
    EXPECT_EQ(after.threads[i].run_ns, before.threads[i].run_ns);
    EXPECT_EQ(after.threads[i].max_ready_latency_ns, before.threads[i].max_ready_latency_ns);
  }
  ASSERT_EQ(back->counters.size(), 1U);
  EXPECT_EQ(back->counters[0].value, -42);
  // Not a Perfetto trace: a clear error naming the file.
  auto bad = LoadSavedTrace(std::string("\x0a\xff\xff\xff", 4), "broken.pftrace", nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("broken.pftrace"));
}

// A span begun before the capture (or before a live window) ends inside it: that end is dropped,
// since readers pair B and E per thread and Studio refuses an E with nothing open.
TEST(TraceTimelineTest, MarkerEndsWithoutTheirBeginAreDropped) {
  auto mark = [](MarkKind kind) {
    Event e = Ev(RecordType::kMark);
    e.op = static_cast<uint8_t>(kind);
    e.value = 0;
    return e;
  };
  std::vector<Event> events = {Ev(RecordType::kThreadInfo, kAlpha, 4, "alpha"),
                               Ev(RecordType::kSnapshotEnd), Ev(RecordType::kSwitch, kAlpha),
                               mark(MarkKind::kEnd),  // begun before the capture
                               mark(MarkKind::kBegin)};
  for (int i = 0; i < 50; ++i) {
    events.push_back(Ev(RecordType::kReady, kBeta));
  }
  events.push_back(mark(MarkKind::kEnd));
  auto decoded = DecodeStream(Encode(events));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  Timeline tl = BuildTimeline(decoded->header, decoded->events, nullptr);
  ASSERT_EQ(tl.marks.size(), 2U);
  EXPECT_EQ(tl.marks[0].phase, "B");
  EXPECT_EQ(tl.marks[1].phase, "E");
  // A window that starts inside the span keeps neither half.
  Timeline window = WindowOf(tl, (tl.marks[0].time_ns + tl.marks[1].time_ns) / 2);
  EXPECT_TRUE(window.marks.empty());
  EXPECT_EQ(ExportChromeJson(window).find("\"ph\":\"E\""), std::string::npos);
}

TEST(TraceTimelineTest, SavedTraceFormats) {
  std::vector<uint8_t> raw = Encode(Scenario());
  auto from_raw = LoadSavedTrace(std::string_view(reinterpret_cast<const char *>(raw.data()),
                                                  raw.size()),
                                 "t.gtrace", nullptr);
  ASSERT_TRUE(from_raw.ok()) << from_raw.status();
  EXPECT_EQ(from_raw->threads.at(kAlpha).name, "alpha");
  auto from_json = LoadSavedTrace(ExportChromeJson(*from_raw), "t.json", nullptr);
  ASSERT_TRUE(from_json.ok()) << from_json.status();
  auto bad = LoadSavedTrace("hello", "notes.txt", nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_THAT(bad.status().message(), HasSubstr("notes.txt"));
  auto bad_json = LoadSavedTrace("{\"a\": 1}", "x.json", nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(bad_json.status()));
  auto broken_json = LoadSavedTrace("{\"traceEvents\": [", "y.json", nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(broken_json.status()));
}

// An image with a build-id note in its flash, a thread object, a semaphore and a marker name.
std::string TestImage(const std::vector<uint8_t> &build_id) {
  using elf::testing::TestSegment;
  using elf::testing::TestSymbol;
  std::vector<uint8_t> flash(0x100, 0);
  // The note at 0x40: namesz 4, descsz, type 3, "GNU\0", the id.
  uint32_t words[3] = {4, static_cast<uint32_t>(build_id.size()), NT_GNU_BUILD_ID};
  std::memcpy(&flash[0x40], words, sizeof(words));
  std::memcpy(&flash[0x4c], "GNU", 4);
  std::memcpy(&flash[0x50], build_id.data(), build_id.size());
  std::memcpy(&flash[0x80], "frame", 6);
  uint32_t channel = 1;
  std::memcpy(&flash[0x90], &channel, 4);
  TestSegment seg;
  seg.data = flash;
  std::vector<TestSymbol> symbols = {
      {"__gale_build_id_start", 0x40, 0, STT_NOTYPE},
      {"__gale_build_id_end", 0x50 + build_id.size(), 0, STT_NOTYPE},
      {"gale_trace_rtt_channel", 0x90, 4, STT_OBJECT},
      {"threads", kAlpha, 0x300, STT_OBJECT},
      {"to_alpha", kSem, 16, STT_OBJECT},
  };
  return elf::testing::BuildElf32(EM_ARM, 0, {seg}, symbols);
}

TEST(TraceImageTest, BuildIdNamesAndMismatch) {
  auto elf = elf::ElfFile::Parse(TestImage({1, 2, 3, 4}), "gale.elf");
  ASSERT_TRUE(elf.ok()) << elf.status();
  auto image = Image::FromElf(*elf);
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->BuildIdHex(), "01020304");
  EXPECT_EQ(image->trace_channel(), 1U);
  EXPECT_EQ(image->SymbolAt(kSem), "to_alpha");
  EXPECT_EQ(image->SymbolAt(kBeta), "threads+0x100");
  EXPECT_EQ(image->StringAt(0x80), "frame");
  EXPECT_TRUE(CheckBuildId(TestHeader({1, 2, 3, 4}), *image).ok());

  absl::Status mismatch = CheckBuildId(TestHeader({9, 9}), *image);
  EXPECT_TRUE(absl::IsFailedPrecondition(mismatch));
  EXPECT_THAT(mismatch.message(), HasSubstr("0909"));
  EXPECT_THAT(mismatch.message(), HasSubstr("01020304"));
  EXPECT_THAT(mismatch.message(), HasSubstr("the ELF that was flashed"));
  EXPECT_FALSE(CheckBuildId(TestHeader({}), *image).ok());

  std::vector<uint8_t> raw = Encode(Scenario());
  Encoder other(TestHeader({9, 9}));
  auto refused = LoadSavedTrace(
      std::string_view(reinterpret_cast<const char *>(other.bytes().data()), other.bytes().size()),
      "t.gtrace", &*image);
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));

  // Names from the ELF: marker text and objects.
  std::vector<Event> events = Scenario();
  Event named = Ev(RecordType::kMark);
  named.op = static_cast<uint8_t>(MarkKind::kNamed);
  named.value = 0x80;
  events.insert(events.begin() + 6, named);
  auto decoded = DecodeStream(Encode(events));
  ASSERT_TRUE(decoded.ok());
  Timeline tl = BuildTimeline(decoded->header, decoded->events, &*image);
  ASSERT_FALSE(tl.marks.empty());
  EXPECT_EQ(tl.marks[0].name, "frame");
  ASSERT_FALSE(tl.operations.empty());
  EXPECT_EQ(tl.operations[0].object, "to_alpha");
}

TEST(TraceCaptureTest, RealCaptureOfThreeWorkers) {
  std::ifstream in(GALE_TRACE_CAPTURE, std::ios::binary);
  ASSERT_TRUE(in) << GALE_TRACE_CAPTURE;
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto tl = LoadSavedTrace(bytes.str(), "accept_trace.gtrace", nullptr);
  ASSERT_TRUE(tl.ok()) << tl.status();
  EXPECT_EQ(tl->frequency, 12000000U);
  EXPECT_EQ(tl->build_id.size(), 40U);  // sha1
  EXPECT_EQ(tl->dropped, 0U);
  Stats stats = ComputeStats(*tl);
  std::map<std::string, ThreadStats> by_name;
  for (const ThreadStats &t : stats.threads) {
    by_name[t.name] = t;
  }
  uint64_t switches = 0;
  for (const char *name : {"alpha", "beta", "gamma"}) {
    ASSERT_TRUE(by_name.count(name)) << FormatStats(stats);
    switches += by_name[name].switches_in;
    // Each works 300 us of every 900 us.
    EXPECT_NEAR(by_name[name].cpu_share, 1.0 / 3, 0.05) << name;
  }
  EXPECT_GE(switches, 290U);
  EXPECT_GT(stats.duration_ns, 80000000);  // about 90 ms of target time
  EXPECT_LT(stats.duration_ns, 100000000);
}

}  // namespace
}  // namespace gale::trace
