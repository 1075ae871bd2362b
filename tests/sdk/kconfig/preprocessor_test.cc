// Preprocessor: variable flavours, environment, built-in and devicetree functions.
#include "gale/kconfig/dt_info.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_util.h"

namespace gale::kconfig {
namespace {

using ::testing::HasSubstr;
using testing::LoadText;

LoadOptions Hermetic(std::map<std::string, std::string> env = {}) {
  LoadOptions options;
  options.env = std::move(env);
  options.use_process_env = false;
  return options;
}

TEST(PreprocessorTest, RecursiveSimpleAndAppendVariables) {
  auto loaded = LoadText(R"kc(
A := one
REC = $(A)-$(LATER)
SIMPLE := $(A)-$(LATER)
LATER := two
APP = x
APP += $(A)
IMM := y
IMM += $(LATER)
config REC_V
	def_string "$(REC)"
config SIMPLE_V
	def_string "$(SIMPLE)"
config APP_V
	def_string "$(APP)"
config IMM_V
	def_string "$(IMM)"
)kc",
                         {}, Hermetic());
  EXPECT_EQ(loaded.Value("REC_V"), "one-two");
  EXPECT_EQ(loaded.Value("SIMPLE_V"), "one-");
  EXPECT_EQ(loaded.Value("APP_V"), "x one");
  EXPECT_EQ(loaded.Value("IMM_V"), "y two");
}

TEST(PreprocessorTest, EnvironmentAndUserFunctions) {
  auto loaded = LoadText(R"kc(
pair = <$(1),$(2)>
config ENV_V
	def_string "$(MY_ENV)/x"
config MISSING_V
	def_string "[$(NOT_SET)]"
config FN_V
	def_string "$(pair,a,b)"
config DOLLAR_ENV
	def_string "$MY_ENV"
)kc",
                         {}, Hermetic({{"MY_ENV", "env"}}));
  EXPECT_EQ(loaded.Value("ENV_V"), "env/x");
  EXPECT_EQ(loaded.Value("MISSING_V"), "[]");
  EXPECT_EQ(loaded.Value("FN_V"), "<a,b>");
  EXPECT_EQ(loaded.Value("DOLLAR_ENV"), "env");
}

TEST(PreprocessorTest, BuiltinFunctions) {
  auto loaded = LoadText(R"kc(
$(info,hello from kconfig)
$(warning-if,y,careful)
$(warning-if,n,silent)
config LINE
	def_string "$(lineno)"
config SHELL
	def_string "$(shell,printf 'a\nb\n')"
config FILE
	def_string "$(filename)"
config NAME_$(shell,echo X)
	def_bool y
)kc",
                         {}, Hermetic());
  EXPECT_EQ(loaded.Value("LINE"), "6");
  EXPECT_EQ(loaded.Value("SHELL"), "a b");
  EXPECT_THAT(loaded.Value("FILE"), HasSubstr("/Kconfig"));
  EXPECT_EQ(loaded.Value("NAME_X"), "y");
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("Kconfig:2: note: hello from kconfig"));
  EXPECT_THAT(loaded.Diagnostics(), HasSubstr("Kconfig:3: warning: careful"));
  EXPECT_THAT(loaded.Diagnostics(), ::testing::Not(HasSubstr("silent")));
}

TEST(PreprocessorTest, ArgumentsAreSplitBeforeExpansion) {
  auto loaded = LoadText(R"kc(
COMMA_VALUE := a,b
first = $(1)
config V
	def_string "$(first,$(COMMA_VALUE))"
)kc",
                         {}, Hermetic());
  EXPECT_EQ(loaded.Value("V"), "a,b");
}

constexpr char kEdt[] = R"kc({"nodes": [
  {"path": "/soc/uart@4000c000", "labels": ["uart0"], "compatible": ["ti,stellaris-uart"],
   "okay": true, "reg": [[1073790976, 4096]], "props": {"current-speed": 115200}},
  {"path": "/soc/uart@4000d000", "labels": ["uart1"], "compatible": ["ns16550"], "okay": false,
   "reg": [[1073795072, 4096]], "props": {}},
  {"path": "/memory@20000000", "labels": ["sram0"], "compatible": ["mmio-sram"], "okay": true,
   "reg": [[536870912, 65536]], "props": {}},
  {"path": "/leds/led_0", "labels": ["led0"], "compatible": ["gpio-leds"], "okay": true}],
 "chosen": {"zephyr,console": "/soc/uart@4000c000", "zephyr,sram": "/memory@20000000"},
 "aliases": {"led0": "/leds/led_0"}})kc";

constexpr char kDtKconfig[] = R"kc(
DT_COMPAT_STELLARIS := ti,stellaris-uart
CONSOLE := zephyr,console
SRAM := zephyr,sram
config COMPAT
	def_bool $(dt_compat_enabled,$(DT_COMPAT_STELLARIS))
config COMPAT_DISABLED
	def_bool $(dt_compat_enabled,ns16550)
config CHOSEN
	def_bool $(dt_chosen_enabled,$(CONSOLE))
config LABEL
	def_bool $(dt_nodelabel_enabled,uart0)
config LABEL_OFF
	def_bool $(dt_nodelabel_enabled,uart1)
config PATH
	def_bool $(dt_path_enabled,/leds/led_0)
config ALIAS
	def_bool $(dt_alias_enabled,led0)
config SRAM_ADDR
	def_hex $(dt_chosen_reg_addr_hex,$(SRAM))
config SRAM_ADDR_INT
	def_int $(dt_chosen_reg_addr_int,$(SRAM))
config SRAM_SIZE_K
	def_int $(dt_chosen_reg_size_int,$(SRAM),0,K)
config SRAM_SIZE_HEX
	def_hex $(dt_chosen_reg_size_hex,$(SRAM))
config UART_ADDR
	def_hex $(dt_nodelabel_reg_addr_hex,uart0)
config UART_SIZE
	def_hex $(dt_nodelabel_reg_size_hex,uart0)
config SPEED
	def_int $(dt_node_int_prop_int,/soc/uart@4000c000,current-speed)
config HAS_SPEED
	def_bool $(dt_nodelabel_has_prop,uart0,current-speed)
config HAS_FOO
	def_bool $(dt_nodelabel_has_prop,uart0,foo)
)kc";

TEST(PreprocessorTest, DevicetreeFunctions) {
  absl::StatusOr<DtInfo> dt = DtInfo::Parse(kEdt);
  ASSERT_TRUE(dt.ok()) << dt.status();
  LoadOptions options = Hermetic();
  options.dt_info = &*dt;
  auto loaded = LoadText(kDtKconfig, {}, options);
  EXPECT_EQ(loaded.Value("COMPAT"), "y");
  EXPECT_EQ(loaded.Value("COMPAT_DISABLED"), "n");
  EXPECT_EQ(loaded.Value("CHOSEN"), "y");
  EXPECT_EQ(loaded.Value("LABEL"), "y");
  EXPECT_EQ(loaded.Value("LABEL_OFF"), "n");
  EXPECT_EQ(loaded.Value("PATH"), "y");
  EXPECT_EQ(loaded.Value("ALIAS"), "y");
  EXPECT_EQ(loaded.Value("SRAM_ADDR"), "0x20000000");
  EXPECT_EQ(loaded.Value("SRAM_ADDR_INT"), "536870912");
  EXPECT_EQ(loaded.Value("SRAM_SIZE_K"), "64");
  EXPECT_EQ(loaded.Value("SRAM_SIZE_HEX"), "0x10000");
  EXPECT_EQ(loaded.Value("UART_ADDR"), "0x4000c000");
  EXPECT_EQ(loaded.Value("UART_SIZE"), "0x1000");
  EXPECT_EQ(loaded.Value("SPEED"), "115200");
  EXPECT_EQ(loaded.Value("HAS_SPEED"), "y");
  EXPECT_EQ(loaded.Value("HAS_FOO"), "n");
}

TEST(PreprocessorTest, DevicetreeFunctionsWithoutDevicetree) {
  auto loaded = LoadText(kDtKconfig, {}, Hermetic());
  EXPECT_EQ(loaded.Value("COMPAT"), "n");
  EXPECT_EQ(loaded.Value("CHOSEN"), "n");
  EXPECT_EQ(loaded.Value("SRAM_ADDR"), "0x0");
  EXPECT_EQ(loaded.Value("SPEED"), "0");
}

TEST(PreprocessorTest, MalformedEdtJsonIsAnError) {
  EXPECT_FALSE(DtInfo::Parse("{not json").ok());
  EXPECT_EQ(DtInfo::LoadFile("/nonexistent/edt.json").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gale::kconfig
