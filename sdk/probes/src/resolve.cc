#include "gale/probes/resolve.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace gale::probes {
namespace {

const Binding *FindBinding(const std::vector<Binding> &bindings, std::string_view serial) {
  for (const Binding &binding : bindings) {
    if (!serial.empty() && binding.serial == serial) {
      return &binding;
    }
  }
  return nullptr;
}

// "0669FF... 'bench-1' at USB 1-1" for listings in messages.
std::string Describe(const Probe &probe, const Binding *binding) {
  std::string text = probe.Key();
  if (binding != nullptr && !binding->name.empty()) {
    absl::StrAppend(&text, " '", binding->name, "'");
  }
  absl::StrAppend(&text, " (", probe.description, " at USB ", probe.usb_path, ")");
  return text;
}

}  // namespace

std::string DescribeAttached(const std::vector<Probe> &attached,
                             const std::vector<Binding> &bindings) {
  if (attached.empty()) {
    return "no debug probe is attached";
  }
  std::vector<std::string> items;
  for (const Probe &probe : attached) {
    items.push_back(Describe(probe, FindBinding(bindings, probe.serial)));
  }
  return absl::StrCat("attached probes: ", absl::StrJoin(items, ", "));
}

std::string Choice::Label() const {
  if (binding && !binding->name.empty()) {
    return absl::StrCat(binding->name, " (", probe.Key(), ")");
  }
  return probe.Key();
}

std::string Choice::Tty() const {
  if (binding && !binding->tty.empty()) {
    return binding->tty;
  }
  return probe.tty;
}

absl::StatusOr<Choice> ResolveByName(std::string_view name_or_serial,
                                     const std::vector<Probe> &attached,
                                     const std::vector<Binding> &bindings) {
  const Binding *binding = nullptr;
  for (const Binding &b : bindings) {
    if (b.name == name_or_serial || b.serial == name_or_serial) {
      binding = &b;
      break;
    }
  }
  std::string_view serial = binding != nullptr ? std::string_view(binding->serial) : name_or_serial;
  for (const Probe &probe : attached) {
    if (probe.Key() == serial) {
      Choice choice{probe, std::nullopt};
      if (binding != nullptr) {
        choice.binding = *binding;
      }
      return choice;
    }
  }
  if (binding != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "device ", binding->name.empty() ? binding->serial : binding->name, " (probe ",
        binding->serial, ", board ", binding->board, ") is not attached; connect its probe (",
        DescribeAttached(attached, bindings), ")"));
  }
  return absl::NotFoundError(absl::StrCat("no device or probe '", std::string(name_or_serial),
                                          "'; ", DescribeAttached(attached, bindings)));
}

absl::StatusOr<Choice> ResolveForBoard(std::string_view board, std::string_view family,
                                       const std::vector<Probe> &attached,
                                       const std::vector<Binding> &bindings) {
  std::vector<Choice> candidates;
  for (const Probe &probe : attached) {
    const Binding *binding = FindBinding(bindings, probe.serial);
    if (binding != nullptr) {
      if (binding->board == board) {
        candidates.push_back({probe, *binding});
      }
      continue;
    }
    if (family.empty() || probe.family == family) {
      candidates.push_back({probe, std::nullopt});
    }
  }
  if (candidates.size() == 1) {
    return candidates.front();
  }
  if (candidates.empty()) {
    std::string wanted =
        family.empty() ? std::string("debug probe") : absl::StrCat(std::string(family), " probe");
    return absl::NotFoundError(absl::StrCat(
        "no probe for ", std::string(board), " is attached (looked for a ", wanted,
        " not bound to another board); connect the board, or bind its probe with `gale devices "
        "assign SERIAL --board ",
        std::string(board), " --name NAME`; ", DescribeAttached(attached, bindings)));
  }
  std::vector<std::string> items;
  for (const Choice &choice : candidates) {
    items.push_back(Describe(choice.probe, choice.binding ? &*choice.binding : nullptr));
  }
  return absl::FailedPreconditionError(
      absl::StrCat(candidates.size(), " probes could be ", std::string(board),
                   "'s: ", absl::StrJoin(items, ", "), "; pass --device NAME|SERIAL to pick one"));
}

}  // namespace gale::probes
