#include "console/consolepanel.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

#include "common/inspectorbridge.h"
#include "common/refreshpacer.h"
#include "console/consoledelegate.h"
#include "editor/sxscan.h"

namespace sxs {

namespace {

constexpr int kMaxHistory = 500;
constexpr int kRowBatchMs = 15;  // output rows arriving within this are inserted together (idle;
                                 // during a run, as RefreshPacer paces them)

// "hello.sx:3:5": the file's name; the row's tooltip has the whole path.
QString where(const std::string& file, uint32_t line, uint32_t col) {
  return QStringLiteral("%1:%2:%3").arg(QFileInfo(qs(file)).fileName()).arg(line).arg(col);
}

}  // namespace

// ---- ConsoleInput ---------------------------------------------------------------------

ConsoleInput::ConsoleInput(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName(QStringLiteral("consoleInput"));
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setPlaceholderText(tr("SX form — Enter evaluates, Shift+Enter adds a line, Up/Down: history"));
  setTabChangesFocus(true);
  setFixedHeight(fontMetrics().height() * 3 + 12);
}

void ConsoleInput::setHistory(QStringList h) {
  history_ = std::move(h);
  while (history_.size() > kMaxHistory) history_.removeFirst();
  historyIndex_ = int(history_.size());
}

void ConsoleInput::addToHistory(const QString& text) {
  if (history_.isEmpty() || history_.last() != text) history_.push_back(text);
  while (history_.size() > kMaxHistory) history_.removeFirst();
  historyIndex_ = int(history_.size());
  draft_.clear();
}

void ConsoleInput::showHistory(int index) {
  if (historyIndex_ == history_.size()) draft_ = toPlainText();
  historyIndex_ = index;
  setPlainText(index < history_.size() ? history_[index] : draft_);
  moveCursor(QTextCursor::End);
}

void ConsoleInput::keyPressEvent(QKeyEvent* e) {
  bool enter = e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter;
  if (enter && !(e->modifiers() & Qt::ShiftModifier)) {
    QString text = toPlainText();
    if (!text.trimmed().isEmpty() && formsComplete(text)) {
      Q_EMIT submitted(text);
      return;
    }
  }
  QTextCursor c = textCursor();
  if (e->key() == Qt::Key_Up && c.blockNumber() == 0 && historyIndex_ > 0) {
    showHistory(historyIndex_ - 1);
    return;
  }
  if (e->key() == Qt::Key_Down && c.blockNumber() == document()->blockCount() - 1 && historyIndex_ < history_.size()) {
    showHistory(historyIndex_ + 1);
    return;
  }
  QPlainTextEdit::keyPressEvent(e);
}

// ---- ConsolePanel ---------------------------------------------------------------------

ConsolePanel::ConsolePanel(InspectorBridge& bridge, QWidget* parent)
    : QWidget(parent), bridge_(bridge), view_(new QListView(this)), input_(new ConsoleInput(this)), stop_(new QPushButton(tr("Stop"), this)) {
  setObjectName(QStringLiteral("consolePanel"));
  view_->setObjectName(QStringLiteral("consoleView"));
  view_->setModel(&model_);
  view_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  view_->setWordWrap(true);
  view_->setUniformItemSizes(false);
  delegate_ = new ConsoleDelegate(&model_, view_);
  view_->setItemDelegate(delegate_);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  stop_->setObjectName(QStringLiteral("consoleStop"));
  stop_->setToolTip(tr("Stop the running program"));
  auto* row = new QHBoxLayout;
  row->addWidget(input_, 1);
  row->addWidget(stop_, 0, Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(view_, 1);
  layout->addLayout(row);

  rowPacer_ = new RefreshPacer(bridge_, kRowBatchMs, [this] { flushRows(); }, this);
  connect(input_, &ConsoleInput::submitted, this, [this](const QString& text) { evaluate(text); });
  connect(stop_, &QPushButton::clicked, this, [this] { bridge_.inspector().stop(); });
  auto open = [this](const QModelIndex& index) {
    const ConsoleModel::Entry& e = model_.entry(index.row());
    if (e.location.valid()) Q_EMIT openLocation(e.location);
  };
  connect(view_, &QListView::clicked, this, open);
  connect(view_, &QListView::activated, this, open);
  connect(&model_, &QAbstractItemModel::rowsInserted, view_, &QListView::scrollToBottom);
  connect(&bridge_, &InspectorBridge::runStarted, this, &ConsolePanel::onRunStarted);
  connect(&bridge_, &InspectorBridge::output, this, &ConsolePanel::onOutput);
  connect(&bridge_, &InspectorBridge::valuePrinted, this, &ConsolePanel::onValue);
  connect(&bridge_, &InspectorBridge::runError, this, &ConsolePanel::onError);
  connect(&bridge_, &InspectorBridge::runFinished, this, &ConsolePanel::onFinished);
}

void ConsolePanel::add(ConsoleModel::Entry e) {
  pendingRows_.push_back(std::move(e));
  rowPacer_->schedule();
}

void ConsolePanel::flushRows() {
  rowPacer_->cancel();
  model_.append(std::move(pendingRows_));
  pendingRows_.clear();
}

uint64_t ConsolePanel::evaluate(const QString& text) {
  QString name = QStringLiteral("<console-%1>").arg(++inputs_);
  uint64_t run = bridge_.inspector().runSource(text.toStdString(), name.toStdString());
  consoleRuns_[run] = true;
  const QStringList lines = text.split(QLatin1Char('\n'));
  for (int i = 0; i < lines.size(); ++i)
    add({ConsoleModel::Kind::Input, (i == 0 ? QStringLiteral("› ") : QStringLiteral("  ")) + lines[i], {}, run});
  input_->addToHistory(text);
  input_->clear();
  return run;
}

void ConsolePanel::onRunStarted(const sx::inspect::RunStarted& e) {
  if (consoleRuns_.contains(e.run)) return;
  add({ConsoleModel::Kind::Info,
                 tr("▶ %1 (%2 mode)").arg(qs(e.label), QString::fromLatin1(sx::resolverModeName(e.mode))), {}, e.run});
}

void ConsolePanel::onOutput(const sx::inspect::OutputText& e) {
  QString text = partialLine_.take(e.run) + qs(e.text);
  QStringList lines = text.split(QLatin1Char('\n'));
  partialLine_[e.run] = lines.takeLast();  // "" when the text ended with a newline
  for (const QString& line : lines) add({ConsoleModel::Kind::Output, line, {}, e.run});
}

void ConsolePanel::flushOutput(quint64 run) {
  QString rest = partialLine_.take(run);
  if (!rest.isEmpty()) add({ConsoleModel::Kind::Output, rest, {}, run});
}

void ConsolePanel::onValue(const sx::inspect::ValuePrinted& e) {
  flushOutput(e.run);
  add({ConsoleModel::Kind::Value, QStringLiteral("⇒ ") + qs(e.text), {}, e.run});
}

void ConsolePanel::onError(const sx::inspect::RunError& e) {
  flushOutput(e.run);
  const sx::Diagnostic& d = e.diagnostic;
  QString head = tr("error [%1]: %2").arg(QString::fromLatin1(sx::errorCodeName(d.code)), qs(d.message));
  Location at{qs(d.file), int(d.line), int(d.col)};
  if (at.valid()) head = where(d.file, d.line, d.col) + QStringLiteral(": ") + head;
  add({ConsoleModel::Kind::Error, head, at, e.run});
  if (!d.sourceLine.empty()) add({ConsoleModel::Kind::Frame, QStringLiteral("    ") + qs(d.sourceLine), {}, e.run});
  for (size_t i = 1; i < d.stack.size(); ++i) {
    const sx::StackFrameInfo& f = d.stack[i];
    QString fn = f.function.empty() ? tr("<top level>") : qs(f.function);
    QString tier = f.tier.empty() ? QString() : QStringLiteral(" [%1]").arg(qs(f.tier));
    Location loc{qs(f.file), int(f.line), int(f.col)};
    add({ConsoleModel::Kind::Frame, QStringLiteral("  at %1%2 (%3)").arg(fn, tier, where(f.file, f.line, f.col)), loc, e.run});
  }
}

void ConsolePanel::onFinished(const sx::inspect::RunFinished& e) {
  flushOutput(e.run);
  if (consoleRuns_.remove(e.run)) return;
  if (e.ok) add({ConsoleModel::Kind::Info, tr("  done in %1 ms").arg(e.elapsedMs, 0, 'f', 1), {}, e.run});
}

}  // namespace sxs
