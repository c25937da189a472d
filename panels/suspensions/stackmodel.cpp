#include "suspensions/stackmodel.h"

#include <QFileInfo>
#include <QFont>
#include <QTreeView>

#include "common/inspectorbridge.h"

namespace sxs {

namespace {

constexpr quintptr kTopLevel = 0;  // internalId of frame rows; child rows carry frame row + 1

QString locationText(const sx::inspect::SourcePos& p) {
  if (!p.known()) return QString();
  return QStringLiteral("%1:%2:%3").arg(QFileInfo(qs(p.file)).fileName()).arg(p.line).arg(p.col);
}

}  // namespace

const sx::inspect::FrameSnapshot& StackModel::frameAt(int row) const {
  const auto& frames = snapshot_->frames;
  return *frames[frames.size() - 1 - size_t(row)];
}

void StackModel::setSnapshot(std::optional<sx::inspect::FiberSnapshot> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  children_.clear();
  if (snapshot_) {
    for (int row = 0; row < int(snapshot_->frames.size()); ++row) {
      const sx::inspect::FrameSnapshot& f = frameAt(row);
      std::vector<Child> kids;
      if (f.ho) {
        const sx::inspect::HoState& h = *f.ho;
        QString progress = h.total || h.index ? tr("item %1 of %2").arg(h.index + 1).arg(h.total) : QString();
        kids.push_back({RowKind::Loop, qs(h.primitive), tr("calling %1%2%3").arg(qs(h.function), progress.isEmpty() ? QString() : QStringLiteral(", "), progress)});
        if (!h.accumulatedLabel.empty()) kids.push_back({RowKind::Loop, qs(h.accumulatedLabel), qs(h.accumulated)});
      }
      for (const auto& l : f.locals) kids.push_back({RowKind::Local, qs(l.name), qs(l.value)});
      for (size_t i = 0; i < f.values.size(); ++i)
        kids.push_back({RowKind::Value, tr("stack[%1]").arg(i), qs(f.values[i])});
      children_.push_back(std::move(kids));
    }
  }
  endResetModel();
}

QModelIndex StackModel::index(int row, int column, const QModelIndex& parent) const {
  if (!snapshot_ || column < 0 || column >= ColumnCount || row < 0) return {};
  if (!parent.isValid()) return row < int(snapshot_->frames.size()) ? createIndex(row, column, kTopLevel) : QModelIndex();
  if (parent.internalId() != kTopLevel) return {};
  if (row >= int(children_[size_t(parent.row())].size())) return {};
  return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex StackModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kTopLevel) return {};
  return createIndex(int(child.internalId() - 1), 0, kTopLevel);
}

int StackModel::rowCount(const QModelIndex& parent) const {
  if (!snapshot_) return 0;
  if (!parent.isValid()) return int(snapshot_->frames.size());
  if (parent.internalId() != kTopLevel || parent.column() != 0) return 0;
  return int(children_[size_t(parent.row())].size());
}

QVariant StackModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !snapshot_) return {};
  if (index.internalId() != kTopLevel) {
    const Child& c = children_[size_t(index.internalId() - 1)][size_t(index.row())];
    if (role == RowKindRole) return int(c.kind);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    // Child rows span the whole width (the view sets that): "name = value".
    if (index.column() == Frame) return c.name + QStringLiteral(" = ") + c.value;
    return {};
  }
  const sx::inspect::FrameSnapshot& f = frameAt(index.row());
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
      switch (Column(index.column())) {
        case Frame: return qs(f.kind);
        case Function:
          if (!f.function.empty()) return qs(f.function);
          return f.span.known() ? tr("(top level)") : QString();
        case Tier: return f.offset ? QStringLiteral("%1 @%2").arg(qs(f.tier)).arg(*f.offset) : qs(f.tier);
        case Location: return role == Qt::ToolTipRole && f.span.known() ? qs(f.span.file) : locationText(f.span);
        case Detail: return f.note.empty() ? qs(f.about) : QStringLiteral("%1: %2").arg(qs(f.about), qs(f.note));
        case ColumnCount: break;
      }
      return {};
    case Qt::FontRole: {
      if (f.kind != "perform" && !f.ho) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    case FileRole: return qs(f.span.file);
    case LineRole: return int(f.span.line);
    case ColumnRole: return int(f.span.col);
    case RowKindRole: return int(RowKind::Frame);
    default: return {};
  }
}

void StackModel::showAll(QTreeView* view) {
  QAbstractItemModel* m = view->model();
  for (int row = 0; row < m->rowCount(); ++row) {
    QModelIndex frame = m->index(row, 0);
    for (int k = 0; k < m->rowCount(frame); ++k) view->setFirstColumnSpanned(k, frame, true);
  }
  view->expandAll();
}

QVariant StackModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (Column(section)) {
    case Frame: return tr("Frame");
    case Function: return tr("Function");
    case Tier: return tr("Tier");
    case Location: return tr("Location");
    case Detail: return tr("Detail / value");
    case ColumnCount: break;
  }
  return {};
}

}  // namespace sxs
