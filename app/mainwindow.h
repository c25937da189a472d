// The main window: the editor in the middle, every other panel a dock with a unique
// objectName (declared once below), menus and a toolbar built from the action table, the
// resolver mode toggle, the command palette, themes, and the session (layout, open files,
// panel state) saved on close and restored on the next start.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include "actions.h"
#include "inspect/inspector.h"
#include "inspect/preview.h"

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace sxs {

class BytecodePanel;
class CodeEditor;
class CommandPalette;
class ConsolePanel;
class EditorArea;
class InspectorBridge;
class JitPanel;
class NativePanel;
class PreviewBridge;
class PreviewPanel;
class ProjectPanel;
class Settings;
class SuspensionsPanel;
struct Location;

// X(Enum, "objectName", "toggle action id", "Title", default area)
#define SX_DOCKS(X)                                                                       \
  X(Project, "projectDock", "view.panel.project", "Project", Qt::LeftDockWidgetArea)      \
  X(Console, "consoleDock", "view.panel.console", "Console", Qt::BottomDockWidgetArea)    \
  X(Suspensions, "suspensionsDock", "view.panel.suspensions", "Suspensions", Qt::BottomDockWidgetArea) \
  X(Bytecode, "bytecodeDock", "view.panel.bytecode", "Bytecode", Qt::RightDockWidgetArea)    \
  X(Native, "nativeDock", "view.panel.native", "Native Code", Qt::RightDockWidgetArea)       \
  X(Jit, "jitDock", "view.panel.jit", "JIT", Qt::BottomDockWidgetArea)                     \
  X(Preview, "previewDock", "view.panel.preview", "Preview", Qt::RightDockWidgetArea)

enum class DockId {
#define X(e, name, id, title, area) e,
  SX_DOCKS(X)
#undef X
};

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  // `preview` serves the project in the Preview panel; null: the window makes its own
  // (a PreviewHost).
  MainWindow(sx::inspect::Inspector& inspector, Settings& settings, sx::inspect::PreviewServer* preview = nullptr,
             QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a project folder (its .sx files) or a file; runs the project's files when the
  // preference says so. False when the path is neither.
  bool openPath(const QString& path);
  // Restores layout and panel state; with `files` also the project and open files.
  void restoreSession(bool files);
  void saveSession();
  void resetLayout();

  void setResolverMode(sx::ResolverMode mode);
  sx::ResolverMode resolverMode() const;
  void setDarkTheme(bool dark);
  bool darkTheme() const { return dark_; }
  void showCommandPalette();
  void runProject();

  ActionRegistry& actions() { return *actions_; }
  QAction* action(ActionId id) const { return actions_->get(id); }
  QDockWidget* dock(DockId id) const { return docks_.value(int(id)); }
  EditorArea* editors() const { return editors_; }
  ConsolePanel* console() const { return console_; }
  SuspensionsPanel* suspensions() const { return suspensions_; }
  ProjectPanel* project() const { return project_; }
  BytecodePanel* bytecode() const { return bytecode_; }
  NativePanel* native() const { return native_; }
  JitPanel* jit() const { return jit_; }
  PreviewPanel* preview() const { return preview_; }
  CommandPalette* palette() const { return palette_; }
  InspectorBridge& bridge() const { return *bridge_; }
  QStringList recentFiles() const { return recent_; }
  // True while a run is in progress (or paused).
  bool busy() const { return !activeRuns_.isEmpty(); }
  // The status bar's run state: "Idle", "Running…" (once a run has lasted a moment) or
  // "Paused at perform #N".
  QString runStatus() const;

 protected:
  void closeEvent(QCloseEvent* e) override;
  void showEvent(QShowEvent* e) override;

 private:
  void buildDocks();
  void applyDefaultDockSizes();
  void buildActions();
  void buildMenusAndToolbar();
  void rebuildRecentMenu();
  void addRecent(const QString& path);
  void openLocation(const Location& where);
  // Links the bytecode, native-code and JIT panels with each other and the editor.
  void linkCodePanels();
  void showCodeAtCursor();
  void showPreferences();
  void applyPreviewPreferences();
  void updateStatus();
  // Checks the mode's action and shows it, without changing the engine or the preference.
  void showResolverMode(sx::ResolverMode mode);

  sx::inspect::Inspector& inspector_;
  Settings& settings_;
  std::unique_ptr<sx::inspect::PreviewServer> ownPreview_;
  std::unique_ptr<InspectorBridge> bridge_;
  std::unique_ptr<PreviewBridge> previewBridge_;
  std::unique_ptr<ActionRegistry> actions_;
  EditorArea* editors_;
  ConsolePanel* console_;
  SuspensionsPanel* suspensions_;
  ProjectPanel* project_;
  BytecodePanel* bytecode_;
  NativePanel* native_;
  JitPanel* jit_;
  PreviewPanel* preview_;
  CommandPalette* palette_;
  QList<QDockWidget*> docks_;
  QActionGroup* resolverGroup_;
  QMenu* recentMenu_ = nullptr;
  QLabel* modeLabel_;
  QLabel* runLabel_;
  QByteArray defaultLayout_;
  QStringList recent_;
  QSet<quint64> activeRuns_;
  QTimer* runningDelay_;  // active during a run's first moments, before "Running…" shows
  bool dark_ = false;
  bool shown_ = false;
  bool layoutRestored_ = false;
  bool followingCode_ = false;  // the editor is moving to a span a code panel asked for
};

}  // namespace sxs
