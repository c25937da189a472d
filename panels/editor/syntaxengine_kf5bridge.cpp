// SyntaxEngine over the KF5 bridge: a Qt 6 QSyntaxHighlighter that asks the bridge for
// each line's formats and keeps the bridge's state handle as the block state. The bridge
// is loaded with deep binding (see sxhl_bridge.h for why it is not linked).
#include <dlfcn.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QPointer>
#include <QSyntaxHighlighter>
#include <QTemporaryDir>
#include <QTextDocument>
#include <vector>

#include "editor/syntaxengine.h"
#include "sxhl_bridge.h"

namespace sxs {

namespace {

class BridgeHighlighter : public QSyntaxHighlighter {
 public:
  BridgeHighlighter(QTextDocument* doc, sxhl::Highlighter& hl) : QSyntaxHighlighter(doc), hl_(hl) {}

  void themeChanged() {
    formats_.clear();
    rehighlight();
  }

 protected:
  void highlightBlock(const QString& text) override {
    std::u16string line(reinterpret_cast<const char16_t*>(text.utf16()), size_t(text.size()));
    int next = 0;
    for (const sxhl::Span& s : hl_.highlightLine(line, previousBlockState(), &next)) setFormat(s.start, s.length, formatFor(s));
    setCurrentBlockState(next);
  }

 private:
  const QTextCharFormat& formatFor(const sxhl::Span& s) {
    quint64 key = (quint64(s.hasColor) << 40) | (quint64(s.bold) << 41) | (quint64(s.italic) << 42) |
                  (quint64(s.underline) << 43) | s.rgb;
    auto it = formats_.find(key);
    if (it != formats_.end()) return *it;
    QTextCharFormat f;
    if (s.hasColor) f.setForeground(QColor::fromRgb(s.rgb));
    if (s.bold) f.setFontWeight(QFont::Bold);
    if (s.italic) f.setFontItalic(true);
    if (s.underline) f.setFontUnderline(true);
    return *formats_.insert(key, f);
  }

  sxhl::Highlighter& hl_;
  QHash<quint64, QTextCharFormat> formats_;
};

class BridgeEngine : public SyntaxEngine {
 public:
  BridgeEngine(std::unique_ptr<QTemporaryDir> dir, std::unique_ptr<sxhl::Highlighter> hl)
      : dir_(std::move(dir)), hl_(std::move(hl)) {}

  QSyntaxHighlighter* attach(QTextDocument* doc) override {
    auto* h = new BridgeHighlighter(doc, *hl_);
    attached_.push_back(h);
    return h;
  }

  void setDark(bool dark) override {
    hl_->setDark(dark);
    for (auto& h : attached_)
      if (h) h->themeChanged();
  }

  QColor background() const override { return QColor::fromRgb(hl_->backgroundColor()); }
  QColor foreground() const override { return QColor::fromRgb(hl_->textColor()); }
  QString backendName() const override { return QStringLiteral("KF5 bridge"); }

 private:
  std::unique_ptr<QTemporaryDir> dir_;  // holds syntax/sx.xml while the bridge may reload it
  std::unique_ptr<sxhl::Highlighter> hl_;
  std::vector<QPointer<BridgeHighlighter>> attached_;
};

}  // namespace

// The bridge library: next to the program or in ../lib/sx-studio, else where the build
// put it. Loaded once and kept for the life of the process.
SxhlCreateFn loadBridge(QString* error) {
  static SxhlCreateFn create = nullptr;
  static QString loadError;
  static bool tried = false;
  if (!tried) {
    tried = true;
    const QString name = QStringLiteral("libsxhl_kf5bridge.so");
    const QString appDir = QCoreApplication::applicationDirPath();
    QStringList candidates = {appDir + QLatin1Char('/') + name, appDir + QStringLiteral("/../lib/sx-studio/") + name,
                              QStringLiteral(SXHL_BRIDGE_FILE)};
    for (const QString& path : candidates) {
      if (!QFile::exists(path)) continue;
      void* handle = dlopen(QFile::encodeName(path).constData(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
      if (!handle) {
        loadError = QString::fromLocal8Bit(dlerror());
        continue;
      }
      create = reinterpret_cast<SxhlCreateFn>(dlsym(handle, "sxhl_create"));
      if (create) break;
      loadError = QStringLiteral("%1 has no sxhl_create").arg(path);
    }
    if (!create && loadError.isEmpty()) loadError = QStringLiteral("%1 not found (looked in %2)").arg(name, candidates.join(QStringLiteral(", ")));
  }
  if (!create) *error = QStringLiteral("the highlighting bridge could not be loaded: ") + loadError;
  return create;
}

std::unique_ptr<SyntaxEngine> SyntaxEngine::create(bool dark, QString* error) {
  SxhlCreateFn createBridge = loadBridge(error);
  if (!createBridge) return nullptr;
  auto dir = std::make_unique<QTemporaryDir>();
  if (!dir->isValid() || !QDir(dir->path()).mkpath(QStringLiteral("syntax"))) {
    *error = QStringLiteral("cannot create a temporary folder for the syntax definition");
    return nullptr;
  }
  QFile xml(dir->filePath(QStringLiteral("syntax/sx.xml")));
  if (!xml.open(QIODevice::WriteOnly) || xml.write(sxSyntaxDefinition()) < 0) {
    *error = QStringLiteral("cannot write %1").arg(xml.fileName());
    return nullptr;
  }
  xml.close();
  std::unique_ptr<sxhl::Highlighter> hl(createBridge(sxhl::kAbiVersion, dir->path().toStdString().c_str(), "SX", dark));
  if (!hl) {
    *error = QStringLiteral("the highlighting bridge has another ABI version");
    return nullptr;
  }
  if (!hl->valid()) {
    *error = QString::fromStdString(hl->error());
    return nullptr;
  }
  return std::make_unique<BridgeEngine>(std::move(dir), std::move(hl));
}

}  // namespace sxs
