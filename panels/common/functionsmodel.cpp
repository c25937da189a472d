#include "common/functionsmodel.h"

#include <QBrush>
#include <QColor>

#include "common/inspectorbridge.h"

namespace sxs {

QString FunctionsModel::statusText(const sx::inspect::FunctionSummary& f) {
  if (f.tier == "jit") return tr("native code");
  if (f.tier == "vm") return tr("bytecode only: %1").arg(qs(f.jitRefusal));
  return qs(f.refusal);
}

QString FunctionsModel::countsText(const sx::inspect::FunctionSummary& f) {
  QStringList parts;
  for (const auto& c : f.counts) parts << QStringLiteral("%1 %2 (%3)").arg(qs(c.reason)).arg(c.count).arg(qs(c.kind));
  return parts.join(QStringLiteral(", "));
}

QColor FunctionsModel::tierColor(const std::string& tier) {
  if (tier == "jit") return QColor(0x2e, 0x7d, 0x32);
  if (tier == "vm") return QColor(0x15, 0x65, 0xc0);
  return QColor(0x8d, 0x6e, 0x63);
}

QVariant FunctionsModel::data(const QModelIndex& index, int role) const {
  const sx::inspect::FunctionSummary* f = function(index.row());
  if (!f) return {};
  auto size = [](uint32_t n) { return n ? QVariant(n) : QVariant(); };
  if (role == Qt::DisplayRole) {
    switch (Column(index.column())) {
      case Function: return qs(f->label);
      case Tier: return qs(f->tier);
      case Calls: return QVariant::fromValue(f->calls);
      case Bytecode: return size(f->bytecodeSize);
      case Native: return size(f->nativeSize);
      case Deopts: return f->nativeSize ? QVariant::fromValue(f->deopts) : QVariant();
      case Status: return statusText(*f);
      case ColumnCount: break;
    }
    return {};
  }
  if (role == Qt::ToolTipRole) {
    QString where = f->span.known() ? tr("%1, line %2").arg(qs(f->span.file)).arg(f->span.line) : tr("no source location");
    QString tip = QStringLiteral("%1\n%2\n%3").arg(qs(f->label), where, statusText(*f));
    QString counts = countsText(*f);
    if (!counts.isEmpty()) tip += tr("\nslow paths, deopts and exits: %1").arg(counts);
    return tip;
  }
  if (role == Qt::ForegroundRole && index.column() == Tier) return QBrush(tierColor(f->tier));
  if (role == Qt::TextAlignmentRole && index.column() >= Calls && index.column() <= Deopts)
    return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role == IdRole) return QVariant::fromValue(f->id);
  if (role == SortRole) {
    switch (Column(index.column())) {
      case Calls: return QVariant::fromValue(f->calls);
      case Bytecode: return f->bytecodeSize;
      case Native: return f->nativeSize;
      case Deopts: return QVariant::fromValue(f->deopts);
      default: return data(index, Qt::DisplayRole);
    }
  }
  return {};
}

QVariant FunctionsModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (Column(section)) {
    case Function: return tr("Function");
    case Tier: return tr("Tier");
    case Calls: return tr("Calls");
    case Bytecode: return tr("Bytecode");
    case Native: return tr("Native");
    case Deopts: return tr("Deopts");
    case Status: return tr("Compiled, or why not");
    case ColumnCount: break;
  }
  return {};
}

void FunctionsModel::setFunctions(std::vector<sx::inspect::FunctionSummary> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

const sx::inspect::FunctionSummary* FunctionsModel::function(int row) const {
  return row >= 0 && row < int(rows_.size()) ? &rows_[size_t(row)] : nullptr;
}

const sx::inspect::FunctionSummary* FunctionsModel::byId(uint64_t id) const { return function(rowOf(id)); }

int FunctionsModel::rowOf(uint64_t id) const {
  for (size_t i = 0; i < rows_.size(); ++i)
    if (rows_[i].id == id) return int(i);
  return -1;
}

FunctionsFilter::FunctionsFilter(FunctionsModel* source, QObject* parent) : QSortFilterProxyModel(parent), source_(source) {
  setSourceModel(source);
  setSortRole(FunctionsModel::SortRole);
}

void FunctionsFilter::setShowPrelude(bool show) {
  showPrelude_ = show;
  invalidateRowsFilter();
}

void FunctionsFilter::setText(const QString& text) {
  text_ = text;
  invalidateRowsFilter();
}

bool FunctionsFilter::filterAcceptsRow(int row, const QModelIndex&) const {
  const sx::inspect::FunctionSummary* f = source_->function(row);
  if (!f || (f->prelude && !showPrelude_)) return false;
  return text_.isEmpty() || qs(f->label).contains(text_, Qt::CaseInsensitive);
}

bool FunctionsModel::sameCode(const sx::inspect::FunctionSummary& a, const sx::inspect::FunctionSummary& b) {
  // A deopt can lead to new native code at the same size: a changed deopt count refetches.
  return a.id == b.id && a.tier == b.tier && a.bytecodeSize == b.bytecodeSize && a.nativeSize == b.nativeSize &&
         a.deopts == b.deopts && a.refusal == b.refusal && a.jitRefusal == b.jitRefusal;
}

bool FunctionsModel::sameCounts(const sx::inspect::FunctionSummary& a, const sx::inspect::FunctionSummary& b) {
  if (a.calls != b.calls || a.counts.size() != b.counts.size()) return false;
  for (size_t i = 0; i < a.counts.size(); ++i)
    if (a.counts[i].reason != b.counts[i].reason || a.counts[i].kind != b.counts[i].kind || a.counts[i].count != b.counts[i].count)
      return false;
  return true;
}

}  // namespace sxs
