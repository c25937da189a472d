#include "jit/jitpanel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "common/inspectorbridge.h"
#include "common/panellayout.h"

namespace sxs {

namespace {


QListWidgetItem* patternItem(const QString& text) {
  auto* item = new QListWidgetItem(text);
  item->setFlags(item->flags() | Qt::ItemIsEditable);
  return item;
}

}  // namespace

JitPanel::JitPanel(InspectorBridge& bridge, QWidget* parent) : QWidget(parent), bridge_(bridge) {
  setObjectName(QStringLiteral("jitPanel"));
  summary_ = new QLabel(tr("No code has run yet."), this);
  summary_->setObjectName(QStringLiteral("jitSummary"));
  summary_->setWordWrap(true);
  preludeBox_ = new QCheckBox(tr("Prelude functions"), this);
  preludeBox_->setObjectName(QStringLiteral("jitShowPrelude"));
  sorted_ = new FunctionsFilter(&functions_, this);
  view_ = new QTableView(this);
  view_->setObjectName(QStringLiteral("jitFunctionsView"));
  view_->setModel(sorted_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(-1, Qt::AscendingOrder);  // the engine's order until a header is clicked
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 4);
  view_->horizontalHeader()->setStretchLastSection(true);
  view_->setWordWrap(false);
  view_->setAlternatingRowColors(true);
  view_->setColumnWidth(FunctionsModel::Function, 170);
  for (int c = FunctionsModel::Tier; c < FunctionsModel::Status; ++c) view_->setColumnWidth(c, 64);
  detail_ = new QLabel(this);
  detail_->setObjectName(QStringLiteral("jitDetail"));
  detail_->setWordWrap(true);
  detail_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  patterns_ = new QListWidget(this);
  patterns_->setObjectName(QStringLiteral("jitExcludeView"));
  patterns_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  patterns_->setToolTip(tr("jit-exclude! patterns: a function name, or a prefix ending in *. Double-click to edit."));
  add_ = new QPushButton(tr("Add"), this);
  add_->setObjectName(QStringLiteral("jitExcludeAdd"));
  remove_ = new QPushButton(tr("Remove"), this);
  remove_->setObjectName(QStringLiteral("jitExcludeRemove"));
  apply_ = new QPushButton(tr("Apply"), this);
  apply_->setObjectName(QStringLiteral("jitExcludeApply"));
  auto* buttons = new QVBoxLayout;
  buttons->addWidget(add_);
  buttons->addWidget(remove_);
  buttons->addStretch(1);
  buttons->addWidget(apply_);
  auto* excl = new QWidget(this);
  auto* el = new QVBoxLayout(excl);
  el->setContentsMargins(0, 0, 0, 0);
  el->setSpacing(2);
  el->addWidget(new QLabel(tr("Kept on the CEK (jit-exclude! patterns: a name, or a prefix ending in *)"), excl));
  auto* row = new QHBoxLayout;
  row->addWidget(patterns_, 1);
  row->addLayout(buttons);
  el->addLayout(row, 1);

  auto* table = new QWidget(this);
  auto* tl = new QVBoxLayout(table);
  tl->setContentsMargins(0, 0, 0, 0);
  tl->setSpacing(2);
  auto* head = new QHBoxLayout;
  head->addWidget(summary_, 1);
  head->addWidget(preludeBox_);
  tl->addLayout(head);
  tl->addWidget(view_, 1);
  tl->addWidget(detail_);
  split_ = new QSplitter(Qt::Vertical, this);
  split_->setObjectName(QStringLiteral("jitSplitter"));
  split_->addWidget(table);
  split_->addWidget(excl);
  split_->setStretchFactor(0, 4);
  split_->setStretchFactor(1, 1);
  split_->setSizes({700, 250});
  auto* l = new QVBoxLayout(this);
  l->setContentsMargins(2, 2, 2, 2);
  l->addWidget(split_);

  connect(view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &JitPanel::onCurrentChanged);
  connect(preludeBox_, &QCheckBox::toggled, sorted_, &FunctionsFilter::setShowPrelude);
  connect(add_, &QPushButton::clicked, this, [this] {
    QListWidgetItem* item = patternItem(QString());
    patterns_->addItem(item);
    patterns_->editItem(item);
    updateButtons();
  });
  connect(remove_, &QPushButton::clicked, this, &JitPanel::removeSelectedPatterns);
  connect(apply_, &QPushButton::clicked, this, &JitPanel::applyPatterns);
  connect(patterns_, &QListWidget::itemChanged, this, &JitPanel::updateButtons);
  connect(patterns_, &QListWidget::itemSelectionChanged, this, &JitPanel::updateButtons);
  connect(&bridge_, &InspectorBridge::functionsUpdated, this, &JitPanel::onFunctions);
  updateButtons();
}

QString JitPanel::summaryText() const { return summary_->text(); }
QString JitPanel::detailText() const { return detail_->text(); }

QStringList JitPanel::editedPatterns() const {
  QStringList out;
  for (int i = 0; i < patterns_->count(); ++i) {
    QString p = patterns_->item(i)->text().trimmed();
    if (!p.isEmpty()) out << p;
  }
  return out;
}

void JitPanel::onFunctions(const sx::inspect::FunctionsUpdated& e) {
  {
    QScopedValueRollback<bool> guard(syncing_, true);
    functions_.setFunctions(e.functions);
  }
  int native = 0, prelude = 0;
  uint64_t deopts = 0;
  for (const auto& f : e.functions) {
    native += f.nativeSize ? 1 : 0;
    prelude += f.prelude ? 1 : 0;
    deopts += f.deopts;
  }
  summary_->setText(tr("Tier <b>%1</b> — %2 functions run or compiled (%3 of the prelude), %4 with native code, %5 deopts")
                        .arg(qs(e.tier))
                        .arg(e.functions.size())
                        .arg(prelude)
                        .arg(native)
                        .arg(deopts));
  QStringList patterns;
  for (const auto& p : e.jitExclude) patterns << qs(p);
  bool edited = editedPatterns() != enginePatterns_;
  enginePatterns_ = patterns;
  if (!edited) setPatterns(patterns);  // keep the user's unapplied edits
  updateButtons();
  if (current_) selectFunction(*current_);
  showDetail(current_ ? functions_.byId(*current_) : nullptr);
}

void JitPanel::selectFunction(uint64_t id) {
  int row = functions_.rowOf(id);
  if (row < 0) return;
  QScopedValueRollback<bool> guard(syncing_, true);
  current_ = id;
  if (functions_.function(row)->prelude) preludeBox_->setChecked(true);
  QModelIndex idx = sorted_->mapFromSource(functions_.index(row, 0));
  view_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  view_->scrollTo(idx);
  showDetail(functions_.function(row));
}

void JitPanel::onCurrentChanged() {
  if (syncing_) return;
  QModelIndex idx = sorted_->mapToSource(view_->selectionModel()->currentIndex());
  const sx::inspect::FunctionSummary* f = functions_.function(idx.row());
  showDetail(f);
  if (!f) return;
  current_ = f->id;
  Q_EMIT functionSelected(f->id);
}

void JitPanel::showDetail(const sx::inspect::FunctionSummary* f) {
  if (!f) {
    detail_->setText(tr("Select a function to see why it runs where it does."));
    return;
  }
  QString text = QStringLiteral("<b>%1</b>: %2").arg(qs(f->label).toHtmlEscaped(), FunctionsModel::statusText(*f).toHtmlEscaped());
  QString counts = FunctionsModel::countsText(*f);
  text += counts.isEmpty() ? tr("; no slow paths, deopts or exits counted") : tr("; slow paths, deopts and exits: %1").arg(counts.toHtmlEscaped());
  detail_->setText(text);
}

void JitPanel::setPatterns(const QStringList& patterns) {
  patterns_->clear();
  for (const QString& p : patterns) patterns_->addItem(patternItem(p));
}

void JitPanel::addPattern(const QString& pattern) {
  patterns_->addItem(patternItem(pattern));
  updateButtons();
}

void JitPanel::removeSelectedPatterns() {
  qDeleteAll(patterns_->selectedItems());
  updateButtons();
}

void JitPanel::applyPatterns() {
  std::vector<std::string> out;
  for (const QString& p : editedPatterns()) out.push_back(p.toStdString());
  bridge_.inspector().setJitExclude(std::move(out));
}

void JitPanel::updateButtons() {
  remove_->setEnabled(!patterns_->selectedItems().isEmpty());
  apply_->setEnabled(editedPatterns() != enginePatterns_);
}

// Version 2: the splitter became vertical.
PanelLayout JitPanel::layout() const { return PanelLayout{2, {split_}, {view_->horizontalHeader()}}; }

QByteArray JitPanel::saveState() const { return layout().save(); }

void JitPanel::restoreState(const QByteArray& state) { layout().restore(state); }

}  // namespace sxs
