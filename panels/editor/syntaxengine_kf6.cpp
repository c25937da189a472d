// SyntaxEngine over KF6 SyntaxHighlighting, used directly where the distribution has it.
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QDir>
#include <QFile>
#include <QPointer>
#include <QTemporaryDir>
#include <vector>

#include "editor/syntaxengine.h"

namespace sxs {

namespace {

namespace ksh = KSyntaxHighlighting;

class Kf6Engine : public SyntaxEngine {
 public:
  Kf6Engine(std::unique_ptr<QTemporaryDir> dir, bool dark) : dir_(std::move(dir)) {
    repo_.addCustomSearchPath(dir_->path());
    def_ = repo_.definitionForName(QStringLiteral("SX"));
    theme_ = repo_.defaultTheme(dark ? ksh::Repository::DarkTheme : ksh::Repository::LightTheme);
  }
  bool valid() const { return def_.isValid(); }

  QSyntaxHighlighter* attach(QTextDocument* doc) override {
    auto* h = new ksh::SyntaxHighlighter(doc);
    h->setDefinition(def_);
    h->setTheme(theme_);
    attached_.push_back(h);
    return h;
  }

  void setDark(bool dark) override {
    theme_ = repo_.defaultTheme(dark ? ksh::Repository::DarkTheme : ksh::Repository::LightTheme);
    for (auto& h : attached_)
      if (h) {
        h->setTheme(theme_);
        h->rehighlight();
      }
  }

  QColor background() const override { return QColor::fromRgb(theme_.editorColor(ksh::Theme::BackgroundColor)); }
  QColor foreground() const override { return QColor::fromRgb(theme_.textColor(ksh::Theme::Normal)); }
  QString backendName() const override { return QStringLiteral("KF6"); }

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  ksh::Repository repo_;
  ksh::Definition def_;
  ksh::Theme theme_;
  std::vector<QPointer<ksh::SyntaxHighlighter>> attached_;
};

}  // namespace

std::unique_ptr<SyntaxEngine> SyntaxEngine::create(bool dark, QString* error) {
  auto dir = std::make_unique<QTemporaryDir>();
  QFile xml(dir->filePath(QStringLiteral("syntax/sx.xml")));
  if (!dir->isValid() || !QDir(dir->path()).mkpath(QStringLiteral("syntax")) || !xml.open(QIODevice::WriteOnly) ||
      xml.write(sxSyntaxDefinition()) < 0) {
    *error = QStringLiteral("cannot write the syntax definition to a temporary folder");
    return nullptr;
  }
  xml.close();
  auto engine = std::make_unique<Kf6Engine>(std::move(dir), dark);
  if (!engine->valid()) {
    *error = QStringLiteral("KF6 SyntaxHighlighting did not load the SX definition");
    return nullptr;
  }
  return engine;
}

}  // namespace sxs
