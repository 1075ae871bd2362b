// A trace as the timeline draws it, independent of where it came from: tracks (threads and ISRs)
// with slices, instant markers and counters, times in microseconds. LoadChromeTrace() fills it
// from Chrome Trace Event JSON (what `gale trace -o FILE` writes); a live feed from the daemon's
// Trace service can fill the same model.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace gale::studio {

struct TraceTrack {
  qint64 pid = 0;
  qint64 tid = 0;
  QString name;
  bool isr = false;  // an interrupt handler's row (name "ISR..."/"IRQ..." or slices of cat isr/irq)
};

struct TraceSlice {
  int track = 0;
  double startUs = 0;
  double durationUs = 0;
  QString name;
  QString category;
  int depth = 0;  // nesting within its track (0: outermost)
};

struct TraceMarker {
  int track = -1;  // -1: global (scope "g" or "p")
  double timeUs = 0;
  QString name;
};

struct TraceCounter {
  QString name;
  QList<QPair<double, double>> points;  // (time us, value), in time order
};

class TraceModel {
 public:
  void clear();
  /// The track of (pid, tid), created on first use.
  int track(qint64 pid, qint64 tid);
  void setTrackName(int track, const QString &name);
  void addSlice(TraceSlice slice);
  void addMarker(TraceMarker marker);
  void addCounterValue(const QString &name, double timeUs, double value);
  /// An "E" that closed nothing (its "B" came before the trace began): counted, not drawn.
  void ignoreEnd() { ++ignoredEnds_; }
  int ignoredEnds() const { return ignoredEnds_; }
  /// Sorts, nests slices, marks ISR tracks and computes the time span; call after loading.
  void finish();

  const QList<TraceTrack> &tracks() const { return tracks_; }
  const QList<TraceSlice> &slices() const { return slices_; }
  const QList<TraceMarker> &markers() const { return markers_; }
  const QList<TraceCounter> &counters() const { return counters_; }
  double beginUs() const { return begin_; }
  double endUs() const { return end_; }
  int maxDepth(int track) const;
  bool isEmpty() const { return slices_.isEmpty() && markers_.isEmpty() && counters_.isEmpty(); }

 private:
  QList<TraceTrack> tracks_;
  QList<TraceSlice> slices_;
  QList<TraceMarker> markers_;
  QList<TraceCounter> counters_;
  QList<int> depth_;
  double begin_ = 0;
  double end_ = 0;
  int ignoredEnds_ = 0;
};

/// Fills `model` from Chrome Trace Event JSON (an array of events, or an object with
/// "traceEvents"): "M" thread_name metadata, "X" complete slices, "B"/"E" pairs, "i"/"I"
/// instants, "C" counters; other phases are skipped, and an "E" with nothing open on its thread
/// is counted (ignoredEnds) and skipped, as Chrome and Perfetto do. false with `error` naming
/// the problem (and the event index) on invalid input.
bool LoadChromeTrace(const QByteArray &json, TraceModel *model, QString *error);

}  // namespace gale::studio
