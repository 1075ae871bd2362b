// Perfetto's native trace format: one packet sequence of track descriptors, then track events
// in time order. Tracks: the process (the target), a thread track per thread, one for
// interrupts, a "marks" track per thread with marker spans (they need not nest inside the run
// slices), a counter track per counter.
#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"

#include "absl/strings/str_cat.h"
#include "gale/trace/timeline.h"
#include "perfetto_trace.pb.h"

namespace gale::trace {
namespace {

namespace pf = perfetto;

constexpr uint32_t kSequence = 1;
constexpr int32_t kPid = 1;
constexpr uint64_t kProcessUuid = 1;
constexpr uint64_t kInterruptsUuid = 2;
// Track uuids by kind: the kind in the upper half, an index in the lower.
constexpr uint64_t kThreadKind = 1ULL << 32;
constexpr uint64_t kMarksKind = 2ULL << 32;
constexpr uint64_t kCounterKind = 3ULL << 32;

// An event before it becomes a packet: sorted by time, ends before begins at the same time (a
// slice that ends where the next begins), except the end of an empty slice, then in the order
// they were added.
struct Pending {
  int64_t time_ns;
  int order;  // 0 end, 1 other, 2 end of an empty slice
  size_t seq;
  pf::TrackEvent event;
};

class Writer {
 public:
  void Track(uint64_t uuid, const std::string &name, uint64_t parent,
             const std::function<void(pf::TrackDescriptor *)> &fill = {}) {
    pf::TracePacket *packet = Packet();
    pf::TrackDescriptor *track = packet->mutable_track_descriptor();
    track->set_uuid(uuid);
    if (!name.empty()) {
      track->set_name(name);
    }
    if (parent != 0) {
      track->set_parent_uuid(parent);
    }
    if (fill) {
      fill(track);
    }
  }

  pf::TrackEvent &Event(int64_t time_ns, pf::TrackEvent::Type type, uint64_t track,
                        const std::string &name, const std::string &category) {
    Pending &p = pending_.emplace_back();
    p.time_ns = time_ns;
    p.order = type == pf::TrackEvent::TYPE_SLICE_END ? 0 : 1;
    p.seq = pending_.size();
    p.event.set_type(type);
    p.event.set_track_uuid(track);
    if (!name.empty()) {
      p.event.set_name(name);
    }
    if (!category.empty()) {
      p.event.add_categories(category);
    }
    return p.event;
  }

  void Slice(int64_t start_ns, int64_t duration_ns, uint64_t track, const std::string &name,
             const std::string &category) {
    Event(start_ns, pf::TrackEvent::TYPE_SLICE_BEGIN, track, name, category);
    Event(start_ns + duration_ns, pf::TrackEvent::TYPE_SLICE_END, track, "", "");
    if (duration_ns <= 0) {
      pending_.back().order = 2;
    }
  }

  std::string Finish() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Pending &a, const Pending &b) {
      return std::tie(a.time_ns, a.order, a.seq) < std::tie(b.time_ns, b.order, b.seq);
    });
    for (Pending &p : pending_) {
      pf::TracePacket *packet = Packet();
      packet->set_timestamp(static_cast<uint64_t>(std::max<int64_t>(p.time_ns, 0)));
      *packet->mutable_track_event() = std::move(p.event);
    }
    return trace_.SerializeAsString();
  }

 private:
  pf::TracePacket *Packet() {
    pf::TracePacket *packet = trace_.add_packet();
    packet->set_trusted_packet_sequence_id(kSequence);
    if (trace_.packet_size() == 1) {
      packet->set_sequence_flags(1);  // incremental state cleared: nothing before counts
    }
    return packet;
  }

  pf::Trace trace_;
  std::vector<Pending> pending_;
};

std::string Unnamed(uint32_t id) {
  ThreadInfo info;
  info.id = id;
  return ThreadName(info);
}

}  // namespace

std::string ExportPerfetto(const Timeline &tl) {
  Writer out;
  out.Track(kProcessUuid, "", 0, [](pf::TrackDescriptor *track) {
    track->mutable_process()->set_pid(kPid);
    track->mutable_process()->set_process_name("target");
  });
  // Thread ids are small numbers (a k_thread's address may not fit an int32); the interrupts row
  // is tid 1, threads follow in address order.
  out.Track(kInterruptsUuid, "", kProcessUuid, [](pf::TrackDescriptor *track) {
    track->mutable_thread()->set_pid(kPid);
    track->mutable_thread()->set_tid(1);
    track->mutable_thread()->set_thread_name("interrupts");
  });
  std::map<uint32_t, uint64_t> thread_tracks;
  auto thread_track = [&](uint32_t id) {
    auto it = thread_tracks.find(id);
    if (it != thread_tracks.end()) {
      return it->second;
    }
    const uint64_t uuid = kThreadKind | thread_tracks.size();
    const int32_t tid = static_cast<int32_t>(thread_tracks.size()) + 2;
    thread_tracks[id] = uuid;
    auto info = tl.threads.find(id);
    const std::string name = info != tl.threads.end() ? ThreadName(info->second) : Unnamed(id);
    out.Track(uuid, "", kProcessUuid, [&](pf::TrackDescriptor *track) {
      track->mutable_thread()->set_pid(kPid);
      track->mutable_thread()->set_tid(tid);
      track->mutable_thread()->set_thread_name(name);
    });
    return uuid;
  };
  for (const auto &[id, info] : tl.threads) {
    thread_track(id);
  }
  for (const Slice &s : tl.runs) {
    const uint64_t track = thread_track(s.id);
    auto info = tl.threads.find(s.id);
    out.Slice(s.start_ns, s.duration_ns, track,
              info != tl.threads.end() ? ThreadName(info->second) : "running", "run");
  }
  for (const Slice &s : tl.isrs) {
    out.Slice(s.start_ns, s.duration_ns, kInterruptsUuid, absl::StrCat("irq ", s.id), "isr");
  }
  for (const Instant &r : tl.readies) {
    out.Event(r.time_ns, pf::TrackEvent::TYPE_INSTANT, thread_track(r.thread), "ready", "sched");
  }
  for (const Instant &o : tl.operations) {
    out.Event(o.time_ns, pf::TrackEvent::TYPE_INSTANT, thread_track(o.thread),
              o.object.empty() ? o.name : absl::StrCat(o.name, " ", o.object), "kernel");
  }
  std::map<uint32_t, uint64_t> marks_tracks;
  for (const Instant &m : tl.marks) {
    if (m.phase == "i") {
      out.Event(m.time_ns, pf::TrackEvent::TYPE_INSTANT, thread_track(m.thread), m.name, "mark");
      continue;
    }
    auto [it, added] = marks_tracks.try_emplace(m.thread, kMarksKind | marks_tracks.size());
    if (added) {
      auto info = tl.threads.find(m.thread);
      const std::string owner =
          info != tl.threads.end() ? ThreadName(info->second) : Unnamed(m.thread);
      out.Track(it->second, absl::StrCat(owner, " marks"), kProcessUuid);
    }
    out.Event(m.time_ns,
              m.phase == "B" ? pf::TrackEvent::TYPE_SLICE_BEGIN : pf::TrackEvent::TYPE_SLICE_END,
              it->second, m.phase == "B" ? m.name : "", m.phase == "B" ? "mark" : "");
  }
  std::map<std::string, uint64_t> counter_tracks;
  for (const CounterSample &c : tl.counters) {
    auto [it, added] = counter_tracks.try_emplace(c.name, kCounterKind | counter_tracks.size());
    if (added) {
      out.Track(it->second, c.name, kProcessUuid,
                [](pf::TrackDescriptor *track) { track->mutable_counter(); });
    }
    out.Event(c.time_ns, pf::TrackEvent::TYPE_COUNTER, it->second, "", "").set_counter_value(
        c.value);
  }
  return out.Finish();
}

absl::StatusOr<Timeline> ImportPerfetto(std::string_view bytes, std::string_view name) {
  pf::Trace trace;
  if (!trace.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      trace.packet_size() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), " is not a Perfetto trace (no packets could be read)"));
  }
  Timeline tl;
  // Track uuid -> what it is: a thread (by tid), the interrupts row, marks, or a counter.
  std::map<uint64_t, uint32_t> threads;
  std::map<uint64_t, std::string> counters;
  std::map<uint64_t, std::vector<std::pair<int64_t, std::string>>> open;  // begun slices
  for (const pf::TracePacket &packet : trace.packet()) {
    if (packet.has_track_descriptor()) {
      const pf::TrackDescriptor &track = packet.track_descriptor();
      if (track.has_thread() && track.thread().thread_name() != "interrupts") {
        const auto tid = static_cast<uint32_t>(track.thread().tid());
        threads[track.uuid()] = tid;
        ThreadInfo &info = tl.threads[tid];
        info.id = tid;
        info.name = track.thread().thread_name();
      } else if (track.has_counter()) {
        counters[track.uuid()] = track.name();
      }
      continue;
    }
    if (!packet.has_track_event()) {
      continue;
    }
    const pf::TrackEvent &event = packet.track_event();
    const auto time = static_cast<int64_t>(packet.timestamp());
    tl.end_ns = std::max(tl.end_ns, time);
    auto thread = threads.find(event.track_uuid());
    const bool isr_track = event.track_uuid() == kInterruptsUuid;
    const std::string category = event.categories_size() > 0 ? event.categories(0) : "";
    switch (event.type()) {
      case pf::TrackEvent::TYPE_SLICE_BEGIN:
        open[event.track_uuid()].emplace_back(time, category);
        break;
      case pf::TrackEvent::TYPE_SLICE_END: {
        auto &stack = open[event.track_uuid()];
        if (stack.empty()) {
          break;
        }
        auto [start, begun] = stack.back();
        stack.pop_back();
        if (isr_track) {
          tl.isrs.push_back({.id = 0, .start_ns = start, .duration_ns = time - start});
        } else if (thread != threads.end() && begun == "run") {
          tl.runs.push_back({.id = thread->second, .start_ns = start, .duration_ns = time - start});
        }
        break;
      }
      case pf::TrackEvent::TYPE_INSTANT:
        if (thread != threads.end() && category == "sched") {
          Instant &ready = tl.readies.emplace_back();
          ready.thread = thread->second;
          ready.time_ns = time;
          ready.name = "ready";
          ready.phase = "i";
        }
        break;
      case pf::TrackEvent::TYPE_COUNTER:
        if (auto counter = counters.find(event.track_uuid()); counter != counters.end()) {
          tl.counters.push_back(
              {.name = counter->second, .time_ns = time, .value = event.counter_value()});
        }
        break;
      default:
        break;
    }
  }
  std::sort(tl.runs.begin(), tl.runs.end(),
            [](const Slice &a, const Slice &b) { return a.start_ns < b.start_ns; });
  return tl;
}

}  // namespace gale::trace
