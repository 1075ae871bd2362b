// Target logs into the store: what a device's console (UART backend) and its RTT channel 0 (RTT
// backend) carry is decoded (sdk/logs) and kept as records, queryable through the Logs service.
// Text output is split into lines and parsed; an image built with dictionary logging
// (CONFIG_LOG_DICTIONARY_SUPPORT: its ELF has .gale_log_strings) sends binary records, which
// are decoded with that ELF.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "gale/devices/device.h"
#include "gale/logs/dictionary.h"
#include "gale/logs/record.h"

namespace gale::daemon {

struct Context;

class LogSink {
 public:
  explicit LogSink(Context &context) : context_(context) {}
  ~LogSink();

  /// Decodes `device`'s console output from now on (idempotent).
  void WatchConsole(const std::shared_ptr<devices::Device> &device);
  /// Output of `device` from `source` ("uart", "rtt:0"), in order: log messages in it are
  /// stored, everything else is ignored.
  void Output(const std::string &device_id, std::string_view source, std::string_view bytes);
  /// Damaged dictionary records seen so far (each skipped; the daemon keeps going).
  uint64_t damaged_records() const;
  /// Stops watching every console (before the devices go).
  void Shutdown();

 private:
  // What one source of one device is decoded with; replaced when the device's image changes.
  struct Stream {
    std::string image;  // the ELF the output comes from
    int64_t image_mtime = 0;
    std::string partial;  // text mode: the line so far
    std::unique_ptr<logs::Dictionary> dictionary;  // dictionary mode
    std::unique_ptr<logs::DictionaryDecoder> decoder;
  };
  void Store(const std::string &device_id, std::string_view source, const std::string &image,
             const logs::Record &record);
  void TextLine(const std::string &device_id, std::string_view source, const std::string &image,
                std::string_view line);

  Context &context_;
  mutable std::mutex mu_;  // guards listeners_, streams_ and damaged_
  std::map<std::string, std::pair<std::weak_ptr<devices::Device>, uint64_t>> listeners_;
  std::map<std::pair<std::string, std::string>, Stream> streams_;  // by (device, source)
  uint64_t damaged_ = 0;
};

}  // namespace gale::daemon
