#include "log_sink.h"

#include <filesystem>
#include <vector>

#include "context.h"
#include "gale/logs/text.h"

namespace gale::daemon {

namespace fs = std::filesystem;

LogSink::~LogSink() {
  Shutdown();
}

void LogSink::WatchConsole(const std::shared_ptr<devices::Device> &device) {
  std::lock_guard<std::mutex> lock(mu_);
  if (listeners_.count(device->id()) != 0) {
    return;
  }
  std::string id = device->id();
  uint64_t listener = device->console().AddOutputListener(
      [this, id](std::string_view bytes) { Output(id, "uart", bytes); });
  listeners_[id] = {device, listener};
}

void LogSink::Output(const std::string &device_id, std::string_view source,
                     std::string_view bytes) {
  std::string image;
  if (absl::StatusOr<std::shared_ptr<devices::Device>> device = context_.devices->Get(device_id);
      device.ok()) {
    image = (*device)->Info().image;
  }
  std::error_code ec;
  int64_t mtime = image.empty() ? 0 : fs::last_write_time(image, ec).time_since_epoch().count();
  std::vector<logs::Record> records;
  std::vector<std::string> lines;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Stream &stream = streams_[{device_id, std::string(source)}];
    if (stream.image != image || stream.image_mtime != mtime) {
      // A new image (or the same path rebuilt): decide again how its output is decoded.
      stream = Stream();
      stream.image = image;
      stream.image_mtime = mtime;
      if (!image.empty()) {
        absl::StatusOr<logs::Dictionary> dictionary = logs::Dictionary::Load(image);
        if (dictionary.ok()) {
          stream.dictionary = std::make_unique<logs::Dictionary>(*std::move(dictionary));
          stream.decoder =
              std::make_unique<logs::DictionaryDecoder>(*stream.dictionary, device_id);
        }
      }
    }
    if (stream.decoder != nullptr) {
      std::vector<absl::Status> errors;
      stream.decoder->Feed(bytes, records, errors);
      for (const absl::Status &error : errors) {
        // Noise between records (printk text on the UART) is expected; damaged records are
        // counted.
        damaged_ += absl::IsDataLoss(error) ? 1 : 0;
      }
    } else {
      for (char c : bytes) {
        if (c == '\n') {
          lines.push_back(std::move(stream.partial));
          stream.partial.clear();
        } else if (stream.partial.size() < 64 * 1024) {
          stream.partial.push_back(c);
        }
      }
    }
  }
  for (const std::string &line : lines) {
    TextLine(device_id, source, image, line);
  }
  for (const logs::Record &record : records) {
    if (record.kind == logs::RecordKind::kMessage || record.kind == logs::RecordKind::kHexdump) {
      Store(device_id, source, image, record);
    }
  }
}

void LogSink::TextLine(const std::string &device_id, std::string_view source,
                       const std::string &image, std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  absl::StatusOr<logs::Record> record = logs::ParseTextLine(line);
  if (!record.ok() || record->kind != logs::RecordKind::kMessage) {
    return;  // program output, a banner, a hexdump line: not a log message
  }
  Store(device_id, source, image, *record);
}

void LogSink::Store(const std::string &device_id, std::string_view source,
                    const std::string &image, const logs::Record &record) {
  store::LogRecord stored;
  if (record.time_us.has_value()) {
    // "00:00:01.234,567": the store keeps the time without the brackets the target prints.
    std::string time = logs::FormatTimestamp(*record.time_us);
    stored.target_time = time.size() > 2 ? time.substr(1, time.size() - 2) : time;
  }
  stored.level = static_cast<store::LogLevel>(static_cast<int>(record.level));
  stored.module = record.module;
  stored.message = record.message;
  stored.device_id = device_id;
  stored.source = std::string(source);
  stored.build = image;
  std::vector<store::LogRecord> batch{std::move(stored)};
  (void)context_.store->AppendLogs(batch);
}

uint64_t LogSink::damaged_records() const {
  std::lock_guard<std::mutex> lock(mu_);
  return damaged_;
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
