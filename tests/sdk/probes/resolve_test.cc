// Which physical device a command means: by name or serial, or the one probe a board can have.
#include "gale/probes/resolve.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace gale::probes {
namespace {

Probe MakeProbe(std::string serial, std::string family, std::string usb_path) {
  Probe p;
  p.serial = std::move(serial);
  p.family = std::move(family);
  p.description = p.family == "stlink" ? "ST-Link V2-1" : "J-Link";
  p.usb_path = std::move(usb_path);
  p.tty = "/dev/ttyACM0";
  return p;
}

const Probe kS1 = MakeProbe("S1", "stlink", "1-1");
const Probe kS2 = MakeProbe("S2", "stlink", "1-2");
const Probe kJ1 = MakeProbe("J1", "jlink", "1-3");

TEST(ResolveForBoardTest, TheOnlyProbeOfTheBoardsFamily) {
  absl::StatusOr<Choice> c = ResolveForBoard("nucleo_f401re", "stlink", {kS1, kJ1}, {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->probe.serial, "S1");
  EXPECT_FALSE(c->binding.has_value());
  EXPECT_EQ(c->Label(), "S1");
}

TEST(ResolveForBoardTest, TwoCandidatesAreRefusedAndListed) {
  absl::StatusOr<Choice> c = ResolveForBoard("nucleo_f401re", "stlink", {kS1, kS2, kJ1}, {});
  ASSERT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string m(c.status().message());
  EXPECT_TRUE(absl::StrContains(m, "S1")) << m;
  EXPECT_TRUE(absl::StrContains(m, "1-1")) << m;
  EXPECT_TRUE(absl::StrContains(m, "S2")) << m;
  EXPECT_TRUE(absl::StrContains(m, "1-2")) << m;
  EXPECT_FALSE(absl::StrContains(m, "J1")) << m;
  EXPECT_TRUE(absl::StrContains(m, "--device")) << m;
}

TEST(ResolveForBoardTest, ProbesBoundElsewhereDoNotCount) {
  std::vector<Binding> bindings = {{"S2", "other", "nrf52840dk", ""}};
  absl::StatusOr<Choice> c = ResolveForBoard("nucleo_f401re", "stlink", {kS1, kS2}, bindings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->probe.serial, "S1");
}

TEST(ResolveForBoardTest, BoundProbeOfTheBoardCountsWithItsName) {
  std::vector<Binding> bindings = {{"J1", "bench-1", "nucleo_f401re", "/dev/ttyUSB9"}};
  // J1 is bound to the board although the board's family is stlink; S1 is an unbound candidate.
  absl::StatusOr<Choice> c = ResolveForBoard("nucleo_f401re", "stlink", {kS1, kJ1}, bindings);
  ASSERT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(c.status().message(), "bench-1"));
  c = ResolveForBoard("nucleo_f401re", "stlink", {kJ1}, bindings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->Label(), "bench-1 (J1)");
  EXPECT_EQ(c->Tty(), "/dev/ttyUSB9");
}

TEST(ResolveForBoardTest, NoneIsAnErrorNamingTheBoard) {
  absl::StatusOr<Choice> c = ResolveForBoard("nucleo_f401re", "stlink", {kJ1}, {});
  ASSERT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  std::string m(c.status().message());
  EXPECT_TRUE(absl::StartsWith(m, "no probe for nucleo_f401re is attached")) << m;
  EXPECT_TRUE(absl::StrContains(m, "gale devices assign")) << m;
  EXPECT_TRUE(absl::StrContains(m, "J1")) << m;
}

TEST(ResolveForBoardTest, AnyFamilyWhenTheBoardNamesNone) {
  absl::StatusOr<Choice> c = ResolveForBoard("custom", "", {kJ1}, {});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->probe.serial, "J1");
}

TEST(ResolveByNameTest, ByNameOrSerial) {
  std::vector<Binding> bindings = {{"S1", "bench-1", "nucleo_f401re", ""}};
  absl::StatusOr<Choice> c = ResolveByName("bench-1", {kS1, kS2}, bindings);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->probe.serial, "S1");
  ASSERT_TRUE(c->binding.has_value());
  EXPECT_EQ(c->binding->board, "nucleo_f401re");
  EXPECT_EQ(c->Label(), "bench-1 (S1)");
  EXPECT_EQ(c->Tty(), "/dev/ttyACM0");

  c = ResolveByName("S1", {kS1, kS2}, bindings);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->binding->name, "bench-1");

  c = ResolveByName("S2", {kS1, kS2}, bindings);  // attached, unbound
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->binding.has_value());
}

TEST(ResolveByNameTest, BoundButAbsent) {
  std::vector<Binding> bindings = {{"S9", "bench-9", "nucleo_f401re", ""}};
  absl::StatusOr<Choice> c = ResolveByName("bench-9", {kS1}, bindings);
  ASSERT_EQ(c.status().code(), absl::StatusCode::kFailedPrecondition);
  std::string m(c.status().message());
  EXPECT_TRUE(absl::StrContains(m, "bench-9")) << m;
  EXPECT_TRUE(absl::StrContains(m, "S9")) << m;
  EXPECT_TRUE(absl::StrContains(m, "not attached")) << m;
}

TEST(ResolveByNameTest, UnknownListsTheAttachedProbes) {
  absl::StatusOr<Choice> c = ResolveByName("nope", {kS1}, {});
  ASSERT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(c.status().message(), "'nope'"));
  EXPECT_TRUE(absl::StrContains(c.status().message(), "S1"));
  c = ResolveByName("nope", {}, {});
  EXPECT_TRUE(absl::StrContains(c.status().message(), "no debug probe is attached"));
}

}  // namespace
}  // namespace gale::probes
