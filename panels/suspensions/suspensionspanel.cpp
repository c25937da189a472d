#include "suspensions/suspensionspanel.h"

#include <QHBoxLayout>
#include <algorithm>
#include <utility>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

#include "common/inspectorbridge.h"
#include "common/panellayout.h"
#include "common/refreshpacer.h"

namespace sxs {

namespace {

constexpr int kRefreshDelayMs = 30;  // events arriving together refresh the views once (idle)

QTreeView* makeStackView(StackModel* model, const QString& name, QWidget* parent) {
  auto* v = new QTreeView(parent);
  v->setObjectName(name);
  v->setModel(model);
  v->setUniformRowHeights(true);
  v->setAlternatingRowColors(true);
  v->header()->setStretchLastSection(true);
  v->header()->resizeSection(StackModel::Frame, 120);
  v->header()->resizeSection(StackModel::Function, 90);
  v->header()->resizeSection(StackModel::Tier, 60);
  v->header()->resizeSection(StackModel::Location, 120);
  return v;
}

QWidget* titled(QLabel* title, QWidget* body, QWidget* parent) {
  auto* w = new QWidget(parent);
  auto* l = new QVBoxLayout(w);
  l->setContentsMargins(0, 0, 0, 0);
  l->setSpacing(2);
  l->addWidget(title);
  l->addWidget(body, 1);
  return w;
}

}  // namespace

SuspensionsPanel::SuspensionsPanel(InspectorBridge& bridge, QWidget* parent) : QWidget(parent), bridge_(bridge) {
  setObjectName(QStringLiteral("suspensionsPanel"));
  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("timelineView"));
  table_->setModel(&timeline_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setColumnWidth(TimelineModel::Index, 40);
  table_->setColumnWidth(TimelineModel::Request, 220);
  table_->setWordWrap(false);

  performTitle_ = new QLabel(tr("Stack at the perform"), this);
  resumeTitle_ = new QLabel(tr("Stack at the resume"), this);
  performTree_ = makeStackView(&atPerform_, QStringLiteral("performStackView"), this);
  resumeTree_ = makeStackView(&atResume_, QStringLiteral("resumeStackView"), this);
  stacks_ = new QSplitter(Qt::Horizontal, this);
  stacks_->setObjectName(QStringLiteral("stacksSplitter"));
  stacks_->addWidget(titled(performTitle_, performTree_, stacks_));
  stacks_->addWidget(titled(resumeTitle_, resumeTree_, stacks_));
  check_ = new QLabel(this);
  check_->setObjectName(QStringLiteral("stackCheck"));
  check_->setWordWrap(true);
  check_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  split_ = new QSplitter(Qt::Vertical, this);
  split_->setObjectName(QStringLiteral("suspensionsSplitter"));
  split_->addWidget(table_);
  split_->addWidget(stacks_);
  split_->setStretchFactor(1, 2);
  split_->setSizes({130, 320});

  stepBar_ = new QWidget(this);
  stepBar_->setObjectName(QStringLiteral("stepBar"));
  stepLabel_ = new QLabel(stepBar_);
  stepLabel_->setWordWrap(true);
  resolverButton_ = new QPushButton(tr("Resume with resolver"), stepBar_);
  resolverButton_->setObjectName(QStringLiteral("resumeResolver"));
  valueEdit_ = new QLineEdit(stepBar_);
  valueEdit_->setObjectName(QStringLiteral("resumeValueEdit"));
  valueEdit_->setPlaceholderText(tr("a value, e.g. 42 or {:ok true}"));
  valueButton_ = new QPushButton(tr("Resume with value"), stepBar_);
  valueButton_->setObjectName(QStringLiteral("resumeValue"));
  abortButton_ = new QPushButton(tr("Abort run"), stepBar_);
  abortButton_->setObjectName(QStringLiteral("abortRun"));
  auto* bar = new QHBoxLayout(stepBar_);
  bar->setContentsMargins(0, 0, 0, 0);
  bar->addWidget(stepLabel_, 1);
  bar->addWidget(resolverButton_);
  bar->addWidget(valueEdit_);
  bar->addWidget(valueButton_);
  bar->addWidget(abortButton_);
  stepBar_->setVisible(false);

  status_ = new QLabel(tr("No run yet. Performs appear here in unwind and step mode (and host ops in inline mode)."), this);
  status_->setObjectName(QStringLiteral("suspensionsStatus"));
  status_->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(status_);
  layout->addWidget(stepBar_);
  layout->addWidget(split_, 1);
  layout->addWidget(check_);

  pacer_ = new RefreshPacer(bridge_, kRefreshDelayMs, [this] { refresh(); }, this);

  connect(resolverButton_, &QPushButton::clicked, this, &SuspensionsPanel::resumeWithResolver);
  connect(valueButton_, &QPushButton::clicked, this, [this] { resumeWithValue(valueEdit_->text()); });
  connect(valueEdit_, &QLineEdit::returnPressed, this, [this] { resumeWithValue(valueEdit_->text()); });
  connect(abortButton_, &QPushButton::clicked, this, &SuspensionsPanel::abortRun);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    if (const TimelineEntry* e = timeline_.entry(cur.row())) selected_ = e->performed.perform;
    showSelected();
  });
  auto open = [this](const QModelIndex& index) {
    const QAbstractItemModel* m = index.model();
    Location at{m->data(index.siblingAtColumn(0), StackModel::FileRole).toString(), m->data(index.siblingAtColumn(0), StackModel::LineRole).toInt(),
                m->data(index.siblingAtColumn(0), StackModel::ColumnRole).toInt()};
    if (at.valid()) Q_EMIT openLocation(at);
  };
  connect(performTree_, &QTreeView::activated, this, open);
  connect(resumeTree_, &QTreeView::activated, this, open);

  connect(&bridge_, &InspectorBridge::runStarted, this, &SuspensionsPanel::onRunStarted);
  connect(&bridge_, &InspectorBridge::performed, this, &SuspensionsPanel::onPerformed);
  connect(&bridge_, &InspectorBridge::paused, this, &SuspensionsPanel::onPaused);
  connect(&bridge_, &InspectorBridge::resumed, this, &SuspensionsPanel::onResumed);
  connect(&bridge_, &InspectorBridge::handlerAnswered, this, &SuspensionsPanel::onAnswered);
  connect(&bridge_, &InspectorBridge::runFinished, this, &SuspensionsPanel::onFinished);
}

TimelineEntry* SuspensionsPanel::find(uint64_t perform) {
  auto it = byPerform_.find(perform);
  return it == byPerform_.end() ? nullptr : &entries_[*it];
}

const TimelineEntry* SuspensionsPanel::find(uint64_t perform) const {
  auto it = byPerform_.find(perform);
  return it == byPerform_.end() ? nullptr : &entries_[*it];
}

// A new run starts a new timeline — except a run the engine refuses while one is paused.
// It replaces a timeline from showTimeline (a paused request stays paused in its server).
void SuspensionsPanel::onRunStarted(const sx::inspect::RunStarted& e) {
  if (paused_ && !external_) return;
  external_ = false;
  resumer_ = {};
  setPaused(std::nullopt);
  currentRun_ = e.run;
  currentMode_ = e.mode;
  timelineChanged_ = timelineChanged_ || !entries_.empty() || timeline_.rowCount() > 0;
  if (timeline_.rowCount() > 0 && !timelineReset_) {  // the views keep showing them until the refresh
    oldEntries_ = std::move(entries_);
    timeline_.repoint(&oldEntries_);
  }
  entries_.clear();
  timelineReset_ = true;
  firstChanged_ = SIZE_MAX;
  byPerform_.clear();
  selected_.reset();
  // Shown with the refresh: a short run's panel changes once, when it has finished.
  deferredStatus_ = tr("Run #%1 (%2 mode) running…").arg(e.run).arg(QString::fromLatin1(sx::resolverModeName(e.mode)));
  scheduleRefresh();
}

void SuspensionsPanel::onPerformed(const sx::inspect::Performed& e) {
  if (e.run != currentRun_) return;
  byPerform_[e.perform] = entries_.size();
  entries_.push_back(TimelineEntry{e, std::nullopt, std::nullopt, false});
  timelineChanged_ = true;
  scheduleRefresh();
}

void SuspensionsPanel::onPaused(const sx::inspect::Paused& e) {
  if (external_) return;  // perform ids of another source
  TimelineEntry* entry = find(e.perform);
  if (!entry) return;
  entry->paused = true;
  entryChanged(entry);
  selected_ = e.perform;
  setPaused(e.perform);
  stepLabel_->setText(tr("<b>Paused</b> at perform #%1: %2").arg(e.perform).arg(qs(entry->performed.request).toHtmlEscaped()));
  refresh();
}

void SuspensionsPanel::onResumed(const sx::inspect::Resumed& e) {
  if (external_) return;
  TimelineEntry* entry = find(e.perform);
  if (!entry) return;
  entry->resumed = e;
  entry->paused = false;
  entryChanged(entry);
  if (paused_ == e.perform) setPaused(std::nullopt);
  scheduleRefresh();
}

void SuspensionsPanel::onAnswered(const sx::inspect::HandlerAnswered& e) {
  if (external_) return;
  if (TimelineEntry* entry = find(e.perform)) {
    entry->answer = e.value;
    entryChanged(entry);
    scheduleRefresh();
  }
}

void SuspensionsPanel::onFinished(const sx::inspect::RunFinished& e) {
  if (e.run != currentRun_) return;
  setPaused(std::nullopt);
  QString text = tr("Run #%1 (%2 mode) %3 in %4 ms: %5 performs seen, %6 recorded.")
                     .arg(e.run)
                     .arg(QString::fromLatin1(sx::resolverModeName(currentMode_)), e.ok ? tr("finished") : tr("failed"))
                     .arg(e.elapsedMs, 0, 'f', 1)
                     .arg(e.performs)
                     .arg(e.performsRecorded);
  if (currentMode_ == sx::ResolverMode::Inline)
    text += tr(" In inline mode SX handlers answer performs inside the engine, unseen by the host; only host ops appear.");
  deferredStatus_.clear();
  status_->setText(text);
  scheduleRefresh();
}

bool SuspensionsPanel::showTimeline(const QString& title, std::vector<TimelineEntry> entries, Resumer resumer) {
  if (paused_ && !external_) {
    deferredStatus_.clear();
    status_->setText(tr("A console run is paused at perform #%1: answer it first, then select the request again.").arg(*paused_));
    return false;
  }
  currentRun_ = 0;  // run ids count from 1: no console run's events join this timeline
  entries_ = std::move(entries);
  byPerform_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) byPerform_[entries_[i].performed.perform] = i;
  selected_.reset();
  timelineChanged_ = true;
  timelineReset_ = true;
  firstChanged_ = SIZE_MAX;
  external_ = true;
  resumer_ = std::move(resumer);
  deferredStatus_.clear();
  status_->setText(entries_.empty() ? tr("%1: no performs.").arg(title) : tr("%1: %n perform(s).", nullptr, int(entries_.size())).arg(title));
  std::optional<uint64_t> paused;
  for (const TimelineEntry& e : entries_)
    if (e.paused) paused = e.performed.perform;
  if (paused && !resumer_) paused.reset();  // nothing could answer it here
  setPaused(paused);
  refresh();
  if (paused) {
    stepLabel_->setText(tr("<b>Paused</b> at perform #%1: %2").arg(*paused).arg(qs(find(*paused)->performed.request).toHtmlEscaped()));
    selectPerform(*paused);
  } else if (!entries_.empty()) {
    selectPerform(entries_.front().performed.perform);
  }
  return true;
}

void SuspensionsPanel::setPaused(std::optional<uint64_t> perform) {
  bool changed = paused_.has_value() != perform.has_value();
  paused_ = perform;
  stepBar_->setVisible(paused_.has_value());
  if (paused_) valueEdit_->setFocus();
  if (changed) Q_EMIT pausedChanged(paused_.has_value());
}

void SuspensionsPanel::scheduleRefresh() { pacer_->schedule(); }

void SuspensionsPanel::refresh() {
  pacer_->cancel();
  if (!deferredStatus_.isEmpty()) status_->setText(std::exchange(deferredStatus_, QString()));
  if (!timelineChanged_) return;  // a run without performs after one without: nothing to redo
  timelineChanged_ = false;
  std::optional<uint64_t> keep = selected_;
  size_t changedFrom = std::exchange(firstChanged_, SIZE_MAX);
  bool whole = std::exchange(timelineReset_, false);
  if (whole) {
    timeline_.reset(&entries_);
    oldEntries_.clear();
  } else {
    timeline_.update(changedFrom);  // the new rows inserted, the changed ones redrawn
  }
  auto kept = keep ? byPerform_.find(*keep) : byPerform_.end();
  if (kept == byPerform_.end()) {
    if (whole || keep) {
      selected_.reset();
      showSelected();
    }
  } else if (whole) {
    selectPerform(*keep);
  } else if (*kept >= changedFrom) {  // the selected perform changed (resumed, answered)
    showSelected();
  }
}

void SuspensionsPanel::entryChanged(const TimelineEntry* e) {
  timelineChanged_ = true;
  firstChanged_ = std::min(firstChanged_, size_t(e - entries_.data()));
}

void SuspensionsPanel::selectPerform(uint64_t perform) {
  int row = timeline_.rowOf(perform);
  if (row < 0) return;
  selected_ = perform;
  table_->selectionModel()->setCurrentIndex(timeline_.index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  table_->scrollTo(timeline_.index(row, 0));
  showSelected();
}

void SuspensionsPanel::showSelected() {
  const TimelineEntry* e = selected_ ? find(*selected_) : nullptr;
  if (!e) {
    atPerform_.setSnapshot(std::nullopt);
    atResume_.setSnapshot(std::nullopt);
    check_->clear();
    return;
  }
  atPerform_.setSnapshot(e->performed.stack);
  StackModel::showAll(performTree_);
  performTitle_->setText(tr("Stack at perform #%1 (%2 frames)").arg(e->performed.perform).arg(e->performed.stack.engineFrames));
  if (e->resumed) {
    atResume_.setSnapshot(e->resumed->stack);
    StackModel::showAll(resumeTree_);
    resumeTitle_->setText(tr("Stack at the resume (%1, %2 frames)")
                              .arg(QString::fromLatin1(sx::inspect::resumeChoiceName(e->resumed->how)))
                              .arg(e->resumed->stack.engineFrames));
  } else {
    atResume_.setSnapshot(std::nullopt);
    resumeTitle_->setText(e->paused ? tr("Stack at the resume (paused: not resumed yet)") : tr("Stack at the resume (not resumed yet)"));
  }
  check_->setText(checkText());
}

QString SuspensionsPanel::checkText() const {
  const TimelineEntry* e = selected_ ? find(*selected_) : nullptr;
  if (!e || !e->resumed) return QString();
  const sx::inspect::StackCheck& c = e->resumed->check;
  if (!c.made) return QString();
  return (c.agrees ? tr("✔ Stacks agree: ") : tr("✘ Stacks differ: ")) + qs(c.describe());
}

QString SuspensionsPanel::statusText() const { return status_->text(); }

void SuspensionsPanel::answer(const sx::inspect::Resume& how) {
  if (!paused_) return;
  if (external_) {
    if (resumer_) resumer_(*paused_, how);
  } else {
    bridge_.inspector().resume(*paused_, how);
  }
}

void SuspensionsPanel::resumeWithResolver() { answer(sx::inspect::Resume{sx::inspect::ResumeChoice::Resolver, {}}); }

void SuspensionsPanel::resumeWithValue(const QString& text) {
  if (text.trimmed().isEmpty()) return;
  answer(sx::inspect::Resume{sx::inspect::ResumeChoice::Value, text.toStdString()});
}

void SuspensionsPanel::abortRun() { answer(sx::inspect::Resume{sx::inspect::ResumeChoice::Abort, {}}); }

PanelLayout SuspensionsPanel::layout() const { return PanelLayout{1, {split_, stacks_}, {table_->horizontalHeader()}}; }

QByteArray SuspensionsPanel::saveState() const { return layout().save(); }

void SuspensionsPanel::restoreState(const QByteArray& state) { layout().restore(state); }

}  // namespace sxs
