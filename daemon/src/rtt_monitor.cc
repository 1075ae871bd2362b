#include "rtt_monitor.h"

#include <chrono>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gale/rtt/reader.h"

namespace gale::daemon {
namespace fs = std::filesystem;

RttMonitor::RttMonitor(std::shared_ptr<devices::Device> device)
    : device_(std::move(device)), status_("starting") {
  thread_ = std::thread([this] { Run(); });
}

RttMonitor::~RttMonitor() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
}

devices::ConsoleHub &RttMonitor::Channel(unsigned channel) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<devices::ConsoleHub> &hub = channels_[channel];
  if (hub == nullptr) {
    // Block mode loses nothing on the target; the host keeps 1 MiB per channel so that a
    // client attaching late still gets the whole of a short run.
    hub = std::make_unique<devices::ConsoleHub>(1 << 20);
    // Input to the hub (a shell session over RTT) goes to the matching down-channel.
    hub->SetInputSink(
        [this, channel](std::string_view bytes) { return Write(channel, bytes).status(); });
  }
  return *hub;
}

std::string RttMonitor::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

uint64_t RttMonitor::dropped(unsigned channel) const {
  std::lock_guard<std::mutex> lock(mu_);
  return channel < kMaxChannels ? dropped_[channel] : 0;
}

absl::StatusOr<size_t> RttMonitor::Write(unsigned channel, std::string_view data) {
  if (channel >= kMaxChannels) {
    return absl::InvalidArgumentError(absl::StrCat("RTT channel ", channel, " is out of range"));
  }
  std::lock_guard<std::mutex> lock(mu_);
  pending_down_[channel].append(data);
  return data.size();
}

void RttMonitor::SetOutputListener(std::function<void(std::string_view)> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  output_listener_ = std::move(listener);
}

void RttMonitor::SetStatus(const std::string &status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (status == status_) {
      return;
    }
    status_ = status;
  }
}

void RttMonitor::Run() {
  rtt::DeviceMemoryAccess memory(*device_);
  std::unique_ptr<rtt::RttReader> reader;
  std::string image;
  fs::file_time_type image_time;
  auto output = [this](std::string_view bytes) {
    std::function<void(std::string_view)> listener;
    {
      std::lock_guard<std::mutex> lock(mu_);
      listener = output_listener_;
    }
    if (listener) {
      listener(bytes);
    }
  };
  constexpr auto kMinGap = std::chrono::milliseconds(1);
  constexpr auto kMaxGap = std::chrono::milliseconds(20);
  std::chrono::steady_clock::duration gap = kMaxGap;  // between polls
  auto last_poll = std::chrono::steady_clock::now();
  while (!stop_) {
    devices::DeviceInfo info = device_->Info();
    if (info.state != devices::DeviceState::kRunning || info.image.empty()) {
      SetStatus("waiting for a running image");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    std::error_code ec;
    fs::file_time_type mtime = fs::last_write_time(info.image, ec);
    if (reader == nullptr || info.image != image || mtime != image_time) {
      image = info.image;
      image_time = mtime;
      reader.reset();
      absl::StatusOr<rtt::ElfRttSymbols> symbols = rtt::RttSymbolsFromElf(image);
      if (!symbols.ok() || !symbols->control_block.has_value()) {
        SetStatus(absl::StrCat("the image ", image,
                               " has no RTT control block (_SEGGER_RTT); build it with "
                               "CONFIG_USE_SEGGER_RTT=y"));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      rtt::RttReaderOptions options;
      options.control_block = symbols->control_block;
      options.pointer_size = symbols->pointer_size;
      options.dropped_counters = symbols->dropped;
      options.dropped_channels = symbols->dropped_channels;
      reader = std::make_unique<rtt::RttReader>(memory, options);
      SetStatus("waiting for the control block");
    }
    // Down-channel bytes first: a shell waiting for input is then served in the same window.
    for (unsigned ch = 0; ch < kMaxChannels && reader->control_block().has_value(); ++ch) {
      std::string pending;
      {
        std::lock_guard<std::mutex> lock(mu_);
        pending.swap(pending_down_[ch]);
      }
      if (pending.empty()) {
        continue;
      }
      const auto *bytes = reinterpret_cast<const uint8_t *>(pending.data());
      absl::StatusOr<size_t> written =
          reader->WriteDown(ch, std::span<const uint8_t>(bytes, pending.size()));
      // An answer follows input (a shell's reply, a trace after its start command): poll soon.
      gap = kMinGap;
      if (written.ok() && *written < pending.size()) {
        std::lock_guard<std::mutex> lock(mu_);
        pending_down_[ch].insert(0, pending.substr(*written));
      }
    }
    absl::StatusOr<rtt::PollResult> poll = reader->Poll();
    if (!poll.ok()) {
      // The emulator stopped or the image exited between Info() and the read.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (!poll->attached) {
      SetStatus("waiting for the control block");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (poll->reattached) {
      SetStatus(absl::StrCat("control block at 0x", absl::Hex(reader->control_block()->address)));
      std::lock_guard<std::mutex> lock(mu_);
      for (auto &[ch, hub] : channels_) {
        hub->MarkStarted();
      }
    }
    // Drops first: a client that reads this poll's data then also sees the drops before it.
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t ch = 0; ch < poll->dropped.size() && ch < kMaxChannels; ++ch) {
        dropped_[ch] += poll->dropped[ch];
      }
    }
    // How full the fullest ring was (0..1): it sets how soon the next poll comes.
    double fill = 0;
    for (const rtt::ChannelData &up : poll->up) {
      if (up.data.empty() || up.channel >= kMaxChannels) {
        continue;
      }
      const std::optional<rtt::ControlBlock> &block = reader->control_block();
      if (!block.has_value() || up.channel >= block->up.size() || block->up[up.channel].size == 0) {
        fill = 1;
      } else {
        fill = std::max(fill, static_cast<double>(up.data.size()) / block->up[up.channel].size);
      }
      std::string_view bytes(reinterpret_cast<const char *>(up.data.data()), up.data.size());
      Channel(up.channel).Write(bytes);
      if (up.channel == 0) {
        output(bytes);
      }
    }
    // Every poll pauses the CPU, so the gap between polls follows the rings: a ring a quarter
    // full or more is read again at once (the target would soon block or drop); otherwise the
    // next poll comes when, at the rate just seen, the fullest ring would be a quarter full
    // (at most twice the last gap, and 20 ms, as when nothing comes). A trace or a log that
    // only trickles in is then read about 50 times a second, not hundreds of times with a few
    // bytes each, which kept an emulated CPU paused a good part of the time; a fast one is read
    // often enough that host jitter does not fill its ring.
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed = now - last_poll;
    last_poll = now;
    if (fill >= 0.25) {
      gap = kMinGap;
      continue;
    }
    auto next = std::min<std::chrono::steady_clock::duration>(gap * 2, kMaxGap);
    if (fill > 0) {
      next = std::min(next, std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                elapsed * (0.25 / fill)));
    }
    gap = std::max<std::chrono::steady_clock::duration>(next, kMinGap);
    std::this_thread::sleep_for(gap);
  }
}

std::shared_ptr<RttMonitor> RttMonitors::Get(const std::shared_ptr<devices::Device> &device) {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<RttMonitor> &monitor = monitors_[device->id()];
  if (monitor == nullptr) {
    monitor = std::make_shared<RttMonitor>(device);
    if (on_output_) {
      monitor->SetOutputListener([on_output = on_output_, id = device->id()](
                                     std::string_view bytes) { on_output(id, bytes); });
    }
  }
  return monitor;
}

void RttMonitors::Shutdown() {
  std::map<std::string, std::shared_ptr<RttMonitor>> monitors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    monitors.swap(monitors_);
  }
  monitors.clear();  // joins the threads
}

}  // namespace gale::daemon
