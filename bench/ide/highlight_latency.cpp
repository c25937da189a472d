// Keystroke-to-highlight latency of the SX editor in a 5,000-line file.
//
//   ide_highlight_bench [--lines N] [--keys N] [FILE]
//
// Types into the middle of a generated SX file (or FILE) through the editor's real key
// handling: each key press inserts text, the highlighter re-highlights what changed
// (synchronously, as QSyntaxHighlighter does), bracket matching runs, and the viewport
// repaints. Prints the median, 99th percentile and maximum per keystroke for ordinary
// typing, and separately for a keystroke that opens a string (which changes the state of
// every line after it, so the rest of the file is re-highlighted).
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QKeyEvent>
#include <QTextBlock>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "editor/codeeditor.h"
#include "editor/syntaxengine.h"

namespace {

QString generatedSource(int lines) {
  static const char* kChunk[] = {
      ";; a comment line with (brackets) and \"quotes\"",
      "(define (item-%1 x y)",
      "  (let ((total (+ x y 42))",
      "        (label (str \"item \" %1 \": \" :key)))",
      "    (when (> total 10)",
      "      (perform {:op \"log\" :args (list label total)}))",
      "    (map (fn (n) (* n 2.5)) (list x y total))))",
      "",
  };
  QString out;
  int n = 0;
  for (int i = 0; n < lines; ++i)
    for (const char* line : kChunk) {
      if (n++ >= lines) break;
      QString text = QString::fromLatin1(line);
      out += (text.contains(QLatin1String("%1")) ? text.arg(i) : text) + QLatin1Char('\n');
    }
  return out;
}

struct Stats {
  double median, p99, max;
};

Stats stats(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size() - 1) + 0.5))]; };
  return {at(0.5), at(0.99), ms.back()};
}

// One key press (and its text) through the editor, then a repaint; milliseconds.
double press(sxs::CodeEditor& e, int key, const QString& text) {
  QElapsedTimer t;
  t.start();
  QKeyEvent down(QEvent::KeyPress, key, Qt::NoModifier, text);
  QApplication::sendEvent(&e, &down);
  e.viewport()->repaint();
  return double(t.nsecsElapsed()) / 1e6;
}

void moveTo(sxs::CodeEditor& e, int line) {
  QTextCursor c(e.document()->findBlockByNumber(line));
  c.movePosition(QTextCursor::EndOfBlock);
  e.setTextCursor(c);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCommandLineParser cli;
  cli.addHelpOption();
  QCommandLineOption linesOpt(QStringLiteral("lines"), QStringLiteral("Lines in the generated file."), QStringLiteral("N"), QStringLiteral("5000"));
  QCommandLineOption keysOpt(QStringLiteral("keys"), QStringLiteral("Keystrokes to time."), QStringLiteral("N"), QStringLiteral("2000"));
  cli.addOption(linesOpt);
  cli.addOption(keysOpt);
  cli.addPositionalArgument(QStringLiteral("file"), QStringLiteral("An SX file to type into instead."));
  cli.process(app);

  QString error;
  auto syntax = sxs::SyntaxEngine::create(false, &error);
  if (!syntax) {
    std::fprintf(stderr, "ide_highlight_bench: %s\n", qPrintable(error));
    return 1;
  }
  QString source;
  if (!cli.positionalArguments().isEmpty()) {
    QFile f(cli.positionalArguments().front());
    if (!f.open(QIODevice::ReadOnly)) {
      std::fprintf(stderr, "ide_highlight_bench: cannot read %s\n", qPrintable(f.fileName()));
      return 1;
    }
    source = QString::fromUtf8(f.readAll());
  } else {
    source = generatedSource(cli.value(linesOpt).toInt());
  }
  int keys = qMax(10, cli.value(keysOpt).toInt());

  sxs::CodeEditor editor(syntax.get());
  editor.resize(1000, 800);
  editor.setPlainText(source);
  editor.show();
  QApplication::processEvents();
  const int lines = editor.document()->blockCount();
  const int middle = lines / 2;

  // Ordinary typing: a form typed at the end of lines around the middle, then erased.
  const QString typed = QStringLiteral(" (define (f x) (+ x 1))");
  std::vector<double> typing;
  for (int k = 0; int(typing.size()) < keys; ++k) {
    moveTo(editor, middle + (k % 50));
    for (QChar ch : typed) typing.push_back(press(editor, ch == u' ' ? Qt::Key_Space : Qt::Key_A, QString(ch)));
    for (int i = 0; i < typed.size(); ++i) typing.push_back(press(editor, Qt::Key_Backspace, QString()));
  }
  // A quote that opens a string: every later line changes state and is re-highlighted.
  std::vector<double> quote;
  for (int k = 0; k < 20; ++k) {
    moveTo(editor, middle + k);
    quote.push_back(press(editor, Qt::Key_QuoteDbl, QStringLiteral("\"")));
    quote.push_back(press(editor, Qt::Key_Backspace, QString()));
  }

  Stats t = stats(typing), q = stats(quote);
  std::printf("SX editor keystroke-to-highlight latency (%s highlighter, %d lines, key event + re-highlight + repaint)\n",
              qPrintable(syntax->backendName()), lines);
  std::printf("  typing      %6zu keys: median %7.3f ms   p99 %7.3f ms   max %7.3f ms   (target p99 < 16 ms: %s)\n", typing.size(),
              t.median, t.p99, t.max, t.p99 < 16.0 ? "met" : "NOT met");
  std::printf("  open string %6zu keys: median %7.3f ms   p99 %7.3f ms   max %7.3f ms   (re-highlights the rest of the file)\n",
              quote.size(), q.median, q.p99, q.max);
  return 0;
}
