// The SX source editor: a QPlainTextEdit highlighted through SyntaxEngine, with a gutter
// (line numbers, perform sites, breakpoints), matching-bracket highlight, reader and
// analysis diagnostics underlined with their message as tooltip, and a request for the
// definition of the symbol under the cursor (the app binds it to F12).
#pragma once

#include <QPlainTextEdit>
#include <QSet>
#include <vector>

namespace sxs {

class SyntaxEngine;

struct EditorDiagnostic {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in code points
  int length = 0;  // in bytes as the engine reports; 0 = the symbol there
  QString message;
};

class CodeEditor : public QPlainTextEdit {
  Q_OBJECT

 public:
  CodeEditor(SyntaxEngine* syntax, QWidget* parent = nullptr);

  QString filePath() const { return path_; }
  void setFilePath(const QString& path) { path_ = path; }

  void setDiagnostics(std::vector<EditorDiagnostic> diagnostics);
  const std::vector<EditorDiagnostic>& diagnostics() const { return diagnostics_; }
  void setPerformLines(QSet<int> lines);
  const QSet<int>& performLines() const { return performLines_; }
  // Breakpoints are editor and session state; the engine's tiers cannot stop at them yet.
  void setBreakpoints(QSet<int> lines);
  const QSet<int>& breakpoints() const { return breakpoints_; }
  void toggleBreakpoint(int line);

  // Moves the cursor to line:column (1-based; column in code points) and shows it.
  void goTo(int line, int column);
  int cursorLine() const;
  // The document position of line:column.
  int positionOf(int line, int column) const;
  // The document range [start, end) of a source span: line:column and a length in UTF-8
  // bytes, as the engine reports spans (the end is clamped to the document).
  QPair<int, int> spanRange(int line, int column, int lengthBytes) const;
  // Selects that range and shows it.
  void selectSpan(int line, int column, int lengthBytes);
  // The bracket pair highlighted now (document positions), or -1s.
  QPair<int, int> highlightedBrackets() const { return brackets_; }
  void setThemeColors(const QColor& background, const QColor& foreground);
  // Emits definitionRequested for the symbol under the cursor, if there is one.
  void requestDefinition();

 Q_SIGNALS:
  void definitionRequested(const QString& symbol);
  void breakpointsChanged();

 protected:
  void resizeEvent(QResizeEvent* e) override;
  bool event(QEvent* e) override;

 private:
  friend class EditorGutter;
  int gutterWidth() const;
  void paintGutter(QPaintEvent* e, QWidget* gutter);
  void gutterClicked(int y);
  void updateGutterArea(const QRect& rect, int dy);
  void refreshExtraSelections();
  void matchBrackets();
  const EditorDiagnostic* diagnosticAt(int position) const;
  QPair<int, int> rangeOf(const EditorDiagnostic& d) const;

  QWidget* gutter_;
  QString path_;
  std::vector<EditorDiagnostic> diagnostics_;
  QSet<int> performLines_;
  QSet<int> breakpoints_;
  QPair<int, int> brackets_{-1, -1};
};

}  // namespace sxs
