// Prints a job's event stream the way a user wants to see it: a progress bar (terminal) or
// a few progress lines, diagnostics like a compiler's, console lines on stdout, test cases one
// line each, tool output only with -v (and its tail when the job fails).
#pragma once

#include <deque>
#include <memory>
#include <ostream>
#include <string>

#include <grpcpp/support/sync_stream.h>

#include "format.h"
#include "gale/v1/common.pb.h"

namespace gale::cli {

struct PrinterOptions {
  bool progress_bar = false;  // stderr is a terminal: draw a bar, redrawn in place
  int width = 80;             // terminal columns, for the bar
  bool verbose = false;       // tool output as it comes
  bool json = false;          // every event as a line of JSON on `out`, nothing else on `out`
  bool show_tests = true;     // test case lines
  // Leave out the configure/compile/link progress of the builds inside a job (gale test runs
  // several builds at once: their progress would interleave into noise).
  bool hide_build_progress = false;
  // On failure, print the job's last tool lines before the error. Flash leaves them out: its
  // error is already a classified one-line reason naming the device, and the full log stays in
  // the job (`gale jobs show ID`, or -v).
  bool failure_tail = true;
};

class EventPrinter {
 public:
  EventPrinter(PrinterOptions options, std::ostream &out, std::ostream &err);

  void Handle(const gale::v1::JobEvent &event);
  /// Clears the progress bar, if one is drawn. Call before printing anything else.
  void ClearBar();
  /// For a failed job: the last lines of tool output that were not shown (without -v).
  void PrintFailureTail();

  const std::string &job_id() const { return job_id_; }
  /// Phases seen so far, in order of appearance, without repeats.
  const std::deque<std::string> &phases() const { return phases_; }
  bool saw_phase(const std::string &phase) const;

  static constexpr size_t kTailLines = 20;

 private:
  void DrawBar();
  void Line(std::ostream &stream, const std::string &text);

  PrinterOptions options_;
  std::ostream &out_;
  std::ostream &err_;
  std::string job_id_;
  ProgressThrottle throttle_;
  std::string bar_;  // what the bar shows; empty when none is drawn
  std::deque<std::string> tail_;
  std::deque<std::string> phases_;
};

/// How a stream of JobEvents ended.
struct StreamOutcome {
  grpc::Status status;
  bool has_result = false;
  gale::v1::JobResult result;
};

/// Reads `reader` to its end through `printer`, then finishes the call.
StreamOutcome DrainJobStream(grpc::ClientReaderInterface<gale::v1::JobEvent> &reader,
                             EventPrinter &printer);

}  // namespace gale::cli
