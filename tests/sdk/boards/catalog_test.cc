#include "gale/boards/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gale::boards {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A throw-away tree under the test's temporary folder.
class TempTree {
 public:
  TempTree() {
    root_ = fs::path(::testing::TempDir()) /
            ("boards_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }

  void Write(const std::string &relative, const std::string &text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::string root() const { return root_.string(); }

 private:
  fs::path root_;
};

std::string BoardYaml(const std::string &name, const std::string &extra = "") {
  return "board:\n  name: " + name + "\n  arch: arm\n  soc: lm3s6965\n" + extra;
}

TEST(CatalogTest, LoadsTheTreesBoards) {
  absl::StatusOr<Catalog> catalog = Catalog::Load(GALE_SOURCE_DIR);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  std::vector<std::string> names;
  for (const Board &board : catalog->boards()) {
    names.push_back(board.name);
  }
  EXPECT_THAT(names, ::testing::ElementsAre("bbc_microbit", "hifive1", "mps2_an385", "mps2_an386",
                                           "native_sim", "netduino_plus2", "nrf52840dk",
                                           "nucleo_f401re", "qemu_cortex_m3", "qemu_riscv32"));

  absl::StatusOr<Board> m3 = catalog->Find("qemu_cortex_m3");
  ASSERT_TRUE(m3.ok()) << m3.status();
  EXPECT_EQ(m3->arch, "arm");
  EXPECT_EQ(m3->soc, "lm3s6965");
  EXPECT_EQ(m3->cpu, "cortex-m3");
  EXPECT_EQ(m3->vendor, "qemu");
  EXPECT_EQ(m3->emulator, "qemu");
  EXPECT_EQ(m3->qemu_machine, "lm3s6965evb");
  EXPECT_EQ(m3->ram_kb, 64u);
  EXPECT_EQ(m3->flash_kb, 256u);
  EXPECT_THAT(m3->full_name, HasSubstr("LM3S6965"));
  EXPECT_TRUE(fs::path(m3->dir).is_absolute());
  EXPECT_TRUE(fs::exists(fs::path(m3->dir) / "qemu_cortex_m3.dts"));

  absl::StatusOr<Board> native = catalog->Find("native_sim");
  ASSERT_TRUE(native.ok());
  EXPECT_EQ(native->arch, "posix");
  EXPECT_EQ(native->emulator, "native");
  EXPECT_EQ(native->qemu_machine, "");

  absl::StatusOr<Board> netduino = catalog->Find("netduino_plus2");
  ASSERT_TRUE(netduino.ok()) << netduino.status();
  EXPECT_EQ(netduino->soc, "stm32f405");
  EXPECT_EQ(netduino->qemu_machine, "netduinoplus2");
  EXPECT_EQ(netduino->flash_kb, 1024u);
  EXPECT_EQ(netduino->ram_kb, 128u);
  EXPECT_TRUE(netduino->openocd.empty());

  // A hardware-only board: no emulator, OpenOCD through the on-board ST-Link.
  absl::StatusOr<Board> nucleo = catalog->Find("nucleo_f401re");
  ASSERT_TRUE(nucleo.ok()) << nucleo.status();
  EXPECT_EQ(nucleo->soc, "stm32f401");
  EXPECT_EQ(nucleo->emulator, "");
  EXPECT_EQ(nucleo->flash_kb, 512u);
  EXPECT_EQ(nucleo->ram_kb, 96u);
  EXPECT_THAT(nucleo->openocd.configs,
              ::testing::ElementsAre("interface/stlink.cfg", "target/stm32f4x.cfg"));
  EXPECT_EQ(nucleo->openocd.transport, "hla_swd");
  EXPECT_EQ(nucleo->openocd.adapter_speed_khz, 2000u);
  EXPECT_EQ(nucleo->openocd.probe, "stlink");

  // Emulated, and a real board too: OpenOCD through the micro:bit's CMSIS-DAP interface chip.
  absl::StatusOr<Board> microbit = catalog->Find("bbc_microbit");
  ASSERT_TRUE(microbit.ok()) << microbit.status();
  EXPECT_EQ(microbit->soc, "nrf51822");
  EXPECT_EQ(microbit->cpu, "cortex-m0");
  EXPECT_EQ(microbit->qemu_machine, "microbit");
  EXPECT_EQ(microbit->flash_kb, 256u);
  EXPECT_EQ(microbit->ram_kb, 16u);
  EXPECT_THAT(microbit->openocd.configs,
              ::testing::ElementsAre("interface/cmsis-dap.cfg", "target/nrf51.cfg"));
  EXPECT_EQ(microbit->openocd.transport, "swd");
  EXPECT_EQ(microbit->openocd.probe, "cmsis-dap");

  // A hardware-only board: no emulator, OpenOCD through the on-board J-Link OB.
  absl::StatusOr<Board> dk = catalog->Find("nrf52840dk");
  ASSERT_TRUE(dk.ok()) << dk.status();
  EXPECT_EQ(dk->soc, "nrf52840");
  EXPECT_EQ(dk->emulator, "");
  EXPECT_EQ(dk->flash_kb, 1024u);
  EXPECT_EQ(dk->ram_kb, 256u);
  EXPECT_THAT(dk->openocd.configs,
              ::testing::ElementsAre("interface/jlink.cfg", "target/nrf52.cfg"));
  EXPECT_EQ(dk->openocd.transport, "swd");
  EXPECT_EQ(dk->openocd.adapter_speed_khz, 4000u);
  EXPECT_EQ(dk->openocd.probe, "jlink");

  // RISC-V: QEMU's virt machine, and the HiFive1, emulated and real (its J-Link OB).
  absl::StatusOr<Board> rv = catalog->Find("qemu_riscv32");
  ASSERT_TRUE(rv.ok()) << rv.status();
  EXPECT_EQ(rv->arch, "riscv");
  EXPECT_EQ(rv->emulator, "qemu");
  EXPECT_EQ(rv->qemu_machine, "virt");
  absl::StatusOr<Board> hifive1 = catalog->Find("hifive1");
  ASSERT_TRUE(hifive1.ok()) << hifive1.status();
  EXPECT_EQ(hifive1->arch, "riscv");
  EXPECT_EQ(hifive1->soc, "fe310");
  EXPECT_EQ(hifive1->qemu_machine, "sifive_e");
  EXPECT_EQ(hifive1->ram_kb, 16u);
  EXPECT_THAT(hifive1->openocd.configs,
              ::testing::ElementsAre("interface/jlink.cfg", "fe310-g002.cfg"));
  EXPECT_EQ(hifive1->openocd.transport, "jtag");
  EXPECT_EQ(hifive1->openocd.probe, "jlink");
}

TEST(CatalogTest, QualifiedNamesFindTheFolderName) {
  absl::StatusOr<Catalog> catalog = Catalog::Load(GALE_SOURCE_DIR);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  absl::StatusOr<Board> board = catalog->Find("mps2/an385");
  ASSERT_TRUE(board.ok()) << board.status();
  EXPECT_EQ(board->name, "mps2_an385");
}

TEST(CatalogTest, UnknownBoardNamesItAndListsTheKnownOnes) {
  absl::StatusOr<Catalog> catalog = Catalog::Load(GALE_SOURCE_DIR);
  ASSERT_TRUE(catalog.ok());
  absl::StatusOr<Board> board = catalog->Find("no_such_board");
  ASSERT_FALSE(board.ok());
  EXPECT_EQ(board.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(board.status().message(),
            "unknown board 'no_such_board'; known boards: bbc_microbit, hifive1, mps2_an385, "
            "mps2_an386, native_sim, netduino_plus2, nrf52840dk, nucleo_f401re, qemu_cortex_m3, "
            "qemu_riscv32");
}

TEST(CatalogTest, NotAGaleTree) {
  TempTree tree;
  absl::StatusOr<Catalog> catalog = Catalog::Load(tree.root());
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(catalog.status().message(), HasSubstr(tree.root()));
}

TEST(CatalogTest, FindsBoardsAtAnyDepthSortedByName) {
  TempTree tree;
  tree.Write("boards/acme/zeta/board.yaml", BoardYaml("zeta"));
  tree.Write("boards/acme/family/alpha/board.yaml",
             BoardYaml("alpha", "  emulator: qemu\n  qemu_machine: virt\n  ram_kb: 16\n"));
  absl::StatusOr<Catalog> catalog = Catalog::Load(tree.root());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_EQ(catalog->boards().size(), 2u);
  EXPECT_EQ(catalog->boards()[0].name, "alpha");
  EXPECT_EQ(catalog->boards()[0].ram_kb, 16u);
  EXPECT_EQ(catalog->boards()[0].flash_kb, 0u);
  EXPECT_EQ(catalog->boards()[1].name, "zeta");
}

// Each malformed file is an error that names the file and the problem.
struct MalformedCase {
  const char *yaml;
  const char *expected;
};

class MalformedBoardTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedBoardTest, ErrorNamesTheFile) {
  TempTree tree;
  tree.Write("boards/acme/widget/board.yaml", GetParam().yaml);
  absl::StatusOr<Catalog> catalog = Catalog::Load(tree.root());
  ASSERT_FALSE(catalog.ok()) << "accepted:\n" << GetParam().yaml;
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(catalog.status().message(),
              HasSubstr(tree.root() + "/boards/acme/widget/board.yaml"));
  EXPECT_THAT(catalog.status().message(), HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedBoardTest,
    ::testing::Values(
        MalformedCase{"board:\n  name: widget\n   arch: [arm\n", "not valid YAML"},
        MalformedCase{"name: widget\n", "no 'board:' mapping"},
        MalformedCase{"board: widget\n", "'board:' must be a mapping"},
        MalformedCase{"board:\n  name: widget\n  soc: x\n", "no 'arch' key"},
        MalformedCase{"board:\n  arch: arm\n  soc: x\n", "no 'name' key"},
        MalformedCase{"board:\n  name: gadget\n  arch: arm\n  soc: x\n",
                      "named 'gadget' but its folder is 'widget'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\n  ram: 4\n",
                      "unknown key 'ram'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\n  ram_kb: lots\n",
                      "'ram_kb' must be a whole number of KiB, not 'lots'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\n  flash_kb: -1\n",
                      "'flash_kb' must be a whole number"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\n  emulator: renode\n",
                      "'emulator' must be 'qemu' or 'native'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\n  emulator: qemu\n",
                      "needs 'qemu_machine'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: [x, y]\n",
                      "'soc' must be a single value"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\nrunner: openocd\n",
                      "unknown top-level key 'runner'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\nopenocd:\n  transport: swd\n",
                      "'openocd:' needs 'configs'"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\nopenocd:\n  configs: a.cfg\n",
                      "'openocd: configs' must be a non-empty list"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\nopenocd:\n  configs: [a.cfg]\n"
                      "  adapter_speed_khz: fast\n",
                      "'openocd: adapter_speed_khz' must be a whole number of kHz"},
        MalformedCase{"board:\n  name: widget\n  arch: arm\n  soc: x\nopenocd:\n  configs: [a.cfg]\n"
                      "  speed: 4\n",
                      "unknown key 'speed' under 'openocd:'"}));

TEST(CatalogTest, ReadsOpenOcdSettings) {
  TempTree tree;
  tree.Write("boards/acme/widget/board.yaml",
             BoardYaml("widget", "openocd:\n  configs: [interface/stlink.cfg, target/stm32f4x.cfg]\n"
                                 "  transport: hla_swd\n  adapter_speed_khz: 2000\n  probe: stlink\n"));
  tree.Write("boards/acme/plain/board.yaml", BoardYaml("plain"));
  absl::StatusOr<Catalog> catalog = Catalog::Load(tree.root());
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  absl::StatusOr<Board> widget = catalog->Find("widget");
  ASSERT_TRUE(widget.ok());
  EXPECT_THAT(widget->openocd.configs,
              ::testing::ElementsAre("interface/stlink.cfg", "target/stm32f4x.cfg"));
  EXPECT_EQ(widget->openocd.transport, "hla_swd");
  EXPECT_EQ(widget->openocd.adapter_speed_khz, 2000u);
  EXPECT_EQ(widget->openocd.probe, "stlink");
  EXPECT_TRUE(catalog->Find("plain")->openocd.empty());
}

TEST(CatalogTest, DuplicateNamesNameBothFiles) {
  TempTree tree;
  tree.Write("boards/acme/widget/board.yaml", BoardYaml("widget"));
  tree.Write("boards/other/widget/board.yaml", BoardYaml("widget"));
  absl::StatusOr<Catalog> catalog = Catalog::Load(tree.root());
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(catalog.status().message(), HasSubstr("two boards are named 'widget'"));
  EXPECT_THAT(catalog.status().message(),
              HasSubstr(tree.root() + "/boards/acme/widget/board.yaml"));
  EXPECT_THAT(catalog.status().message(),
              HasSubstr(tree.root() + "/boards/other/widget/board.yaml"));
}

TEST(CatalogTest, EarlierRootsHideLaterOnes) {
  TempTree app;
  app.Write("boards/mine/qemu_cortex_m3/board.yaml",
            BoardYaml("qemu_cortex_m3", "  full_name: my own\n"));
  app.Write("boards/mine/custom/board.yaml", BoardYaml("custom"));
  absl::StatusOr<Catalog> catalog =
      Catalog::LoadRoots({app.root(), app.root() + "/no_such_root", GALE_SOURCE_DIR});
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  // The tree's boards, with qemu_cortex_m3 replaced, plus custom.
  absl::StatusOr<Catalog> tree_only = Catalog::Load(GALE_SOURCE_DIR);
  ASSERT_TRUE(tree_only.ok()) << tree_only.status();
  EXPECT_EQ(catalog->boards().size(), tree_only->boards().size() + 1);
  absl::StatusOr<Board> m3 = catalog->Find("qemu_cortex_m3");
  ASSERT_TRUE(m3.ok());
  EXPECT_EQ(m3->full_name, "my own");
  EXPECT_TRUE(catalog->Find("custom").ok());
  EXPECT_TRUE(catalog->Find("native_sim").ok());
}

}  // namespace
}  // namespace gale::boards
