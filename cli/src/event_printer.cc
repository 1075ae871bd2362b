#include "event_printer.h"

#include <algorithm>

#include "json.h"

namespace gale::cli {

EventPrinter::EventPrinter(PrinterOptions options, std::ostream &out, std::ostream &err)
    : options_(options), out_(out), err_(err) {}

bool EventPrinter::saw_phase(const std::string &phase) const {
  return std::find(phases_.begin(), phases_.end(), phase) != phases_.end();
}

void EventPrinter::ClearBar() {
  if (!bar_.empty()) {
    err_ << "\r\033[K" << std::flush;
    bar_.clear();
  }
}

void EventPrinter::DrawBar() {
  err_ << "\r\033[K" << bar_ << std::flush;
}

void EventPrinter::Line(std::ostream &stream, const std::string &text) {
  const std::string bar = bar_;
  ClearBar();
  stream << text << '\n';
  stream.flush();
  if (!bar.empty()) {
    bar_ = bar;
    DrawBar();
  }
}

void EventPrinter::Handle(const gale::v1::JobEvent &event) {
  if (job_id_.empty()) {
    job_id_ = event.job_id();
  }
  if (event.has_progress() && !event.progress().phase().empty() &&
      !saw_phase(event.progress().phase())) {
    phases_.push_back(event.progress().phase());
  }
  if (event.has_log() && event.log().stream() != "console") {
    tail_.push_back(event.log().text());
    if (tail_.size() > kTailLines) {
      tail_.pop_front();
    }
  }
  if (options_.json) {
    out_ << ToJsonLine(event) << '\n' << std::flush;
    return;
  }
  switch (event.event_case()) {
    case gale::v1::JobEvent::kProgress: {
      const gale::v1::Progress &progress = event.progress();
      if (options_.hide_build_progress &&
          (progress.phase() == "configure" || progress.phase() == "compile" ||
           progress.phase() == "link")) {
        break;
      }
      if (options_.progress_bar) {
        const std::string bar = RenderProgressBar(progress, options_.width - 1);
        if (bar != bar_) {
          bar_ = bar;
          DrawBar();
        }
      } else if (throttle_.ShouldPrint(progress)) {
        Line(err_, FormatProgressLine(progress));
      }
      break;
    }
    case gale::v1::JobEvent::kDiagnostic:
      Line(err_, FormatDiagnostic(event.diagnostic()));
      break;
    case gale::v1::JobEvent::kLog:
      if (event.log().stream() == "console") {
        Line(out_, event.log().text());
      } else if (options_.verbose) {
        Line(err_, event.log().text());
      }
      break;
    case gale::v1::JobEvent::kTestCase:
      if (options_.show_tests) {
        std::string text = FormatTestCase(event.test_case());
        text.pop_back();  // Line() adds the newline
        Line(out_, text);
      }
      break;
    case gale::v1::JobEvent::kResult:
      ClearBar();
      break;
    case gale::v1::JobEvent::EVENT_NOT_SET:
      break;
  }
}

void EventPrinter::PrintFailureTail() {
  ClearBar();
  if (options_.verbose || options_.json || !options_.failure_tail || tail_.empty()) {
    return;
  }
  for (const std::string &line : tail_) {
    err_ << line << '\n';
  }
  err_.flush();
}

StreamOutcome DrainJobStream(grpc::ClientReaderInterface<gale::v1::JobEvent> &reader,
                             EventPrinter &printer) {
  StreamOutcome outcome;
  gale::v1::JobEvent event;
  while (reader.Read(&event)) {
    printer.Handle(event);
    if (event.has_result()) {
      outcome.has_result = true;
      outcome.result = event.result();
    }
  }
  printer.ClearBar();
  outcome.status = reader.Finish();
  return outcome;
}

}  // namespace gale::cli
