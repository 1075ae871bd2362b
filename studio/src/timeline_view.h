// The Trace tab: a timeline of a TraceModel -- threads and ISRs as rows (nested slices stacked),
// markers, counters -- with a time ruler, zoom (wheel, buttons) and pan (drag, scroll bar).
#pragma once

#include <QString>
#include <QWidget>

#include "timeline_model.h"

class QLabel;
class QScrollArea;
class QScrollBar;

namespace gale::studio {

class TimelineCanvas;

class TimelineView : public QWidget {
  Q_OBJECT

 public:
  explicit TimelineView(QWidget *parent = nullptr);

  /// Reads a Chrome Trace Event JSON file; false with `error` saying why (the view keeps what it
  /// showed).
  bool loadFile(const QString &file, QString *error);
  /// Shows `model`, fitted to its time span.
  void setModel(const TraceModel &model);
  /// Shows the next view of a running capture: while the visible window reaches the end of the
  /// trace it follows the new end at the same zoom; a window the user moved back stays put.
  void updateLive(const TraceModel &model);
  const TraceModel &model() const { return model_; }
  /// "N threads (M ISRs), S slices, K markers, C counters over T ms".
  QString summary() const;

  /// The visible time window, in microseconds.
  double viewBegin() const { return viewBegin_; }
  double viewEnd() const { return viewEnd_; }
  void setView(double beginUs, double endUs);
  /// Zooms by `factor` (> 1: in) keeping `anchorUs` where it is on screen.
  void zoom(double factor, double anchorUs);
  void zoomIn() { zoom(2.0, (viewBegin_ + viewEnd_) / 2); }
  void zoomOut() { zoom(0.5, (viewBegin_ + viewEnd_) / 2); }
  /// Moves the window by `deltaUs` (kept inside the trace).
  void pan(double deltaUs);
  void fit();
  QWidget *canvas() const;

 signals:
  void viewChanged(double beginUs, double endUs);

 private:
  void updateScrollBar();

  TraceModel model_;
  double viewBegin_ = 0;
  double viewEnd_ = 1;
  QLabel *summary_;
  QLabel *hint_;
  TimelineCanvas *canvas_;
  QScrollArea *scroll_;
  QScrollBar *hbar_;
  bool updatingBar_ = false;
  friend class TimelineCanvas;
};

}  // namespace gale::studio
