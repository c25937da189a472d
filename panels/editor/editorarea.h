// The editor panel: tabs of CodeEditors over files (or unsaved buffers), each checked by
// the inspector a moment after it changes (reader and analysis diagnostics, perform
// sites, the globals it defines), with go-to-definition across the buffers and the
// engine's definitions, and breakpoints kept per file.
#pragma once

#include <QHash>
#include <QSet>
#include <QTabWidget>
#include <memory>
#include <vector>

#include "common/location.h"
#include "inspect/inspector.h"

namespace sxs {

class CodeEditor;
class InspectorBridge;
class SyntaxEngine;

class EditorArea : public QTabWidget {
  Q_OBJECT

 public:
  EditorArea(InspectorBridge& bridge, QWidget* parent = nullptr);
  ~EditorArea() override;

  // Opens `path` (or shows it when open); null with a message when it cannot be read.
  CodeEditor* openFile(const QString& path);
  // An unsaved buffer named `name` (used for scratch code and demos).
  CodeEditor* openText(const QString& name, const QString& text);
  CodeEditor* current() const;
  CodeEditor* editorFor(const QString& name) const;
  QList<CodeEditor*> editors() const;
  QStringList openFiles() const;  // paths of the editors backed by files

  bool saveCurrent();
  void closeEditor(int index);
  // Runs the current buffer in the engine under its file name; returns the run id or 0.
  uint64_t runCurrent();
  bool openLocation(const Location& where);
  // Opens the file of `where` and selects `lengthBytes` of source from there.
  bool selectSpan(const Location& where, int lengthBytes);

  // Where `symbol` is defined: the open buffers first (unsaved text counts), then the
  // engine. Opens it and returns true, or sets `message` (e.g. a primitive's doc).
  bool goToDefinition(const QString& symbol, QString* message);

  QHash<QString, QList<int>> breakpoints() const;
  void setBreakpoints(const QHash<QString, QList<int>>& byFile);
  void setDark(bool dark);
  void setFontPointSize(int points);
  // The definitions the last check found in each buffer (by buffer name).
  const QHash<QString, std::vector<sx::inspect::Definition>>& bufferDefinitions() const { return bufferDefs_; }
  SyntaxEngine* syntax() const { return syntax_.get(); }
  QString syntaxError() const { return syntaxError_; }

 Q_SIGNALS:
  void message(const QString& text);
  void checked(const QString& name);  // a check's results were applied to a buffer
  // The cursor of the current editor moved (or another editor became current).
  void cursorMoved(CodeEditor* editor, int position);
  void saved(const QString& path);    // a buffer was written to its file

 private:
  CodeEditor* addEditor(const QString& name, const QString& text);
  // The editor of `where`'s file, opened and made current; null (with a message) if none.
  CodeEditor* editorAt(const Location& where);
  void scheduleCheck(CodeEditor* e);
  void applyCheck(const sx::inspect::SourceChecked& c);
  void updateTitle(CodeEditor* e);

  InspectorBridge& bridge_;
  std::unique_ptr<SyntaxEngine> syntax_;
  QString syntaxError_;
  QHash<CodeEditor*, uint64_t> generation_;
  QHash<QString, QList<int>> pendingBreakpoints_;
  QHash<QString, std::vector<sx::inspect::Definition>> bufferDefs_;
  uint64_t nextGeneration_ = 0;
  bool dark_ = false;
  int fontPoints_ = 0;  // 0: the system's fixed font size
};

}  // namespace sxs
