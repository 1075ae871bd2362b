// YAML devicetree bindings: what a compatible's node must look like.
#ifndef GALE_DEVICETREE_BINDING_H_
#define GALE_DEVICETREE_BINDING_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace gale::devicetree {

/// Property types a binding can declare (the `type:` key).
enum class PropType {
  kInt,
  kArray,
  kUint8Array,
  kString,
  kStringArray,
  kBoolean,
  kPhandle,
  kPhandles,
  kPhandleArray,
  kPath,
  kCompound,
};

/// The binding spelling of `type` ("int", "phandle-array", ...).
absl::string_view PropTypeName(PropType type);

/// Parses a binding `type:` value; an error names the accepted spellings.
absl::StatusOr<PropType> ParsePropType(absl::string_view name);

/// A literal written in a binding (`default:`, `const:`, one `enum:` entry).
using BindingValue =
    std::variant<int64_t, std::string, std::vector<int64_t>, std::vector<std::string>>;

/// Renders a binding literal the way a DTS author would write it (`115200`, `"okay"`).
std::string BindingValueToString(const BindingValue &value);

/// One entry of a binding's `properties:` map, after includes are merged.
struct PropSpec {
  std::string name;
  PropType type = PropType::kCompound;
  bool required = false;
  std::string description;
  std::vector<BindingValue> enum_values;
  std::optional<BindingValue> default_value;
  std::optional<BindingValue> const_value;
  /// For phandle-array: which `#<space>-cells` names the specifier cells; empty means derived
  /// from the property name (`gpios`/`foo-gpios` -> `gpio`, `pwms` -> `pwm`).
  std::string specifier_space;
};

/// A merged binding: one YAML file with its includes applied.
struct Binding {
  std::string file;        ///< File name the binding came from (`ti,stellaris-uart.yaml`).
  std::string compatible;  ///< Empty for include-only files and child bindings.
  std::string description;
  std::vector<std::string> buses;  ///< `bus:`: buses this node provides to its children.
  std::string on_bus;              ///< `on-bus:`: bus this node must sit on to match.
  std::map<std::string, PropSpec> properties;
  /// Specifier cell names by space: `gpio-cells: [pin, flags]` -> {"gpio", {"pin", "flags"}}.
  std::map<std::string, std::vector<std::string>> cells;
  std::shared_ptr<const Binding> child_binding;

  const PropSpec *FindProp(absl::string_view name) const;
  const std::vector<std::string> *FindCells(absl::string_view space) const;
};

/// All bindings visible to a build, indexed by compatible.
class BindingSet {
 public:
  /// Loads every `*.yaml` file below each directory (recursively). When two directories hold a
  /// file of the same name, or a binding for the same compatible and bus, the later directory
  /// wins: an application can override an SDK binding. Duplicates within one directory are
  /// an error.
  static absl::StatusOr<BindingSet> LoadFromDirs(const std::vector<std::string> &dirs);

  /// Loads bindings from in-memory files: file name -> YAML text. One "directory".
  static absl::StatusOr<BindingSet> LoadFromStrings(
      const std::map<std::string, std::string> &files);

  /// The binding for `compatible`, preferring one whose `on-bus` equals `parent_bus`, then one
  /// without `on-bus`. Null when none matches.
  const Binding *Find(absl::string_view compatible, absl::string_view parent_bus = {}) const;

  size_t size() const { return by_compat_.size(); }

 private:
  struct Source {
    std::string path;  ///< For messages.
    std::string text;
    size_t dir_index = 0;
  };
  static absl::StatusOr<BindingSet> Load(std::map<std::string, Source> files);

  // (compatible, on-bus) -> binding.
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Binding>> by_compat_;
};

}  // namespace gale::devicetree

#endif  // GALE_DEVICETREE_BINDING_H_
