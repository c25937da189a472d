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
    default: return {};
  }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount) return {};
  return tr(kHeaders[section]);
}

std::optional<sx::inspect::HttpRequestRecord> RequestLogModel::append(sx::inspect::HttpRequestRecord r) {
  std::optional<sx::inspect::HttpRequestRecord> dropped;
  if (rows_.size() >= size_t(kMaxRows)) {
    beginRemoveRows({}, 0, 0);
    dropped = std::move(rows_.front());
    rows_.pop_front();
    ++dropped_;
    endRemoveRows();
  }
  int row = int(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back(std::move(r));
  endInsertRows();
  return dropped;
}

void RequestLogModel::clear() {
  beginResetModel();
  rows_.clear();
  dropped_ = 0;
  endResetModel();
}

const sx::inspect::HttpRequestRecord* RequestLogModel::record(int row) const {
  return row >= 0 && size_t(row) < rows_.size() ? &rows_[size_t(row)] : nullptr;
}

int RequestLogModel::rowOf(uint64_t session, uint64_t request) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].session == session && rows_[i].request == request && request != 0) return int(i);
  return -1;
}

}  // namespace sxs
