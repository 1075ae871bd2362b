// gale-dts: DTB + YAML bindings -> devicetree_generated.h, gale.dts, edt.json, dts.cmake.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gale/devicetree/binding.h"
#include "gale/devicetree/edt.h"
#include "gale/devicetree/tree.h"

namespace {

using gale::devicetree::BindingSet;
using gale::devicetree::Edt;
using gale::devicetree::Tree;

// One line per problem; multi-problem statuses carry one per line already.
int Fail(const absl::Status &status) {
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    std::cerr << "gale-dts: error: " << line << "\n";
  }
  return 1;
}

// Writes via a temporary file and rename, so a failed run never leaves a half-written output
// that a later incremental build would trust; unchanged contents keep their timestamp.
absl::Status WriteFile(const std::string &path, const std::string &contents) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (old == contents) {
        return absl::OkStatus();
      }
    }
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out) {
      return absl::PermissionDeniedError(absl::StrCat("cannot write '", tmp, "'"));
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot rename '", tmp, "' to '", path, "': ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{
      "gale-dts: validate a devicetree blob against YAML bindings and generate the "
      "DT_* macro header, the final DTS, edt.json and dts.cmake"};
  std::string dtb;
  std::vector<std::string> bindings_dirs;
  std::string header_out;
  std::string dts_out;
  std::string edt_out;
  std::string cmake_out;
  app.add_option("--dtb", dtb, "Devicetree blob from `dtc -@`")->required();
  app.add_option("--bindings-dir", bindings_dirs,
                 "Directory of *.yaml bindings (repeatable; later ones override earlier ones)")
      ->required();
  app.add_option("--header-out", header_out, "Write devicetree_generated.h here");
  app.add_option("--dts-out", dts_out, "Write the final devicetree source here");
  app.add_option("--edt-out", edt_out, "Write edt.json here");
  app.add_option("--cmake-out", cmake_out, "Write dts.cmake here");
  CLI11_PARSE(app, argc, argv);

  auto bindings = BindingSet::LoadFromDirs(bindings_dirs);
  if (!bindings.ok()) {
    return Fail(bindings.status());
  }
  auto tree = Tree::FromDtbFile(dtb);
  if (!tree.ok()) {
    return Fail(tree.status());
  }
  auto edt = Edt::Build(*std::move(tree), *bindings);
  if (!edt.ok()) {
    return Fail(edt.status());
  }
  const std::pair<const std::string *, std::string (*)(const Edt &)> outputs[] = {
      {&header_out, gale::devicetree::WriteHeader},
      {&dts_out, gale::devicetree::WriteDts},
      {&edt_out, gale::devicetree::WriteEdtJson},
      {&cmake_out, gale::devicetree::WriteCMake},
  };
  for (const auto &[path, write] : outputs) {
    if (path->empty()) {
      continue;
    }
    if (absl::Status s = WriteFile(*path, write(**edt)); !s.ok()) {
      return Fail(s);
    }
  }
  return 0;
}
