#include "timeline_model.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

namespace gale::studio {

void TraceModel::clear() {
  *this = TraceModel();
}

int TraceModel::track(qint64 pid, qint64 tid) {
  for (int i = 0; i < tracks_.size(); ++i) {
    if (tracks_[i].pid == pid && tracks_[i].tid == tid) {
      return i;
    }
  }
  TraceTrack t;
  t.pid = pid;
  t.tid = tid;
  t.name = QStringLiteral("thread %1").arg(tid);
  tracks_.append(t);
  return int(tracks_.size()) - 1;
}

void TraceModel::setTrackName(int track, const QString &name) {
  tracks_[track].name = name;
}

void TraceModel::addSlice(TraceSlice slice) {
  slices_.append(std::move(slice));
}

void TraceModel::addMarker(TraceMarker marker) {
  markers_.append(std::move(marker));
}

void TraceModel::addCounterValue(const QString &name, double timeUs, double value) {
  for (TraceCounter &c : counters_) {
    if (c.name == name) {
      c.points.append({timeUs, value});
      return;
    }
  }
  counters_.append(TraceCounter{name, {{timeUs, value}}});
}

int TraceModel::maxDepth(int track) const {
  return track >= 0 && track < depth_.size() ? depth_[track] : 0;
}

void TraceModel::finish() {
  std::stable_sort(slices_.begin(), slices_.end(), [](const TraceSlice &a, const TraceSlice &b) {
    if (a.track != b.track) {
      return a.track < b.track;
    }
    if (a.startUs != b.startUs) {
      return a.startUs < b.startUs;
    }
    return a.durationUs > b.durationUs;  // the enclosing slice first
  });
  // Nesting: a slice inside the still-open one above it goes one row deeper.
  depth_ = QList<int>(tracks_.size(), 0);
  QList<double> openEnds;
  int currentTrack = -1;
  for (TraceSlice &s : slices_) {
    if (s.track != currentTrack) {
      openEnds.clear();
      currentTrack = s.track;
    }
    while (!openEnds.isEmpty() && s.startUs >= openEnds.last()) {
      openEnds.removeLast();
    }
    s.depth = int(openEnds.size());
    depth_[s.track] = std::max(depth_[s.track], s.depth);
    openEnds.append(s.startUs + s.durationUs);
    const QString cat = s.category.toLower();
    if (cat == QStringLiteral("isr") || cat == QStringLiteral("irq") ||
        cat == QStringLiteral("interrupt")) {
      tracks_[s.track].isr = true;
    }
  }
  for (TraceTrack &t : tracks_) {
    const QString n = t.name.toLower();
    t.isr = t.isr || n.startsWith(QStringLiteral("isr")) || n.startsWith(QStringLiteral("irq"));
  }
  std::stable_sort(markers_.begin(), markers_.end(),
                   [](const TraceMarker &a, const TraceMarker &b) { return a.timeUs < b.timeUs; });
  for (TraceCounter &c : counters_) {
    std::stable_sort(c.points.begin(), c.points.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
  }
  double lo = std::numeric_limits<double>::max();
  double hi = std::numeric_limits<double>::lowest();
  for (const TraceSlice &s : slices_) {
    lo = std::min(lo, s.startUs);
    hi = std::max(hi, s.startUs + s.durationUs);
  }
  for (const TraceMarker &m : markers_) {
    lo = std::min(lo, m.timeUs);
    hi = std::max(hi, m.timeUs);
  }
  for (const TraceCounter &c : counters_) {
    for (const auto &p : c.points) {
      lo = std::min(lo, p.first);
      hi = std::max(hi, p.first);
    }
  }
  if (lo > hi) {
    lo = hi = 0;
  }
  begin_ = lo;
  end_ = hi > lo ? hi : lo + 1;
}

namespace {

bool Number(const QJsonObject &e, const char *key, double *out) {
  const QJsonValue v = e.value(QLatin1String(key));
  if (v.isDouble()) {
    *out = v.toDouble();
    return true;
  }
  if (v.isString()) {  // some writers quote large integers
    bool ok = false;
    *out = v.toString().toDouble(&ok);
    return ok;
  }
  return false;
}

qint64 Id(const QJsonObject &e, const char *key) {
  const QJsonValue v = e.value(QLatin1String(key));
  return v.isString() ? v.toString().toLongLong() : qint64(v.toDouble());
}

}  // namespace

bool LoadChromeTrace(const QByteArray &json, TraceModel *model, QString *error) {
  model->clear();
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
  if (doc.isNull()) {
    *error = QStringLiteral("not JSON: %1 at byte %2")
                 .arg(parseError.errorString())
                 .arg(parseError.offset);
    return false;
  }
  QJsonArray events;
  if (doc.isArray()) {
    events = doc.array();
  } else if (doc.object().value(QStringLiteral("traceEvents")).isArray()) {
    events = doc.object().value(QStringLiteral("traceEvents")).toArray();
  } else {
    *error = QStringLiteral(
        "not a Chrome trace: want an array of events or an object with \"traceEvents\"");
    return false;
  }
  // "B"/"E" pairs per track, closed in stack order.
  QHash<int, QList<TraceSlice>> open;
  for (int i = 0; i < events.size(); ++i) {
    if (!events[i].isObject()) {
      *error = QStringLiteral("event %1 is not an object").arg(i);
      return false;
    }
    const QJsonObject e = events[i].toObject();
    const QString ph = e.value(QStringLiteral("ph")).toString();
    const QString name = e.value(QStringLiteral("name")).toString();
    if (ph.isEmpty()) {
      *error = QStringLiteral("event %1 has no \"ph\" (phase)").arg(i);
      return false;
    }
    // Only events drawn on a thread's row create the row (not process metadata or counters).
    auto trackOf = [&] { return model->track(Id(e, "pid"), Id(e, "tid")); };
    if (ph == QStringLiteral("M")) {
      if (name == QStringLiteral("thread_name")) {
        const QString thread =
            e.value(QStringLiteral("args")).toObject().value(QStringLiteral("name")).toString();
        if (!thread.isEmpty()) {
          model->setTrackName(trackOf(), thread);
        }
      }
      continue;
    }
    double ts = 0;
    if (!Number(e, "ts", &ts)) {
      *error = QStringLiteral("event %1 (%2 \"%3\") has no numeric \"ts\"").arg(i).arg(ph, name);
      return false;
    }
    const QString cat = e.value(QStringLiteral("cat")).toString();
    if (ph == QStringLiteral("X")) {
      double dur = 0;
      if (!Number(e, "dur", &dur) || dur < 0) {
        *error = QStringLiteral("slice %1 (\"%2\") has no valid \"dur\"").arg(i).arg(name);
        return false;
      }
      model->addSlice(TraceSlice{trackOf(), ts, dur, name, cat, 0});
    } else if (ph == QStringLiteral("B")) {
      open[trackOf()].append(TraceSlice{trackOf(), ts, 0, name, cat, 0});
    } else if (ph == QStringLiteral("E")) {
      const int track = trackOf();
      if (open[track].isEmpty()) {
        model->ignoreEnd();  // its "B" came before the trace began
        continue;
      }
      TraceSlice s = open[track].takeLast();
      s.durationUs = std::max(0.0, ts - s.startUs);
      model->addSlice(s);
    } else if (ph == QStringLiteral("i") || ph == QStringLiteral("I")) {
      const QString scope = e.value(QStringLiteral("s")).toString();
      const bool global = scope == QStringLiteral("g") || scope == QStringLiteral("p");
      model->addMarker(TraceMarker{global ? -1 : trackOf(), ts, name});
    } else if (ph == QStringLiteral("C")) {
      const QJsonObject args = e.value(QStringLiteral("args")).toObject();
      for (auto it = args.begin(); it != args.end(); ++it) {
        const QString series =
            args.size() == 1 ? name : QStringLiteral("%1.%2").arg(name, it.key());
        model->addCounterValue(series, ts, it.value().toDouble());
      }
    }
  }
  model->finish();
  return true;
}

}  // namespace gale::studio
