// The Qt 5 side of the bridge: subclasses KSyntaxHighlighting::AbstractHighlighter and
// turns its applyFormat calls into plain Span records. Compiled against Qt 5 and KF5
// only; nothing here may leak a Qt type through the facade.
#include "sxhl_bridge.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#include <QString>

namespace sxhl {

namespace {

namespace ksh = KSyntaxHighlighting;

class Kf5Highlighter final : public Highlighter, private ksh::AbstractHighlighter {
 public:
  Kf5Highlighter(const std::string& searchPath, const std::string& definition, bool dark) {
    repo_.addCustomSearchPath(QString::fromStdString(searchPath));
    ksh::Definition def = repo_.definitionForName(QString::fromStdString(definition));
    if (!def.isValid()) {
      error_ = "no syntax definition named \"" + definition + "\" in " + searchPath + "/syntax";
      return;
    }
    setDefinition(def);
    setDark(dark);
    states_.push_back(ksh::State());  // handle 0: the start of a document
  }

  bool valid() const override { return error_.empty(); }
  std::string error() const override { return error_; }

  void setDark(bool dark) override {
    setTheme(repo_.defaultTheme(dark ? ksh::Repository::DarkTheme : ksh::Repository::LightTheme));
  }

  uint32_t backgroundColor() const override { return theme().editorColor(ksh::Theme::BackgroundColor) & 0xFFFFFFu; }
  uint32_t textColor() const override { return theme().textColor(ksh::Theme::Normal) & 0xFFFFFFu; }

  std::vector<Span> highlightLine(const std::u16string& line, int prevState, int* nextState) override {
    std::vector<Span> spans;
    if (!valid()) {
      *nextState = 0;
      return spans;
    }
    const ksh::State& prev = prevState > 0 && size_t(prevState) < states_.size() ? states_[size_t(prevState)] : states_[0];
    out_ = &spans;
    ksh::State next = ksh::AbstractHighlighter::highlightLine(QStringView(line.data(), qsizetype(line.size())), prev);
    out_ = nullptr;
    *nextState = handleOf(next);
    return spans;
  }

 private:
  void applyFormat(int offset, int length, const ksh::Format& format) override {
    if (length <= 0 || !out_) return;
    const ksh::Theme t = theme();
    Span s;
    s.start = offset;
    s.length = length;
    s.hasColor = format.hasTextColor(t);
    if (s.hasColor) s.rgb = format.textColor(t).rgb() & 0xFFFFFFu;
    s.bold = format.isBold(t);
    s.italic = format.isItalic(t);
    s.underline = format.isUnderline(t);
    if (!s.hasColor && !s.bold && !s.italic && !s.underline) return;
    out_->push_back(s);
  }

  // A handful of distinct states exist (normal code, inside a string, ...): a linear
  // search keeps the handles stable and small.
  int handleOf(const ksh::State& st) {
    for (size_t i = 0; i < states_.size(); ++i)
      if (states_[i] == st) return int(i);
    states_.push_back(st);
    return int(states_.size() - 1);
  }

  ksh::Repository repo_;
  std::string error_;
  std::vector<ksh::State> states_;
  std::vector<Span>* out_ = nullptr;
};

}  // namespace

}  // namespace sxhl

extern "C" sxhl::Highlighter* sxhl_create(int abiVersion, const char* searchPath, const char* definition, bool dark) {
  if (abiVersion != sxhl::kAbiVersion) return nullptr;
  return new sxhl::Kf5Highlighter(searchPath, definition, dark);
}
