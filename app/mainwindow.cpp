// Building the main window: docks, actions, menus, toolbar, status bar.
// (mainwindow_session.cpp: opening projects, the session, themes and resolver modes.)
#include "mainwindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include "bytecode/bytecodepanel.h"
#include "commandpalette.h"
#include "common/inspectorbridge.h"
#include "console/consolepanel.h"
#include "editor/codeeditor.h"
#include "editor/editorarea.h"
#include "editor/syntaxengine.h"
#include "inspect/preview_host.h"
#include "jit/jitpanel.h"
#include "native/nativepanel.h"
#include "preferencesdialog.h"
#include "preview/previewbridge.h"
#include "preview/previewpanel.h"
#include "project/projectpanel.h"
#include "settings.h"
#include "suspensions/suspensionspanel.h"

namespace sxs {

namespace {

constexpr int kShowRunningAfterMs = 150;

struct DockDef {
  const char* objectName;
  const char* actionId;
  const char* title;
  Qt::DockWidgetArea area;
};

const DockDef kDocks[] = {
#define X(e, name, id, title, area) {name, id, title, area},
    SX_DOCKS(X)
#undef X
};

}  // namespace

MainWindow::MainWindow(sx::inspect::Inspector& inspector, Settings& settings, sx::inspect::PreviewServer* preview, QWidget* parent)
    : QMainWindow(parent), inspector_(inspector), settings_(settings) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("SX Studio"));
  bridge_ = std::make_unique<InspectorBridge>(inspector_);
  actions_ = std::make_unique<ActionRegistry>(this);
  editors_ = new EditorArea(*bridge_, this);
  setCentralWidget(editors_);
  console_ = new ConsolePanel(*bridge_, this);
  suspensions_ = new SuspensionsPanel(*bridge_, this);
  project_ = new ProjectPanel(this);
  bytecode_ = new BytecodePanel(*bridge_, this);
  native_ = new NativePanel(*bridge_, this);
  jit_ = new JitPanel(*bridge_, this);
  if (!preview) {
    ownPreview_ = std::make_unique<sx::inspect::PreviewHost>();
    preview = ownPreview_.get();
  }
  previewBridge_ = std::make_unique<PreviewBridge>(*preview);
  preview_ = new PreviewPanel(*previewBridge_, PreviewPanel::PageView::Embedded, this);
  palette_ = new CommandPalette(this);
  buildDocks();
  buildActions();
  buildMenusAndToolbar();

  modeLabel_ = new QLabel(this);
  modeLabel_->setObjectName(QStringLiteral("resolverModeLabel"));
  runLabel_ = new QLabel(this);
  runLabel_->setObjectName(QStringLiteral("runLabel"));
  statusBar()->addPermanentWidget(runLabel_);
  statusBar()->addPermanentWidget(modeLabel_);
  if (!editors_->syntax()) statusBar()->showMessage(tr("Syntax highlighting unavailable: %1").arg(editors_->syntaxError()));

  connect(editors_, &EditorArea::message, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
  connect(console_, &ConsolePanel::openLocation, this, &MainWindow::openLocation);
  connect(suspensions_, &SuspensionsPanel::openLocation, this, &MainWindow::openLocation);
  linkCodePanels();
  connect(preview_, &PreviewPanel::openLocation, this, &MainWindow::openLocation);
  connect(preview_, &PreviewPanel::requestSelected, this, [this](const QString& title, const std::vector<TimelineEntry>& entries) {
    auto resume = [this](uint64_t perform, const sx::inspect::Resume& how) { previewBridge_->server().resume(perform, how); };
    if (suspensions_->showTimeline(title, entries, resume) && !entries.empty()) dock(DockId::Suspensions)->show();
  });
  connect(editors_, &EditorArea::saved, preview_, &PreviewPanel::fileSaved);
  connect(project_, &ProjectPanel::fileActivated, this, [this](const QString& p) { editors_->openFile(p); });
  connect(suspensions_, &SuspensionsPanel::pausedChanged, this, [this](bool paused) {
    for (ActionId id : {ActionId::StepResume, ActionId::StepResumeValue, ActionId::StepAbort}) action(id)->setEnabled(paused);
    if (paused) {
      dock(DockId::Suspensions)->show();
      dock(DockId::Suspensions)->raise();
    }
    updateStatus();
  });
  // "Running…" appears once a run has lasted kShowRunningAfterMs: a short run leaves the
  // status bar alone (no relayout and repaint competing with the engine for the CPU).
  runningDelay_ = new QTimer(this);
  runningDelay_->setSingleShot(true);
  runningDelay_->setInterval(kShowRunningAfterMs);
  connect(runningDelay_, &QTimer::timeout, this, &MainWindow::updateStatus);
  connect(bridge_.get(), &InspectorBridge::runStarted, this, [this](const sx::inspect::RunStarted& e) {
    if (activeRuns_.isEmpty()) runningDelay_->start();
    activeRuns_.insert(e.run);
  });
  connect(bridge_.get(), &InspectorBridge::runFinished, this, [this](const sx::inspect::RunFinished& e) {
    activeRuns_.remove(e.run);
    if (!busy()) runningDelay_->stop();
    updateStatus();
  });

  resize(1280, 860);
  defaultLayout_ = saveState();
  showResolverMode(inspector_.resolverMode());
}

// The panels go first (the preview's bridge stops delivery), then the server's threads.
MainWindow::~MainWindow() {
  preview_->shutdown();
  delete preview_;
  previewBridge_.reset();
}

void MainWindow::buildDocks() {
  QWidget* bodies[] = {project_, console_, suspensions_, bytecode_, native_, jit_, preview_};
  static_assert(std::size(kDocks) == std::size(bodies), "one panel widget per dock in SX_DOCKS");
  for (size_t i = 0; i < std::size(kDocks); ++i) {
    const DockDef& d = kDocks[i];
    auto* dock = new QDockWidget(tr(d.title), this);
    dock->setObjectName(QString::fromLatin1(d.objectName));
    dock->setWidget(bodies[i]);
    addDockWidget(d.area, dock);
    docks_.push_back(dock);
  }
  splitDockWidget(dock(DockId::Console), dock(DockId::Suspensions), Qt::Horizontal);
  tabifyDockWidget(dock(DockId::Suspensions), dock(DockId::Jit));
  dock(DockId::Suspensions)->raise();
  // The code panels take the window's right side from top to bottom, one above the other.
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  splitDockWidget(dock(DockId::Bytecode), dock(DockId::Native), Qt::Vertical);
  // The preview page shares the upper half with the bytecode listing.
  tabifyDockWidget(dock(DockId::Bytecode), dock(DockId::Preview));
  dock(DockId::Bytecode)->raise();
}

void MainWindow::linkCodePanels() {
  connect(bytecode_, &BytecodePanel::functionSelected, this, [this](uint64_t id) {
    native_->setFunction(id, true);  // the bytecode panel asked for the listing both show
    jit_->selectFunction(id);
  });
  connect(jit_, &JitPanel::functionSelected, bytecode_, &BytecodePanel::selectFunction);
  connect(bytecode_, &BytecodePanel::instructionSelected, native_, &NativePanel::selectBytecode);
  connect(native_, &NativePanel::bytecodeSelected, bytecode_, &BytecodePanel::selectOffset);
  connect(bytecode_, &BytecodePanel::sourceRequested, this, [this](const Location& where, int length) {
    followingCode_ = true;
    editors_->selectSpan(where, length);
    followingCode_ = false;
  });
  connect(editors_, &EditorArea::cursorMoved, this, [this](CodeEditor* e, int pos) {
    if (followingCode_ || !dock(DockId::Bytecode)->isVisible()) return;
    bytecode_->selectAtSource(e->filePath(), pos, [e](const sx::inspect::SourcePos& s) {
      auto r = e->spanRange(int(s.line), int(s.col), int(s.len));
      return std::pair<int, int>(r.first, r.second);
    });
  });
}

void MainWindow::showCodeAtCursor() {
  dock(DockId::Bytecode)->show();
  dock(DockId::Bytecode)->raise();
  CodeEditor* e = editors_->current();
  if (!e) return;
  bytecode_->selectAtSource(e->filePath(), e->textCursor().position(), [e](const sx::inspect::SourcePos& s) {
    auto r = e->spanRange(int(s.line), int(s.col), int(s.len));
    return std::pair<int, int>(r.first, r.second);
  });
}

// Dock sizes take effect only once the window is laid out: on the first show (unless a
// saved layout was restored) and on "Reset layout".
void MainWindow::applyDefaultDockSizes() {
  resizeDocks({dock(DockId::Project), dock(DockId::Bytecode)}, {160, width() * 38 / 100}, Qt::Horizontal);
  resizeDocks({dock(DockId::Bytecode), dock(DockId::Native)}, {height() * 55 / 100, height() * 45 / 100}, Qt::Vertical);
  resizeDocks({dock(DockId::Console), dock(DockId::Suspensions)}, {width() * 25 / 100, width() * 37 / 100}, Qt::Horizontal);
  resizeDocks({dock(DockId::Console)}, {height() * 48 / 100}, Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent* e) {
  QMainWindow::showEvent(e);
  if (shown_) return;
  shown_ = true;
  if (!layoutRestored_) QTimer::singleShot(0, this, &MainWindow::applyDefaultDockSizes);
}

void MainWindow::buildActions() {
  for (size_t i = 0; i < std::size(kDocks); ++i) {
    QAction* toggle = docks_[int(i)]->toggleViewAction();
    toggle->setText(tr("Show %1 Panel").arg(tr(kDocks[i].title)));
    actions_->add(QString::fromLatin1(kDocks[i].actionId), toggle);
  }
  for (QAction* a : preview_->commands()) actions_->add(a->objectName(), a);
  auto on = [this](ActionId id, auto fn) { connect(action(id), &QAction::triggered, this, fn); };
  on(ActionId::FileOpen, [this] {
    QString f = QFileDialog::getOpenFileName(this, tr("Open SX File"), QString(), tr("SX files (*.sx);;All files (*)"));
    if (!f.isEmpty()) openPath(f);
  });
  on(ActionId::FileOpenFolder, [this] {
    QString d = QFileDialog::getExistingDirectory(this, tr("Open Project Folder"));
    if (!d.isEmpty()) openPath(d);
  });
  on(ActionId::FileSave, [this] { editors_->saveCurrent(); });
  on(ActionId::FileClose, [this] {
    if (editors_->count()) editors_->closeEditor(editors_->currentIndex());
  });
  on(ActionId::FileQuit, [this] { close(); });
  on(ActionId::RunFile, [this] {
    if (!editors_->runCurrent()) statusBar()->showMessage(tr("No file to run"), 4000);
  });
  on(ActionId::RunProject, [this] { runProject(); });
  on(ActionId::RunStop, [this] { inspector_.stop(); });

  resolverGroup_ = new QActionGroup(this);
  resolverGroup_->setExclusive(true);
  const std::pair<ActionId, sx::ResolverMode> modes[] = {{ActionId::ResolverInline, sx::ResolverMode::Inline},
                                                         {ActionId::ResolverUnwind, sx::ResolverMode::Unwind},
                                                         {ActionId::ResolverStep, sx::ResolverMode::Step}};
  for (auto [id, mode] : modes) {
    QAction* a = action(id);
    a->setCheckable(true);
    a->setData(int(mode));
    a->setIconText(QString::fromLatin1(sx::resolverModeName(mode)));
    resolverGroup_->addAction(a);
    connect(a, &QAction::triggered, this, [this, mode = mode] { setResolverMode(mode); });
  }

  on(ActionId::StepResume, [this] { suspensions_->resumeWithResolver(); });
  on(ActionId::StepResumeValue, [this] {
    bool ok = false;
    QString v = QInputDialog::getText(this, tr("Resume With a Value"), tr("SX value (read by the reader, not evaluated):"),
                                      QLineEdit::Normal, QString(), &ok);
    if (ok) suspensions_->resumeWithValue(v);
  });
  on(ActionId::StepAbort, [this] { suspensions_->abortRun(); });
  for (ActionId id : {ActionId::StepResume, ActionId::StepResumeValue, ActionId::StepAbort}) action(id)->setEnabled(false);

  on(ActionId::EditGoToDefinition, [this] {
    if (CodeEditor* e = editors_->current()) e->requestDefinition();
  });
  on(ActionId::EditToggleBreakpoint, [this] {
    if (CodeEditor* e = editors_->current()) e->toggleBreakpoint(e->cursorLine());
  });
  on(ActionId::ConsoleFocus, [this] {
    dock(DockId::Console)->show();
    dock(DockId::Console)->raise();
    console_->input()->setFocus();
  });
  on(ActionId::ConsoleClear, [this] { console_->model().clear(); });
  on(ActionId::CodeAtCursor, [this] { showCodeAtCursor(); });
  on(ActionId::CodeRefresh, [this] { inspector_.requestFunctions(); });
  on(ActionId::ViewCommandPalette, [this] { showCommandPalette(); });
  on(ActionId::ViewResetLayout, [this] { resetLayout(); });
  action(ActionId::ViewDarkTheme)->setCheckable(true);
  connect(action(ActionId::ViewDarkTheme), &QAction::toggled, this, [this](bool dark) { setDarkTheme(dark); });
  on(ActionId::ViewPreferences, [this] { showPreferences(); });
  on(ActionId::HelpAbout, [this] {
    QMessageBox::about(this, tr("About SX Studio"),
                       tr("<b>SX Studio</b><br>An IDE and live inspector for the SX language.<br>Highlighting: %1")
                           .arg(editors_->syntax() ? editors_->syntax()->backendName() : tr("unavailable")));
  });
}

void MainWindow::buildMenusAndToolbar() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(action(ActionId::FileOpen));
  file->addAction(action(ActionId::FileOpenFolder));
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  recentMenu_->setObjectName(QStringLiteral("recentMenu"));
  file->addAction(action(ActionId::FileSave));
  file->addAction(action(ActionId::FileClose));
  file->addSeparator();
  file->addAction(action(ActionId::FileQuit));

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(action(ActionId::EditGoToDefinition));
  edit->addAction(action(ActionId::EditToggleBreakpoint));

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(action(ActionId::RunFile));
  run->addAction(action(ActionId::RunProject));
  run->addAction(action(ActionId::RunStop));
  run->addSeparator();
  QMenu* resolver = run->addMenu(tr("Resolver &Mode"));
  resolver->setObjectName(QStringLiteral("resolverMenu"));
  resolver->addActions(resolverGroup_->actions());
  run->addSeparator();
  run->addAction(action(ActionId::StepResume));
  run->addAction(action(ActionId::StepResumeValue));
  run->addAction(action(ActionId::StepAbort));
  run->addSeparator();
  QMenu* previewMenu = run->addMenu(tr("&Preview Server"));
  previewMenu->setObjectName(QStringLiteral("previewMenu"));
  previewMenu->addActions(preview_->commands());

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(action(ActionId::ViewCommandPalette));
  view->addSeparator();
  for (QDockWidget* d : docks_) view->addAction(d->toggleViewAction());
  view->addAction(action(ActionId::ConsoleFocus));
  view->addAction(action(ActionId::ConsoleClear));
  view->addAction(action(ActionId::CodeAtCursor));
  view->addAction(action(ActionId::CodeRefresh));
  view->addSeparator();
  view->addAction(action(ActionId::ViewDarkTheme));
  view->addAction(action(ActionId::ViewResetLayout));
  view->addAction(action(ActionId::ViewPreferences));

  menuBar()->addMenu(tr("&Help"))->addAction(action(ActionId::HelpAbout));

  QToolBar* tb = addToolBar(tr("Run"));
  tb->setObjectName(QStringLiteral("runToolBar"));
  tb->setToolButtonStyle(Qt::ToolButtonTextOnly);
  tb->addAction(action(ActionId::RunFile));
  tb->addAction(action(ActionId::RunStop));
  tb->addSeparator();
  auto* label = new QLabel(tr(" Resolver: "), tb);
  tb->addWidget(label);
  tb->addActions(resolverGroup_->actions());
  tb->addSeparator();
  tb->addAction(action(ActionId::StepResume));
  tb->addAction(action(ActionId::StepAbort));
  action(ActionId::RunFile)->setIconText(tr("Run"));
  action(ActionId::RunStop)->setIconText(tr("Stop"));
  action(ActionId::StepResume)->setIconText(tr("Resume"));
  action(ActionId::StepAbort)->setIconText(tr("Abort"));
  rebuildRecentMenu();
}

void MainWindow::showCommandPalette() { palette_->popup(actions_->all()); }

void MainWindow::showPreferences() {
  PreferencesDialog dialog(settings_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  setDarkTheme(settings_.get(Pref::Theme).toString() == QLatin1String("dark"));
  editors_->setFontPointSize(settings_.get(Pref::EditorFontSize).toInt());
  applyPreviewPreferences();
  QString mode = settings_.get(Pref::ResolverMode).toString();
  for (QAction* a : resolverGroup_->actions())
    if (a->iconText() == mode) setResolverMode(sx::ResolverMode(a->data().toInt()));
}

void MainWindow::updateStatus() {
  modeLabel_->setText(tr("Resolver: %1").arg(QString::fromLatin1(sx::resolverModeName(resolverMode()))));
  if (auto p = suspensions_->pausedPerform())
    runLabel_->setText(tr("Paused at perform #%1").arg(*p));
  else
    runLabel_->setText(busy() && !runningDelay_->isActive() ? tr("Running…") : tr("Idle"));
}

QString MainWindow::runStatus() const { return runLabel_->text(); }

void MainWindow::closeEvent(QCloseEvent* e) {
  saveSession();
  preview_->shutdown();
  QMainWindow::closeEvent(e);
}

}  // namespace sxs
