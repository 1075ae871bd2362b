// The extended devicetree: the raw tree matched against bindings, validated and typed.
#ifndef GALE_DEVICETREE_EDT_H_
#define GALE_DEVICETREE_EDT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/devicetree/binding.h"
#include "gale/devicetree/tree.h"

namespace gale::devicetree {

struct EdtNode;

/// One `reg` entry, translated to the CPU address space through the parents' `ranges`.
struct Reg {
  uint64_t address = 0;
  std::optional<uint64_t> size;  ///< Absent when the parent has `#size-cells = <0>`.
  std::string name;              ///< From `reg-names`, when present.
};

/// Named specifier cells (`irq` = 5, `priority` = 3).
using Cells = std::vector<std::pair<std::string, uint32_t>>;

/// One `interrupts` entry with its controller.
struct Irq {
  const EdtNode *controller = nullptr;
  Cells cells;
  std::string name;  ///< From `interrupt-names`, when present.
};

/// One element of a phandle, phandles or phandle-array property.
struct PhandleEntry {
  const EdtNode *target = nullptr;  ///< Null for a 0 placeholder in a phandle-array.
  Cells cells;
  std::string name;  ///< From `<space>-names`, when present.
};

/// A property with the type its binding declares, decoded.
struct EdtProp {
  std::string name;
  PropType type = PropType::kCompound;
  bool from_default = false;           ///< Absent in the tree; value is the binding's `default:`.
  std::vector<uint64_t> numbers;       ///< int (one), array, uint8-array; boolean: 0 or 1.
  std::vector<std::string> strings;    ///< string (one), string-array.
  std::vector<PhandleEntry> phandles;  ///< phandle, path (one), phandles, phandle-array.
  std::vector<uint8_t> raw;            ///< compound and anything untyped.
  std::optional<size_t> enum_index;    ///< Index into the binding's `enum:` list.
};

struct EdtNode {
  const Node *node = nullptr;
  const EdtNode *parent = nullptr;
  std::vector<const EdtNode *> children;
  const Binding *binding = nullptr;
  std::vector<std::string> compatibles;
  std::string status;  ///< Normalized: "okay" when absent or "ok".
  bool okay = true;
  int ord = 0;  ///< Dependency ordinal: parents and phandle targets come first.
  std::vector<Reg> regs;
  std::vector<Irq> irqs;
  std::vector<EdtProp> props;  ///< Binding-declared properties that are present or defaulted.

  const std::string &path() const { return node->path; }
  const EdtProp *FindProp(absl::string_view name) const;
};

/// Builds and validates the extended tree. Errors are collected over the whole tree; the
/// status message then holds one line per problem, `<node path>: <message>`.
class Edt {
 public:
  static absl::StatusOr<std::unique_ptr<Edt>> Build(Tree tree, const BindingSet &bindings);

  const Tree &tree() const { return tree_; }
  /// All nodes in tree pre-order.
  const std::vector<std::unique_ptr<EdtNode>> &nodes() const { return nodes_; }
  /// All nodes sorted by dependency ordinal.
  const std::vector<const EdtNode *> &nodes_by_ord() const { return by_ord_; }
  const EdtNode *Find(const Node *node) const;
  const EdtNode *FindPath(absl::string_view path) const;
  /// `/chosen` entries that name a node, in blob order.
  const std::vector<std::pair<std::string, const EdtNode *>> &chosen() const { return chosen_; }
  /// `/aliases` entries that name a node, in blob order.
  const std::vector<std::pair<std::string, const EdtNode *>> &aliases() const { return aliases_; }
  /// Instances per compatible: okay nodes first, then the rest, each group by ordinal.
  const std::map<std::string, std::vector<const EdtNode *>> &instances() const {
    return instances_;
  }

 private:
  explicit Edt(Tree tree) : tree_(std::move(tree)) {}

  Tree tree_;
  std::vector<std::unique_ptr<EdtNode>> nodes_;
  std::vector<const EdtNode *> by_ord_;
  std::map<const Node *, const EdtNode *> by_node_;
  std::vector<std::pair<std::string, const EdtNode *>> chosen_;
  std::vector<std::pair<std::string, const EdtNode *>> aliases_;
  std::map<std::string, std::vector<const EdtNode *>> instances_;

  friend class EdtBuilder;
};

/// Writers for the generated files (see README.md for their contracts).
std::string WriteHeader(const Edt &edt);
std::string WriteDts(const Edt &edt);
std::string WriteEdtJson(const Edt &edt);
std::string WriteCMake(const Edt &edt);

/// C identifier pieces used by the generated header: lower case, `[^a-z0-9_]` -> `_`.
std::string Identifier(absl::string_view text);
/// The node identifier token of a node path (`/soc/uart@4000c000` -> `GDT_N__soc__uart_4000c000`).
std::string NodeToken(absl::string_view path);

}  // namespace gale::devicetree

#endif  // GALE_DEVICETREE_EDT_H_
