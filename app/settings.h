// Settings, declared once. Preferences (what the user chose) and session state (what was
// open, where the docks were) live in two separate files, so resetting one never loses
// the other. Each key is declared once with its default and label.
#pragma once

#include <QSettings>
#include <QString>
#include <QVariant>
#include <memory>

namespace sxs {

// X(Enum, "key", default, "label", "choices|for|strings" or "")
#define SX_PREFERENCES(X)                                                                              \
  X(Theme, "appearance/theme", QStringLiteral("light"), "Colour theme", "light|dark")                 \
  X(ResolverMode, "engine/resolverMode", QStringLiteral("inline"), "Resolver mode for runs", "inline|unwind|step") \
  X(LoadProjectOnOpen, "engine/loadProjectOnOpen", true, "Run a project's files when it is opened", "") \
  X(MockOps, "engine/mockOps", true, "Register the in-memory kv and echo ops (applies after a restart)", "") \
  X(Tier, "engine/tier", QStringLiteral("jit"), "Tier for lambdas: console (after a restart) and preview", "cek|vm|jit|auto") \
  X(MaxRecordedPerforms, "inspector/maxRecordedPerforms", 1000,                                         \
    "Performs recorded with stacks per run (applies after a restart)", "")                               \
  X(EditorFontSize, "editor/fontSize", 10, "Editor font size (points)", "")                          \
  X(PreviewPort, "preview/port", 0, "Preview server port (0: a free port at each start)", "")

// X(Enum, "key", "what it holds")
#define SX_SESSION_KEYS(X)                                                              \
  X(Geometry, "window/geometry", "the main window's geometry")                           \
  X(WindowState, "window/state", "docks and toolbars (QMainWindow::saveState)")          \
  X(Project, "project/root", "the project folder or file")                              \
  X(OpenFiles, "editor/openFiles", "files open in the editor, in tab order")            \
  X(CurrentFile, "editor/currentFile", "the file in the front tab")                     \
  X(Breakpoints, "editor/breakpoints", "breakpoint lines per file")                     \
  X(RecentFiles, "files/recent", "recently opened files and folders, newest first")     \
  X(ConsoleHistory, "console/history", "the console's input history")                   \
  X(SuspensionsState, "suspensions/state", "the suspensions panel's splitters and columns")   \
  X(BytecodeState, "bytecode/state", "the bytecode panel's splitter and columns")          \
  X(NativeState, "native/state", "the native-code panel's splitter and columns")           \
  X(JitState, "jit/state", "the JIT panel's splitter and columns")                       \
  X(PreviewState, "preview/state", "the preview panel's splitter and columns")

enum class Pref {
#define X(e, k, d, l, c) e,
  SX_PREFERENCES(X)
#undef X
};

enum class SessionKey {
#define X(e, k, d) e,
  SX_SESSION_KEYS(X)
#undef X
};

struct PrefInfo {
  Pref id;
  const char* key;
  QVariant defaultValue;
  const char* label;
  const char* choices;  // "a|b|c" for a string with fixed choices, else ""
};
const std::vector<PrefInfo>& preferenceTable();

class Settings {
 public:
  // Uses QSettings' INI files for the organisation "sx-studio" (QSettings::setPath
  // decides where; tests point it at a temporary folder).
  Settings();

  QVariant get(Pref p) const;
  void set(Pref p, const QVariant& v);
  QVariant get(SessionKey k) const;
  void set(SessionKey k, const QVariant& v);
  void clearSession();
  void sync();

  static const char* key(SessionKey k);
  static const PrefInfo& info(Pref p);

 private:
  std::unique_ptr<QSettings> prefs_;
  std::unique_ptr<QSettings> session_;
};

}  // namespace sxs
