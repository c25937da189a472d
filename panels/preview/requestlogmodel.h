// The preview's request log: one row per request the server answered (method, path,
// status, time, performs and suspensions), newest last, at most kMaxRows (the oldest go).
#pragma once

#include <QAbstractTableModel>
#include <deque>

#include "inspect/preview.h"

namespace sxs {

class RequestLogModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Index, Method, Path, Status, Time, Ops, Suspensions, Error, ColumnCount };
  enum Role { RequestRole = Qt::UserRole + 1, SessionRole, StatusRole, FailedRole };
  static constexpr int kMaxRows = 2000;

  explicit RequestLogModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  // Appends a record; returns the record that fell off the front to make room, if any.
  std::optional<sx::inspect::HttpRequestRecord> append(sx::inspect::HttpRequestRecord r);
  void clear();
  const sx::inspect::HttpRequestRecord* record(int row) const;
  // The row of a handler's request (session and request id), or -1.
  int rowOf(uint64_t session, uint64_t request) const;

 private:
  std::deque<sx::inspect::HttpRequestRecord> rows_;
  uint64_t dropped_ = 0;  // rows that fell off the front (keeps the # column counting)
};

}  // namespace sxs
