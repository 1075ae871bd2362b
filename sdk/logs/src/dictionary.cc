#include "gale/logs/dictionary.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gale/logs/format.h"

namespace gale::logs {
namespace {

constexpr uint8_t kTypeMessage = 1;
constexpr uint8_t kTypeHexdump = 2;
constexpr uint8_t kTypeDropped = 3;
constexpr uint8_t kArgU32 = 1;
constexpr uint8_t kArgU64 = 2;
constexpr uint8_t kArgDouble = 3;
constexpr uint8_t kArgString = 4;
constexpr uint16_t kNoModule = 0xFFFF;
// Module descriptors are the symbols _gale_log_module_<name> (LOG_MODULE_REGISTER).
constexpr std::string_view kModulePrefix = "_gale_log_module_";

uint64_t Le(std::string_view bytes, size_t offset, size_t size) {
  uint64_t v = 0;
  for (size_t i = 0; i < size; ++i) {
    v |= uint64_t{static_cast<uint8_t>(bytes[offset + i])} << (8 * i);
  }
  return v;
}

void Fnv1a(uint64_t &hash, const std::vector<uint8_t> &bytes) {
  for (uint8_t b : bytes) {
    hash ^= b;
    hash *= 0x100000001b3ULL;
  }
}

}  // namespace

absl::StatusOr<Dictionary> Dictionary::FromElf(const elf::ElfFile &elf) {
  const elf::Section *strings = elf.FindSection(kStringsSection);
  if (strings == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(elf.name(), ": no ", std::string(kStringsSection),
                     " section; build the image with dictionary logging (for example "
                     "CONFIG_LOG_BACKEND_UART_OUTPUT_DICTIONARY=y)"));
  }
  Dictionary dict;
  dict.name_ = elf.name();
  dict.strings_address_ = strings->address;
  dict.strings_ = strings->data;
  std::vector<std::pair<uint64_t, std::string>> modules;
  for (const elf::Symbol &symbol : elf.symbols()) {
    if (symbol.name.compare(0, kModulePrefix.size(), kModulePrefix) == 0 &&
        symbol.name != "_gale_log_module_list_start" &&
        symbol.name != "_gale_log_module_list_end") {
      modules.emplace_back(symbol.value, symbol.name.substr(kModulePrefix.size()));
    }
  }
  std::sort(modules.begin(), modules.end());
  for (auto &[address, name] : modules) {
    dict.modules_.push_back(std::move(name));
  }
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const elf::Segment &segment : elf.segments()) {
    Fnv1a(hash, segment.data);
  }
  Fnv1a(hash, dict.strings_);
  dict.build_id_ = absl::StrFormat("fnv1a64:%016x", hash);
  return dict;
}

absl::StatusOr<Dictionary> Dictionary::Load(const std::string &elf_path) {
  absl::StatusOr<elf::ElfFile> elf = elf::ElfFile::Load(elf_path);
  if (!elf.ok()) {
    return elf.status();
  }
  return FromElf(*elf);
}

absl::StatusOr<std::string> Dictionary::String(uint32_t address) const {
  if (address < strings_address_ || address - strings_address_ >= strings_.size()) {
    return absl::NotFoundError(absl::StrFormat(
        "string address 0x%x is outside %s of %s (0x%x, %u bytes): the device runs another image?",
        address, kStringsSection, name_, strings_address_, strings_.size()));
  }
  const auto begin = strings_.begin() + (address - strings_address_);
  const auto end = std::find(begin, strings_.end(), 0);
  if (end == strings_.end()) {
    return absl::NotFoundError(
        absl::StrFormat("string at 0x%x in %s is not terminated", address, name_));
  }
  return std::string(begin, end);
}

absl::StatusOr<std::string> Dictionary::ModuleName(uint16_t index) const {
  if (index >= modules_.size()) {
    return absl::NotFoundError(absl::StrFormat("module index %u, but %s has %u log modules", index,
                                               name_, modules_.size()));
  }
  return modules_[index];
}

void DictionaryDecoder::Skip(size_t n, std::vector<absl::Status> &errors, std::string_view why) {
  if (!why.empty()) {
    errors.push_back(absl::DataLossError(
        absl::StrFormat("log stream offset %u: %s; skipping to the next record", offset_, why)));
  }
  buffer_.erase(0, n);
  offset_ += n;
  skipped_ += n;
}

void DictionaryDecoder::Feed(std::string_view bytes, std::vector<Record> &records,
                             std::vector<absl::Status> &errors) {
  buffer_.append(bytes);
  while (!buffer_.empty()) {
    const size_t sync = buffer_.find(static_cast<char>(kRecordSync));
    if (sync == std::string::npos || sync > 0) {
      const size_t n = sync == std::string::npos ? buffer_.size() : sync;
      Skip(n, errors, absl::StrFormat("%u bytes that are not a log record", n));
      continue;
    }
    if (buffer_.size() >= 4) {
      const auto version = static_cast<uint8_t>(buffer_[1]);
      const auto type = static_cast<uint8_t>(buffer_[2]);
      const auto level = static_cast<uint8_t>(buffer_[3]);
      if (version != kRecordVersion) {
        Skip(1, errors,
             absl::StrFormat("record version %u (this decoder reads %u)", version, kRecordVersion));
        continue;
      }
      if (type < kTypeMessage || type > kTypeDropped || level > 4) {
        Skip(1, errors, absl::StrFormat("bad record type %u or level %u", type, level));
        continue;
      }
    }
    if (buffer_.size() < kRecordHeaderSize) {
      return;  // wait for the header
    }
    const size_t payload = Le(buffer_, 6, 2);
    if (payload > max_payload_) {
      Skip(1, errors,
           absl::StrFormat("record length %u above the limit %u", payload, max_payload_));
      continue;
    }
    const size_t total = kRecordHeaderSize + payload + 1;
    if (buffer_.size() < total) {
      return;  // wait for the rest
    }
    uint8_t sum = 0;
    for (size_t i = 0; i < total; ++i) {
      sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(buffer_[i]));
    }
    if (sum != 0) {
      Skip(1, errors, "record checksum mismatch");
      continue;
    }
    absl::StatusOr<Record> record = Decode(std::string_view(buffer_).substr(0, total));
    if (!record.ok()) {
      errors.push_back(absl::DataLossError(absl::StrFormat(
          "log stream offset %u: %s", offset_, std::string(record.status().message()))));
      Skip(total, errors, "");
      continue;
    }
    records.push_back(*std::move(record));
    buffer_.erase(0, total);
    offset_ += total;
  }
}

void DictionaryDecoder::Finish(std::vector<absl::Status> &errors) {
  if (buffer_.empty()) {
    return;
  }
  std::string what = absl::StrFormat("%u bytes", buffer_.size());
  if (buffer_.size() >= kRecordHeaderSize) {
    absl::StrAppendFormat(&what, " of a %u-byte record", kRecordHeaderSize + Le(buffer_, 6, 2) + 1);
  }
  errors.push_back(absl::DataLossError(absl::StrFormat(
      "log stream offset %u: the stream ends inside a record (%s); the record is lost", offset_,
      what)));
  skipped_ += buffer_.size();
  offset_ += buffer_.size();
  buffer_.clear();
}

absl::StatusOr<Record> DictionaryDecoder::Decode(std::string_view bytes) const {
  Record record;
  record.device = device_;
  record.build_id = dict_.build_id();
  const auto type = static_cast<uint8_t>(bytes[2]);
  record.level = static_cast<Level>(bytes[3]);
  const auto module = static_cast<uint16_t>(Le(bytes, 4, 2));
  record.time_us = Le(bytes, 8, 8);
  const auto word = static_cast<uint32_t>(Le(bytes, 16, 4));
  const std::string_view payload =
      bytes.substr(kRecordHeaderSize, bytes.size() - kRecordHeaderSize - 1);
  if (type == kTypeDropped) {
    record.kind = RecordKind::kDropped;
    record.level = Level::kNone;
    record.dropped = word;
    return record;
  }
  if (module != kNoModule) {
    absl::StatusOr<std::string> name = dict_.ModuleName(module);
    if (!name.ok()) {
      return name.status();
    }
    record.module = *std::move(name);
  }
  absl::StatusOr<std::string> text = dict_.String(word);
  if (!text.ok()) {
    return text.status();
  }
  if (type == kTypeHexdump) {
    record.kind = RecordKind::kHexdump;
    record.message = *std::move(text);
    record.data.assign(payload.begin(), payload.end());
    return record;
  }
  std::vector<FormatArg> args;
  size_t i = 0;
  while (i < payload.size()) {
    const auto tag = static_cast<uint8_t>(payload[i++]);
    const size_t size = tag == kArgU32 ? 4 : (tag == kArgU64 || tag == kArgDouble) ? 8 : 1;
    if (tag < kArgU32 || tag > kArgString || i + size > payload.size()) {
      return absl::DataLossError(
          absl::StrFormat("argument %u of a message (format \"%s\") is malformed (tag %u)",
                          args.size() + 1, *text, tag));
    }
    if (tag == kArgString) {
      const size_t length = static_cast<uint8_t>(payload[i++]);
      if (i + length > payload.size()) {
        return absl::DataLossError(
            absl::StrFormat("string argument %u of a message (format \"%s\") runs past the record",
                            args.size() + 1, *text));
      }
      args.push_back(FormatArg::String(std::string(payload.substr(i, length))));
      i += length;
      continue;
    }
    const uint64_t v = Le(payload, i, size);
    i += size;
    if (tag == kArgU32) {
      args.push_back(FormatArg::U32(static_cast<uint32_t>(v)));
    } else if (tag == kArgU64) {
      args.push_back(FormatArg::U64(v));
    } else {
      double d;
      std::memcpy(&d, &v, sizeof(d));
      args.push_back(FormatArg::Double(d));
    }
  }
  record.message = FormatPrintf(*text, args);
  return record;
}

}  // namespace gale::logs
