// The editor-side interface to syntax highlighting. Two implementations exist behind it,
// chosen at build time: KF6 SyntaxHighlighting used directly where the distribution has
// it, and the KF5 bridge on Debian 12 (kf5bridge/, DEPENDENCIES.md). Both load the SX
// definition generated at build time from the engine's tables (resources/syntax).
#pragma once

#include <QColor>
#include <QString>
#include <memory>

class QSyntaxHighlighter;
class QTextDocument;

namespace sxs {

class SyntaxEngine {
 public:
  virtual ~SyntaxEngine() = default;

  // The engine for the SX definition; null with `error` set when it cannot be loaded.
  static std::unique_ptr<SyntaxEngine> create(bool dark, QString* error);

  // A highlighter for `doc` (parented to it), using the current theme.
  virtual QSyntaxHighlighter* attach(QTextDocument* doc) = 0;
  // Switches every attached highlighter's theme and re-highlights.
  virtual void setDark(bool dark) = 0;
  virtual QColor background() const = 0;
  virtual QColor foreground() const = 0;
  // "KF5 bridge" or "KF6".
  virtual QString backendName() const = 0;
};

// The generated SX definition (Kate XML), embedded at build time.
QByteArray sxSyntaxDefinition();

}  // namespace sxs
