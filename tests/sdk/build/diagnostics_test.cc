// The diagnostics parser on real output captured from broken applications
// (data/diagnostics/capture.sh), plus line-level cases.
#include "gale/build/diagnostics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gale::build {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Paths in the captured logs (see capture.sh).
constexpr char kGale[] = "/opt/gale";
constexpr char kApps[] = "/home/user/apps";

std::string ReadData(const std::string &name) {
  std::ifstream in(std::string(GALE_BUILD_TEST_DATA_DIR) + "/diagnostics/" + name + ".log");
  EXPECT_TRUE(in) << "missing test data " << name;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

DiagnosticParserOptions OptionsFor(const std::string &app) {
  DiagnosticParserOptions options;
  options.build_dir = std::string(kApps) + "/" + app + "-b";
  options.source_dir = std::string(kApps) + "/" + app;
  options.gale_base = kGale;
  return options;
}

std::vector<Diagnostic> Parse(const std::string &name) {
  return ParseDiagnostics(ReadData(name), OptionsFor(name));
}

auto Diag(Severity severity, const std::string &tool, const std::string &file, uint32_t line,
          uint32_t column, const std::string &message_part) {
  return AllOf(Field("severity", &Diagnostic::severity, severity),
               Field("tool", &Diagnostic::tool, tool), Field("file", &Diagnostic::file, file),
               Field("line", &Diagnostic::line, line), Field("column", &Diagnostic::column, column),
               Field("message", &Diagnostic::message, HasSubstr(message_part)));
}

TEST(DiagnosticsTest, GccErrorsWarningsNotesAndFunctionContext) {
  const std::string main_c = std::string(kApps) + "/gcc/src/main.c";
  std::vector<Diagnostic> d = Parse("gcc");
  ASSERT_THAT(
      d,
      ElementsAre(Diag(Severity::kError, "gcc", main_c, 6, 20, "'undefined_var' undeclared"),
                  Diag(Severity::kNote, "gcc", main_c, 6, 20, "each undeclared identifier"),
                  Diag(Severity::kWarning, "gcc", main_c, 5, 13, "unused variable 'unused'"),
                  Diag(Severity::kWarning, "gcc", main_c, 11, 24, "format '%d' expects argument"),
                  Diag(Severity::kError, "gcc", main_c, 12, 25, "expected ';' before '}' token"),
                  Diag(Severity::kWarning, "gcc", main_c, 7, 1, "control reaches end")));
  EXPECT_EQ(d[0].message, "'undefined_var' undeclared (first use in this function)");
  EXPECT_EQ(d[0].context, "In function 'helper'");
  EXPECT_EQ(d[3].context, "In function 'main'");
  EXPECT_EQ(d[5].context, "In function 'helper'");
  EXPECT_EQ(d[0].Format(), main_c + ":6:20: error: " + d[0].message);
}

TEST(DiagnosticsTest, GccFatalError) {
  EXPECT_THAT(Parse("fatal"),
              ElementsAre(Diag(Severity::kFatal, "gcc", std::string(kApps) + "/fatal/src/main.c", 1,
                               10, "no_such_header.h: No such file or directory")));
}

TEST(DiagnosticsTest, GxxMemberFunctionAndInstantiationContext) {
  const std::string main_cc = std::string(kApps) + "/cxx/src/main.cc";
  std::vector<Diagnostic> d = Parse("cxx");
  ASSERT_THAT(
      d, ElementsAre(Diag(Severity::kError, "gcc", main_cc, 11, 30,
                          "invalid conversion from 'const char*' to 'int'"),
                     Diag(Severity::kNote, "gcc", main_cc, 19, 14, "required from here"),
                     Diag(Severity::kError, "gcc", main_cc, 6, 40, "request for member 'size'")));
  EXPECT_EQ(d[0].context, "In member function 'void Widget::poke()'");
  EXPECT_EQ(d[2].context, "In instantiation of 'int Box<T>::get() const [with T = int]'");
}

TEST(DiagnosticsTest, LinkerUndefinedReferenceWithSourceLine) {
  DiagnosticParser parser(OptionsFor("ld"));
  std::vector<Diagnostic> d;
  std::istringstream lines(ReadData("ld"));
  for (std::string line; std::getline(lines, line);) {
    for (Diagnostic &got : parser.Feed(line)) {
      d.push_back(got);
    }
  }
  EXPECT_THAT(parser.Finish(), IsEmpty());
  // collect2's "ld returned 1 exit status" only repeats the error.
  ASSERT_THAT(d, ElementsAre(Diag(Severity::kError, "ld", std::string(kApps) + "/ld/src/main.c", 3,
                                  0, "undefined reference to `missing_function'")));
  EXPECT_EQ(d[0].context, "in function `main'");
  ASSERT_EQ(parser.memory_regions().size(), 2u);
  EXPECT_EQ(parser.memory_regions()[0].name, "FLASH");
  EXPECT_EQ(parser.memory_regions()[0].used, 7784u);
  EXPECT_EQ(parser.memory_regions()[0].size, 256u * 1024);
  EXPECT_EQ(parser.memory_regions()[1].name, "RAM");
  EXPECT_EQ(parser.memory_regions()[1].used, 2976u);
  EXPECT_EQ(parser.memory_regions()[1].size, 64u * 1024);
}

TEST(DiagnosticsTest, LinkerRegionOverflow) {
  DiagnosticParser parser(OptionsFor("overflow"));
  std::vector<Diagnostic> d;
  std::istringstream lines(ReadData("overflow"));
  for (std::string line; std::getline(lines, line);) {
    for (Diagnostic &got : parser.Feed(line)) {
      d.push_back(got);
    }
  }
  EXPECT_THAT(d, ElementsAre(Diag(Severity::kError, "ld", "", 0, 0,
                                  "section `.rodata' will not fit in region `FLASH'"),
                             Diag(Severity::kError, "ld", "", 0, 0,
                                  "region `FLASH' overflowed by 53692 bytes")));
  ASSERT_FALSE(parser.memory_regions().empty());
  EXPECT_EQ(parser.memory_regions()[0].used, 315836u);
}

TEST(DiagnosticsTest, KconfigWarningsNameTheFragmentLine) {
  const std::string prj = std::string(kApps) + "/kconfig_warnings/prj.conf";
  std::vector<Diagnostic> d = Parse("kconfig_warnings");
  ASSERT_THAT(d, ElementsAre(Diag(Severity::kWarning, "kconfig", prj, 3, 0,
                                  "undefined symbol CONFIG_PRINTKK; did you mean CONFIG_PRINTK?"),
                             Diag(Severity::kWarning, "kconfig", prj, 5, 0,
                                  "'abc' is invalid for CONFIG_MAIN_STACK_SIZE"),
                             Diag(Severity::kWarning, "kconfig", prj, 4, 0,
                                  "unmet dependencies: ARCH_POSIX && SERIAL")));
}

TEST(DiagnosticsTest, KconfigSyntaxErrorWithoutCMakesSummary) {
  EXPECT_THAT(
      Parse("kconfig_syntax"),
      ElementsAre(Diag(Severity::kError, "kconfig", std::string(kApps) + "/kconfig_syntax/Kconfig",
                       5, 0, "missing ')' in expression")));
}

TEST(DiagnosticsTest, DtcSyntaxErrorInsideTheCMakeMessage) {
  // dtc's "FATAL ERROR: Unable to parse input tree" only repeats the error.
  EXPECT_THAT(Parse("dtc_syntax"),
              ElementsAre(Diag(Severity::kError, "dtc",
                               std::string(kApps) + "/dtc_syntax/boards/qemu_cortex_m3.overlay", 2,
                               14, "syntax error")));
}

TEST(DiagnosticsTest, GaleDtsErrorsNameNodeAndProperty) {
  std::vector<Diagnostic> d = Parse("dts_required");
  ASSERT_THAT(d, ElementsAre(Diag(Severity::kError, "dtc", "", 0, 0,
                                  "/soc/uart@4000c000: missing required property "
                                  "'current-speed' (required by binding ti,stellaris-uart.yaml)")));
  EXPECT_THAT(Parse("dts_type"),
              ElementsAre(Diag(Severity::kError, "dtc", "", 0, 0,
                               "/soc/uart@4000c000: property 'current-speed' should be of type "
                               "int")));
}

TEST(DiagnosticsTest, CMakeUnknownBoard) {
  std::vector<Diagnostic> d = Parse("unknown_board");
  ASSERT_THAT(d, ElementsAre(Diag(Severity::kError, "cmake",
                                  std::string(kGale) + "/sdk/cmake/modules/gale_board.cmake", 81, 0,
                                  "Unknown board 'qemu_cortex_m33'.")));
  EXPECT_THAT(d[0].message, HasSubstr("\nKnown boards: mps2_an385, mps2_an386, native_sim, "
                                      "qemu_cortex_m3\n"));
  // CMake's line wrapping is undone.
  EXPECT_THAT(d[0].message, HasSubstr("searched in the application, BOARD_ROOT"));
  EXPECT_THAT(d[0].message, ::testing::Not(HasSubstr("Call Stack")));
}

TEST(DiagnosticsTest, CMakeWarningAndErrorsWithRelativeAndAbsoluteFiles) {
  std::vector<Diagnostic> d = Parse("cmake_error");
  const std::string target_cmake = std::string(kGale) + "/sdk/cmake/modules/gale_target.cmake";
  ASSERT_THAT(
      d,
      ElementsAre(
          Diag(Severity::kWarning, "cmake", std::string(kApps) + "/cmake_error/CMakeLists.txt", 4,
               0, "just a warning"),
          Diag(Severity::kError, "cmake", target_cmake, 48, 0, "Cannot find source file:"),
          Diag(Severity::kError, "cmake", target_cmake, 48, 0, "No SOURCES given to target: app")));
  EXPECT_EQ(d[1].message, "Cannot find source file:\nsrc/missing.c");
}

TEST(DiagnosticsTest, CleanBuildOutputHasNoDiagnostics) {
  const char *output =
      "-- Configuring done\n"
      "ninja: Entering directory `/b'\n"
      "[1/2] Building C object CMakeFiles/app.dir/src/main.c.obj\n"
      "[2/2] Linking CXX executable gale/gale.elf\n"
      "Memory region         Used Size  Region Size  %age Used\n"
      "           FLASH:        7832 B       256 KB      2.99%\n"
      "             RAM:        2976 B        64 KB      4.54%\n";
  EXPECT_THAT(ParseDiagnostics(output, {}), IsEmpty());
}

TEST(DiagnosticsTest, LineLevelForms) {
  DiagnosticParserOptions options;
  options.build_dir = "/b";
  options.source_dir = "/app";
  struct Case {
    const char *line;
    Severity severity;
    const char *tool;
    const char *file;
    uint32_t line_no;
    uint32_t column;
    const char *message;
  };
  const Case cases[] = {
      {"../src/x.c:3:4: warning: unused [-Wunused]", Severity::kWarning, "gcc", "/src/x.c", 3, 4,
       "unused [-Wunused]"},
      {"/a/start.S:12: Error: bad instruction `movx r0'", Severity::kError, "as", "/a/start.S", 12,
       0, "bad instruction `movx r0'"},
      {"arm-none-eabi-gcc: error: unrecognized command-line option '-mfoo'", Severity::kError,
       "gcc", "", 0, 0, "unrecognized command-line option '-mfoo'"},
      {"cc1: fatal error: x.c: No such file or directory", Severity::kFatal, "gcc", "", 0, 0,
       "x.c: No such file or directory"},
      {"/usr/bin/ld: warning: gale.exe has a LOAD segment with RWX permissions", Severity::kWarning,
       "ld", "", 0, 0, "has a LOAD segment"},
      {"/usr/bin/ld.bfd: cannot find -lfoo: No such file or directory", Severity::kError, "ld", "",
       0, 0, "cannot find -lfoo"},
      {"ld: x.o:(.text.main+0x4): undefined reference to `f'", Severity::kError, "ld", "/b/x.o", 0,
       0, "undefined reference to `f'"},
      {"/b/y.o:(.text+0x8): undefined reference to `g'", Severity::kError, "ld", "/b/y.o", 0, 0,
       "undefined reference to `g'"},
      {"/a/k.c:9: multiple definition of `h'; /a/j.c:2: first defined here", Severity::kError, "ld",
       "/a/k.c", 9, 0, "multiple definition of `h'"},
      {"/a/gale.dts.pre:15.15-19.5: Warning (unit_address_vs_reg): /soc/foo: node has a reg",
       Severity::kWarning, "dtc", "/a/gale.dts.pre", 15, 15, "/soc/foo: node has a reg"},
      {"/a/prj.conf:2: warning: attempt to assign", Severity::kWarning, "kconfig", "/a/prj.conf", 2,
       0, "attempt to assign"},
      {"ninja: error: '/a/missing.c', needed by 'x.o', missing and no known rule to make it",
       Severity::kError, "ninja", "", 0, 0, "missing and no known rule"},
      {"\x1b[01m\x1b[K/a/c.c:1:2:\x1b[m\x1b[K \x1b[01;31m\x1b[Kerror: \x1b[m\x1b[Kboom",
       Severity::kError, "gcc", "/a/c.c", 1, 2, "boom"},
  };
  for (const Case &c : cases) {
    std::vector<Diagnostic> d = ParseDiagnostics(c.line, options);
    ASSERT_EQ(d.size(), 1u) << c.line;
    EXPECT_THAT(d[0], Diag(c.severity, c.tool, c.file, c.line_no, c.column, c.message)) << c.line;
  }
  for (const char *noise :
       {"    6 |         return x + undefined_var;", "      |                    ^~~~~~~~~~~~~",
        "In file included from /a/b.h:3,", "                 from /a/c.c:1:",
        "compilation terminated.", "ninja: build stopped: subcommand failed.",
        "[3/40] Building C object a.obj", "-- Found assembler: /usr/bin/as"}) {
    EXPECT_THAT(ParseDiagnostics(noise, options), IsEmpty()) << noise;
  }
}

TEST(DiagnosticsTest, StreamsKeepTheirOwnCMakeBlocks) {
  DiagnosticParserOptions options;
  options.source_dir = "/app";
  DiagnosticParser parser(options);
  std::vector<Diagnostic> d;
  auto feed = [&](const char *line, OutputStream stream) {
    for (Diagnostic &got : parser.Feed(line, stream)) {
      d.push_back(got);
    }
  };
  feed("CMake Error at CMakeLists.txt:7 (message):", OutputStream::kStderr);
  feed("-- Configuring incomplete", OutputStream::kStdout);  // must not end the block
  feed("  first part of a long", OutputStream::kStderr);
  feed("  message", OutputStream::kStderr);
  EXPECT_THAT(d, IsEmpty());
  for (Diagnostic &got : parser.Finish()) {
    d.push_back(got);
  }
  ASSERT_THAT(d, ElementsAre(Diag(Severity::kError, "cmake", "/app/CMakeLists.txt", 7, 0,
                                  "first part of a long message")));
}

}  // namespace
}  // namespace gale::build
