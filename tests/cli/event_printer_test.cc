#include "event_printer.h"

#include <sstream>

#include <gtest/gtest.h>

namespace gale::cli {
namespace {

gale::v1::JobEvent Log(const std::string &stream, const std::string &text) {
  gale::v1::JobEvent event;
  event.set_job_id("j1");
  event.mutable_log()->set_stream(stream);
  event.mutable_log()->set_text(text);
  return event;
}

gale::v1::JobEvent Progress(const std::string &phase, double percent) {
  gale::v1::JobEvent event;
  event.set_job_id("j1");
  event.mutable_progress()->set_phase(phase);
  event.mutable_progress()->set_percent(percent);
  return event;
}

struct Printed {
  std::ostringstream out;
  std::ostringstream err;
};

TEST(EventPrinter, ConsoleToStdoutToolOutputHiddenButKeptForFailures) {
  Printed p;
  EventPrinter printer(PrinterOptions{}, p.out, p.err);
  printer.Handle(Log("stdout", "[1/2] Building C object main.c.o"));
  printer.Handle(Log("console", "Hello World! qemu_cortex_m3"));
  EXPECT_EQ(p.out.str(), "Hello World! qemu_cortex_m3\n");
  EXPECT_EQ(p.err.str(), "");
  EXPECT_EQ(printer.job_id(), "j1");
  printer.PrintFailureTail();
  EXPECT_EQ(p.err.str(), "[1/2] Building C object main.c.o\n");
}

TEST(EventPrinter, TailKeepsTheLastLines) {
  Printed p;
  EventPrinter printer(PrinterOptions{}, p.out, p.err);
  for (int i = 0; i < 50; ++i) {
    printer.Handle(Log("stderr", "line " + std::to_string(i)));
  }
  printer.PrintFailureTail();
  EXPECT_EQ(p.err.str().rfind("line 30\n", 0), 0u) << p.err.str();
  EXPECT_NE(p.err.str().find("line 49\n"), std::string::npos);
}

TEST(EventPrinter, NoFailureTailWhenTheErrorSaysEnough) {
  Printed p;
  PrinterOptions options;
  options.failure_tail = false;  // gale flash: the one-line reason names the device
  EventPrinter printer(options, p.out, p.err);
  printer.Handle(Log("stderr", "Error: open failed"));
  printer.PrintFailureTail();
  EXPECT_EQ(p.err.str(), "");
}

TEST(EventPrinter, VerboseShowsToolOutputAtOnceAndNotAgain) {
  Printed p;
  PrinterOptions options;
  options.verbose = true;
  EventPrinter printer(options, p.out, p.err);
  printer.Handle(Log("stderr", "warning: x"));
  EXPECT_EQ(p.err.str(), "warning: x\n");
  printer.PrintFailureTail();
  EXPECT_EQ(p.err.str(), "warning: x\n");
}

TEST(EventPrinter, PlainProgressIsThrottledAndPhasesRecorded) {
  Printed p;
  EventPrinter printer(PrinterOptions{}, p.out, p.err);
  for (int i = 0; i <= 200; ++i) {
    printer.Handle(Progress("compile", i / 2.0));
  }
  printer.Handle(Progress("boot", -1));
  size_t lines = 0;
  for (char c : p.err.str()) {
    lines += c == '\n' ? 1 : 0;
  }
  EXPECT_EQ(lines, 12u) << p.err.str();
  EXPECT_NE(p.err.str().find("[ 50%] compile\n"), std::string::npos);
  EXPECT_TRUE(printer.saw_phase("boot"));
  EXPECT_EQ(printer.phases().size(), 2u);
}

TEST(EventPrinter, BuildProgressCanBeLeftOut) {
  Printed p;
  PrinterOptions options;
  options.hide_build_progress = true;
  EventPrinter printer(options, p.out, p.err);
  printer.Handle(Progress("compile", 50));
  printer.Handle(Progress("link", 100));
  printer.Handle(Progress("test", 50));
  EXPECT_EQ(p.err.str(), "[ 50%] test\n");
}

TEST(EventPrinter, ProgressBarIsClearedAroundOtherOutput) {
  Printed p;
  PrinterOptions options;
  options.progress_bar = true;
  options.width = 60;
  EventPrinter printer(options, p.out, p.err);
  printer.Handle(Progress("compile", 50));
  printer.Handle(Progress("compile", 50));  // unchanged: not redrawn
  gale::v1::JobEvent diagnostic;
  diagnostic.mutable_diagnostic()->set_file("a.c");
  diagnostic.mutable_diagnostic()->set_line(1);
  diagnostic.mutable_diagnostic()->set_severity(gale::v1::SEVERITY_ERROR);
  diagnostic.mutable_diagnostic()->set_message("boom");
  printer.Handle(diagnostic);
  printer.ClearBar();
  const std::string bar = "[############............]  50% compile";
  EXPECT_EQ(p.err.str(),
            "\r\033[K" + bar + "\r\033[Ka.c:1: error: boom\n\r\033[K" + bar + "\r\033[K");
}

TEST(EventPrinter, TestCasesOnStdout) {
  Printed p;
  EventPrinter printer(PrinterOptions{}, p.out, p.err);
  gale::v1::JobEvent event;
  auto *c = event.mutable_test_case();
  c->set_scenario("s");
  c->set_board("native_sim");
  c->set_suite("suite");
  c->set_name("case");
  c->set_status("passed");
  printer.Handle(event);
  EXPECT_EQ(p.out.str(), "PASS native_sim s suite.case (0.00 s)\n");
}

TEST(EventPrinter, JsonModePrintsEveryEventAsALine) {
  Printed p;
  PrinterOptions options;
  options.json = true;
  EventPrinter printer(options, p.out, p.err);
  printer.Handle(Log("console", "hi"));
  gale::v1::JobEvent result;
  result.mutable_result()->set_state(gale::v1::JOB_STATE_SUCCEEDED);
  printer.Handle(result);
  EXPECT_EQ(p.err.str(), "");
  const std::string out = p.out.str();
  EXPECT_NE(out.find("\"stream\":\"console\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"state\":\"succeeded\""), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
}

}  // namespace
}  // namespace gale::cli
