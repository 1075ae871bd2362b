#include "gale/devicetree/edt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.h"

namespace gale::devicetree {
namespace {

using ::testing::AllOf;
using testing::BuildEdt;
using ::testing::HasSubstr;

const char kUartBinding[] = R"(
compatible: "test,uart"
include: base.yaml
properties:
  reg:
    required: true
  current-speed:
    type: int
    required: true
  parity:
    type: string
    enum: ["none", "odd", "even"]
  fifo-depth:
    type: int
    default: 16
  mode:
    type: int
    const: 1
)";

const char kIntcBinding[] = R"(
compatible: "test,intc"
include: base.yaml
interrupt-cells: [irq, priority]
)";

std::string Dts(const std::string &uart_body, const std::string &extra = "") {
  return R"(/dts-v1/;
/ {
  #address-cells = <1>;
  #size-cells = <1>;
  soc {
    #address-cells = <1>;
    #size-cells = <1>;
    ranges;
    intc: intc@e000 {
      compatible = "test,intc";
      reg = <0xe000 0x100>;
      interrupt-controller;
      #interrupt-cells = <2>;
    };
    uart0: uart@1000 {
      compatible = "test,uart";
      reg = <0x1000 0x100>;
      interrupt-parent = <&intc>;
      interrupts = <5 3>;
)" + uart_body +
         R"(
    };
)" + extra +
         R"(
  };
};
)";
}

std::map<std::string, std::string> Bindings() {
  return {{"test,uart.yaml", kUartBinding}, {"test,intc.yaml", kIntcBinding}};
}

TEST(EdtTest, DecodesRegIrqsDefaultsAndEnum) {
  auto edt = BuildEdt(Dts("current-speed = <115200>; parity = \"even\";"), Bindings());
  ASSERT_TRUE(edt.ok()) << edt.status();
  const EdtNode *uart = (*edt)->FindPath("/soc/uart@1000");
  ASSERT_NE(uart, nullptr);
  EXPECT_EQ(uart->node->labels, std::vector<std::string>{"uart0"});
  ASSERT_EQ(uart->regs.size(), 1u);
  EXPECT_EQ(uart->regs[0].address, 0x1000u);
  EXPECT_EQ(uart->regs[0].size, 0x100u);
  ASSERT_EQ(uart->irqs.size(), 1u);
  EXPECT_EQ(uart->irqs[0].controller->path(), "/soc/intc@e000");
  EXPECT_EQ(uart->irqs[0].cells, (Cells{{"irq", 5}, {"priority", 3}}));
  const EdtProp *speed = uart->FindProp("current-speed");
  ASSERT_NE(speed, nullptr);
  EXPECT_EQ(speed->numbers, std::vector<uint64_t>{115200});
  const EdtProp *parity = uart->FindProp("parity");
  ASSERT_NE(parity, nullptr);
  EXPECT_EQ(parity->enum_index, 2u);
  const EdtProp *fifo = uart->FindProp("fifo-depth");
  ASSERT_NE(fifo, nullptr);
  EXPECT_TRUE(fifo->from_default);
  EXPECT_EQ(fifo->numbers, std::vector<uint64_t>{16});
  EXPECT_EQ(uart->FindProp("mode"), nullptr);
  // Ordinals: parents before children, the interrupt controller before its user.
  const EdtNode *intc = (*edt)->FindPath("/soc/intc@e000");
  EXPECT_LT(uart->parent->ord, uart->ord);
  EXPECT_LT(intc->ord, uart->ord);
  EXPECT_EQ((*edt)->FindPath("/")->ord, 0);
}

TEST(EdtTest, MissingBindingNamesNodeAndCompatible) {
  auto edt = BuildEdt(Dts("current-speed = <1>;",
                          "    spi@2000 { compatible = \"acme,spi\"; reg = <0x2000 0x10>; };\n"),
                      Bindings());
  ASSERT_FALSE(edt.ok());
  EXPECT_THAT(
      std::string(edt.status().message()),
      AllOf(HasSubstr("/soc/spi@2000: "), HasSubstr("no binding for compatible \"acme,spi\""),
            HasSubstr("dts/bindings/")));
}

TEST(EdtTest, DisabledNodeWithoutBindingIsFine) {
  auto edt = BuildEdt(Dts("current-speed = <1>;",
                          "    spi@2000 { compatible = \"acme,spi\"; status = \"disabled\"; };\n"),
                      Bindings());
  ASSERT_TRUE(edt.ok()) << edt.status();
  EXPECT_FALSE((*edt)->FindPath("/soc/spi@2000")->okay);
}

TEST(EdtTest, WrongTypeNamesNodePropertyAndType) {
  auto edt = BuildEdt(Dts("current-speed = \"fast\";"), Bindings());
  ASSERT_FALSE(edt.ok());
  EXPECT_THAT(std::string(edt.status().message()),
              AllOf(HasSubstr("/soc/uart@1000: "), HasSubstr("property 'current-speed'"),
                    HasSubstr("type int"), HasSubstr("\"fast\"")));
}

TEST(EdtTest, MissingRequiredNamesNodeAndProperty) {
  auto edt = BuildEdt(Dts(""), Bindings());
  ASSERT_FALSE(edt.ok());
  EXPECT_THAT(
      std::string(edt.status().message()),
      AllOf(HasSubstr("/soc/uart@1000: "), HasSubstr("missing required property 'current-speed'"),
            HasSubstr("test,uart.yaml")));
}

TEST(EdtTest, MissingRequiredIsFineWhenDisabled) {
  auto edt = BuildEdt(Dts("status = \"disabled\";"), Bindings());
  EXPECT_TRUE(edt.ok()) << edt.status();
}

TEST(EdtTest, BadEnumNamesNodePropertyAndAllowedValues) {
  auto edt = BuildEdt(Dts("current-speed = <1>; parity = \"odd2\";"), Bindings());
  ASSERT_FALSE(edt.ok());
  EXPECT_THAT(std::string(edt.status().message()),
              AllOf(HasSubstr("/soc/uart@1000: "), HasSubstr("property 'parity'"),
                    HasSubstr("\"odd2\""), HasSubstr("\"none\", \"odd\", \"even\"")));
}

TEST(EdtTest, ConstViolation) {
  auto edt = BuildEdt(Dts("current-speed = <1>; mode = <2>;"), Bindings());
  ASSERT_FALSE(edt.ok());
  EXPECT_THAT(std::string(edt.status().message()),
              AllOf(HasSubstr("/soc/uart@1000: "), HasSubstr("property 'mode' must be 1")));
}

TEST(EdtTest, AllErrorsAreReportedOneLineEach) {
  auto edt = BuildEdt(
      Dts("parity = <3>;", "    spi@2000 { compatible = \"acme,spi\"; reg = <0x2000 0x10>; };\n"),
      Bindings());
  ASSERT_FALSE(edt.ok());
  const std::string message(edt.status().message());
  EXPECT_THAT(message, HasSubstr("property 'parity' should be of type string"));
  EXPECT_THAT(message, HasSubstr("missing required property 'current-speed'"));
  EXPECT_THAT(message, HasSubstr("acme,spi"));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 2);
}

TEST(EdtTest, PhandleArrayCellsAndChildBinding) {
  const char kGpio[] = R"(
compatible: "test,gpio"
include: base.yaml
gpio-cells: [pin, flags]
)";
  const char kLeds[] = R"(
compatible: "test,leds"
include: base.yaml
child-binding:
  properties:
    gpios:
      type: phandle-array
      required: true
)";
  auto bindings = Bindings();
  bindings["test,gpio.yaml"] = kGpio;
  bindings["test,leds.yaml"] = kLeds;
  auto edt = BuildEdt(Dts("current-speed = <1>;", R"(
    gpio0: gpio@3000 { compatible = "test,gpio"; reg = <0x3000 0x10>; gpio-controller; #gpio-cells = <2>; };
    leds { compatible = "test,leds"; led { gpios = <&gpio0 7 1>, <&gpio0 8 0>; }; bad { }; };
)"),
                      bindings);
  ASSERT_FALSE(edt.ok());  // `bad` lacks the child binding's required gpios.
  EXPECT_THAT(std::string(edt.status().message()),
              HasSubstr("/soc/leds/bad: missing required property 'gpios'"));
}

TEST(EdtTest, PhandleArrayDecodes) {
  const char kGpio[] = "compatible: \"test,gpio\"\ninclude: base.yaml\ngpio-cells: [pin, flags]\n";
  const char kLeds[] =
      "compatible: \"test,leds\"\ninclude: base.yaml\nchild-binding:\n  properties:\n"
      "    gpios:\n      type: phandle-array\n";
  auto bindings = Bindings();
  bindings["test,gpio.yaml"] = kGpio;
  bindings["test,leds.yaml"] = kLeds;
  auto edt = BuildEdt(Dts("current-speed = <1>;", R"(
    gpio0: gpio@3000 { compatible = "test,gpio"; reg = <0x3000 0x10>; gpio-controller; #gpio-cells = <2>; };
    leds { compatible = "test,leds"; led { gpios = <&gpio0 7 1>, <&gpio0 8 0>; }; };
)"),
                      bindings);
  ASSERT_TRUE(edt.ok()) << edt.status();
  const EdtNode *led = (*edt)->FindPath("/soc/leds/led");
  ASSERT_NE(led, nullptr);
  const EdtProp *gpios = led->FindProp("gpios");
  ASSERT_NE(gpios, nullptr);
  ASSERT_EQ(gpios->phandles.size(), 2u);
  EXPECT_EQ(gpios->phandles[0].target->path(), "/soc/gpio@3000");
  EXPECT_EQ(gpios->phandles[0].cells, (Cells{{"pin", 7}, {"flags", 1}}));
  EXPECT_EQ(gpios->phandles[1].cells, (Cells{{"pin", 8}, {"flags", 0}}));
  EXPECT_LT((*edt)->FindPath("/soc/gpio@3000")->ord, led->ord);
}

TEST(EdtTest, NodeTokens) {
  EXPECT_EQ(NodeToken("/"), "GDT_N");
  EXPECT_EQ(NodeToken("/soc/uart@4000c000"), "GDT_N__soc__uart_4000c000");
  EXPECT_EQ(NodeToken("/leds/LED-0"), "GDT_N__leds__led_0");
  EXPECT_EQ(Identifier("ti,stellaris-uart"), "ti_stellaris_uart");
}

}  // namespace
}  // namespace gale::devicetree
