#include "editor/codeeditor.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

#include "editor/syntaxengine.h"
#include "editor/sxscan.h"

namespace sxs {

namespace {

constexpr int kMarkerWidth = 16;  // the gutter column for perform and breakpoint markers

}  // namespace

class EditorGutter : public QWidget {
 public:
  explicit EditorGutter(CodeEditor* editor) : QWidget(editor), editor_(editor) { setObjectName(QStringLiteral("editorGutter")); }
  QSize sizeHint() const override { return {editor_->gutterWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* e) override { editor_->paintGutter(e, this); }
  void mousePressEvent(QMouseEvent* e) override { editor_->gutterClicked(int(e->position().y())); }

 private:
  CodeEditor* editor_;
};

CodeEditor::CodeEditor(SyntaxEngine* syntax, QWidget* parent) : QPlainTextEdit(parent), gutter_(new EditorGutter(this)) {
  setObjectName(QStringLiteral("codeEditor"));
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  setFont(mono);
  setLineWrapMode(QPlainTextEdit::NoWrap);
  setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
  if (syntax) syntax->attach(document());
  connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { setViewportMargins(gutterWidth(), 0, 0, 0); });
  connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutterArea);
  connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::matchBrackets);
  setViewportMargins(gutterWidth(), 0, 0, 0);
}

int CodeEditor::gutterWidth() const {
  int digits = QString::number(qMax(1, blockCount())).size();
  return kMarkerWidth + 8 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * qMax(3, digits);
}

void CodeEditor::resizeEvent(QResizeEvent* e) {
  QPlainTextEdit::resizeEvent(e);
  QRect cr = contentsRect();
  gutter_->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
}

void CodeEditor::updateGutterArea(const QRect& rect, int dy) {
  if (dy)
    gutter_->scroll(0, dy);
  else
    gutter_->update(0, rect.y(), gutter_->width(), rect.height());
}

void CodeEditor::paintGutter(QPaintEvent* e, QWidget* gutter) {
  QPainter p(gutter);
  QColor bg = palette().color(QPalette::Base);
  p.fillRect(e->rect(), bg.lightness() > 128 ? bg.darker(106) : bg.lighter(130));
  QColor numbers = palette().color(QPalette::Text);
  numbers.setAlpha(120);
  QTextBlock block = firstVisibleBlock();
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  int h = fontMetrics().height();
  while (block.isValid() && top <= e->rect().bottom()) {
    int line = block.blockNumber() + 1;
    if (block.isVisible() && top + h >= e->rect().top()) {
      QRect marker(3, top + (h - 10) / 2, 10, 10);
      p.setRenderHint(QPainter::Antialiasing);
      if (breakpoints_.contains(line)) {
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xd3, 0x2f, 0x2f));
        p.drawEllipse(marker);
      }
      if (performLines_.contains(line)) {  // a perform site: an outlined diamond
        QPolygon diamond({QPoint(marker.center().x(), marker.top()), QPoint(marker.right(), marker.center().y()),
                          QPoint(marker.center().x(), marker.bottom()), QPoint(marker.left(), marker.center().y())});
        p.setPen(QPen(QColor(0xe0, 0x8e, 0x00), 2));
        p.setBrush(Qt::NoBrush);
        p.drawPolygon(diamond);
      }
      p.setPen(numbers);
      p.drawText(0, top, gutter->width() - 4, h, Qt::AlignRight | Qt::AlignVCenter, QString::number(line));
    }
    top += qRound(blockBoundingRect(block).height());
    block = block.next();
  }
}

void CodeEditor::gutterClicked(int y) {
  QTextBlock block = firstVisibleBlock();
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  while (block.isValid()) {
    int bottom = top + qRound(blockBoundingRect(block).height());
    if (y >= top && y < bottom) {
      toggleBreakpoint(block.blockNumber() + 1);
      return;
    }
    top = bottom;
    block = block.next();
  }
}

void CodeEditor::toggleBreakpoint(int line) {
  if (line < 1 || line > blockCount()) return;
  if (!breakpoints_.remove(line)) breakpoints_.insert(line);
  gutter_->update();
  Q_EMIT breakpointsChanged();
}

void CodeEditor::setBreakpoints(QSet<int> lines) {
  breakpoints_ = std::move(lines);
  gutter_->update();
}

void CodeEditor::setPerformLines(QSet<int> lines) {
  performLines_ = std::move(lines);
  gutter_->update();
}

void CodeEditor::setDiagnostics(std::vector<EditorDiagnostic> diagnostics) {
  diagnostics_ = std::move(diagnostics);
  refreshExtraSelections();
}

int CodeEditor::positionOf(int line, int column) const {
  QTextBlock block = document()->findBlockByNumber(qMax(0, line - 1));
  if (!block.isValid()) return document()->characterCount() - 1;
  QString text = block.text();
  int pos = 0;
  for (int cp = 1; cp < column && pos < text.size(); ++cp) pos += text[pos].isHighSurrogate() ? 2 : 1;
  return block.position() + qMin(pos, int(text.size()));
}

void CodeEditor::goTo(int line, int column) {
  QTextCursor c(document());
  c.setPosition(positionOf(line, qMax(1, column)));
  setTextCursor(c);
  centerCursor();
  setFocus();
}

QPair<int, int> CodeEditor::spanRange(int line, int column, int lengthBytes) const {
  int start = positionOf(line, qMax(1, column));
  int end = start;
  int last = document()->characterCount() - 1;  // the document's final paragraph separator
  for (int bytes = 0; bytes < lengthBytes && end < last; ++end) {
    char16_t c = document()->characterAt(end).unicode();
    if (c == QChar::ParagraphSeparator) {  // a line break: "\n" in the source
      bytes += 1;
    } else if (QChar::isHighSurrogate(c)) {
      bytes += 4;
      ++end;
    } else {
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
  }
  return {start, qMin(end, last)};
}

void CodeEditor::selectSpan(int line, int column, int lengthBytes) {
  auto [start, end] = spanRange(line, column, lengthBytes);
  QTextCursor c(document());
  c.setPosition(end);
  c.setPosition(start, QTextCursor::KeepAnchor);
  setTextCursor(c);
  centerCursor();
}

int CodeEditor::cursorLine() const { return textCursor().blockNumber() + 1; }

void CodeEditor::setThemeColors(const QColor& background, const QColor& foreground) {
  QPalette pal = palette();
  pal.setColor(QPalette::Base, background);
  pal.setColor(QPalette::Text, foreground);
  setPalette(pal);
  refreshExtraSelections();
}

void CodeEditor::matchBrackets() {
  int pos = textCursor().position();
  auto bracket = [&](int p) {
    QChar c = document()->characterAt(p);
    return QStringLiteral("()[]{}").contains(c) && !c.isNull();
  };
  // Scanning the text is needed only next to a bracket (most keystrokes are not).
  std::optional<BracketMatch> m;
  if (bracket(pos) || bracket(pos - 1)) m = matchBracket(toPlainText(), pos);
  if (!m && brackets_.first < 0) return;
  brackets_ = m ? qMakePair(m->at, m->partner) : qMakePair(-1, -1);
  refreshExtraSelections();
}

void CodeEditor::refreshExtraSelections() {
  QList<QTextEdit::ExtraSelection> sels;
  for (const EditorDiagnostic& d : diagnostics_) {
    QTextEdit::ExtraSelection s;
    s.cursor = QTextCursor(document());
    auto [start, end] = rangeOf(d);
    s.cursor.setPosition(start);
    s.cursor.setPosition(end, QTextCursor::KeepAnchor);
    s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    s.format.setUnderlineColor(QColor(0xe5, 0x39, 0x35));
    s.format.setToolTip(d.message);
    sels.push_back(s);
  }
  bool dark = palette().color(QPalette::Base).lightness() < 128;
  auto mark = [&](int pos, bool ok) {
    if (pos < 0) return;
    QTextEdit::ExtraSelection s;
    s.cursor = QTextCursor(document());
    s.cursor.setPosition(pos);
    s.cursor.setPosition(pos + 1, QTextCursor::KeepAnchor);
    s.format.setBackground(ok ? (dark ? QColor(0x3d, 0x5a, 0x80) : QColor(0xb4, 0xd7, 0xff)) : QColor(0xff, 0x8a, 0x80));
    s.format.setFontWeight(QFont::Bold);
    sels.push_back(s);
  };
  mark(brackets_.first, brackets_.second >= 0);
  mark(brackets_.second, true);
  setExtraSelections(sels);
}

// The text a diagnostic underlines, on its first line: its length when known, else the
// symbol there — or, at an opening bracket, the bracket and the form's head symbol.
QPair<int, int> CodeEditor::rangeOf(const EditorDiagnostic& d) const {
  int start = positionOf(d.line, d.column);
  QTextBlock block = document()->findBlock(start);
  QString text = block.text();
  int col = start - block.position();
  int end = start + d.length;
  if (d.length <= 0) {
    int from = col < text.size() && QStringLiteral("([{").contains(text[col]) ? col + 1 : col;
    int symStart = 0;
    QString sym = symbolAt(text, from, &symStart);
    end = block.position() + (sym.isEmpty() ? from : symStart + int(sym.size()));
  }
  end = qMin(qMax(end, start + 1), block.position() + qMax(1, int(text.size())));
  return {start, end};
}

const EditorDiagnostic* CodeEditor::diagnosticAt(int position) const {
  for (const EditorDiagnostic& d : diagnostics_) {
    auto [start, end] = rangeOf(d);
    if (position >= start && position <= end) return &d;
  }
  return nullptr;
}

bool CodeEditor::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    QPoint inViewport = viewport()->mapFromGlobal(help->globalPos());
    const EditorDiagnostic* d = diagnosticAt(cursorForPosition(inViewport).position());
    if (d)
      QToolTip::showText(help->globalPos(), d->message, this);
    else
      QToolTip::hideText();
    return true;
  }
  return QPlainTextEdit::event(e);
}

void CodeEditor::requestDefinition() {
  QTextCursor c = textCursor();
  QString sym = symbolAt(c.block().text(), c.positionInBlock());
  if (!sym.isEmpty()) Q_EMIT definitionRequested(sym);
}

}  // namespace sxs
