#include "timeline_view.h"

#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolTip>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace gale::studio {

namespace {

constexpr int kLabelWidth = 170;
constexpr int kRulerHeight = 26;
constexpr int kMarkerLane = 16;  // below the ruler: the names of global markers
constexpr int kSliceHeight = 18;
constexpr int kRowGap = 6;
constexpr int kCounterHeight = 40;
constexpr double kMinSpanUs = 0.01;

QColor SliceColor(const QString &name, bool isr) {
  if (isr) {
    return QColor(0xe0, 0x7b, 0x39);
  }
  // A stable pastel per name, so the same function has the same colour everywhere.
  const uint hue = qHash(name) % 360;
  return QColor::fromHsv(int(hue), 90, 215);
}

QString FormatTime(double us) {
  const double a = std::fabs(us);
  if (a >= 1e6) {
    return QStringLiteral("%1 s").arg(us / 1e6, 0, 'g', 6);
  }
  if (a >= 1e3) {
    return QStringLiteral("%1 ms").arg(us / 1e3, 0, 'g', 6);
  }
  return QStringLiteral("%1 us").arg(us, 0, 'g', 6);
}

}  // namespace

class TimelineCanvas : public QWidget {
 public:
  explicit TimelineCanvas(TimelineView *view) : QWidget(view), view_(view) {
    setMouseTracking(true);
    setMinimumHeight(200);
    setAutoFillBackground(true);
    setPalette(QPalette(QColor(0xfc, 0xfc, 0xfc)));
  }

  // Row layout: y of each track and each counter.
  void relayout() {
    const TraceModel &m = view_->model_;
    rowTop_.clear();
    int y = kRulerHeight + kMarkerLane + 4;
    for (int t = 0; t < m.tracks().size(); ++t) {
      rowTop_.append(y);
      y += (m.maxDepth(t) + 1) * kSliceHeight + kRowGap;
    }
    counterTop_ = y;
    y += int(m.counters().size()) * (kCounterHeight + kRowGap);
    setMinimumHeight(std::max(200, y + 4));
    update();
  }

  double toX(double us) const {
    const double w = std::max(1, width() - kLabelWidth);
    return kLabelWidth + (us - view_->viewBegin_) / (view_->viewEnd_ - view_->viewBegin_) * w;
  }
  double toUs(double x) const {
    const double w = std::max(1, width() - kLabelWidth);
    return view_->viewBegin_ + (x - kLabelWidth) / w * (view_->viewEnd_ - view_->viewBegin_);
  }

 protected:
  void paintEvent(QPaintEvent *) override {
    QPainter p(this);
    const TraceModel &m = view_->model_;
    const QRect plot(kLabelWidth, 0, width() - kLabelWidth, height());
    p.fillRect(rect(), QColor(0xfc, 0xfc, 0xfc));
    p.fillRect(0, 0, kLabelWidth, height(), QColor(0xf0, 0xf0, 0xf0));
    if (m.isEmpty()) {
      p.setPen(QColor(0x60, 0x60, 0x60));
      p.drawText(rect(), Qt::AlignCenter,
                 tr("No trace loaded. File > Open trace... reads a Chrome Trace Event JSON file "
                    "(gale trace -o FILE)."));
      return;
    }
    // Ruler: about one tick per 100 px at a 1/2/5 step.
    const double span = view_->viewEnd_ - view_->viewBegin_;
    const double raw = span / std::max(1.0, plot.width() / 100.0);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
    p.setPen(QColor(0x90, 0x90, 0x90));
    p.drawLine(kLabelWidth, kRulerHeight, width(), kRulerHeight);
    for (double t = std::ceil(view_->viewBegin_ / step) * step; t <= view_->viewEnd_; t += step) {
      const int x = int(toX(t));
      p.setPen(QColor(0xdd, 0xdd, 0xdd));
      p.drawLine(x, kRulerHeight, x, height());
      p.setPen(QColor(0x40, 0x40, 0x40));
      p.drawText(x + 3, kRulerHeight - 8, FormatTime(t - m.beginUs()));
    }
    // Rows.
    for (int t = 0; t < m.tracks().size(); ++t) {
      const TraceTrack &track = m.tracks()[t];
      const int top = rowTop_.value(t);
      const int h = (m.maxDepth(t) + 1) * kSliceHeight;
      p.setPen(track.isr ? QColor(0xa0, 0x40, 0x00) : QColor(0x20, 0x20, 0x20));
      p.drawText(
          QRect(6, top, kLabelWidth - 10, kSliceHeight), Qt::AlignVCenter | Qt::AlignLeft,
          fontMetrics().elidedText(track.isr ? track.name + QStringLiteral("  (ISR)") : track.name,
                                   Qt::ElideRight, kLabelWidth - 10));
      p.setPen(QColor(0xe4, 0xe4, 0xe4));
      p.drawLine(0, top + h + kRowGap / 2, width(), top + h + kRowGap / 2);
    }
    p.setClipRect(plot);
    for (const TraceSlice &s : m.slices()) {
      if (s.startUs + s.durationUs < view_->viewBegin_ || s.startUs > view_->viewEnd_) {
        continue;
      }
      const double x0 = std::max<double>(kLabelWidth - 1, toX(s.startUs));
      const double x1 = std::min<double>(width() + 1, toX(s.startUs + s.durationUs));
      const QRectF r(x0, rowTop_.value(s.track) + s.depth * kSliceHeight + 1,
                     std::max(1.0, x1 - x0), kSliceHeight - 2);
      const bool isr = m.tracks()[s.track].isr;
      p.fillRect(r, SliceColor(s.name, isr));
      if (r.width() > 24) {
        p.setPen(QColor(0x10, 0x10, 0x10));
        p.drawText(r.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   fontMetrics().elidedText(s.name, Qt::ElideRight, int(r.width()) - 5));
      }
    }
    // Markers: global ones across everything, per-thread ones on their row.
    for (const TraceMarker &mk : m.markers()) {
      if (mk.timeUs < view_->viewBegin_ || mk.timeUs > view_->viewEnd_) {
        continue;
      }
      const int x = int(toX(mk.timeUs));
      p.setPen(QPen(QColor(0xc0, 0x10, 0x60), 1, Qt::DashLine));
      if (mk.track < 0) {
        p.drawLine(x, kRulerHeight, x, height());
        p.drawText(x + 3, kRulerHeight + kMarkerLane - 3, mk.name);
      } else {
        const int top = rowTop_.value(mk.track);
        QPolygon diamond;
        diamond << QPoint(x, top) << QPoint(x + 5, top + 6) << QPoint(x, top + 12)
                << QPoint(x - 5, top + 6);
        p.setBrush(QColor(0xc0, 0x10, 0x60));
        p.setPen(Qt::NoPen);
        p.drawPolygon(diamond);
        p.setBrush(Qt::NoBrush);
      }
    }
    // Counters as step lines, each scaled to its own range.
    p.setClipping(false);
    for (int c = 0; c < m.counters().size(); ++c) {
      const TraceCounter &counter = m.counters()[c];
      const int top = counterTop_ + c * (kCounterHeight + kRowGap);
      double lo = 0;
      double hi = 0;
      for (const auto &pt : counter.points) {
        lo = std::min(lo, pt.second);
        hi = std::max(hi, pt.second);
      }
      const double range = hi > lo ? hi - lo : 1;
      p.setPen(QColor(0x20, 0x20, 0x20));
      p.drawText(QRect(6, top, kLabelWidth - 10, kCounterHeight), Qt::AlignVCenter | Qt::AlignLeft,
                 fontMetrics().elidedText(QStringLiteral("%1 (max %2)").arg(counter.name).arg(hi),
                                          Qt::ElideRight, kLabelWidth - 10));
      p.setClipRect(plot);
      p.setPen(QPen(QColor(0x20, 0x60, 0xc0), 1.5));
      QPointF last;
      bool haveLast = false;
      for (const auto &pt : counter.points) {
        const QPointF here(toX(pt.first),
                           top + kCounterHeight - (pt.second - lo) / range * (kCounterHeight - 4));
        if (haveLast) {
          p.drawLine(last, QPointF(here.x(), last.y()));
          p.drawLine(QPointF(here.x(), last.y()), here);
        }
        last = here;
        haveLast = true;
      }
      if (haveLast) {
        p.drawLine(last, QPointF(width(), last.y()));
      }
      p.setClipping(false);
    }
  }

  void wheelEvent(QWheelEvent *event) override {
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ShiftModifier) {
      view_->pan(-steps * (view_->viewEnd_ - view_->viewBegin_) / 10);
    } else if (steps != 0) {
      view_->zoom(std::pow(1.25, steps), toUs(event->position().x()));
    }
    event->accept();
  }
  void mousePressEvent(QMouseEvent *event) override {
    dragX_ = event->position().x();
    dragging_ = event->button() == Qt::LeftButton;
  }
  void mouseReleaseEvent(QMouseEvent *) override { dragging_ = false; }
  void mouseMoveEvent(QMouseEvent *event) override {
    const double x = event->position().x();
    if (dragging_) {
      const double usPerPx =
          (view_->viewEnd_ - view_->viewBegin_) / std::max(1, width() - kLabelWidth);
      view_->pan((dragX_ - x) * usPerPx);
      dragX_ = x;
      return;
    }
    // The slice under the pointer, in a tool tip.
    const TraceModel &m = view_->model_;
    const double us = toUs(x);
    const double y = event->position().y();
    for (const TraceSlice &s : m.slices()) {
      const int top = rowTop_.value(s.track) + s.depth * kSliceHeight;
      if (y >= top && y < top + kSliceHeight && us >= s.startUs && us <= s.startUs + s.durationUs) {
        QToolTip::showText(event->globalPosition().toPoint(),
                           QStringLiteral("%1 (%2)\n%3 at %4")
                               .arg(s.name, m.tracks()[s.track].name, FormatTime(s.durationUs),
                                    FormatTime(s.startUs - m.beginUs())),
                           this);
        return;
      }
    }
    QToolTip::hideText();
  }
  void resizeEvent(QResizeEvent *) override { update(); }

 private:
  TimelineView *view_;
  QList<int> rowTop_;
  int counterTop_ = 0;
  double dragX_ = 0;
  bool dragging_ = false;
};

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent),
      summary_(new QLabel(tr("No trace loaded."), this)),
      hint_(new QLabel(tr("wheel: zoom, drag: pan"), this)),
      canvas_(new TimelineCanvas(this)),
      scroll_(new QScrollArea(this)),
      hbar_(new QScrollBar(Qt::Horizontal, this)) {
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto *bar = new QHBoxLayout();
  bar->setContentsMargins(6, 4, 6, 0);
  summary_->setWordWrap(true);
  bar->addWidget(summary_, 1);
  hint_->setStyleSheet(QStringLiteral("color: #666;"));
  hint_->setToolTip(
      tr("Wheel: zoom at the pointer. Drag or Shift+wheel: pan. Hover a slice for "
         "its thread, duration and start."));
  bar->addWidget(hint_);
  auto *zoomIn = new QPushButton(tr("Zoom in"), this);
  auto *zoomOut = new QPushButton(tr("Zoom out"), this);
  auto *fitButton = new QPushButton(tr("Fit"), this);
  bar->addWidget(zoomIn);
  bar->addWidget(zoomOut);
  bar->addWidget(fitButton);
  layout->addLayout(bar);
  scroll_->setWidget(canvas_);
  scroll_->setWidgetResizable(true);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  layout->addWidget(scroll_, 1);
  hbar_->setRange(0, 0);
  layout->addWidget(hbar_);
  connect(zoomIn, &QPushButton::clicked, this, &TimelineView::zoomIn);
  connect(zoomOut, &QPushButton::clicked, this, &TimelineView::zoomOut);
  connect(fitButton, &QPushButton::clicked, this, &TimelineView::fit);
  // The scroll bar counts in thousandths of the trace's span.
  connect(hbar_, &QScrollBar::valueChanged, this, [this](int value) {
    if (updatingBar_) {
      return;
    }
    const double span = viewEnd_ - viewBegin_;
    const double begin = model_.beginUs() + value / 1000.0 * (model_.endUs() - model_.beginUs());
    setView(begin, begin + span);
  });
}

QWidget *TimelineView::canvas() const {
  return canvas_;
}

bool TimelineView::loadFile(const QString &file, QString *error) {
  QFile f(file);
  if (!f.open(QIODevice::ReadOnly)) {
    *error = f.errorString();
    return false;
  }
  TraceModel model;
  if (!LoadChromeTrace(f.readAll(), &model, error)) {
    return false;
  }
  if (model.isEmpty()) {
    *error = tr("the file holds no slices, markers or counters");
    return false;
  }
  setModel(model);
  return true;
}

void TimelineView::setModel(const TraceModel &model) {
  model_ = model;
  summary_->setText(summary());
  canvas_->relayout();
  fit();
}

void TimelineView::updateLive(const TraceModel &model) {
  if (model_.isEmpty()) {
    setModel(model);
    return;
  }
  const double span = viewEnd_ - viewBegin_;
  const bool following = viewEnd_ >= model_.endUs() - span * 0.01;
  const double begin = viewBegin_;
  model_ = model;
  summary_->setText(summary());
  canvas_->relayout();
  if (following) {
    setView(model_.endUs() - span, model_.endUs());
  } else {
    setView(begin, begin + span);
  }
}

QString TimelineView::summary() const {
  int isrs = 0;
  for (const TraceTrack &t : model_.tracks()) {
    isrs += t.isr ? 1 : 0;
  }
  QString text = tr("%1 threads (%2 ISRs), %3 slices, %4 markers, %5 counters over %6")
                     .arg(model_.tracks().size() - isrs)
                     .arg(isrs)
                     .arg(model_.slices().size())
                     .arg(model_.markers().size())
                     .arg(model_.counters().size())
                     .arg(FormatTime(model_.endUs() - model_.beginUs()));
  if (model_.ignoredEnds() > 0) {
    text += tr("; %1 span ends without their begin ignored").arg(model_.ignoredEnds());
  }
  return text;
}

void TimelineView::setView(double beginUs, double endUs) {
  const double total = model_.endUs() - model_.beginUs();
  double span = std::clamp(endUs - beginUs, kMinSpanUs, std::max(kMinSpanUs, total));
  double begin = std::clamp(beginUs, model_.beginUs(), model_.endUs() - span);
  viewBegin_ = begin;
  viewEnd_ = begin + span;
  updateScrollBar();
  canvas_->update();
  emit viewChanged(viewBegin_, viewEnd_);
}

void TimelineView::zoom(double factor, double anchorUs) {
  if (factor <= 0) {
    return;
  }
  const double span = (viewEnd_ - viewBegin_) / factor;
  const double ratio = (anchorUs - viewBegin_) / (viewEnd_ - viewBegin_);
  const double begin = anchorUs - ratio * span;
  setView(begin, begin + span);
}

void TimelineView::pan(double deltaUs) {
  setView(viewBegin_ + deltaUs, viewEnd_ + deltaUs);
}

void TimelineView::fit() {
  setView(model_.beginUs(), model_.endUs());
}

void TimelineView::updateScrollBar() {
  updatingBar_ = true;
  const double total = std::max(kMinSpanUs, model_.endUs() - model_.beginUs());
  const int page = int((viewEnd_ - viewBegin_) / total * 1000);
  hbar_->setPageStep(std::max(1, page));
  hbar_->setRange(0, std::max(0, 1000 - page));
  hbar_->setValue(int((viewBegin_ - model_.beginUs()) / total * 1000));
  updatingBar_ = false;
}

}  // namespace gale::studio
