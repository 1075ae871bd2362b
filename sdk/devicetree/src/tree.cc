#include "gale/devicetree/tree.h"

extern "C" {
#include <libfdt.h>
}

#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gale::devicetree {
namespace {

bool IsOverlayBookkeeping(absl::string_view name) {
  return name == "__symbols__" || name == "__fixups__" || name == "__local_fixups__";
}

absl::Status FdtError(absl::string_view what, int err) {
  return absl::InvalidArgumentError(absl::StrCat("invalid DTB: ", what, ": ", fdt_strerror(err)));
}

absl::Status ReadNode(const void *fdt, int offset, Node &node) {
  int prop_offset = 0;
  fdt_for_each_property_offset(prop_offset, fdt, offset) {
    const char *name = nullptr;
    int len = 0;
    const void *data = fdt_getprop_by_offset(fdt, prop_offset, &name, &len);
    if (data == nullptr) {
      return FdtError(absl::StrCat("property in ", node.path), len);
    }
    const auto *bytes = static_cast<const uint8_t *>(data);
    node.props.push_back(Property{name, std::vector<uint8_t>(bytes, bytes + len)});
  }
  if (prop_offset < 0 && prop_offset != -FDT_ERR_NOTFOUND) {
    return FdtError(absl::StrCat("properties of ", node.path), prop_offset);
  }
  if (const Property *ph = node.FindProp("phandle"); ph != nullptr && ph->value.size() == 4) {
    node.phandle = ReadCell(ph->value, 0);
  }
  int child = 0;
  fdt_for_each_subnode(child, fdt, offset) {
    int len = 0;
    const char *name = fdt_get_name(fdt, child, &len);
    if (name == nullptr) {
      return FdtError(absl::StrCat("child of ", node.path), len);
    }
    auto sub = std::make_unique<Node>();
    sub->name = std::string(name, len);
    sub->path = node.path == "/" ? "/" + sub->name : node.path + "/" + sub->name;
    sub->parent = &node;
    if (absl::Status s = ReadNode(fdt, child, *sub); !s.ok()) {
      return s;
    }
    node.children.push_back(std::move(sub));
  }
  if (child < 0 && child != -FDT_ERR_NOTFOUND) {
    return FdtError(absl::StrCat("children of ", node.path), child);
  }
  return absl::OkStatus();
}

void Index(const Node &node, std::vector<const Node *> &out) {
  out.push_back(&node);
  for (const auto &child : node.children) {
    Index(*child, out);
  }
}

}  // namespace

uint32_t ReadCell(const std::vector<uint8_t> &bytes, size_t index) {
  const size_t i = index * 4;
  return (uint32_t{bytes[i]} << 24) | (uint32_t{bytes[i + 1]} << 16) |
         (uint32_t{bytes[i + 2]} << 8) | uint32_t{bytes[i + 3]};
}

const Property *Node::FindProp(absl::string_view prop_name) const {
  for (const Property &prop : props) {
    if (prop.name == prop_name) {
      return &prop;
    }
  }
  return nullptr;
}

absl::StatusOr<Tree> Tree::FromDtb(const std::vector<uint8_t> &blob) {
  if (blob.size() < sizeof(fdt_header)) {
    return absl::InvalidArgumentError("invalid DTB: shorter than an FDT header");
  }
  const void *fdt = blob.data();
  if (int err = fdt_check_full(fdt, blob.size()); err != 0) {
    return FdtError("header check", err);
  }
  Tree tree;
  tree.root_ = std::make_unique<Node>();
  tree.root_->path.assign(1, '/');  // Not = "/": GCC 12 -Wrestrict false positive.
  int root = fdt_path_offset(fdt, "/");
  if (root < 0) {
    return FdtError("root node", root);
  }
  if (absl::Status s = ReadNode(fdt, root, *tree.root_); !s.ok()) {
    return s;
  }
  // Pull the bookkeeping nodes out of the tree; keep /__symbols__ for labels.
  std::unique_ptr<Node> symbols;
  auto &kids = tree.root_->children;
  for (auto it = kids.begin(); it != kids.end();) {
    if (IsOverlayBookkeeping((*it)->name)) {
      if ((*it)->name == "__symbols__") {
        symbols = std::move(*it);
      }
      it = kids.erase(it);
    } else {
      ++it;
    }
  }
  Index(*tree.root_, tree.nodes_);
  for (const Node *node : tree.nodes_) {
    tree.by_path_[node->path] = node;
    if (node->phandle != 0) {
      tree.by_phandle_[node->phandle] = node;
    }
  }
  if (symbols) {
    for (const Property &prop : symbols->props) {
      std::string target(prop.value.begin(), prop.value.end());
      while (!target.empty() && target.back() == '\0') {
        target.pop_back();
      }
      if (const Node *node = tree.FindPath(target)) {
        const_cast<Node *>(node)->labels.push_back(prop.name);
      }
    }
  }
  return tree;
}

absl::StatusOr<Tree> Tree::FromDtbFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open DTB '", path, "'"));
  }
  std::vector<uint8_t> blob((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto tree = FromDtb(blob);
  if (!tree.ok()) {
    return absl::Status(tree.status().code(), absl::StrCat(path, ": ", tree.status().message()));
  }
  return tree;
}

const Node *Tree::FindPath(absl::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

const Node *Tree::FindPhandle(uint32_t phandle) const {
  auto it = by_phandle_.find(phandle);
  return it == by_phandle_.end() ? nullptr : it->second;
}

}  // namespace gale::devicetree
