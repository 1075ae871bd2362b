#include "format.h"

#include <gtest/gtest.h>

namespace gale::cli {
namespace {

TEST(Table, AlignsColumnsWithoutTrailingSpaces) {
  Table table({"ID", "STATE", "NOTE"});
  table.AddRow({"emu-qemu_cortex_m3-1", "running", ""});
  table.AddRow({"x", "halted", "long note"});
  EXPECT_EQ(table.Render(),
            "ID                    STATE    NOTE\n"
            "emu-qemu_cortex_m3-1  running\n"
            "x                     halted   long note\n");
}

TEST(Format, Seconds) {
  EXPECT_EQ(FormatSeconds(0.004), "0.00 s");
  EXPECT_EQ(FormatSeconds(2.5), "2.50 s");
  EXPECT_EQ(FormatSeconds(75), "1m 15s");
  EXPECT_EQ(FormatSeconds(3725), "1h 2m");
}

TEST(Format, Bytes) {
  EXPECT_EQ(FormatBytes(7832), "7832 B");
  EXPECT_EQ(FormatBytes(20480), "20.0 KiB");
  EXPECT_EQ(FormatBytes(3 * 1024 * 1024 * 4), "12.0 MiB");
}

TEST(Format, DiagnosticsLookLikeACompilers) {
  gale::v1::Diagnostic d;
  d.set_file("/app/src/main.c");
  d.set_line(12);
  d.set_column(5);
  d.set_severity(gale::v1::SEVERITY_ERROR);
  d.set_message("'x' undeclared");
  EXPECT_EQ(FormatDiagnostic(d), "/app/src/main.c:12:5: error: 'x' undeclared");
  d.set_column(0);
  d.set_severity(gale::v1::SEVERITY_WARNING);
  EXPECT_EQ(FormatDiagnostic(d), "/app/src/main.c:12: warning: 'x' undeclared");
  d.set_line(0);
  EXPECT_EQ(FormatDiagnostic(d), "/app/src/main.c: warning: 'x' undeclared");
  d.clear_file();
  d.set_tool("kconfig");
  d.set_severity(gale::v1::SEVERITY_FATAL);
  EXPECT_EQ(FormatDiagnostic(d), "kconfig: fatal error: 'x' undeclared");
}

TEST(Format, TestCaseLine) {
  gale::v1::TestCaseEvent c;
  c.set_scenario("accept.kernel");
  c.set_board("qemu_cortex_m3");
  c.set_suite("suite");
  c.set_name("case");
  c.set_status("passed");
  c.set_seconds(0.01);
  EXPECT_EQ(FormatTestCase(c), "PASS qemu_cortex_m3 accept.kernel suite.case (0.01 s)\n");
  c.set_status("failed");
  c.set_message("main.c:40: order_n == 5");
  EXPECT_EQ(FormatTestCase(c),
            "FAIL qemu_cortex_m3 accept.kernel suite.case (0.01 s)\n"
            "    main.c:40: order_n == 5\n");
  EXPECT_EQ(TestStatusWord("blocked"), "BLOCK");
  EXPECT_EQ(TestStatusWord("skipped"), "SKIP");
  EXPECT_EQ(TestStatusWord("weird"), "WEIRD");
}

gale::v1::Progress MakeProgress(const std::string &phase, double percent,
                                const std::string &message = "") {
  gale::v1::Progress p;
  p.set_phase(phase);
  p.set_percent(percent);
  p.set_message(message);
  return p;
}

TEST(Format, ProgressLine) {
  EXPECT_EQ(FormatProgressLine(MakeProgress("compile", 45.6, "[12/80] Building C object x.o")),
            "[ 45%] compile: [12/80] Building C object x.o");
  EXPECT_EQ(FormatProgressLine(MakeProgress("boot", -1)), "boot");
  EXPECT_EQ(FormatProgressLine(MakeProgress("", 100)), "[100%] working");
}

TEST(Format, ProgressBarFitsTheWidth) {
  const std::string bar = RenderProgressBar(MakeProgress("load", 50, "4096/8192 bytes"), 200);
  EXPECT_EQ(bar, "[############............]  50% load: 4096/8192 bytes");
  EXPECT_EQ(RenderProgressBar(MakeProgress("load", 50, "4096/8192 bytes"), 20).size(), 20u);
  EXPECT_EQ(RenderProgressBar(MakeProgress("x", 250), 200).substr(0, 26),
            "[########################]");
  EXPECT_EQ(RenderProgressBar(MakeProgress("x", 1, "a\tb\nc"), 200).find('\n'), std::string::npos);
}

TEST(ProgressThrottle, OneLinePerPhaseAndPerTenPercent) {
  ProgressThrottle throttle;
  int printed = 0;
  for (int i = 0; i <= 80; ++i) {
    printed += throttle.ShouldPrint(MakeProgress("compile", i * 100.0 / 80)) ? 1 : 0;
  }
  EXPECT_EQ(printed, 11);  // 0 %, 10 %, ..., 100 %
  EXPECT_TRUE(throttle.ShouldPrint(MakeProgress("link", 100)));
  EXPECT_FALSE(throttle.ShouldPrint(MakeProgress("link", 100)));
}

TEST(ProgressThrottle, UnknownPercentPrintsOnlyPhaseChanges) {
  ProgressThrottle throttle;
  EXPECT_TRUE(throttle.ShouldPrint(MakeProgress("configure", -1, "a")));
  EXPECT_FALSE(throttle.ShouldPrint(MakeProgress("configure", -1, "b")));
  EXPECT_TRUE(throttle.ShouldPrint(MakeProgress("compile", -1)));
  EXPECT_TRUE(throttle.ShouldPrint(MakeProgress("configure", -1)));
}

}  // namespace
}  // namespace gale::cli
