// The suspensions timeline: one row per perform of the current run, with how and when it
// was answered. It shows the entries the suspensions panel keeps (no copy): replaced whole
// when a new run starts, else the rows performed since the last update are inserted and the
// changed ones reported, so a long run's refresh costs what it added.
#pragma once

#include <QAbstractTableModel>
#include <optional>
#include <vector>

#include "inspect/inspector.h"

namespace sxs {

struct TimelineEntry {
  sx::inspect::Performed performed;
  std::optional<sx::inspect::Resumed> resumed;
  std::optional<std::string> answer;  // an SX handler's answer (HandlerAnswered)
  bool paused = false;                // waiting for the user (step mode)
};

class TimelineModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Index, Op, Request, Mode, Resolver, Suspended, Answer, How, Check, ColumnCount };
  enum Role { PerformRole = Qt::UserRole + 1, PausedRole, AgreesRole };

  explicit TimelineModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(shown_); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  // Shows all of `source` (kept by the caller, who only appends to it or changes entries
  // until the next reset); null shows nothing.
  void reset(const std::vector<TimelineEntry>* source);
  // The same rows, now kept in `source` (the caller moved them): nothing to redraw.
  void repoint(const std::vector<TimelineEntry>* source) { source_ = source; }
  // The source's entries from `firstChanged` on changed; the rows past the shown ones are new.
  void update(size_t firstChanged);
  const TimelineEntry* entry(int row) const;
  int rowOf(uint64_t perform) const;

 private:
  const std::vector<TimelineEntry>* source_ = nullptr;
  size_t shown_ = 0;  // rows shown: a prefix of *source_
};

}  // namespace sxs
