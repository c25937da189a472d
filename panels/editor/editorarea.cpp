#include "editor/editorarea.h"

#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include "common/inspectorbridge.h"
#include "editor/codeeditor.h"
#include "editor/syntaxengine.h"

namespace sxs {

namespace {

constexpr int kCheckDelayMs = 350;  // quiet time after an edit before the buffer is checked

QString tabTitle(const QString& name) {
  QFileInfo fi(name);
  return fi.fileName().isEmpty() ? name : fi.fileName();
}

}  // namespace

EditorArea::EditorArea(InspectorBridge& bridge, QWidget* parent) : QTabWidget(parent), bridge_(bridge) {
  setObjectName(QStringLiteral("editorArea"));
  setDocumentMode(true);
  setTabsClosable(true);
  setMovable(true);
  syntax_ = SyntaxEngine::create(false, &syntaxError_);
  connect(this, &QTabWidget::tabCloseRequested, this, &EditorArea::closeEditor);
  connect(&bridge_, &InspectorBridge::sourceChecked, this, &EditorArea::applyCheck);
}

// The editors' highlighters use the syntax engine: they go first.
EditorArea::~EditorArea() {
  while (count() > 0) {
    QWidget* w = widget(0);
    removeTab(0);
    delete w;
  }
}

CodeEditor* EditorArea::addEditor(const QString& name, const QString& text) {
  auto* e = new CodeEditor(syntax_.get());
  e->setFilePath(name);
  e->setPlainText(text);
  e->document()->setModified(false);
  if (syntax_) e->setThemeColors(syntax_->background(), syntax_->foreground());
  if (fontPoints_ > 0) {
    QFont f = e->font();
    f.setPointSize(fontPoints_);
    e->setFont(f);
  }
  if (pendingBreakpoints_.contains(name)) {
    const QList<int>& lines = pendingBreakpoints_[name];
    e->setBreakpoints(QSet<int>(lines.begin(), lines.end()));
  }
  auto* timer = new QTimer(e);
  timer->setSingleShot(true);
  timer->setInterval(kCheckDelayMs);
  connect(timer, &QTimer::timeout, this, [this, e] { scheduleCheck(e); });
  connect(e->document(), &QTextDocument::contentsChanged, timer, qOverload<>(&QTimer::start));
  connect(e->document(), &QTextDocument::modificationChanged, this, [this, e] { updateTitle(e); });
  connect(e, &QPlainTextEdit::cursorPositionChanged, this, [this, e] {
    if (e == current()) Q_EMIT cursorMoved(e, e->textCursor().position());
  });
  connect(e, &CodeEditor::definitionRequested, this, [this](const QString& sym) {
    QString msg;
    if (!goToDefinition(sym, &msg)) Q_EMIT message(msg);
  });
  int index = addTab(e, tabTitle(name));
  setTabToolTip(index, name);
  setCurrentIndex(index);
  scheduleCheck(e);
  return e;
}

CodeEditor* EditorArea::openFile(const QString& path) {
  QString abs = QFileInfo(path).absoluteFilePath();
  if (CodeEditor* e = editorFor(abs)) {
    setCurrentWidget(e);
    return e;
  }
  QFile f(abs);
  if (!f.open(QIODevice::ReadOnly)) {
    Q_EMIT message(tr("Cannot open %1: %2").arg(abs, f.errorString()));
    return nullptr;
  }
  return addEditor(abs, QString::fromUtf8(f.readAll()));
}

CodeEditor* EditorArea::openText(const QString& name, const QString& text) {
  if (CodeEditor* e = editorFor(name)) {
    e->setPlainText(text);
    setCurrentWidget(e);
    return e;
  }
  return addEditor(name, text);
}

CodeEditor* EditorArea::current() const { return qobject_cast<CodeEditor*>(currentWidget()); }

CodeEditor* EditorArea::editorFor(const QString& name) const {
  for (CodeEditor* e : editors())
    if (e->filePath() == name) return e;
  return nullptr;
}

QList<CodeEditor*> EditorArea::editors() const {
  QList<CodeEditor*> out;
  for (int i = 0; i < count(); ++i)
    if (auto* e = qobject_cast<CodeEditor*>(widget(i))) out.push_back(e);
  return out;
}

QStringList EditorArea::openFiles() const {
  QStringList out;
  for (CodeEditor* e : editors())
    if (QFileInfo(e->filePath()).isAbsolute() && QFileInfo::exists(e->filePath())) out.push_back(e->filePath());
  return out;
}

bool EditorArea::saveCurrent() {
  CodeEditor* e = current();
  if (!e || !QFileInfo(e->filePath()).isAbsolute()) return false;
  QFile f(e->filePath());
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(e->toPlainText().toUtf8()) < 0) {
    Q_EMIT message(tr("Cannot save %1: %2").arg(e->filePath(), f.errorString()));
    return false;
  }
  e->document()->setModified(false);
  Q_EMIT message(tr("Saved %1").arg(e->filePath()));
  Q_EMIT saved(e->filePath());
  return true;
}

void EditorArea::closeEditor(int index) {
  auto* e = qobject_cast<CodeEditor*>(widget(index));
  if (!e) return;
  QList<int> lines(e->breakpoints().begin(), e->breakpoints().end());
  pendingBreakpoints_[e->filePath()] = lines;
  bufferDefs_.remove(e->filePath());
  generation_.remove(e);
  removeTab(index);
  e->deleteLater();
}

uint64_t EditorArea::runCurrent() {
  CodeEditor* e = current();
  if (!e) return 0;
  return bridge_.inspector().runSource(e->toPlainText().toStdString(), e->filePath().toStdString());
}

CodeEditor* EditorArea::editorAt(const Location& where) {
  if (!where.valid()) return nullptr;
  CodeEditor* e = editorFor(where.file);
  if (!e && QFileInfo(where.file).isAbsolute()) e = openFile(where.file);
  if (!e) {
    Q_EMIT message(tr("%1 is not a file that can be opened").arg(where.file));
    return nullptr;
  }
  setCurrentWidget(e);
  return e;
}

bool EditorArea::openLocation(const Location& where) {
  CodeEditor* e = editorAt(where);
  if (e) e->goTo(where.line, where.column);
  return e != nullptr;
}

bool EditorArea::selectSpan(const Location& where, int lengthBytes) {
  CodeEditor* e = editorAt(where);
  if (e) e->selectSpan(where.line, where.column, lengthBytes);
  return e != nullptr;
}

bool EditorArea::goToDefinition(const QString& symbol, QString* message) {
  std::string name = symbol.toStdString();
  auto open = [&](const sx::inspect::SourcePos& p) { return openLocation(Location{qs(p.file), int(p.line), int(p.col)}); };
  if (CodeEditor* cur = current()) {  // the current buffer's own definition wins
    for (const auto& d : bufferDefs_.value(cur->filePath()))
      if (d.name == name) return open(d.span);
  }
  for (auto it = bufferDefs_.begin(); it != bufferDefs_.end(); ++it)
    for (const auto& d : it.value())
      if (d.name == name) return open(d.span);
  for (const auto& d : bridge_.inspector().definitions()) {
    if (d.name != name) continue;
    if (d.span.known() && QFileInfo(qs(d.span.file)).isAbsolute()) return open(d.span);
    if (d.kind == "primitive")
      *message = tr("%1 is a primitive: %2").arg(symbol, qs(d.doc));
    else if (d.span.known())
      *message = tr("%1 (%2) is defined in %3, line %4").arg(symbol, qs(d.kind), qs(d.span.file)).arg(d.span.line);
    else
      *message = tr("%1 (%2) has no source location").arg(symbol, qs(d.kind));
    return false;
  }
  *message = tr("No definition of %1 is known (run the file to define it)").arg(symbol);
  return false;
}

void EditorArea::scheduleCheck(CodeEditor* e) {
  uint64_t gen = ++nextGeneration_;
  generation_[e] = gen;
  bridge_.inspector().checkSource(e->filePath().toStdString(), e->toPlainText().toStdString(), gen);
}

void EditorArea::applyCheck(const sx::inspect::SourceChecked& c) {
  CodeEditor* e = editorFor(qs(c.name));
  if (!e || generation_.value(e) != c.generation) return;  // an older check of that buffer
  std::vector<EditorDiagnostic> diags;
  for (const auto& d : c.diagnostics) diags.push_back({int(d.line), int(d.col), 0, qs(d.message)});
  e->setDiagnostics(std::move(diags));
  QSet<int> lines;
  for (const auto& p : c.performSites) lines.insert(int(p.line));
  e->setPerformLines(lines);
  bufferDefs_[e->filePath()] = c.definitions;
  Q_EMIT checked(e->filePath());
}

void EditorArea::updateTitle(CodeEditor* e) {
  int i = indexOf(e);
  if (i >= 0) setTabText(i, tabTitle(e->filePath()) + (e->document()->isModified() ? QStringLiteral(" •") : QString()));
}

QHash<QString, QList<int>> EditorArea::breakpoints() const {
  QHash<QString, QList<int>> out = pendingBreakpoints_;
  for (CodeEditor* e : editors()) {
    QList<int> lines(e->breakpoints().begin(), e->breakpoints().end());
    std::sort(lines.begin(), lines.end());
    out[e->filePath()] = lines;
  }
  for (auto it = out.begin(); it != out.end();) it = it.value().isEmpty() ? out.erase(it) : std::next(it);
  return out;
}

void EditorArea::setBreakpoints(const QHash<QString, QList<int>>& byFile) {
  pendingBreakpoints_ = byFile;
  for (CodeEditor* e : editors()) {
    const QList<int> lines = byFile.value(e->filePath());
    e->setBreakpoints(QSet<int>(lines.begin(), lines.end()));
  }
}

void EditorArea::setFontPointSize(int points) {
  fontPoints_ = points;
  if (points <= 0) return;
  for (CodeEditor* e : editors()) {
    QFont f = e->font();
    f.setPointSize(points);
    e->setFont(f);
  }
}

void EditorArea::setDark(bool dark) {
  dark_ = dark;
  if (!syntax_) return;
  syntax_->setDark(dark);
  for (CodeEditor* e : editors()) e->setThemeColors(syntax_->background(), syntax_->foreground());
}

}  // namespace sxs
