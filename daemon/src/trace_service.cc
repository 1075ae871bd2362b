// Trace: kernel trace capture over the device's RTT monitor (the trace's own up channel, the
// start and stop commands on its down channel), decoded with sdk/trace against the ELF that
// was flashed, and stored as a job ("trace") whose events hold the raw stream.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "caller.h"
#include "device_util.h"
#include "gale/daemon/status.h"
#include "gale/trace/image.h"
#include "gale/trace/stream.h"
#include "gale/trace/timeline.h"
#include "gale/v1/trace.grpc.pb.h"
#include "lease_guard.h"
#include "rtt_monitor.h"
#include "services.h"

namespace gale::daemon {
namespace {

constexpr char kStart[] = "S";
constexpr char kStop[] = "P";
constexpr size_t kStoreChunk = 64 * 1024;
constexpr size_t kExportChunk = 1024 * 1024;
// Live views: at most about twice a second, and none bigger than this (a window so busy is
// skipped; the whole capture still comes at the end).
constexpr std::chrono::milliseconds kLiveInterval(500);
constexpr size_t kMaxLiveView = 3 * 1024 * 1024;

void StatsToProto(const trace::Stats &stats, v1::TraceStats *out) {
  out->set_duration_s(static_cast<double>(stats.duration_ns) / 1e9);
  out->set_context_switches(stats.context_switches);
  out->set_isr_count(stats.isr_count);
  out->set_isr_ms(static_cast<double>(stats.isr_ns) / 1e6);
  out->set_dropped(stats.dropped);
  for (const trace::ThreadStats &t : stats.threads) {
    v1::TraceThreadStats *p = out->add_threads();
    p->set_id(t.id);
    p->set_name(t.name);
    p->set_cpu_share(t.cpu_share);
    p->set_run_ms(static_cast<double>(t.run_ns) / 1e6);
    p->set_switches_in(t.switches_in);
    p->set_max_ready_latency_us(static_cast<double>(t.max_ready_latency_ns) / 1e3);
  }
  out->set_text(trace::FormatStats(stats));
}

absl::Status CheckFormat(const std::string &format) {
  if (format.empty() || format == "chrome") {
    return absl::OkStatus();
  }
  if (format == "perfetto") {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown trace format '", format, "': use chrome or perfetto"));
}

// Decodes a raw stream against its image and fills `result` (export, stats, ids).
absl::Status Finish(const std::string &raw, const std::string &image_path,
                    const std::string &format, v1::TraceResult *result) {
  std::optional<trace::Image> image;
  if (!image_path.empty()) {
    absl::StatusOr<trace::Image> loaded = trace::Image::Load(image_path);
    if (loaded.ok()) {
      image = *std::move(loaded);
    }
  }
  trace::Decoder decoder;
  std::vector<trace::Event> events;
  absl::Status fed = decoder.Feed(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(raw.data()), raw.size()), &events);
  absl::Status end = decoder.Finish();
  if (!decoder.header().has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no trace came from the device (", raw.size(),
        " bytes): the image must be built with CONFIG_TRACING=y and keep running (the start "
        "command is read at context switches, interrupts and idle)"));
  }
  if (!fed.ok()) {
    result->set_warning(std::string(fed.message()));
  } else if (!end.ok()) {
    result->set_warning(std::string(end.message()));
  }
  if (image.has_value()) {
    if (absl::Status s = trace::CheckBuildId(*decoder.header(), *image); !s.ok()) {
      return s;
    }
  }
  trace::Timeline tl =
      trace::BuildTimeline(*decoder.header(), events, image.has_value() ? &*image : nullptr);
  if (format == "perfetto") {
    result->set_format("perfetto");
    result->set_data(trace::ExportPerfetto(tl));
  } else {
    result->set_format("chrome");
    result->set_data(trace::ExportChromeJson(tl));
  }
  result->set_build_id(decoder.header()->BuildIdHex());
  result->set_image(image_path);
  StatsToProto(trace::ComputeStats(tl), result->mutable_stats());
  return absl::OkStatus();
}

class TraceService final : public v1::Trace::Service {
 public:
  explicit TraceService(Context &context) : context_(context) {}

  grpc::Status Capture(grpc::ServerContext *server_context, const v1::TraceCaptureRequest *request,
                       grpc::ServerWriter<v1::TraceCaptureEvent> *writer) override {
    if (absl::Status s = CheckFormat(request->format()); !s.ok()) {
      return ToGrpc(s);
    }
    if (request->duration_s() < 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "the duration must not be negative (0: until stopped)");
    }
    // Starting a capture writes to the device (the start command): the lease's holder only.
    absl::StatusOr<std::shared_ptr<devices::Device>> device =
        ResolveDeviceToChange(context_, *server_context, request->device_id());
    if (!device.ok()) {
      return ToGrpc(device.status());
    }
    devices::DeviceInfo info = (*device)->Info();
    if (info.image.empty()) {
      return ToGrpc(absl::FailedPreconditionError(absl::StrCat(
          "device ", info.id, " has no image: flash one built with CONFIG_TRACING=y first")));
    }
    absl::StatusOr<trace::Image> image = trace::Image::Load(info.image);
    if (!image.ok()) {
      return ToGrpc(image.status());
    }
    if (!image->trace_channel().has_value()) {
      return ToGrpc(absl::FailedPreconditionError(absl::StrCat(
          "the image ", info.image, " on device ", info.id,
          " records no trace: build it with CONFIG_TRACING=y (and CONFIG_USE_SEGGER_RTT=y)")));
    }
    const unsigned channel = *image->trace_channel();
    if (channel >= RttMonitor::kMaxChannels) {
      return ToGrpc(absl::FailedPreconditionError(
          absl::StrCat("the image's trace channel ", channel, " is out of range")));
    }
    absl::StatusOr<store::Job> job = context_.store->CreateJob(
        {"trace", absl::StrCat("trace ", info.image, " on ", info.id), info.id, info.board});
    if (!job.ok()) {
      return ToGrpc(job.status());
    }
    (void)context_.store->UpdateJobState(job->id, store::JobState::kRunning);
    nlohmann::json meta = {{"image", info.image},
                           {"build_id", image->BuildIdHex()},
                           {"channel", channel},
                           {"device", info.id}};
    (void)context_.store->AppendEvent(job->id, "trace.meta", meta.dump());
    auto stop = std::make_shared<std::atomic<bool>>(false);
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_[job->id] = stop;
    }

    std::shared_ptr<RttMonitor> monitor = context_.rtt->Get(*device);
    std::unique_ptr<devices::ConsoleReader> reader =
        monitor->Channel(channel).Attach(/*replay=*/false);
    (void)monitor->Write(channel, kStart);

    trace::Decoder decoder;
    std::vector<trace::Event> events;
    uint64_t events_total = 0;
    uint64_t dropped = 0;
    std::string raw;
    std::string unstored;
    absl::Status decode_error;
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::microseconds(static_cast<int64_t>(request->duration_s() * 1e6));
    auto next_progress = std::chrono::steady_clock::now();
    // Live views (live_window_s): rebuilt from every event so far, so they are spaced by at
    // least four times what the last one cost (a fifth of the time at most goes to them).
    const auto live_window_ns = static_cast<int64_t>(request->live_window_s() * 1e9);
    auto next_live = std::chrono::steady_clock::now();
    size_t live_events = 0;
    std::optional<bool> live_build_id_ok;  // known once the header came
    std::string status;
    bool client_gone = false;
    auto store_raw = [&](bool all) {
      while (unstored.size() >= kStoreChunk || (all && !unstored.empty())) {
        size_t n = std::min(unstored.size(), kStoreChunk);
        (void)context_.store->AppendEvent(job->id, "trace.raw", unstored.substr(0, n));
        unstored.erase(0, n);
      }
    };
    while (!context_.shutting_down && !*stop) {
      if (server_context->IsCancelled()) {
        client_gone = true;
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (request->duration_s() > 0 && now >= deadline) {
        break;
      }
      v1::TraceCaptureEvent progress;
      progress.set_job_id(job->id);
      absl::StatusOr<devices::ConsoleChunk> chunk = reader->Read(absl::Milliseconds(100));
      if (chunk.ok() && !chunk->data.empty()) {
        raw += chunk->data;
        unstored += chunk->data;
        store_raw(false);
        if (decode_error.ok()) {
          size_t before = events.size();
          decode_error = decoder.Feed(
              std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(chunk->data.data()),
                                       chunk->data.size()),
              &events);
          for (size_t i = before; i < events.size(); ++i) {
            if (events[i].type == trace::RecordType::kDropped) {
              dropped += events[i].value;
            }
          }
          events_total = events.size();
        }
        if (request->raw()) {
          progress.set_raw(chunk->data);
        }
      } else if (chunk.ok() && chunk->closed) {
        break;
      }
      if (live_window_ns > 0 && decoder.header().has_value() && events.size() != live_events &&
          now >= next_live) {
        if (!live_build_id_ok.has_value()) {
          // A mismatched ELF fails the capture at its end, with the reason; no views before.
          live_build_id_ok = trace::CheckBuildId(*decoder.header(), *image).ok();
        }
        if (*live_build_id_ok) {
          const auto began = std::chrono::steady_clock::now();
          trace::Timeline tl = trace::BuildTimeline(*decoder.header(), events, &*image);
          std::string json =
              trace::ExportChromeJson(trace::WindowOf(tl, tl.end_ns - live_window_ns));
          next_live = now + std::max<std::chrono::steady_clock::duration>(
                                kLiveInterval, 4 * (std::chrono::steady_clock::now() - began));
          live_events = events.size();
          if (json.size() <= kMaxLiveView) {
            progress.set_live(std::move(json));
          }
        }
      }
      std::string now_status = decoder.header().has_value() ? "capturing" : monitor->status();
      if (now_status != status || !progress.raw().empty() || !progress.live().empty() ||
          now >= next_progress) {
        status = now_status;
        progress.set_status(status);
        progress.set_bytes_total(raw.size());
        progress.set_events_total(events_total);
        progress.set_dropped(dropped);
        next_progress = now + std::chrono::milliseconds(500);
        if (!writer->Write(progress)) {
          client_gone = true;
          break;
        }
      }
    }
    (void)monitor->Write(channel, kStop);
    reader->Cancel();
    store_raw(true);
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_.erase(job->id);
    }
    v1::TraceCaptureEvent last;
    last.set_job_id(job->id);
    v1::TraceResult *result = last.mutable_result();
    result->set_job_id(job->id);
    absl::Status finished = Finish(raw, info.image, request->format(), result);
    if (!finished.ok()) {
      (void)context_.store->UpdateJobState(job->id, store::JobState::kFailed,
                                           std::string(finished.message()));
      return ToGrpc(finished);
    }
    (void)context_.store->UpdateJobState(
        job->id, client_gone ? store::JobState::kCancelled : store::JobState::kSucceeded,
        client_gone ? "the client went away" : "");
    if (!client_gone) {
      // The export goes in pieces: one message must stay below gRPC's 4 MiB default limit.
      std::string data = std::move(*result->mutable_data());
      result->clear_data();
      for (size_t pos = 0; pos < data.size(); pos += kExportChunk) {
        v1::TraceCaptureEvent piece;
        piece.set_job_id(job->id);
        piece.set_export_chunk(data.substr(pos, kExportChunk));
        if (!writer->Write(piece)) {
          return grpc::Status::OK;
        }
      }
      last.set_bytes_total(raw.size());
      last.set_events_total(events_total);
      last.set_dropped(result->stats().dropped());
      writer->Write(last);
    }
    return grpc::Status::OK;
  }

  grpc::Status Stop(grpc::ServerContext *, const v1::TraceStopRequest *request,
                    v1::TraceStopResponse *) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(request->job_id());
    if (it == running_.end()) {
      return grpc::Status(
          grpc::StatusCode::NOT_FOUND,
          absl::StrCat("no trace capture is running as job '", request->job_id(), "'"));
    }
    *it->second = true;
    return grpc::Status::OK;
  }

  grpc::Status Stats(grpc::ServerContext *server_context, const v1::TraceStatsRequest *request,
                     v1::TraceStatsResponse *reply) override {
    std::optional<trace::Image> image;
    if (!request->image_path().empty()) {
      absl::StatusOr<trace::Image> loaded = trace::Image::Load(request->image_path());
      if (!loaded.ok()) {
        return ToGrpc(loaded.status());
      }
      image = *std::move(loaded);
    }
    std::string name = request->name().empty() ? "the trace" : request->name();
    std::string read;
    if (!request->path().empty()) {
      if (CallerOf(*server_context).remote) {
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                            "a trace file is read on the daemon's host only for local clients; "
                            "send the file's bytes instead");
      }
      if (!request->data().empty()) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "give the trace's bytes or its path, not both");
      }
      std::ifstream in(request->path(), std::ios::binary);
      if (!in) {
        return grpc::Status(grpc::StatusCode::NOT_FOUND,
                            absl::StrCat("cannot read ", request->path(), ": ", strerror(errno)));
      }
      std::ostringstream bytes;
      bytes << in.rdbuf();
      read = std::move(bytes).str();
      if (request->name().empty()) {
        name = request->path();
      }
    }
    const std::string &data = request->path().empty() ? request->data() : read;
    absl::StatusOr<trace::Timeline> tl =
        trace::LoadSavedTrace(data, name, image.has_value() ? &*image : nullptr);
    if (!tl.ok()) {
      return ToGrpc(tl.status());
    }
    StatsToProto(trace::ComputeStats(*tl), reply->mutable_stats());
    return grpc::Status::OK;
  }

  grpc::Status Export(grpc::ServerContext *, const v1::TraceExportRequest *request,
                      v1::TraceResult *reply) override {
    if (absl::Status s = CheckFormat(request->format()); !s.ok()) {
      return ToGrpc(s);
    }
    absl::StatusOr<store::Job> job = context_.store->GetJob(request->job_id());
    if (!job.ok()) {
      return ToGrpc(job.status());
    }
    if (job->kind != "trace") {
      return ToGrpc(absl::InvalidArgumentError(
          absl::StrCat("job ", job->id, " is a ", job->kind, " job, not a trace capture")));
    }
    absl::StatusOr<std::vector<store::Event>> stored = context_.store->ListEvents(job->id);
    if (!stored.ok()) {
      return ToGrpc(stored.status());
    }
    std::string raw;
    std::string image;
    for (const store::Event &e : *stored) {
      if (e.kind == "trace.raw") {
        raw += e.payload;
      } else if (e.kind == "trace.meta") {
        nlohmann::json meta = nlohmann::json::parse(e.payload, nullptr, false);
        if (meta.is_object()) {
          image = meta.value("image", "");
        }
      }
    }
    reply->set_job_id(job->id);
    return ToGrpc(Finish(raw, image, request->format(), reply));
  }

 private:
  Context &context_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeTraceService(Context &context) {
  return std::make_unique<TraceService>(context);
}

}  // namespace gale::daemon
