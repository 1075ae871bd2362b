// The raw devicetree as read from a flattened blob (DTB) with libfdt.
#ifndef GALE_DEVICETREE_TREE_H_
#define GALE_DEVICETREE_TREE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace gale::devicetree {

struct Property {
  std::string name;
  std::vector<uint8_t> value;  ///< Big-endian bytes exactly as in the blob.
};

struct Node {
  std::string name;  ///< Full name with unit address (`uart@4000c000`); empty for the root.
  std::string path;  ///< `/soc/uart@4000c000`; `/` for the root.
  Node *parent = nullptr;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<Property> props;      ///< In blob order.
  std::vector<std::string> labels;  ///< From `/__symbols__` (needs `dtc -@`).
  uint32_t phandle = 0;             ///< 0 when the node has none.

  const Property *FindProp(absl::string_view prop_name) const;
};

/// Reads the big-endian cell at `index` (no bounds check beyond the caller's).
uint32_t ReadCell(const std::vector<uint8_t> &bytes, size_t index);

class Tree {
 public:
  /// Parses a DTB. `/__symbols__`, `/__fixups__` and `/__local_fixups__` are consumed (labels)
  /// and left out of the tree.
  static absl::StatusOr<Tree> FromDtb(const std::vector<uint8_t> &blob);
  static absl::StatusOr<Tree> FromDtbFile(const std::string &path);

  const Node &root() const { return *root_; }
  const Node *FindPath(absl::string_view path) const;
  const Node *FindPhandle(uint32_t phandle) const;
  /// Nodes in depth-first pre-order (root first).
  const std::vector<const Node *> &nodes() const { return nodes_; }

 private:
  std::unique_ptr<Node> root_;
  std::vector<const Node *> nodes_;
  std::map<std::string, const Node *, std::less<>> by_path_;
  std::map<uint32_t, const Node *> by_phandle_;
};

}  // namespace gale::devicetree

#endif  // GALE_DEVICETREE_TREE_H_
