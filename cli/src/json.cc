#include "json.h"

#include <cctype>
#include <cstdint>

#include <google/protobuf/reflection.h>

namespace gale::cli {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Base64(const std::string &data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(data[i]) << 16) |
                       (static_cast<uint8_t>(data[i + 1]) << 8) | static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == data.size()) {
    const uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == data.size()) {
    const uint32_t v =
        (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

Json Scalar(const Message &message, const Reflection &reflection, const FieldDescriptor &field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return reflection.GetInt32(message, &field);
    case FieldDescriptor::CPPTYPE_INT64:
      return reflection.GetInt64(message, &field);
    case FieldDescriptor::CPPTYPE_UINT32:
      return reflection.GetUInt32(message, &field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return reflection.GetUInt64(message, &field);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return reflection.GetDouble(message, &field);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return reflection.GetFloat(message, &field);
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection.GetBool(message, &field);
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumValueName(*reflection.GetEnum(message, &field));
    case FieldDescriptor::CPPTYPE_STRING:
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        return Base64(reflection.GetString(message, &field));
      }
      return reflection.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return ToJson(reflection.GetMessage(message, &field));
  }
  return nullptr;
}

Json RepeatedScalar(const Message &message, const Reflection &reflection,
                    const FieldDescriptor &field, int i) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return reflection.GetRepeatedInt32(message, &field, i);
    case FieldDescriptor::CPPTYPE_INT64:
      return reflection.GetRepeatedInt64(message, &field, i);
    case FieldDescriptor::CPPTYPE_UINT32:
      return reflection.GetRepeatedUInt32(message, &field, i);
    case FieldDescriptor::CPPTYPE_UINT64:
      return reflection.GetRepeatedUInt64(message, &field, i);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return reflection.GetRepeatedDouble(message, &field, i);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return reflection.GetRepeatedFloat(message, &field, i);
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection.GetRepeatedBool(message, &field, i);
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumValueName(*reflection.GetRepeatedEnum(message, &field, i));
    case FieldDescriptor::CPPTYPE_STRING:
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        return Base64(reflection.GetRepeatedString(message, &field, i));
      }
      return reflection.GetRepeatedString(message, &field, i);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return ToJson(reflection.GetRepeatedMessage(message, &field, i));
  }
  return nullptr;
}

}  // namespace

std::string EnumPrefix(const EnumDescriptor &type) {
  std::string prefix;
  const std::string &name = type.name();
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) && i > 0) {
      prefix += '_';
    }
    prefix += static_cast<char>(std::toupper(c));
  }
  return prefix + "_";
}

std::string EnumValueName(const EnumValueDescriptor &value) {
  const std::string prefix = EnumPrefix(*value.type());
  const std::string &name = value.name();
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0) {
    return Lower(std::string_view(name).substr(prefix.size()));
  }
  return Lower(name);
}

std::optional<int> ParseEnumValue(const EnumDescriptor &type, std::string_view name) {
  const std::string wanted = Lower(name);
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor &value = *type.value(i);
    if (EnumValueName(value) == wanted || Lower(value.name()) == wanted) {
      return value.number();
    }
  }
  return std::nullopt;
}

std::string EnumValueNames(const EnumDescriptor &type) {
  std::string out;
  for (int i = 0; i < type.value_count(); ++i) {
    if (type.value(i)->number() == 0) {
      continue;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += EnumValueName(*type.value(i));
  }
  return out;
}

Json ToJson(const Message &message) {
  const auto &descriptor = *message.GetDescriptor();
  const Reflection &reflection = *message.GetReflection();
  Json out = Json::object();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor &field = *descriptor.field(i);
    if (field.is_map()) {
      Json map = Json::object();
      const FieldDescriptor &key = *field.message_type()->map_key();
      const FieldDescriptor &value = *field.message_type()->map_value();
      for (int j = 0; j < reflection.FieldSize(message, &field); ++j) {
        const Message &entry = reflection.GetRepeatedMessage(message, &field, j);
        const Json k = Scalar(entry, *entry.GetReflection(), key);
        map[k.is_string() ? k.get<std::string>() : k.dump()] =
            Scalar(entry, *entry.GetReflection(), value);
      }
      out[field.name()] = std::move(map);
    } else if (field.is_repeated()) {
      Json list = Json::array();
      for (int j = 0; j < reflection.FieldSize(message, &field); ++j) {
        list.push_back(RepeatedScalar(message, reflection, field, j));
      }
      out[field.name()] = std::move(list);
    } else if (field.real_containing_oneof() != nullptr || field.has_presence()) {
      // A oneof member or a message field: present only when set (as in proto3 JSON).
      if (reflection.HasField(message, &field)) {
        out[field.name()] = Scalar(message, reflection, field);
      }
    } else {
      out[field.name()] = Scalar(message, reflection, field);
    }
  }
  return out;
}

// Console text and tool output need not be UTF-8: replace what is not instead of failing.
std::string ToJsonString(const Message &message) {
  return ToJson(message).dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string ToJsonLine(const Message &message) {
  return ToJson(message).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace gale::cli
