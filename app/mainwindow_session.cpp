// The main window's state: the project, open files, the session (saved apart from the
// preferences), the layout, the theme and the resolver mode.
#include <QActionGroup>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QStatusBar>

#include "bytecode/bytecodepanel.h"
#include "common/inspectorbridge.h"
#include "common/location.h"
#include "console/consolepanel.h"
#include "editor/codeeditor.h"
#include "editor/editorarea.h"
#include "mainwindow.h"
#include "jit/jitpanel.h"
#include "native/nativepanel.h"
#include "preview/previewpanel.h"
#include "project/projectpanel.h"
#include "settings.h"
#include "suspensions/suspensionspanel.h"
#include "theme.h"

namespace sxs {

namespace {

constexpr int kLayoutVersion = 2;       // bump when the docks change incompatibly
constexpr int kMaxRecent = 10;
constexpr int kMaxFilesOpenedAtOnce = 12;  // a bigger project opens this many tabs

sx::ResolverMode modeNamed(const QString& name) {
  for (sx::ResolverMode m : {sx::ResolverMode::Inline, sx::ResolverMode::Unwind, sx::ResolverMode::Step})
    if (name == QLatin1String(sx::resolverModeName(m))) return m;
  return sx::ResolverMode::Inline;
}

}  // namespace

bool MainWindow::openPath(const QString& path) {
  if (!project_->model().open(path)) {
    statusBar()->showMessage(tr("%1 is neither a folder nor a file").arg(path), 8000);
    return false;
  }
  const QStringList files = project_->model().files();
  for (int i = 0; i < files.size() && i < kMaxFilesOpenedAtOnce; ++i) editors_->openFile(files[i]);
  if (!files.isEmpty()) editors_->openFile(files.front());
  preview_->setProject(project_->model().root(), files);
  addRecent(project_->model().root());
  setWindowTitle(tr("SX Studio — %1").arg(QFileInfo(project_->model().root()).fileName()));
  if (settings_.get(Pref::LoadProjectOnOpen).toBool()) runProject();
  return true;
}

void MainWindow::runProject() {
  for (const QString& f : project_->model().files()) inspector_.loadFile(f.toStdString());
}

void MainWindow::addRecent(const QString& path) {
  recent_.removeAll(path);
  recent_.prepend(path);
  while (recent_.size() > kMaxRecent) recent_.removeLast();
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  for (const QString& path : recent_) {
    QAction* a = recentMenu_->addAction(QDir::toNativeSeparators(path));
    connect(a, &QAction::triggered, this, [this, path] { openPath(path); });
  }
  recentMenu_->setEnabled(!recent_.isEmpty());
}

void MainWindow::openLocation(const Location& where) {
  if (editors_->openLocation(where)) return;
  statusBar()->showMessage(tr("%1:%2 is not an editable file").arg(where.file).arg(where.line), 6000);
}

void MainWindow::saveSession() {
  settings_.set(SessionKey::Geometry, saveGeometry());
  settings_.set(SessionKey::WindowState, saveState(kLayoutVersion));
  settings_.set(SessionKey::Project, project_->model().root());
  settings_.set(SessionKey::OpenFiles, editors_->openFiles());
  settings_.set(SessionKey::CurrentFile, editors_->current() ? editors_->current()->filePath() : QString());
  QVariantMap bps;
  const auto byFile = editors_->breakpoints();
  for (auto it = byFile.begin(); it != byFile.end(); ++it) {
    QVariantList lines;
    for (int l : it.value()) lines.push_back(l);
    bps.insert(it.key(), lines);
  }
  settings_.set(SessionKey::Breakpoints, bps);
  settings_.set(SessionKey::RecentFiles, recent_);
  settings_.set(SessionKey::ConsoleHistory, console_->input()->history());
  settings_.set(SessionKey::SuspensionsState, suspensions_->saveState());
  settings_.set(SessionKey::BytecodeState, bytecode_->saveState());
  settings_.set(SessionKey::NativeState, native_->saveState());
  settings_.set(SessionKey::JitState, jit_->saveState());
  settings_.set(SessionKey::PreviewState, preview_->saveState());
  settings_.sync();
}

void MainWindow::restoreSession(bool files) {
  setDarkTheme(settings_.get(Pref::Theme).toString() == QLatin1String("dark"));
  editors_->setFontPointSize(settings_.get(Pref::EditorFontSize).toInt());
  setResolverMode(modeNamed(settings_.get(Pref::ResolverMode).toString()));
  recent_ = settings_.get(SessionKey::RecentFiles).toStringList();
  rebuildRecentMenu();
  console_->input()->setHistory(settings_.get(SessionKey::ConsoleHistory).toStringList());
  suspensions_->restoreState(settings_.get(SessionKey::SuspensionsState).toByteArray());
  bytecode_->restoreState(settings_.get(SessionKey::BytecodeState).toByteArray());
  native_->restoreState(settings_.get(SessionKey::NativeState).toByteArray());
  jit_->restoreState(settings_.get(SessionKey::JitState).toByteArray());
  preview_->restoreState(settings_.get(SessionKey::PreviewState).toByteArray());
  applyPreviewPreferences();
  QHash<QString, QList<int>> bps;
  const QVariantMap saved = settings_.get(SessionKey::Breakpoints).toMap();
  for (auto it = saved.begin(); it != saved.end(); ++it)
    for (const QVariant& l : it.value().toList()) bps[it.key()].push_back(l.toInt());
  editors_->setBreakpoints(bps);
  QByteArray geometry = settings_.get(SessionKey::Geometry).toByteArray();
  if (!geometry.isEmpty()) restoreGeometry(geometry);
  QByteArray state = settings_.get(SessionKey::WindowState).toByteArray();
  if (!state.isEmpty()) layoutRestored_ = restoreState(state, kLayoutVersion);
  if (!files) return;
  QString root = settings_.get(SessionKey::Project).toString();
  if (!root.isEmpty() && QFileInfo::exists(root) && project_->model().open(root)) {
    setWindowTitle(tr("SX Studio — %1").arg(QFileInfo(root).fileName()));
    preview_->setProject(project_->model().root(), project_->model().files());
  }
  for (const QString& f : settings_.get(SessionKey::OpenFiles).toStringList())
    if (QFileInfo::exists(f)) editors_->openFile(f);
  QString current = settings_.get(SessionKey::CurrentFile).toString();
  if (!current.isEmpty() && QFileInfo::exists(current)) editors_->openFile(current);
  if (!root.isEmpty() && settings_.get(Pref::LoadProjectOnOpen).toBool()) runProject();
}

// The preview server's port and tier (from its next start).
void MainWindow::applyPreviewPreferences() {
  preview_->setPort(settings_.get(Pref::PreviewPort).toInt());
  sx::Tier tier = sx::Tier::Auto;
  sx::parseTier(settings_.get(Pref::Tier).toString().toStdString(), &tier);
  preview_->setTier(tier);
}

void MainWindow::resetLayout() {
  restoreState(defaultLayout_);
  for (QDockWidget* d : docks_) d->show();
  applyDefaultDockSizes();
  statusBar()->showMessage(tr("Layout reset"), 4000);
}

void MainWindow::setResolverMode(sx::ResolverMode mode) {
  inspector_.setResolverMode(mode);
  preview_->setResolverMode(mode);
  settings_.set(Pref::ResolverMode, QString::fromLatin1(sx::resolverModeName(mode)));
  showResolverMode(mode);
}

void MainWindow::showResolverMode(sx::ResolverMode mode) {
  for (QAction* a : resolverGroup_->actions())
    if (sx::ResolverMode(a->data().toInt()) == mode) a->setChecked(true);
  updateStatus();
}

sx::ResolverMode MainWindow::resolverMode() const { return inspector_.resolverMode(); }

void MainWindow::setDarkTheme(bool dark) {
  dark_ = dark;
  applyPalette(dark);
  editors_->setDark(dark);
  if (action(ActionId::ViewDarkTheme)->isChecked() != dark) action(ActionId::ViewDarkTheme)->setChecked(dark);
  settings_.set(Pref::Theme, dark ? QStringLiteral("dark") : QStringLiteral("light"));
}

}  // namespace sxs
