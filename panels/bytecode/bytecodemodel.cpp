#include "bytecode/bytecodemodel.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QFont>
#include <algorithm>

#include "common/inspectorbridge.h"

namespace sxs {

QVariant BytecodeModel::data(const QModelIndex& index, int role) const {
  const sx::inspect::BytecodeRow* r = row(index.row());
  if (!r) return {};
  bool hasNative = std::binary_search(native_.begin(), native_.end(), r->offset);
  if (role == Qt::DisplayRole) {
    switch (Column(index.column())) {
      case Offset: return QStringLiteral("%1").arg(r->offset, 4, 10, QLatin1Char('0'));
      case Opcode: return qs(r->opcode);
      case Operands: return qs(r->operands);
      case Source:
        if (!r->span.known()) return {};
        return QStringLiteral("%1:%2:%3").arg(QFileInfo(qs(r->span.file)).fileName()).arg(r->span.line).arg(r->span.col);
      case ColumnCount: break;
    }
    return {};
  }
  if (role == Qt::ToolTipRole) {
    QString tip = QStringLiteral("%1  %2 %3 (%4 bytes)").arg(r->offset).arg(qs(r->opcode), qs(r->operands)).arg(r->size);
    if (r->span.known()) tip += tr("\nfrom %1, line %2, column %3").arg(qs(r->span.file)).arg(r->span.line).arg(r->span.col);
    if (r->target >= 0) tip += tr("\njumps to %1").arg(r->target);
    if (hasNative) tip += tr("\nhas native code (Native Code panel)");
    return tip;
  }
  if (role == Qt::FontRole && index.column() == Opcode) {
    QFont f;
    f.setBold(true);
    return f;
  }
  if (role == Qt::ForegroundRole && index.column() == Offset && hasNative) return QBrush(QColor(0x2e, 0x7d, 0x32));
  if (role == OffsetRole) return r->offset;
  if (role == TargetRole) return QVariant::fromValue(r->target);
  if (role == HasNativeRole) return hasNative;
  return {};
}

QVariant BytecodeModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (Column(section)) {
    case Offset: return tr("Offset");
    case Opcode: return tr("Opcode");
    case Operands: return tr("Operands");
    case Source: return tr("Source");
    case ColumnCount: break;
  }
  return {};
}

void BytecodeModel::setRows(std::vector<sx::inspect::BytecodeRow> rows, std::vector<uint32_t> native) {
  beginResetModel();
  rows_ = std::move(rows);
  native_ = std::move(native);
  std::sort(native_.begin(), native_.end());
  endResetModel();
}

const sx::inspect::BytecodeRow* BytecodeModel::row(int r) const {
  return r >= 0 && r < int(rows_.size()) ? &rows_[size_t(r)] : nullptr;
}

int BytecodeModel::rowOfOffset(uint32_t offset) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), offset, [](const auto& r, uint32_t o) { return r.offset < o; });
  if (it == rows_.end() || it->offset != offset) return -1;
  return int(it - rows_.begin());
}

}  // namespace sxs
