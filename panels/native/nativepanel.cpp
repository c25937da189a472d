#include "native/nativepanel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

#include "common/functionsmodel.h"
#include "common/inspectorbridge.h"
#include "common/panellayout.h"

namespace sxs {

namespace {


}  // namespace

NativePanel::NativePanel(InspectorBridge& bridge, QWidget* parent) : QWidget(parent), bridge_(bridge) {
  setObjectName(QStringLiteral("nativePanel"));
  header_ = new QLabel(tr("Select a function in the Bytecode panel."), this);
  header_->setObjectName(QStringLiteral("nativeHeader"));
  header_->setWordWrap(true);
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  view_ = new QTreeView(this);
  view_->setObjectName(QStringLiteral("nativeView"));
  view_->setModel(&model_);
  view_->setUniformRowHeights(true);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  view_->header()->setStretchLastSection(true);
  view_->setColumnWidth(NativeModel::Address, 170);
  view_->setColumnWidth(NativeModel::Bytes, 190);
  counts_ = new QTableWidget(0, 4, this);
  counts_->setObjectName(QStringLiteral("nativeCountsView"));
  counts_->setHorizontalHeaderLabels({tr("Reason"), tr("Kind"), tr("Count"), tr("Meaning")});
  counts_->verticalHeader()->hide();
  counts_->horizontalHeader()->setStretchLastSection(true);
  counts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  counts_->setSelectionMode(QAbstractItemView::NoSelection);
  split_ = new QSplitter(Qt::Vertical, this);
  split_->setObjectName(QStringLiteral("nativeSplitter"));
  split_->addWidget(view_);
  split_->addWidget(counts_);
  split_->setStretchFactor(0, 4);
  split_->setStretchFactor(1, 1);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(2, 2, 2, 2);
  l->setSpacing(2);
  l->addWidget(header_);
  l->addWidget(split_, 1);

  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NativePanel::onSelection);
  connect(&bridge_, &InspectorBridge::listingReady, this, &NativePanel::onListing);
  connect(&bridge_, &InspectorBridge::functionsUpdated, this, &NativePanel::onFunctions);
}

// A run that only called the shown function more (or took its slow paths more) updates the
// header and counts here; new code comes with the listing the bytecode panel asks for.
void NativePanel::onFunctions(const sx::inspect::FunctionsUpdated& e) {
  if (!shownListing_ || current_ != shown_) return;
  const sx::inspect::FunctionSummary& was = shownListing_->function;
  for (const sx::inspect::FunctionSummary& f : e.functions) {
    if (f.id != was.id) continue;
    if (FunctionsModel::sameCode(f, shownSummary_) && !FunctionsModel::sameCounts(f, shownSummary_)) {
      shownSummary_ = f;
      showSummary(f, *shownListing_);
    }
    return;
  }
}

QString NativePanel::headerText() const { return header_->text(); }

QList<int64_t> NativePanel::selectedBytecode() const {
  QList<int64_t> out;
  for (const QModelIndex& i : view_->selectionModel()->selectedRows()) {
    int64_t off = i.data(NativeModel::BytecodeRole).toLongLong();
    if (off >= 0 && !out.contains(off)) out << off;
  }
  std::sort(out.begin(), out.end());
  return out;
}

void NativePanel::setFunction(uint64_t id, bool requested) {
  if (current_ == id) return;
  current_ = id;
  if (shown_ != id && !requested) bridge_.inspector().requestListing(id);
}

void NativePanel::onListing(const sx::inspect::ListingReady& e) {
  if (!current_ || e.function != *current_) return;
  if (!e.listing) {
    header_->setText(qs(e.error));
    model_.setGroups({});
    counts_->setRowCount(0);
    shown_.reset();
    shownListing_.reset();
    return;
  }
  shownListing_ = e.listing;
  shownSummary_ = e.listing->function;
  show(*e.listing);
}

void NativePanel::show(const sx::inspect::FunctionListing& l) {
  const sx::inspect::FunctionSummary& f = l.function;
  // A new listing of the same function (after a run) keeps its selection.
  QList<int64_t> keep = shown_ == f.id ? selectedBytecode() : QList<int64_t>();
  shown_ = f.id;
  {
    QScopedValueRollback<bool> guard(syncing_, true);
    model_.setGroups(l.native);
  }
  for (int g = 0; g < model_.rowCount(); ++g) view_->setFirstColumnSpanned(g, QModelIndex(), true);
  view_->expandAll();
  if (!keep.isEmpty()) selectBytecode(uint32_t(keep.first()));
  showSummary(f, l);
}

// The header and the counts table: the code's shape from `l`, the counts from `f`.
void NativePanel::showSummary(const sx::inspect::FunctionSummary& f, const sx::inspect::FunctionListing& l) {
  QString name = qs(f.label).toHtmlEscaped();
  if (l.native.empty()) {
    QString why = f.tier == "cek" ? qs(f.refusal) : qs(f.jitRefusal);
    header_->setText(tr("<b>%1</b> — not compiled: %2").arg(name, why.toHtmlEscaped()));
  } else {
    header_->setText(tr("<b>%1</b> — %2 bytes of native code at 0x%3 from %4 bytes of bytecode, %5 calls, %6 deopts")
                         .arg(name)
                         .arg(f.nativeSize)
                         .arg(l.nativeAddress, 0, 16)
                         .arg(f.bytecodeSize)
                         .arg(f.calls)
                         .arg(f.deopts));
  }
  counts_->setRowCount(int(f.counts.size()));
  for (size_t i = 0; i < f.counts.size(); ++i) {
    const auto& c = f.counts[i];
    int r = int(i);
    counts_->setItem(r, 0, new QTableWidgetItem(qs(c.reason)));
    counts_->setItem(r, 1, new QTableWidgetItem(qs(c.kind)));
    auto* n = new QTableWidgetItem(QString::number(c.count));
    n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    counts_->setItem(r, 2, n);
    counts_->setItem(r, 3, new QTableWidgetItem(qs(c.text)));
  }
}

void NativePanel::selectBytecode(uint32_t offset) {
  QScopedValueRollback<bool> guard(syncing_, true);
  QList<QModelIndex> groups = model_.groupsOf(offset);
  auto* sm = view_->selectionModel();
  if (groups.isEmpty()) {
    sm->clearSelection();
    return;
  }
  QItemSelection sel;
  for (const QModelIndex& g : groups) {
    sel.select(g, g.siblingAtColumn(NativeModel::ColumnCount - 1));
    int n = model_.rowCount(g);
    if (n > 0) sel.select(model_.index(0, 0, g), model_.index(n - 1, NativeModel::ColumnCount - 1, g));
  }
  sm->setCurrentIndex(groups.first(), QItemSelectionModel::NoUpdate);
  sm->select(sel, QItemSelectionModel::ClearAndSelect);
  view_->scrollTo(groups.first(), QAbstractItemView::PositionAtTop);
}

void NativePanel::onSelection() {
  if (syncing_) return;
  QModelIndex cur = view_->selectionModel()->currentIndex();
  int64_t off = cur.isValid() ? cur.data(NativeModel::BytecodeRole).toLongLong() : -1;
  if (off >= 0) Q_EMIT bytecodeSelected(uint32_t(off));
}

PanelLayout NativePanel::layout() const { return PanelLayout{1, {split_}, {view_->header()}}; }

QByteArray NativePanel::saveState() const { return layout().save(); }

void NativePanel::restoreState(const QByteArray& state) { layout().restore(state); }

}  // namespace sxs
