// The preview's request log: one row per request (method, path, status, time, performs
// and suspensions), newest last, at most kMaxRows (the oldest go). A request a handler is
// running is a row in progress — paused, in step mode — until its record replaces it.
#pragma once

#include <QAbstractTableModel>
#include <deque>

#include "inspect/preview.h"

namespace sxs {

class RequestLogModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Index, Method, Path, Status, Time, Ops, Suspensions, Error, ColumnCount };
  enum Role { RequestRole = Qt::UserRole + 1, SessionRole, StatusRole, FailedRole, StateRole };
  enum class State { Running, Paused, Done, CutOff };
  static constexpr int kMaxRows = 2000;

  explicit RequestLogModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  // A request in progress: a new row. Returns the record that fell off the front to make
  // room, if any.
  std::optional<sx::inspect::HttpRequestRecord> begin(const sx::inspect::HttpRequestStarted& s);
  // A finished request: replaces its row in progress, or is appended (returns as begin).
  std::optional<sx::inspect::HttpRequestRecord> finish(sx::inspect::HttpRequestRecord r);
  void setPaused(uint64_t session, uint64_t request, bool paused);
  // Rows of `session` still in progress will never finish (the server stopped).
  void cutOff(uint64_t session);
  // Removes the finished and cut-off rows; requests in progress stay. Numbering restarts.
  void clearFinished();
  const sx::inspect::HttpRequestRecord* record(int row) const;
  State state(int row) const;
  // The row of a handler's request (session and request id), or -1.
  int rowOf(uint64_t session, uint64_t request) const;

 private:
  struct Row {
    sx::inspect::HttpRequestRecord record;
    State state = State::Done;
  };
  std::optional<sx::inspect::HttpRequestRecord> push(Row row);

  std::deque<Row> rows_;
  uint64_t dropped_ = 0;  // rows that fell off the front (keeps the # column counting)
};

}  // namespace sxs
