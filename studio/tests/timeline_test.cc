// The trace timeline: the Chrome Trace Event JSON loader into the model, and the view's zoom and
// pan, on a synthetic trace shaped like `gale trace -o FILE` output. Offscreen, no galed.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include "timeline_model.h"
#include "timeline_view.h"

using gale::studio::LoadChromeTrace;
using gale::studio::TimelineView;
using gale::studio::TraceModel;

namespace {

// Two threads and an ISR; main has a nested slice; idle uses B/E; a global and a thread marker;
// a counter with two series... and a process_name record that must not make a row.
const char kTrace[] = R"({"traceEvents": [
  {"ph": "M", "name": "process_name", "pid": 1, "args": {"name": "qemu_cortex_m3"}},
  {"ph": "M", "name": "thread_name", "pid": 1, "tid": 10, "args": {"name": "main"}},
  {"ph": "M", "name": "thread_name", "pid": 1, "tid": 11, "args": {"name": "idle"}},
  {"ph": "M", "name": "thread_name", "pid": 1, "tid": 100, "args": {"name": "ISR 15 SysTick"}},
  {"ph": "X", "name": "running", "pid": 1, "tid": 10, "ts": 1000, "dur": 500},
  {"ph": "X", "name": "k_sem_take", "pid": 1, "tid": 10, "ts": 1100, "dur": 50},
  {"ph": "X", "name": "running", "pid": 1, "tid": 10, "ts": 3000, "dur": 250},
  {"ph": "B", "name": "running", "pid": 1, "tid": 11, "ts": 1500},
  {"ph": "E", "pid": 1, "tid": 11, "ts": 3000},
  {"ph": "X", "name": "SysTick", "cat": "isr", "pid": 1, "tid": 100, "ts": 2000, "dur": 12},
  {"ph": "i", "name": "boot done", "s": "g", "pid": 1, "tid": 10, "ts": 1000},
  {"ph": "i", "name": "checkpoint", "s": "t", "pid": 1, "tid": 10, "ts": 1200},
  {"ph": "C", "name": "heap", "pid": 1, "ts": 1000, "args": {"used": 128, "free": 896}},
  {"ph": "C", "name": "heap", "pid": 1, "ts": 2500, "args": {"used": 256, "free": 768}}
]})";

}  // namespace

class TimelineTest : public QObject {
  Q_OBJECT

 private slots:
  void loadsThreadsSlicesMarkersCounters();
  void rejectsBadInput();
  void ignoresAnEndWithoutItsBegin();
  void viewZoomsAndPans();
};

void TimelineTest::loadsThreadsSlicesMarkersCounters() {
  TraceModel model;
  QString error;
  QVERIFY2(LoadChromeTrace(QByteArray(kTrace), &model, &error), qPrintable(error));
  QCOMPARE(model.tracks().size(), 3);
  QCOMPARE(model.tracks()[0].name, QStringLiteral("main"));
  QCOMPARE(model.tracks()[1].name, QStringLiteral("idle"));
  QCOMPARE(model.tracks()[2].name, QStringLiteral("ISR 15 SysTick"));
  QVERIFY(!model.tracks()[0].isr);
  QVERIFY(model.tracks()[2].isr);
  QCOMPARE(model.slices().size(), 5);
  // The nested call sits one row below the slice it is in.
  QCOMPARE(model.maxDepth(0), 1);
  QCOMPARE(model.maxDepth(1), 0);
  bool nested = false;
  for (const auto &s : model.slices()) {
    if (s.name == QStringLiteral("k_sem_take")) {
      nested = s.depth == 1 && s.track == 0 && s.startUs == 1100 && s.durationUs == 50;
    }
    if (s.track == 1) {
      QCOMPARE(s.durationUs, 1500.0);  // the B/E pair
    }
  }
  QVERIFY(nested);
  QCOMPARE(model.markers().size(), 2);
  QCOMPARE(model.markers()[0].track, -1);
  QCOMPARE(model.markers()[1].track, 0);
  QCOMPARE(model.counters().size(), 2);
  // One series per argument (JSON objects come back in key order).
  QCOMPARE(model.counters()[0].name, QStringLiteral("heap.free"));
  QCOMPARE(model.counters()[1].name, QStringLiteral("heap.used"));
  QCOMPARE(model.counters()[1].points.size(), 2);
  QCOMPARE(model.counters()[1].points[1].second, 256.0);
  QCOMPARE(model.beginUs(), 1000.0);
  QCOMPARE(model.endUs(), 3250.0);

  // A bare array of events is accepted too.
  QVERIFY(
      LoadChromeTrace(R"([{"ph":"X","name":"a","pid":1,"tid":2,"ts":5,"dur":1}])", &model, &error));
  QCOMPARE(model.slices().size(), 1);
}

void TimelineTest::rejectsBadInput() {
  TraceModel model;
  QString error;
  QVERIFY(!LoadChromeTrace("{not json", &model, &error));
  QVERIFY2(error.contains(QStringLiteral("not JSON")), qPrintable(error));
  QVERIFY(!LoadChromeTrace(R"({"events": []})", &model, &error));
  QVERIFY2(error.contains(QStringLiteral("traceEvents")), qPrintable(error));
  QVERIFY(!LoadChromeTrace(R"([{"ph":"X","name":"a","tid":1,"ts":5}])", &model, &error));
  QVERIFY2(error.contains(QStringLiteral("dur")), qPrintable(error));
  QVERIFY(!LoadChromeTrace(R"([{"name":"a"}])", &model, &error));
  QVERIFY2(error.contains(QStringLiteral("ph")), qPrintable(error));

  TimelineView view;
  QVERIFY(!view.loadFile(QStringLiteral("/nonexistent/trace.json"), &error));
  QVERIFY(!error.isEmpty());
}

// A span begun before the trace did (a capture started inside it) ends with an "E" that closes
// nothing: counted and skipped, as Chrome and Perfetto do; the pairs after it still nest.
void TimelineTest::ignoresAnEndWithoutItsBegin() {
  TraceModel model;
  QString error;
  QVERIFY2(LoadChromeTrace(R"([{"ph":"E","pid":1,"tid":1,"ts":5},
                               {"ph":"B","name":"step","pid":1,"tid":1,"ts":10},
                               {"ph":"E","pid":1,"tid":1,"ts":14}])",
                           &model, &error),
           qPrintable(error));
  QCOMPARE(model.ignoredEnds(), 1);
  QCOMPARE(model.slices().size(), 1);
  QCOMPARE(model.slices().first().name, QStringLiteral("step"));
  QCOMPARE(model.slices().first().durationUs, 4.0);
  TimelineView view;
  view.setModel(model);
  QVERIFY2(view.summary().contains(QStringLiteral("1 span ends without their begin ignored")),
           qPrintable(view.summary()));
}

void TimelineTest::viewZoomsAndPans() {
  QTemporaryDir dir;
  const QString file = dir.filePath(QStringLiteral("trace.json"));
  QFile f(file);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(kTrace);
  f.close();

  TimelineView view;
  view.resize(900, 420);
  QString error;
  QVERIFY2(view.loadFile(file, &error), qPrintable(error));
  QVERIFY2(view.summary().startsWith(QStringLiteral("2 threads (1 ISRs), 5 slices, 2 markers, "
                                                    "2 counters")),
           qPrintable(view.summary()));
  QCOMPARE(view.viewBegin(), 1000.0);
  QCOMPARE(view.viewEnd(), 3250.0);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  QDir().mkpath(QStringLiteral(STUDIO_OUTPUT_DIR));
  QVERIFY(view.grab().save(QStringLiteral(STUDIO_OUTPUT_DIR "/studio_timeline.png"), "PNG"));

  // Zooming in by 4 around 2000 us keeps 2000 where it was on screen.
  view.zoom(4.0, 2000.0);
  QCOMPARE(view.viewEnd() - view.viewBegin(), 2250.0 / 4);
  QVERIFY(qFuzzyCompare((2000.0 - view.viewBegin()) / (view.viewEnd() - view.viewBegin()),
                        (2000.0 - 1000.0) / 2250.0));
  const double begin = view.viewBegin();
  view.pan(100.0);
  QCOMPARE(view.viewBegin(), begin + 100.0);
  // Panning stops at the trace's ends; zooming out stops at the whole trace.
  view.pan(-1e9);
  QCOMPARE(view.viewBegin(), 1000.0);
  view.zoom(0.001, 2000.0);
  QCOMPARE(view.viewBegin(), 1000.0);
  QCOMPARE(view.viewEnd(), 3250.0);
  // The wheel zooms at the pointer.
  const QPointF at(600, 100);
  QWheelEvent wheel(at, view.canvas()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(view.canvas(), &wheel);
  QVERIFY(view.viewEnd() - view.viewBegin() < 2250.0);
  view.zoom(3.0, 2006.0);
  QVERIFY(QDir().exists(QStringLiteral(STUDIO_OUTPUT_DIR)));
  QVERIFY(view.grab().save(QStringLiteral(STUDIO_OUTPUT_DIR "/studio_timeline_zoomed.png"), "PNG"));
}

QTEST_MAIN(TimelineTest)
#include "timeline_test.moc"
