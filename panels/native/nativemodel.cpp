#include "native/nativemodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include "common/inspectorbridge.h"

namespace sxs {

// internalId: 0 for a group, group index + 1 for its instructions.
QModelIndex NativeModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= ColumnCount) return {};
  if (!parent.isValid()) return row < int(groups_.size()) ? createIndex(row, column, quintptr(0)) : QModelIndex();
  if (parent.internalId() != 0) return {};
  const auto& g = groups_[size_t(parent.row())];
  return row < int(g.rows.size()) ? createIndex(row, column, quintptr(parent.row() + 1)) : QModelIndex();
}

QModelIndex NativeModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int NativeModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return int(groups_.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;
  return int(groups_[size_t(parent.row())].rows.size());
}

QVariant NativeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  bool group = index.internalId() == 0;
  const auto& g = groups_[size_t(group ? index.row() : int(index.internalId() - 1))];
  if (role == BytecodeRole) return QVariant::fromValue(g.bytecodeOffset);
  if (role == GroupRole) return group;
  if (group) {
    if (role == Qt::DisplayRole && index.column() == 0)
      return g.rows.empty() ? tr("%1   (no machine code of its own)").arg(qs(g.title)) : qs(g.title);
    if (role == Qt::ToolTipRole) return tr("%1\n%2 machine instructions").arg(qs(g.title)).arg(g.rows.size());
    if (role == Qt::FontRole) {
      QFont f;
      f.setBold(!g.outOfLine);
      f.setItalic(g.outOfLine);
      return f;
    }
    if (role == Qt::ForegroundRole && g.outOfLine) return QBrush(QColor(0xb2, 0x6a, 0x00));
    return {};
  }
  const sx::inspect::NativeRow& r = g.rows[size_t(index.row())];
  if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
    switch (Column(index.column())) {
      case Address: return QStringLiteral("%1").arg(r.address, 16, 16, QLatin1Char('0'));
      case Bytes: return qs(r.bytes);
      case Instruction: return qs(r.instruction);
      case ColumnCount: break;
    }
  }
  return {};
}

QVariant NativeModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (Column(section)) {
    case Address: return tr("Address");
    case Bytes: return tr("Bytes");
    case Instruction: return tr("Instruction");
    case ColumnCount: break;
  }
  return {};
}

void NativeModel::setGroups(std::vector<sx::inspect::NativeGroup> groups) {
  beginResetModel();
  groups_ = std::move(groups);
  endResetModel();
}

QModelIndex NativeModel::groupOf(uint32_t bytecodeOffset) const {
  for (size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].bytecodeOffset == int64_t(bytecodeOffset) && !groups_[i].outOfLine) return index(int(i), 0);
  return {};
}

QList<QModelIndex> NativeModel::groupsOf(uint32_t bytecodeOffset) const {
  QList<QModelIndex> out;
  QModelIndex own = groupOf(bytecodeOffset);
  if (own.isValid()) out << own;
  for (size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].bytecodeOffset == int64_t(bytecodeOffset) && groups_[i].outOfLine) out << index(int(i), 0);
  return out;
}

int NativeModel::instructionCount() const {
  int n = 0;
  for (const auto& g : groups_) n += int(g.rows.size());
  return n;
}

}  // namespace sxs
