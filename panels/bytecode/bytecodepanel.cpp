#include "bytecode/bytecodepanel.h"

#include <QCheckBox>
#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "common/inspectorbridge.h"
#include "common/panellayout.h"

namespace sxs {

namespace {


QTableView* makeTable(const QString& name, QWidget* parent) {
  auto* v = new QTableView(parent);
  v->setObjectName(name);
  v->setSelectionBehavior(QAbstractItemView::SelectRows);
  v->verticalHeader()->hide();
  v->verticalHeader()->setDefaultSectionSize(v->fontMetrics().height() + 4);
  v->horizontalHeader()->setStretchLastSection(true);
  v->setWordWrap(false);
  v->setAlternatingRowColors(true);
  return v;
}

// The document range of a span, when it is in `file`.
std::pair<int, int> rangeIn(const QString& file, const sx::inspect::SourcePos& span, const BytecodePanel::RangeOf& rangeOf) {
  if (!span.known() || !sameSource(qs(span.file), file)) return {-1, -1};
  return rangeOf(span);
}

}  // namespace

bool sameSource(const QString& a, const QString& b) { return QDir::cleanPath(a) == QDir::cleanPath(b); }

BytecodePanel::BytecodePanel(InspectorBridge& bridge, QWidget* parent) : QWidget(parent), bridge_(bridge) {
  setObjectName(QStringLiteral("bytecodePanel"));
  filterEdit_ = new QLineEdit(this);
  filterEdit_->setObjectName(QStringLiteral("functionFilter"));
  filterEdit_->setPlaceholderText(tr("Filter functions"));
  filterEdit_->setClearButtonEnabled(true);
  preludeBox_ = new QCheckBox(tr("Prelude"), this);
  preludeBox_->setObjectName(QStringLiteral("bytecodeShowPrelude"));
  preludeBox_->setToolTip(tr("Also list the functions of the engine's built-in prelude"));
  filter_ = new FunctionsFilter(&functions_, this);
  functionView_ = makeTable(QStringLiteral("bytecodeFunctionsView"), this);
  functionView_->setModel(filter_);
  functionView_->setSelectionMode(QAbstractItemView::SingleSelection);
  for (int c = FunctionsModel::Bytecode; c < FunctionsModel::ColumnCount; ++c) functionView_->hideColumn(c);
  functionView_->setColumnWidth(FunctionsModel::Function, 260);
  functionView_->setColumnWidth(FunctionsModel::Tier, 50);

  header_ = new QLabel(tr("Run some code: the functions it calls appear above."), this);
  header_->setObjectName(QStringLiteral("bytecodeHeader"));
  header_->setWordWrap(true);
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  listingView_ = makeTable(QStringLiteral("bytecodeListingView"), this);
  listingView_->setModel(&listing_);
  listingView_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  listingView_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  listingView_->setColumnWidth(BytecodeModel::Offset, 50);
  listingView_->setColumnWidth(BytecodeModel::Opcode, 130);
  listingView_->setColumnWidth(BytecodeModel::Operands, 150);
  constants_ = new QListWidget(this);
  constants_->setObjectName(QStringLiteral("bytecodeConstantsView"));
  constants_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  constants_->setToolTip(tr("The function's constants, by index (k0, k1, ...)"));

  auto* top = new QWidget(this);
  auto* tl = new QVBoxLayout(top);
  tl->setContentsMargins(0, 0, 0, 0);
  tl->setSpacing(2);
  auto* filterRow = new QHBoxLayout;
  filterRow->addWidget(filterEdit_, 1);
  filterRow->addWidget(preludeBox_);
  tl->addLayout(filterRow);
  tl->addWidget(functionView_, 1);
  auto* code = new QWidget(this);
  auto* cl = new QVBoxLayout(code);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->setSpacing(2);
  cl->addWidget(header_);
  cl->addWidget(listingView_, 1);
  split_ = new QSplitter(Qt::Vertical, this);
  split_->setObjectName(QStringLiteral("bytecodeSplitter"));
  split_->addWidget(top);
  split_->addWidget(code);
  split_->addWidget(constants_);
  split_->setStretchFactor(0, 2);
  split_->setStretchFactor(1, 5);
  split_->setStretchFactor(2, 1);
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(2, 2, 2, 2);
  l->addWidget(split_);

  connect(filterEdit_, &QLineEdit::textChanged, filter_, &FunctionsFilter::setText);
  connect(preludeBox_, &QCheckBox::toggled, filter_, &FunctionsFilter::setShowPrelude);
  connect(functionView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &BytecodePanel::onFunctionRowChanged);
  connect(listingView_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BytecodePanel::onListingSelection);
  connect(&bridge_, &InspectorBridge::functionsUpdated, this, &BytecodePanel::onFunctions);
  connect(&bridge_, &InspectorBridge::listingReady, this, &BytecodePanel::onListing);
}

QString BytecodePanel::headerText() const { return header_->text(); }

QList<uint32_t> BytecodePanel::selectedOffsets() const {
  QList<uint32_t> out;
  for (const QModelIndex& i : listingView_->selectionModel()->selectedRows()) out << listing_.row(i.row())->offset;
  std::sort(out.begin(), out.end());
  return out;
}

void BytecodePanel::onFunctions(const sx::inspect::FunctionsUpdated& e) {
  std::optional<uint64_t> keep = current_;
  functions_.setFunctions(e.functions);
  if (!keep && filter_->rowCount() > 0) keep = filter_->index(0, 0).data(FunctionsModel::IdRole).toULongLong();
  const sx::inspect::FunctionSummary* now = keep ? functions_.byId(*keep) : nullptr;
  if (!now) {
    current_.reset();
    return;
  }
  // Ask for the listing again only when the code changed (a new tier, new native code); a
  // run that only called it more updates the header here (the native panel does the same).
  bool codeChanged = !shown_ || !shownListing_ || !FunctionsModel::sameCode(*shown_, *now);
  bool countsChanged = !codeChanged && !FunctionsModel::sameCounts(*shown_, *now);
  bool fresh = current_ != keep;
  sx::inspect::FunctionSummary latest = *now;  // selectFunction may change the filter, not the model
  selectFunction(*keep);  // a fresh choice asks for its listing itself
  if (fresh) return;
  if (codeChanged) {
    bridge_.inspector().requestListing(*keep);
  } else if (countsChanged) {
    shown_ = latest;
    header_->setText(headerFor(latest, *shownListing_));
  }
}

void BytecodePanel::selectFunction(uint64_t id) {
  int row = functions_.rowOf(id);
  if (row < 0) return;
  QModelIndex idx = filter_->mapFromSource(functions_.index(row, FunctionsModel::Function));
  if (!idx.isValid()) {  // hidden by the filter
    filterEdit_->clear();
    if (functions_.function(row)->prelude) preludeBox_->setChecked(true);
    idx = filter_->mapFromSource(functions_.index(row, FunctionsModel::Function));
  }
  functionView_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  functionView_->scrollTo(idx);
  if (current_ != id) {  // selecting the row it already had changes nothing above
    current_ = id;
    bridge_.inspector().requestListing(id);
    Q_EMIT functionSelected(id);
  }
}

void BytecodePanel::onFunctionRowChanged() {
  QModelIndex idx = filter_->mapToSource(functionView_->selectionModel()->currentIndex());
  const sx::inspect::FunctionSummary* f = functions_.function(idx.row());
  if (!f || current_ == f->id) return;
  pending_.reset();
  current_ = f->id;
  bridge_.inspector().requestListing(f->id);
  Q_EMIT functionSelected(f->id);
}

void BytecodePanel::onListing(const sx::inspect::ListingReady& e) {
  if (!current_ || e.function != *current_) return;
  if (!e.listing) {
    header_->setText(qs(e.error));
    listing_.setRows({}, {});
    constants_->clear();
    shown_.reset();
    shownListing_.reset();
    return;
  }
  shownListing_ = e.listing;
  showListing(*e.listing);
  if (pending_) {
    PendingSource p = std::move(*pending_);
    pending_.reset();
    selectRowsAt(p.file, p.pos, p.rangeOf, Origin::Source);
  }
}

void BytecodePanel::showListing(const sx::inspect::FunctionListing& l) {
  const sx::inspect::FunctionSummary& f = l.function;
  // A new listing of the same function (after a run) keeps the instructions selected.
  QList<uint32_t> keep = shown_ && shown_->id == f.id ? selectedOffsets() : QList<uint32_t>();
  shown_ = f;
  header_->setText(headerFor(f, l));
  std::vector<uint32_t> native;
  for (const auto& g : l.native)
    if (g.bytecodeOffset >= 0 && !g.outOfLine && !g.rows.empty()) native.push_back(uint32_t(g.bytecodeOffset));
  {
    QScopedValueRollback<Origin> guard(origin_, Origin::Native);
    listing_.setRows(l.rows, std::move(native));
  }
  QList<int> rows;
  for (uint32_t off : keep)
    if (int r = listing_.rowOfOffset(off); r >= 0) rows << r;
  if (!rows.isEmpty()) selectListingRows(rows, Origin::Native);
  constants_->clear();
  for (size_t i = 0; i < l.constants.size(); ++i) constants_->addItem(QStringLiteral("k%1  %2").arg(i).arg(qs(l.constants[i])));
}

// The listing's shape from `l`, the name, tier and counts from `f` (the latest summary).
QString BytecodePanel::headerFor(const sx::inspect::FunctionSummary& f, const sx::inspect::FunctionListing& l) {
  QString text = QStringLiteral("<b>%1</b> — tier <b>%2</b>, %3 calls").arg(qs(f.label).toHtmlEscaped(), qs(f.tier)).arg(f.calls);
  if (l.rows.empty()) {
    text += tr("<br>no bytecode: %1").arg(qs(f.refusal).toHtmlEscaped());
  } else {
    text += tr("; %1 parameters%2, %3 locals, max stack %4, %5 bytes of bytecode")
                .arg(l.params)
                .arg(l.rest ? tr(" and a rest list") : QString())
                .arg(l.locals)
                .arg(l.maxStack)
                .arg(f.bytecodeSize);
    if (f.nativeSize) text += tr(", %1 bytes of native code").arg(f.nativeSize);
  }
  return text;
}

void BytecodePanel::onListingSelection() {
  if (origin_ == Origin::Native) return;
  QList<uint32_t> offsets = selectedOffsets();
  if (offsets.isEmpty()) return;
  QModelIndex cur = listingView_->selectionModel()->currentIndex();
  const sx::inspect::BytecodeRow* r = listing_.row(cur.isValid() ? cur.row() : listing_.rowOfOffset(offsets.first()));
  if (!r) r = listing_.row(listing_.rowOfOffset(offsets.first()));
  Q_EMIT instructionSelected(r->offset);
  if (origin_ == Origin::User && r->span.known())
    Q_EMIT sourceRequested(Location{qs(r->span.file), int(r->span.line), int(r->span.col)}, int(r->span.len));
}

void BytecodePanel::selectListingRows(const QList<int>& rows, Origin origin) {
  QScopedValueRollback<Origin> guard(origin_, origin);
  QItemSelection sel;
  for (int r : rows) sel.select(listing_.index(r, 0), listing_.index(r, BytecodeModel::ColumnCount - 1));
  auto* sm = listingView_->selectionModel();
  if (rows.isEmpty()) {
    sm->clearSelection();
    return;
  }
  sm->setCurrentIndex(listing_.index(rows.first(), 0), QItemSelectionModel::NoUpdate);
  sm->select(sel, QItemSelectionModel::ClearAndSelect);
  listingView_->scrollTo(listing_.index(rows.first(), 0));
}

void BytecodePanel::selectOffset(uint32_t offset) {
  int row = listing_.rowOfOffset(offset);
  if (row >= 0) selectListingRows({row}, Origin::Native);
}

int BytecodePanel::selectAtSource(const QString& file, int pos, const RangeOf& rangeOf) {
  // The innermost function around the cursor, when it is not the one shown.
  const sx::inspect::FunctionSummary* best = nullptr;
  int bestLen = INT32_MAX;
  for (int r = 0; r < functions_.rowCount(); ++r) {
    const sx::inspect::FunctionSummary* f = functions_.function(r);
    auto [s, e] = rangeIn(file, f->span, rangeOf);
    if (s >= 0 && s <= pos && pos <= e && e - s < bestLen) {
      best = f;
      bestLen = e - s;
    }
  }
  if (best && best->id != current_.value_or(0)) {
    {
      QScopedValueRollback<Origin> guard(origin_, Origin::Source);
      selectFunction(best->id);
    }
    pending_ = PendingSource{file, pos, rangeOf};  // applied when its listing arrives
    return 0;
  }
  return selectRowsAt(file, pos, rangeOf, Origin::Source);
}

int BytecodePanel::selectRowsAt(const QString& file, int pos, const RangeOf& rangeOf, Origin origin) {
  int bestLen = INT32_MAX;
  QList<int> rows;
  for (int r = 0; r < listing_.rowCount(); ++r) {
    auto [s, e] = rangeIn(file, listing_.row(r)->span, rangeOf);
    if (s < 0 || pos < s || pos > e) continue;
    if (e - s < bestLen) {
      bestLen = e - s;
      rows.clear();
    }
    if (e - s == bestLen) rows << r;
  }
  selectListingRows(rows, origin);
  return int(rows.size());
}

PanelLayout BytecodePanel::layout() const { return PanelLayout{1, {split_}, {listingView_->horizontalHeader()}}; }

QByteArray BytecodePanel::saveState() const { return layout().save(); }

void BytecodePanel::restoreState(const QByteArray& state) { layout().restore(state); }

}  // namespace sxs
