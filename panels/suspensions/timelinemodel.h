// The suspensions timeline: one row per perform of the current run, with how and when it
// was answered. Replaced whole on every change (beginResetModel/endResetModel).
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

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(entries_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  void setEntries(std::vector<TimelineEntry> entries);
  const TimelineEntry* entry(int row) const;
  int rowOf(uint64_t perform) const;

 private:
  std::vector<TimelineEntry> entries_;
};

}  // namespace sxs
