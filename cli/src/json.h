// Proto messages as JSON for `--json` output.
//
// Field names are the proto names ("uptime_s", "exit_code"); every scalar and repeated field is
// present, defaults included (a message or oneof member only when set); 64-bit integers are JSON
// numbers (scripts grep for `"pid": 1234`); enum values are short lowercase names:
// JOB_STATE_SUCCEEDED is "succeeded", DEVICE_STATE_RUNNING is "running" (the enum type's name in
// UPPER_SNAKE form is stripped as a prefix); bytes are base64, as in proto3's JSON mapping.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

namespace gale::cli {

using Json = nlohmann::ordered_json;

/// "JobState" -> "JOB_STATE_".
std::string EnumPrefix(const google::protobuf::EnumDescriptor &type);

/// JOB_STATE_INTERRUPTED -> "interrupted"; a value without the type's prefix is lowercased.
std::string EnumValueName(const google::protobuf::EnumValueDescriptor &value);

/// EnumValueName() of a generated enum's value: EnumValueNameOf(gale::v1::JOB_STATE_FAILED) is
/// "failed".
template <typename E>
std::string EnumValueNameOf(E value) {
  const google::protobuf::EnumValueDescriptor *descriptor =
      google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(static_cast<int>(value));
  return descriptor != nullptr ? EnumValueName(*descriptor)
                               : std::to_string(static_cast<int>(value));
}

/// The value of `type` whose short name (see EnumValueName) or full name is `name`, in any
/// case; nothing when none is.
std::optional<int> ParseEnumValue(const google::protobuf::EnumDescriptor &type,
                                  std::string_view name);

/// The short names of every value of `type` but the UNSPECIFIED one, comma separated.
std::string EnumValueNames(const google::protobuf::EnumDescriptor &type);

Json ToJson(const google::protobuf::Message &message);

/// ToJson(message) printed with a two-space indent, without a trailing newline.
std::string ToJsonString(const google::protobuf::Message &message);

/// One line: for a stream of events (NDJSON).
std::string ToJsonLine(const google::protobuf::Message &message);

}  // namespace gale::cli
