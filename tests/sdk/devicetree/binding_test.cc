#include "gale/devicetree/binding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace gale::devicetree {
namespace {

using ::testing::HasSubstr;

const char kBase[] = R"(
properties:
  status:
    type: string
  compatible:
    type: string-array
  reg:
    type: array
)";

TEST(BindingTest, IncludesMergeAndTheIncluderOverrides) {
  auto set = BindingSet::LoadFromStrings({
      {"base.yaml", kBase},
      {"uart.yaml", R"(
include: base.yaml
bus: uart
properties:
  current-speed:
    type: int
    description: baud
)"},
      {"vendor,uart.yaml", R"(
description: A UART
compatible: "vendor,uart"
include: [uart.yaml]
properties:
  current-speed:
    required: true
  parity:
    type: string
    enum: ["none", "odd"]
    default: "none"
)"},
  });
  ASSERT_TRUE(set.ok()) << set.status();
  const Binding *b = set->Find("vendor,uart");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->file, "vendor,uart.yaml");
  EXPECT_EQ(b->description, "A UART");
  ASSERT_NE(b->FindProp("reg"), nullptr);
  EXPECT_EQ(b->FindProp("reg")->type, PropType::kArray);
  const PropSpec *speed = b->FindProp("current-speed");
  ASSERT_NE(speed, nullptr);
  EXPECT_EQ(speed->type, PropType::kInt);
  EXPECT_TRUE(speed->required);
  EXPECT_EQ(speed->description, "baud");
  const PropSpec *parity = b->FindProp("parity");
  ASSERT_NE(parity, nullptr);
  ASSERT_EQ(parity->enum_values.size(), 2u);
  EXPECT_EQ(std::get<std::string>(parity->enum_values[1]), "odd");
  ASSERT_TRUE(parity->default_value.has_value());
  EXPECT_EQ(BindingValueToString(*parity->default_value), "\"none\"");
  ASSERT_EQ(b->buses.size(), 1u);
  EXPECT_EQ(b->buses[0], "uart");
  // Include-only files carry no compatible and are not matchable.
  EXPECT_EQ(set->size(), 1u);
}

TEST(BindingTest, ChildBindingAndSpecifierCells) {
  auto set = BindingSet::LoadFromStrings({
      {"base.yaml", kBase},
      {"leds.yaml", R"(
compatible: "test,leds"
include: base.yaml
child-binding:
  description: one LED
  properties:
    gpios:
      type: phandle-array
      required: true
    label:
      type: string
)"},
      {"gpio.yaml", R"(
compatible: "test,gpio"
include: base.yaml
gpio-cells: [pin, flags]
interrupt-cells:
  - irq
  - priority
)"},
  });
  ASSERT_TRUE(set.ok()) << set.status();
  const Binding *leds = set->Find("test,leds");
  ASSERT_NE(leds, nullptr);
  ASSERT_NE(leds->child_binding, nullptr);
  const PropSpec *gpios = leds->child_binding->FindProp("gpios");
  ASSERT_NE(gpios, nullptr);
  EXPECT_EQ(gpios->type, PropType::kPhandleArray);
  EXPECT_TRUE(gpios->required);
  const Binding *gpio = set->Find("test,gpio");
  ASSERT_NE(gpio, nullptr);
  ASSERT_NE(gpio->FindCells("gpio"), nullptr);
  EXPECT_EQ(*gpio->FindCells("gpio"), (std::vector<std::string>{"pin", "flags"}));
  EXPECT_EQ(*gpio->FindCells("interrupt"), (std::vector<std::string>{"irq", "priority"}));
}

TEST(BindingTest, OnBusBindingIsPreferredOnItsBus) {
  auto set = BindingSet::LoadFromStrings({
      {"a.yaml", "compatible: \"x,dev\"\nproperties:\n  p:\n    type: int\n"},
      {"b.yaml", "compatible: \"x,dev\"\non-bus: spi\nproperties:\n  q:\n    type: int\n"},
  });
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->Find("x,dev")->file, "a.yaml");
  EXPECT_EQ(set->Find("x,dev", "spi")->file, "b.yaml");
  EXPECT_EQ(set->Find("x,dev", "i2c")->file, "a.yaml");
  EXPECT_EQ(set->Find("x,other"), nullptr);
}

TEST(BindingTest, ErrorsNameFileAndProblem) {
  struct Case {
    std::map<std::string, std::string> files;
    std::string expected;
  };
  const Case cases[] = {
      {{{"a.yaml", "compatible: \"x,a\"\ninclude: missing.yaml\n"}}, "missing.yaml"},
      {{{"a.yaml", "include: b.yaml\n"}, {"b.yaml", "include: a.yaml\n"}}, "include cycle"},
      {{{"a.yaml", "compatible: \"x,a\"\nproperties:\n  p:\n    type: integer\n"}},
       "unknown property type 'integer'"},
      {{{"a.yaml", "compatible: \"x,a\"\nproperties:\n  p:\n    type: int\n    requried: true\n"}},
       "unknown key 'requried' in property 'p'"},
      {{{"a.yaml", "compatible: \"x,a\"\nproperties:\n  p:\n    required: true\n"}},
       "property 'p' has no 'type:'"},
      {{{"a.yaml", "compatible: \"x,a\"\nproperties: [\n"}}, "a.yaml"},
      {{{"a.yaml", "compatible: \"x,a\"\n"}, {"b.yaml", "compatible: \"x,a\"\n"}},
       "compatible \"x,a\" has two bindings"},
  };
  for (const Case &c : cases) {
    auto set = BindingSet::LoadFromStrings(c.files);
    ASSERT_FALSE(set.ok()) << c.expected;
    EXPECT_THAT(std::string(set.status().message()), HasSubstr(c.expected));
  }
}

TEST(BindingTest, SdkBindingsLoad) {
  auto set = BindingSet::LoadFromDirs({std::string(GALE_SOURCE_DIR) + "/dts/bindings"});
  ASSERT_TRUE(set.ok()) << set.status();
  for (const char *compat :
       {"ti,stellaris-uart", "arm,cmsdk-uart", "zephyr,native-pty-uart", "arm,v7m-nvic",
        "arm,armv7m-systick", "arm,cmsdk-timer", "arm,cmsdk-dtimer", "arm,cmsdk-gpio", "gpio-leds",
        "soc-nv-flash", "mmio-sram", "simple-bus", "arm,cortex-m3"}) {
    EXPECT_NE(set->Find(compat), nullptr) << compat;
  }
  const Binding *uart = set->Find("ti,stellaris-uart");
  ASSERT_NE(uart, nullptr);
  ASSERT_NE(uart->FindProp("current-speed"), nullptr);
  EXPECT_TRUE(uart->FindProp("current-speed")->required);
  EXPECT_EQ(uart->FindProp("current-speed")->type, PropType::kInt);
  EXPECT_EQ(*set->Find("arm,v7m-nvic")->FindCells("interrupt"),
            (std::vector<std::string>{"irq", "priority"}));
  EXPECT_EQ(*set->Find("arm,cmsdk-gpio")->FindCells("gpio"),
            (std::vector<std::string>{"pin", "flags"}));
  ASSERT_NE(set->Find("gpio-leds")->child_binding, nullptr);
}

TEST(BindingTest, LaterDirectoryOverrides) {
  const std::string data = GALE_DTS_TEST_DATA_DIR;
  auto set = BindingSet::LoadFromDirs(
      {std::string(GALE_SOURCE_DIR) + "/dts/bindings", data + "/bindings", data + "/override"});
  ASSERT_TRUE(set.ok()) << set.status();
  const Binding *widget = set->Find("test,widget");
  ASSERT_NE(widget, nullptr);
  EXPECT_EQ(widget->description, "Overridden test widget");
  auto missing = BindingSet::LoadFromDirs({data + "/no-such-dir"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("no-such-dir"));
}

}  // namespace
}  // namespace gale::devicetree
