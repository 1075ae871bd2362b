#include "log_sink.h"

#include "context.h"
#include "gale/logs/text.h"

namespace gale::daemon {

LogSink::~LogSink() {
  Shutdown();
}

void LogSink::WatchConsole(const std::shared_ptr<devices::Device> &device) {
  std::lock_guard<std::mutex> lock(mu_);
  if (listeners_.count(device->id()) != 0) {
    return;
  }
  std::string id = device->id();
  uint64_t listener = device->console().AddLineListener(
      [this, id](std::string_view line) { Line(id, "uart", line); });
  listeners_[id] = {device, listener};
}

void LogSink::Line(const std::string &device_id, std::string_view source, std::string_view line) {
  absl::StatusOr<logs::Record> record = logs::ParseTextLine(line);
  if (!record.ok() || record->kind != logs::RecordKind::kMessage) {
    return;  // program output, a banner, a hexdump line: not a log message
  }
  store::LogRecord stored;
  if (record->time_us.has_value()) {
    stored.target_time = logs::FormatTimestamp(*record->time_us);
  }
  stored.level = static_cast<store::LogLevel>(static_cast<int>(record->level));
  stored.module = record->module;
  stored.message = record->message;
  stored.device_id = device_id;
  stored.source = std::string(source);
  if (absl::StatusOr<std::shared_ptr<devices::Device>> device = context_.devices->Get(device_id);
      device.ok()) {
    stored.build = (*device)->Info().image;
  }
  std::vector<store::LogRecord> batch{std::move(stored)};
  (void)context_.store->AppendLogs(batch);
}

void LogSink::Shutdown() {
  std::map<std::string, std::pair<std::weak_ptr<devices::Device>, uint64_t>> listeners;
  {
    std::lock_guard<std::mutex> lock(mu_);
    listeners.swap(listeners_);
  }
  for (auto &[id, entry] : listeners) {
    if (std::shared_ptr<devices::Device> device = entry.first.lock()) {
      device->console().RemoveListener(entry.second);
    }
  }
}

}  // namespace gale::daemon
