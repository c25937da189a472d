#include "preview/requestlogmodel.h"

#include <QBrush>
#include <QColor>

#include "common/inspectorbridge.h"

namespace sxs {

namespace {

const char* const kHeaders[] = {"#", "Method", "Path", "Status", "Time (ms)", "Performs", "Suspensions", "Error"};
static_assert(std::size(kHeaders) == RequestLogModel::ColumnCount, "one header per column");

}  // namespace

QVariant RequestLogModel::data(const QModelIndex& index, int role) const {
  const sx::inspect::HttpRequestRecord* r = record(index.row());
  if (!r) return {};
  State st = state(index.row());
  if (st != State::Done && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
    const char* what = st == State::Paused  ? QT_TR_NOOP("paused")
                       : st == State::CutOff ? QT_TR_NOOP("cut off")
                                             : QT_TR_NOOP("running");
    switch (index.column()) {
      case Status:
      case Time: return index.column() == Status ? tr(what) : QVariant(QStringLiteral("…"));
      case Ops:
      case Suspensions: return QStringLiteral("…");  // counted when it finishes
      case Error:
        if (st == State::CutOff) return tr("the server stopped before answering");
        if (st == State::Paused) return tr("paused at a perform: select to answer it");
        return QString();
      default: break;
    }
    if (role == Qt::ToolTipRole) return tr("In progress: select to see its performs so far.");
  }
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case Index: return QVariant::fromValue<qulonglong>(dropped_ + uint64_t(index.row()) + 1);
        case Method: return qs(r->method);
        case Path: return qs(r->path);
        case Status: return r->status;
        case Time: return QString::number(r->elapsedMs, 'f', 1);
        case Ops: return r->request ? QVariant(r->ops) : QVariant(QStringLiteral("—"));
        case Suspensions: return r->request ? QVariant(r->suspensions) : QVariant(QStringLiteral("—"));
        case Error: return qs(r->error);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (!r->error.empty()) return qs(r->error);
      if (!r->request) return tr("Answered by the server itself (a static file or a malformed request): no handler ran.");
      return tr("%1 performs recorded; select to show them in the Suspensions panel.").arg(r->performs.size());
    case Qt::ForegroundRole:
      if (index.column() == Status && r->status >= 500) return QBrush(QColor(0xc0, 0x20, 0x20));
      if (index.column() == Status && r->status >= 400) return QBrush(QColor(0xb0, 0x70, 0x00));
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == Index || index.column() == Status || index.column() == Time || index.column() == Ops ||
          index.column() == Suspensions)
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case RequestRole: return QVariant::fromValue<qulonglong>(r->request);
    case SessionRole: return QVariant::fromValue<qulonglong>(r->session);
    case StatusRole: return r->status;
    case FailedRole: return r->diagnostic.has_value() || !r->error.empty();
    case StateRole: return int(st);
    default: return {};
  }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount) return {};
  return tr(kHeaders[section]);
}

std::optional<sx::inspect::HttpRequestRecord> RequestLogModel::push(Row row) {
  std::optional<sx::inspect::HttpRequestRecord> dropped;
  if (rows_.size() >= size_t(kMaxRows)) {
    beginRemoveRows({}, 0, 0);
    dropped = std::move(rows_.front().record);
    rows_.pop_front();
    ++dropped_;
    endRemoveRows();
  }
  int at = int(rows_.size());
  beginInsertRows({}, at, at);
  rows_.push_back(std::move(row));
  endInsertRows();
  return dropped;
}

std::optional<sx::inspect::HttpRequestRecord> RequestLogModel::begin(const sx::inspect::HttpRequestStarted& s) {
  sx::inspect::HttpRequestRecord r;
  r.session = s.session;
  r.request = s.request;
  r.method = s.method;
  r.path = s.path;
  return push(Row{std::move(r), State::Running});
}

std::optional<sx::inspect::HttpRequestRecord> RequestLogModel::finish(sx::inspect::HttpRequestRecord r) {
  int row = rowOf(r.session, r.request);
  if (row < 0) return push(Row{std::move(r), State::Done});
  rows_[size_t(row)] = Row{std::move(r), State::Done};
  Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
  return std::nullopt;
}

void RequestLogModel::setPaused(uint64_t session, uint64_t request, bool paused) {
  int row = rowOf(session, request);
  if (row < 0 || rows_[size_t(row)].state == State::Done) return;
  rows_[size_t(row)].state = paused ? State::Paused : State::Running;
  Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void RequestLogModel::cutOff(uint64_t session) {
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].record.session != session || rows_[i].state == State::Done || rows_[i].state == State::CutOff) continue;
    rows_[i].state = State::CutOff;
    Q_EMIT dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
  }
}

RequestLogModel::State RequestLogModel::state(int row) const {
  return row >= 0 && size_t(row) < rows_.size() ? rows_[size_t(row)].state : State::Done;
}

void RequestLogModel::clearFinished() {
  beginResetModel();
  std::erase_if(rows_, [](const Row& r) { return r.state == State::Done || r.state == State::CutOff; });
  dropped_ = 0;
  endResetModel();
}

const sx::inspect::HttpRequestRecord* RequestLogModel::record(int row) const {
  return row >= 0 && size_t(row) < rows_.size() ? &rows_[size_t(row)].record : nullptr;
}

int RequestLogModel::rowOf(uint64_t session, uint64_t request) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].record.session == session && rows_[i].record.request == request && request != 0) return int(i);
  return -1;
}

}  // namespace sxs
