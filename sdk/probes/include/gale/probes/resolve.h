// Choosing the physical device a command means: by the name or serial the user gave, or, with
// none given, the one probe that can belong to the build's board. A command that could mean two
// devices refuses and lists them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "gale/probes/probe.h"

namespace gale::probes {

/// A probe serial bound to a board (the store's physical devices).
struct Binding {
  std::string serial;
  std::string name;
  std::string board;
  std::string tty;  ///< override of the probe's own tty; empty: the probe's
};

/// A resolved physical device: an attached probe and its binding, when it has one.
struct Choice {
  Probe probe;
  std::optional<Binding> binding;

  /// "bench-1 (0669FF...)" or "0669FF..." when unbound.
  std::string Label() const;
  /// The binding's tty override, else the probe's.
  std::string Tty() const;
};

/// "attached probes: 0669FF... 'bench-1' (ST-Link V2-1 at USB 1-1), ..." or "no debug probe is
/// attached", for messages.
std::string DescribeAttached(const std::vector<Probe> &attached,
                             const std::vector<Binding> &bindings);

/// The attached device named `name_or_serial` (a binding's name or serial, or the serial of an
/// attached unbound probe).
/// @retval FailedPrecondition the device is known (bound) but its probe is not attached
/// @retval NotFound nothing has that name or serial: "no device or probe 'x'; attached probes:
///         ..." (or "no debug probe is attached")
absl::StatusOr<Choice> ResolveByName(std::string_view name_or_serial,
                                     const std::vector<Probe> &attached,
                                     const std::vector<Binding> &bindings);

/// The one attached probe that can be `board`'s: probes bound to it, plus unbound probes of
/// `family` (any family when empty). Probes bound to other boards never count.
/// @retval NotFound none: "no probe for nucleo_f401re is attached; ..."
/// @retval FailedPrecondition several: the refusal lists every candidate (serial, name, USB path)
///         and says to pass --device
absl::StatusOr<Choice> ResolveForBoard(std::string_view board, std::string_view family,
                                       const std::vector<Probe> &attached,
                                       const std::vector<Binding> &bindings);

}  // namespace gale::probes
