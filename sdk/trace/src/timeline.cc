#include "gale/trace/timeline.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gale::trace {
namespace {

using nlohmann::json;

// Chrome's process id for the target, and the pseudo-thread row of interrupt handlers.
constexpr int kPid = 1;
constexpr uint32_t kIsrTid = 0;

int64_t ToNs(uint64_t cycles, uint32_t frequency) {
  // 128-bit intermediate: cycles * 1e9 overflows 64 bits after a few hours at 1 GHz.
  return static_cast<int64_t>(static_cast<unsigned __int128>(cycles) * 1000000000U / frequency);
}

// Drops marker ends whose begin is not there (it came before the capture started, was dropped
// by the target, or lies before a window): readers pair B and E per thread, and some refuse an
// E with nothing open.
void DropUnmatchedEnds(std::vector<Instant> &marks) {
  std::map<uint32_t, int> open;  // per thread
  std::erase_if(marks, [&open](const Instant &mark) {
    if (mark.phase == "B") {
      ++open[mark.thread];
    } else if (mark.phase == "E") {
      if (open[mark.thread] == 0) {
        return true;
      }
      --open[mark.thread];
    }
    return false;
  });
}

}  // namespace

std::string ThreadName(const ThreadInfo &t) {
  return t.name.empty() ? absl::StrFormat("thread 0x%08x", t.id) : t.name;
}

Timeline BuildTimeline(const Header &header, const std::vector<Event> &events,
                       const Image *image) {
  Timeline tl;
  tl.build_id = header.BuildIdHex();
  tl.frequency = header.frequency;
  if (image != nullptr) {
    tl.image = image->path();
  }
  auto thread = [&](uint32_t id) -> ThreadInfo & {
    ThreadInfo &t = tl.threads[id];
    t.id = id;
    return t;
  };
  auto object_name = [&](uint32_t address) {
    if (image != nullptr) {
      if (std::optional<std::string> s = image->SymbolAt(address)) {
        return *s;
      }
    }
    return absl::StrFormat("0x%08x", address);
  };
  auto text_at = [&](uint32_t address, std::string_view fallback_kind) {
    if (image != nullptr) {
      if (std::optional<std::string> s = image->StringAt(address)) {
        return *s;
      }
    }
    return absl::StrFormat("%s@0x%08x", fallback_kind, address);
  };
  // The thread on the CPU (kNone: none known yet). Not an optional: GCC 12 warns that its
  // payload may be read uninitialized after the loop.
  constexpr uint32_t kNone = UINT32_MAX;
  uint32_t running = kNone;
  int64_t run_start = 0;
  std::vector<std::pair<uint32_t, int64_t>> isr_stack;
  int64_t now = 0;
  for (const Event &e : events) {
    now = ToNs(e.cycles, header.frequency);
    switch (e.type) {
      case RecordType::kSwitch:
        if (running != kNone && running == e.thread) {
          break;
        }
        if (running != kNone) {
          tl.runs.push_back({running, run_start, now - run_start});
        }
        thread(e.thread);
        running = e.thread;
        run_start = now;
        break;
      case RecordType::kReady:
        thread(e.thread);
        tl.readies.push_back({e.thread, now, "ready", "i", {}});
        break;
      case RecordType::kPend:
        thread(e.thread);
        break;
      case RecordType::kCreate:
        thread(e.thread).priority = e.number;
        break;
      case RecordType::kName:
        thread(e.thread).name = e.text;
        break;
      case RecordType::kThreadInfo: {
        ThreadInfo &t = thread(e.thread);
        t.priority = e.number;
        if (!e.text.empty()) {
          t.name = e.text;
        }
        break;
      }
      case RecordType::kExit:
        thread(e.thread);
        break;
      case RecordType::kIsrEnter:
        isr_stack.emplace_back(e.value, now);
        break;
      case RecordType::kIsrExit:
        if (!isr_stack.empty()) {
          tl.isrs.push_back({isr_stack.back().first, isr_stack.back().second,
                             now - isr_stack.back().second});
          isr_stack.pop_back();
        }
        break;
      case RecordType::kIdle:
      case RecordType::kSnapshotEnd:
        break;
      case RecordType::kObject:
        tl.operations.push_back({running == kNone ? 0 : running, now, ObjectOpName(e.op), "i",
                                 object_name(e.object)});
        break;
      case RecordType::kMark: {
        std::string name = e.op == static_cast<uint8_t>(MarkKind::kId)
                               ? absl::StrCat("mark ", e.value)
                               : text_at(e.value, "mark");
        std::string phase = e.op == static_cast<uint8_t>(MarkKind::kBegin) ? "B"
                            : e.op == static_cast<uint8_t>(MarkKind::kEnd)  ? "E"
                                                                            : "i";
        tl.marks.push_back({running == kNone ? 0 : running, now, name, phase, {}});
        break;
      }
      case RecordType::kCounter:
        tl.counters.push_back({e.op == 0 ? absl::StrCat("counter ", e.value)
                                         : text_at(e.value, "counter"),
                               now, e.number});
        break;
      case RecordType::kDropped:
        tl.dropped += e.value;
        break;
      case RecordType::kStop:
        if (running != kNone) {
          tl.runs.push_back({running, run_start, now - run_start});
          running = kNone;
        }
        break;
    }
  }
  if (running != kNone && now > run_start) {
    tl.runs.push_back({running, run_start, now - run_start});
  }
  tl.end_ns = now;
  // Threads known only by address: the ELF's symbol for their k_thread (K_THREAD_DEFINE names
  // it after the thread).
  for (auto &[id, t] : tl.threads) {
    if (t.name.empty() && image != nullptr) {
      if (std::optional<std::string> s = image->SymbolAt(id)) {
        t.name = *s;
      }
    }
  }
  DropUnmatchedEnds(tl.marks);
  return tl;
}

Timeline WindowOf(const Timeline &timeline, int64_t from_ns) {
  Timeline out;
  out.build_id = timeline.build_id;
  out.image = timeline.image;
  out.frequency = timeline.frequency;
  out.end_ns = timeline.end_ns;
  out.dropped = timeline.dropped;
  out.threads = timeline.threads;
  auto slices = [from_ns](const std::vector<Slice> &in, std::vector<Slice> *kept) {
    for (const Slice &slice : in) {
      if (slice.start_ns + slice.duration_ns >= from_ns) {
        kept->push_back(slice);
      }
    }
  };
  slices(timeline.runs, &out.runs);
  slices(timeline.isrs, &out.isrs);
  auto instants = [from_ns](const std::vector<Instant> &in, std::vector<Instant> *kept) {
    for (const Instant &instant : in) {
      if (instant.time_ns >= from_ns) {
        kept->push_back(instant);
      }
    }
  };
  instants(timeline.readies, &out.readies);
  instants(timeline.marks, &out.marks);
  DropUnmatchedEnds(out.marks);  // spans begun before the window
  instants(timeline.operations, &out.operations);
  for (const CounterSample &sample : timeline.counters) {
    if (sample.time_ns >= from_ns) {
      out.counters.push_back(sample);
    }
  }
  return out;
}

Stats ComputeStats(const Timeline &tl) {
  Stats stats;
  stats.dropped = tl.dropped;
  int64_t begin = INT64_MAX;
  int64_t end = tl.end_ns;
  for (const Slice &s : tl.runs) {
    begin = std::min(begin, s.start_ns);
    end = std::max(end, s.start_ns + s.duration_ns);
  }
  if (begin == INT64_MAX) {
    begin = 0;
  }
  stats.duration_ns = std::max<int64_t>(end - begin, 0);
  stats.context_switches = tl.runs.empty() ? 0 : tl.runs.size() - 1;
  for (const Slice &s : tl.isrs) {
    stats.isr_ns += s.duration_ns;
    stats.isr_count++;
  }
  std::map<uint32_t, ThreadStats> per;
  for (const auto &[id, t] : tl.threads) {
    per[id].id = id;
    per[id].name = ThreadName(t);
  }
  // Ready-to-run latency: from the first ready after a thread last started running to its next
  // start.
  std::map<uint32_t, std::vector<std::pair<int64_t, bool>>> timeline;  // time, is_run_start
  for (const Slice &s : tl.runs) {
    ThreadStats &ts = per[s.id];
    ts.id = s.id;
    if (ts.name.empty()) {
      ts.name = absl::StrFormat("thread 0x%08x", s.id);
    }
    ts.run_ns += s.duration_ns;
    ts.switches_in++;
    timeline[s.id].emplace_back(s.start_ns, true);
  }
  for (const Instant &r : tl.readies) {
    timeline[r.thread].emplace_back(r.time_ns, false);
  }
  for (auto &[id, points] : timeline) {
    std::stable_sort(points.begin(), points.end(), [](const auto &a, const auto &b) {
      return a.first != b.first ? a.first < b.first : (!a.second && b.second);
    });
    std::optional<int64_t> ready;
    for (const auto &[t, is_run] : points) {
      if (!is_run) {
        if (!ready.has_value()) {
          ready = t;
        }
      } else {
        if (ready.has_value()) {
          per[id].max_ready_latency_ns = std::max(per[id].max_ready_latency_ns, t - *ready);
        }
        ready.reset();
      }
    }
  }
  for (auto &[id, ts] : per) {
    ts.cpu_share = stats.duration_ns > 0 ? static_cast<double>(ts.run_ns) /
                                               static_cast<double>(stats.duration_ns)
                                         : 0.0;
    stats.threads.push_back(ts);
  }
  std::stable_sort(stats.threads.begin(), stats.threads.end(),
                   [](const ThreadStats &a, const ThreadStats &b) { return a.run_ns > b.run_ns; });
  return stats;
}

std::string FormatStats(const Stats &stats) {
  std::string out = absl::StrFormat(
      "traced %.3f s, %u context switches, %u interrupts (%.3f ms, %.2f%% of the time), %u "
      "records dropped by the target\n\n",
      static_cast<double>(stats.duration_ns) / 1e9, stats.context_switches, stats.isr_count,
      static_cast<double>(stats.isr_ns) / 1e6,
      stats.duration_ns > 0
          ? 100.0 * static_cast<double>(stats.isr_ns) / static_cast<double>(stats.duration_ns)
          : 0.0,
      stats.dropped);
  absl::StrAppendFormat(&out, "%-20s %8s %12s %10s %16s\n", "thread", "cpu %", "run ms",
                        "switches", "max ready->run us");
  for (const ThreadStats &t : stats.threads) {
    absl::StrAppendFormat(&out, "%-20s %8.2f %12.3f %10u %16.1f\n", t.name, 100.0 * t.cpu_share,
                          static_cast<double>(t.run_ns) / 1e6, t.switches_in,
                          static_cast<double>(t.max_ready_latency_ns) / 1e3);
  }
  return out;
}

std::string ExportChromeJson(const Timeline &tl) {
  json events = json::array();
  auto us = [](int64_t ns) { return static_cast<double>(ns) / 1000.0; };
  events.push_back({{"ph", "M"}, {"pid", kPid}, {"name", "process_name"},
                    {"args", {{"name", "target"}}}});
  events.push_back({{"ph", "M"}, {"pid", kPid}, {"tid", kIsrTid}, {"name", "thread_name"},
                    {"args", {{"name", "interrupts"}}}});
  for (const auto &[id, t] : tl.threads) {
    events.push_back({{"ph", "M"}, {"pid", kPid}, {"tid", id}, {"name", "thread_name"},
                      {"args", {{"name", ThreadName(t)}}}});
    if (t.priority.has_value()) {
      // Rows sorted by priority, as the scheduler sees them.
      events.push_back({{"ph", "M"}, {"pid", kPid}, {"tid", id}, {"name", "thread_sort_index"},
                        {"args", {{"sort_index", *t.priority}, {"priority", *t.priority}}}});
    }
  }
  for (const Slice &s : tl.runs) {
    auto it = tl.threads.find(s.id);
    std::string name = it != tl.threads.end() ? ThreadName(it->second) : "running";
    events.push_back({{"ph", "X"}, {"pid", kPid}, {"tid", s.id}, {"cat", "run"}, {"name", name},
                      {"ts", us(s.start_ns)}, {"dur", us(s.duration_ns)}});
  }
  for (const Slice &s : tl.isrs) {
    events.push_back({{"ph", "X"}, {"pid", kPid}, {"tid", kIsrTid}, {"cat", "isr"},
                      {"name", absl::StrCat("irq ", s.id)}, {"ts", us(s.start_ns)},
                      {"dur", us(s.duration_ns)}, {"args", {{"exception", s.id}}}});
  }
  for (const Instant &r : tl.readies) {
    events.push_back({{"ph", "i"}, {"s", "t"}, {"pid", kPid}, {"tid", r.thread}, {"cat", "sched"},
                      {"name", "ready"}, {"ts", us(r.time_ns)}});
  }
  for (const Instant &m : tl.marks) {
    json e = {{"ph", m.phase}, {"pid", kPid}, {"tid", m.thread}, {"cat", "mark"},
              {"name", m.name}, {"ts", us(m.time_ns)}};
    if (m.phase == "i") {
      e["s"] = "t";
    }
    events.push_back(std::move(e));
  }
  for (const Instant &o : tl.operations) {
    events.push_back({{"ph", "i"}, {"s", "t"}, {"pid", kPid}, {"tid", o.thread}, {"cat", "kernel"},
                      {"name", o.name}, {"ts", us(o.time_ns)}, {"args", {{"object", o.object}}}});
  }
  for (const CounterSample &c : tl.counters) {
    events.push_back({{"ph", "C"}, {"pid", kPid}, {"name", c.name}, {"ts", us(c.time_ns)},
                      {"args", {{"value", c.value}}}});
  }
  json doc = {{"traceEvents", std::move(events)},
              {"displayTimeUnit", "ns"},
              {"galeTrace",
               {{"format", 1},
                {"build_id", tl.build_id},
                {"image", tl.image},
                {"frequency", tl.frequency},
                {"end_ns", tl.end_ns},
                {"dropped", tl.dropped}}}};
  return doc.dump();
}

absl::StatusOr<Timeline> ImportChromeJson(std::string_view text, std::string_view name) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " is not JSON: give a trace written by `gale trace -o FILE`"));
  }
  const json *events = nullptr;
  if (doc.is_object() && doc.contains("traceEvents") && doc["traceEvents"].is_array()) {
    events = &doc["traceEvents"];
  } else if (doc.is_array()) {
    events = &doc;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(name), " is JSON but not a Chrome trace (no \"traceEvents\" array)"));
  }
  Timeline tl;
  if (doc.is_object() && doc.contains("galeTrace") && doc["galeTrace"].is_object()) {
    const json &g = doc["galeTrace"];
    tl.build_id = g.value("build_id", "");
    tl.image = g.value("image", "");
    tl.frequency = g.value("frequency", 0U);
    tl.end_ns = g.value("end_ns", int64_t{0});
    tl.dropped = g.value("dropped", uint64_t{0});
  }
  auto ns = [](const json &e, const char *key) -> int64_t {
    const auto it = e.find(key);
    return it != e.end() && it->is_number() ? static_cast<int64_t>(it->get<double>() * 1000.0)
                                            : 0;
  };
  for (const json &e : *events) {
    if (!e.is_object()) {
      continue;
    }
    std::string ph = e.value("ph", "");
    std::string ev_name = e.value("name", "");
    std::string cat = e.value("cat", "");
    uint32_t tid = e.contains("tid") && e["tid"].is_number_integer() ? e["tid"].get<uint32_t>() : 0;
    if (ph == "M" && ev_name == "thread_name") {
      if (tid == kIsrTid) {
        continue;
      }
      ThreadInfo &t = tl.threads[tid];
      t.id = tid;
      if (e.contains("args") && e["args"].is_object()) {
        t.name = e["args"].value("name", "");
      }
    } else if (ph == "M" && ev_name == "thread_sort_index") {
      if (e.contains("args") && e["args"].is_object() && e["args"].contains("priority")) {
        tl.threads[tid].priority = e["args"].value("priority", 0);
      }
    } else if (ph == "X") {
      Slice s{tid, ns(e, "ts"), ns(e, "dur")};
      if (cat == "isr" || tid == kIsrTid) {
        if (e.contains("args") && e["args"].is_object()) {
          s.id = e["args"].value("exception", 0U);
        }
        tl.isrs.push_back(s);
      } else {
        tl.runs.push_back(s);
      }
      tl.end_ns = std::max(tl.end_ns, s.start_ns + s.duration_ns);
    } else if (ph == "i" && ev_name == "ready" && cat == "sched") {
      tl.readies.push_back({tid, ns(e, "ts"), "ready", "i", {}});
    } else if ((ph == "i" || ph == "B" || ph == "E") && cat == "mark") {
      tl.marks.push_back({tid, ns(e, "ts"), ev_name, ph, {}});
    } else if (ph == "i" && cat == "kernel") {
      std::string object;
      if (e.contains("args") && e["args"].is_object()) {
        object = e["args"].value("object", "");
      }
      tl.operations.push_back({tid, ns(e, "ts"), ev_name, "i", object});
    } else if (ph == "C") {
      int64_t value = 0;
      if (e.contains("args") && e["args"].is_object() && e["args"].contains("value") &&
          e["args"]["value"].is_number()) {
        value = e["args"]["value"].get<int64_t>();
      }
      tl.counters.push_back({ev_name, ns(e, "ts"), value});
    }
  }
  std::stable_sort(tl.runs.begin(), tl.runs.end(),
                   [](const Slice &a, const Slice &b) { return a.start_ns < b.start_ns; });
  return tl;
}

absl::StatusOr<Timeline> LoadSavedTrace(std::string_view bytes, std::string_view name,
                                        const Image *image) {
  if (bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) == 0) {
    auto stream = DecodeStream(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size()));
    if (!stream.ok()) {
      return absl::Status(stream.status().code(),
                          absl::StrCat(std::string(name), ": ", stream.status().message()));
    }
    if (image != nullptr) {
      if (absl::Status s = CheckBuildId(stream->header, *image); !s.ok()) {
        return s;
      }
    }
    return BuildTimeline(stream->header, stream->events, image);
  }
  size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (bytes[first] == '{' || bytes[first] == '[')) {
    return ImportChromeJson(bytes, name);
  }
  // A Perfetto trace starts with its first packet: field 1, length-delimited (0x0a).
  if (!bytes.empty() && bytes[0] == '\x0a') {
    absl::StatusOr<Timeline> perfetto = ImportPerfetto(bytes, name);
    if (perfetto.ok()) {
      return perfetto;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      std::string(name), " is neither a Chrome trace (JSON), a Perfetto trace nor a raw Gale "
            "trace stream (\"GTRC\"): give a file written by `gale trace -o FILE`"));
}

}  // namespace gale::trace
