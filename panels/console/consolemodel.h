// The console's model: one row per line of the session — what was typed, what the
// program printed, values, errors and the stack frames under them. Rows with a source
// location (errors, frames) can be activated to jump to it. Rows are only appended (or
// the whole model cleared); nothing is re-computed, every row is an engine event.
#pragma once

#include <QAbstractListModel>
#include <vector>

#include "common/location.h"

namespace sxs {

class ConsoleModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum class Kind { Input, Output, Value, Error, Frame, Info };
  enum Column { Text, ColumnCount };
  enum Role { KindRole = Qt::UserRole + 1, FileRole, LineRole, ColumnRole, RunRole };

  struct Entry {
    Kind kind;
    QString text;
    Location location;
    quint64 run = 0;
  };

  explicit ConsoleModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(entries_.size()); }
  QVariant data(const QModelIndex& index, int role) const override;

  void append(Entry e);
  // Appends a batch in one insertion (output arrives in bursts).
  void append(std::vector<Entry> batch);
  void clear();
  const Entry& entry(int row) const { return entries_[size_t(row)]; }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

}  // namespace sxs
