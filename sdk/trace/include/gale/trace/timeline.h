// A decoded trace as a time line: who ran when, interrupts, readiness, markers and counters;
// its statistics; and the Chrome Trace Event JSON it is exported to and read back from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/trace/image.h"
#include "gale/trace/stream.h"

namespace gale::trace {

struct ThreadInfo {
  uint32_t id = 0;  ///< the k_thread's address
  std::string name;
  std::optional<int> priority;
};

struct Slice {
  uint32_t id = 0;  ///< thread, or exception number for interrupts
  int64_t start_ns = 0;
  int64_t duration_ns = 0;
};

struct Instant {
  uint32_t thread = 0;  ///< the thread it concerns (ready) or that ran (markers, operations)
  int64_t time_ns = 0;
  std::string name;   ///< "ready", "sem_give", a marker's name
  std::string phase;  ///< "i" instant, "B" begin, "E" end (markers)
  std::string object; ///< the kernel object, for operations
};

struct CounterSample {
  std::string name;
  int64_t time_ns = 0;
  int64_t value = 0;
};

struct Timeline {
  std::string build_id;  ///< hex
  std::string image;     ///< the ELF decoded against, when known
  uint32_t frequency = 0;
  int64_t end_ns = 0;  ///< the last event
  uint64_t dropped = 0;  ///< records the target lost
  std::map<uint32_t, ThreadInfo> threads;
  std::vector<Slice> runs;  ///< thread run intervals, in time order
  std::vector<Slice> isrs;  ///< interrupt handler intervals
  std::vector<Instant> readies;
  std::vector<Instant> marks;
  std::vector<Instant> operations;
  std::vector<CounterSample> counters;
};

/// A thread's name for people: its name, else "thread 0x<address>".
std::string ThreadName(const ThreadInfo &thread);

/// The time line of a decoded stream. `image` (may be null) names objects, markers and threads
/// without a name record.
Timeline BuildTimeline(const Header &header, const std::vector<Event> &events,
                       const Image *image);

/// The part of `timeline` from `from_ns` on, for a live view of a running capture: every thread
/// (names stay known), run and interrupt slices that end at or after `from_ns` (whole), and
/// instants and counter samples at or after it.
Timeline WindowOf(const Timeline &timeline, int64_t from_ns);

struct ThreadStats {
  uint32_t id = 0;
  std::string name;
  int64_t run_ns = 0;
  double cpu_share = 0;  ///< of the traced time, 0..1
  uint64_t switches_in = 0;
  int64_t max_ready_latency_ns = 0;  ///< longest time from ready to running
};

struct Stats {
  int64_t duration_ns = 0;
  uint64_t context_switches = 0;
  int64_t isr_ns = 0;
  uint64_t isr_count = 0;
  uint64_t dropped = 0;
  std::vector<ThreadStats> threads;  ///< most CPU first
};

Stats ComputeStats(const Timeline &timeline);
/// A table for people.
std::string FormatStats(const Stats &stats);

/// Chrome Trace Event JSON (object form, "traceEvents"): "M" thread_name metadata, "X" run
/// slices per thread, "X" interrupt slices on an "interrupts" row, "i" instants (ready,
/// markers, object operations), "B"/"E" marker spans, "C" counters; a "galeTrace" object
/// with the build id, image and drop count. Opens in Perfetto UI and chrome://tracing.
std::string ExportChromeJson(const Timeline &timeline);
/// Perfetto's native trace (a serialized `Trace` protobuf, sdk/trace/proto): a process "target"
/// with a track per thread (run slices, ready and kernel-object instants, instant markers), a
/// "<thread> marks" track for marker spans, an "interrupts" track, and a counter track per
/// counter; timestamps in nanoseconds from the capture's start. Opens in the Perfetto UI and
/// trace_processor.
std::string ExportPerfetto(const Timeline &timeline);
/// Reads what ExportPerfetto() wrote back into a time line with what statistics need (thread
/// names and runs, interrupts, ready instants, counters); thread ids are the file's tids.
/// InvalidArgument naming `name` when it is no Perfetto trace.
absl::StatusOr<Timeline> ImportPerfetto(std::string_view bytes, std::string_view name);
/// Reads what ExportChromeJson() wrote (or any Chrome trace with thread_name metadata and "X"
/// slices). InvalidArgument naming `name` when it is not such a JSON document.
absl::StatusOr<Timeline> ImportChromeJson(std::string_view json, std::string_view name);

/// A saved trace in any form: Chrome JSON, Perfetto protobuf, or a raw stream ("GTRC"), decoded against
/// `image` when given (its build id checked).
absl::StatusOr<Timeline> LoadSavedTrace(std::string_view bytes, std::string_view name,
                                        const Image *image);

}  // namespace gale::trace
