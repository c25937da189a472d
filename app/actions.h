// Every command of the IDE as a QAction with a stable dotted id (its objectName), declared
// once here; menus, toolbars, shortcuts and the command palette all use these.
#pragma once

#include <QAction>
#include <QHash>
#include <QList>
#include <QString>

namespace sxs {

// X(Enum, "dotted.id", "Label", "shortcut")
#define SX_ACTIONS(X)                                                                      \
  X(FileOpen, "file.open", "Open File…", "Ctrl+O")                                         \
  X(FileOpenFolder, "file.openFolder", "Open Folder…", "Ctrl+Shift+O")                     \
  X(FileSave, "file.save", "Save", "Ctrl+S")                                               \
  X(FileClose, "file.close", "Close File", "Ctrl+W")                                       \
  X(FileQuit, "file.quit", "Quit", "Ctrl+Q")                                               \
  X(RunFile, "run.file", "Run Current File", "F5")                                         \
  X(RunProject, "run.project", "Run Project Files", "Ctrl+F5")                             \
  X(RunStop, "run.stop", "Stop Run", "Shift+F5")                                           \
  X(ResolverInline, "resolver.inline", "Resolver Mode: Inline", "")                        \
  X(ResolverUnwind, "resolver.unwind", "Resolver Mode: Unwind", "")                        \
  X(ResolverStep, "resolver.step", "Resolver Mode: Step (pause at every perform)", "")     \
  X(StepResume, "step.resume", "Resume With the Resolver's Answer", "F8")                  \
  X(StepResumeValue, "step.resumeValue", "Resume With an Edited Value", "Shift+F8")        \
  X(StepAbort, "step.abort", "Abort the Paused Run", "")                                   \
  X(EditGoToDefinition, "edit.goToDefinition", "Go to Definition", "F12")                  \
  X(EditToggleBreakpoint, "edit.toggleBreakpoint", "Toggle Breakpoint", "F9")              \
  X(ConsoleFocus, "console.focus", "Focus the Console", "Ctrl+`")                          \
  X(ConsoleClear, "console.clear", "Clear the Console", "")                                \
  X(CodeAtCursor, "code.atCursor", "Show the Bytecode at the Cursor", "Ctrl+Shift+B")      \
  X(CodeRefresh, "code.refresh", "Refresh Compiled Functions", "")                         \
  X(ViewCommandPalette, "view.commandPalette", "Command Palette…", "Ctrl+Shift+P")         \
  X(ViewResetLayout, "view.resetLayout", "Reset Layout", "")                               \
  X(ViewDarkTheme, "view.darkTheme", "Dark Theme", "")                                     \
  X(ViewPreferences, "view.preferences", "Preferences…", "")                               \
  X(HelpAbout, "help.about", "About SX Studio", "")

enum class ActionId {
#define X(e, id, label, keys) e,
  SX_ACTIONS(X)
#undef X
};

class ActionRegistry {
 public:
  explicit ActionRegistry(QObject* owner);

  QAction* get(ActionId id) const { return byEnum_[int(id)]; }
  QAction* find(const QString& id) const { return byId_.value(id); }
  // Registers an action made elsewhere (a dock's toggle) under a dotted id.
  void add(const QString& id, QAction* action);
  QList<QAction*> all() const { return ordered_; }

  static QString idOf(const QAction* a) { return a->objectName(); }

 private:
  QList<QAction*> byEnum_;
  QList<QAction*> ordered_;
  QHash<QString, QAction*> byId_;
};

}  // namespace sxs
