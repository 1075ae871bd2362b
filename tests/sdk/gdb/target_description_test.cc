// Target description parsing: register numbering across includes, attributes, malformed XML.
#include "gale/gdb/target_description.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace gale::gdb {
namespace {

using ::testing::HasSubstr;

FeatureFetcher FromMap(std::map<std::string, std::string> documents) {
  return [documents = std::move(documents)](std::string_view annex) -> absl::StatusOr<std::string> {
    auto it = documents.find(std::string(annex));
    if (it == documents.end()) {
      return absl::UnimplementedError("no such annex");
    }
    return it->second;
  };
}

// The shape of QEMU 7.2's description for a Cortex-M3 (lm3s6965evb).
constexpr char kQemuTarget[] =
    R"(<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target>)"
    R"(<architecture>arm</architecture><xi:include href="arm-m-profile.xml"/>)"
    R"(<xi:include href="system-registers.xml"/></target>)";
constexpr char kMProfile[] = R"(<?xml version="1.0"?>
<!-- Copyright notice -->
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.arm.m-profile">
  <reg name="r0" bitsize="32"/>
  <reg name="r1" bitsize="32"/>
  <reg name="r2" bitsize="32"/>
  <reg name="r3" bitsize="32"/>
  <reg name="r4" bitsize="32"/>
  <reg name="r5" bitsize="32"/>
  <reg name="r6" bitsize="32"/>
  <reg name="r7" bitsize="32"/>
  <reg name="r8" bitsize="32"/>
  <reg name="r9" bitsize="32"/>
  <reg name="r10" bitsize="32"/>
  <reg name="r11" bitsize="32"/>
  <reg name="r12" bitsize="32"/>
  <reg name="sp" bitsize="32" type="data_ptr"/>
  <reg name="lr" bitsize="32"/>
  <reg name="pc" bitsize="32" type="code_ptr"/>
  <reg name="xpsr" bitsize="32" regnum="25"/>
</feature>
)";

TEST(TargetDescriptionTest, NumbersRegistersAsGdbDoes) {
  auto description = ParseTargetDescription(
      kQemuTarget,
      FromMap({{"arm-m-profile.xml", kMProfile},
               {"system-registers.xml",
                R"(<?xml version="1.0"?><feature name="org.qemu.gdb.arm.sys.regs"></feature>)"}}));
  ASSERT_TRUE(description.ok()) << description.status();
  EXPECT_EQ(description->architecture, "arm");
  ASSERT_EQ(description->registers.size(), 17u);
  EXPECT_EQ(description->Find("r0")->number, 0);
  EXPECT_EQ(description->Find("sp")->number, 13);
  EXPECT_EQ(description->Find("SP")->type, "data_ptr");
  EXPECT_EQ(description->Find("pc")->number, 15);
  EXPECT_EQ(description->Find("xpsr")->number, 25);
  EXPECT_EQ(description->Find("xpsr")->feature, "org.gnu.gdb.arm.m-profile");
  EXPECT_EQ(description->Find("cpsr"), nullptr);
}

TEST(TargetDescriptionTest, NumberingContinuesAcrossFeaturesAndEntities) {
  auto description = ParseTargetDescription(
      R"(<target><architecture>riscv:rv32</architecture>
         <feature name='org.gnu.gdb.riscv.cpu'>
           <reg name="zero" bitsize="32" type="int" group="general"/>
           <reg name="ra" bitsize="32" type="code_ptr"/>
         </feature>
         <feature name="org.gnu.gdb.riscv.csr">
           <reg name="pc" bitsize="32" type="code_ptr" regnum="32"/>
           <reg name="a&amp;b" bitsize="64"/>
         </feature></target>)",
      FromMap({}));
  ASSERT_TRUE(description.ok()) << description.status();
  EXPECT_EQ(description->architecture, "riscv:rv32");
  EXPECT_EQ(description->Find("ra")->number, 1);
  EXPECT_EQ(description->Find("zero")->group, "general");
  EXPECT_EQ(description->Find("pc")->number, 32);
  EXPECT_EQ(description->Find("a&b")->number, 33);
  EXPECT_EQ(description->Find("a&b")->bitsize, 64);
  EXPECT_EQ(description->Find("pc")->feature, "org.gnu.gdb.riscv.csr");
}

TEST(TargetDescriptionTest, ReportsMalformedDocuments) {
  const FeatureFetcher none = FromMap({});
  auto missing_include =
      ParseTargetDescription(R"(<target><xi:include href="gone.xml"/></target>)", none);
  EXPECT_EQ(missing_include.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(missing_include.status().message()), HasSubstr("gone.xml"));

  auto no_size = ParseTargetDescription(R"(<target><reg name="r0"/></target>)", none);
  EXPECT_EQ(no_size.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_size.status().message()),
              HasSubstr("register r0 has no valid bitsize"));

  auto unterminated = ParseTargetDescription("<target><reg name=\"r0\" bitsize=\"32\"", none);
  EXPECT_THAT(std::string(unterminated.status().message()),
              HasSubstr("target.xml: unterminated tag"));

  auto bad_regnum =
      ParseTargetDescription(R"(<reg name="r0" bitsize="32" regnum="x"/>)", none, "a.xml");
  EXPECT_THAT(std::string(bad_regnum.status().message()), HasSubstr("a.xml"));

  // A document that includes itself stops at the nesting limit instead of recursing forever.
  auto loop = ParseTargetDescription(R"(<xi:include href="self.xml"/>)",
                                     FromMap({{"self.xml", R"(<xi:include href="self.xml"/>)"}}));
  EXPECT_EQ(loop.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loop.status().message()), HasSubstr("nest deeper"));
}

}  // namespace
}  // namespace gale::gdb
