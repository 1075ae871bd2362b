#include "gale/gdb/target_description.h"

#include <charconv>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gale::gdb {
namespace {

// Includes nest a level or two in practice; a cycle or a runaway server stops here.
constexpr int kMaxIncludeDepth = 8;

// One start or empty-element tag: its name and attributes. End tags carry `closing`.
struct Tag {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool closing = false;
  bool empty = false;  // "<reg .../>"
};

std::string DecodeEntities(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      static constexpr std::pair<absl::string_view, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool decoded = false;
      for (const auto &[entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      }
      if (decoded) {
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' || c == '-' ||
         c == '.';
}

// Parses the inside of "<...>" (without the brackets).
absl::StatusOr<Tag> ParseTag(absl::string_view body) {
  Tag tag;
  size_t i = 0;
  if (!body.empty() && body[0] == '/') {
    tag.closing = true;
    i = 1;
  }
  if (!body.empty() && body.back() == '/') {
    tag.empty = true;
    body.remove_suffix(1);
  }
  const size_t name_start = i;
  while (i < body.size() && IsNameChar(body[i])) {
    ++i;
  }
  tag.name = std::string(body.substr(name_start, i - name_start));
  if (tag.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("malformed tag <", body, ">"));
  }
  while (true) {
    while (i < body.size() && absl::ascii_isspace(static_cast<unsigned char>(body[i]))) {
      ++i;
    }
    if (i >= body.size()) {
      break;
    }
    const size_t key_start = i;
    while (i < body.size() && IsNameChar(body[i])) {
      ++i;
    }
    const std::string key(body.substr(key_start, i - key_start));
    while (i < body.size() && absl::ascii_isspace(static_cast<unsigned char>(body[i]))) {
      ++i;
    }
    if (key.empty() || i >= body.size() || body[i] != '=') {
      return absl::InvalidArgumentError(absl::StrCat("malformed attribute in <", body, ">"));
    }
    ++i;
    while (i < body.size() && absl::ascii_isspace(static_cast<unsigned char>(body[i]))) {
      ++i;
    }
    if (i >= body.size() || (body[i] != '"' && body[i] != '\'')) {
      return absl::InvalidArgumentError(absl::StrCat("unquoted attribute in <", body, ">"));
    }
    const char quote = body[i++];
    const size_t end = body.find(quote, i);
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("unterminated attribute in <", body, ">"));
    }
    tag.attributes[key] = DecodeEntities(body.substr(i, end - i));
    i = end + 1;
  }
  return tag;
}

bool ParseInt(absl::string_view text, int &value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

class DescriptionParser {
 public:
  explicit DescriptionParser(const FeatureFetcher &fetch) : fetch_(fetch) {}

  absl::Status Parse(absl::string_view xml, absl::string_view annex, int depth) {
    if (depth > kMaxIncludeDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("target description: includes nest deeper than ", kMaxIncludeDepth,
                       " levels at ", annex));
    }
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat("target description ", annex, ": ", what));
    };
    size_t pos = 0;
    bool in_architecture = false;
    size_t text_start = 0;
    std::string feature;
    while ((pos = xml.find('<', pos)) != absl::string_view::npos) {
      if (xml.substr(pos, 4) == "<!--") {
        const size_t end = xml.find("-->", pos + 4);
        if (end == absl::string_view::npos) {
          return error("unterminated comment");
        }
        pos = end + 3;
        continue;
      }
      if (xml.substr(pos, 2) == "<?" || xml.substr(pos, 2) == "<!") {
        const size_t end = xml.find('>', pos);
        if (end == absl::string_view::npos) {
          return error("unterminated declaration");
        }
        pos = end + 1;
        continue;
      }
      const size_t end = xml.find('>', pos);
      if (end == absl::string_view::npos) {
        return error("unterminated tag");
      }
      auto tag = ParseTag(xml.substr(pos + 1, end - pos - 1));
      if (!tag.ok()) {
        return error(tag.status().message());
      }
      if (tag->name == "architecture") {
        if (tag->closing && in_architecture) {
          description_.architecture = std::string(
              absl::StripAsciiWhitespace(DecodeEntities(xml.substr(text_start, pos - text_start))));
          in_architecture = false;
        } else if (!tag->closing && !tag->empty) {
          in_architecture = true;
          text_start = end + 1;
        }
      } else if (tag->name == "feature" && !tag->closing) {
        feature = tag->attributes["name"];
      } else if (tag->name == "xi:include" && !tag->closing) {
        const std::string &href = tag->attributes["href"];
        if (href.empty()) {
          return error("<xi:include> without href");
        }
        auto included = fetch_(href);
        if (!included.ok()) {
          return absl::Status(included.status().code(),
                              absl::StrCat("target description ", annex, ": cannot read included ",
                                           href, ": ", included.status().message()));
        }
        if (absl::Status status = Parse(*included, href, depth + 1); !status.ok()) {
          return status;
        }
      } else if (tag->name == "reg" && !tag->closing) {
        RegisterInfo reg;
        reg.name = tag->attributes["name"];
        if (reg.name.empty()) {
          return error("<reg> without a name");
        }
        if (!ParseInt(tag->attributes["bitsize"], reg.bitsize) || reg.bitsize <= 0) {
          return error(absl::StrCat("register ", reg.name, " has no valid bitsize"));
        }
        reg.number = next_number_;
        if (auto it = tag->attributes.find("regnum"); it != tag->attributes.end()) {
          if (!ParseInt(it->second, reg.number) || reg.number < 0) {
            return error(
                absl::StrCat("register ", reg.name, " has an invalid regnum '", it->second, "'"));
          }
        }
        next_number_ = reg.number + 1;
        reg.type = tag->attributes["type"];
        reg.group = tag->attributes["group"];
        reg.feature = feature;
        description_.registers.push_back(std::move(reg));
      }
      pos = end + 1;
    }
    return absl::OkStatus();
  }

  TargetDescription Take() { return std::move(description_); }

 private:
  const FeatureFetcher &fetch_;
  TargetDescription description_;
  int next_number_ = 0;
};

}  // namespace

const RegisterInfo *TargetDescription::Find(std::string_view name) const {
  for (const RegisterInfo &reg : registers) {
    if (absl::EqualsIgnoreCase(reg.name, absl::string_view(name.data(), name.size()))) {
      return &reg;
    }
  }
  return nullptr;
}

absl::StatusOr<TargetDescription> ParseTargetDescription(std::string_view xml,
                                                         const FeatureFetcher &fetch,
                                                         std::string_view annex) {
  DescriptionParser parser(fetch);
  if (absl::Status status = parser.Parse(absl::string_view(xml.data(), xml.size()),
                                         absl::string_view(annex.data(), annex.size()), 0);
      !status.ok()) {
    return status;
  }
  return parser.Take();
}

}  // namespace gale::gdb
