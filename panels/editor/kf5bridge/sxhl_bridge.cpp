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

namespace ksh = KSyntaxHighlighting;

struct Highlighter::Impl : ksh::AbstractHighlighter {
  ksh::Repository repo;
  std::string error;
  std::vector<ksh::State> states;  // index = state handle; a handful of distinct states
  std::vector<Span>* out = nullptr;

  void applyFormat(int offset, int length, const ksh::Format& format) override {
    if (length <= 0 || !out) return;
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
    out->push_back(s);
  }

  int handleOf(const ksh::State& st) {
    for (size_t i = 0; i < states.size(); ++i)
      if (states[i] == st) return int(i);
    states.push_back(st);
    return int(states.size() - 1);
  }

  ksh::State highlight(QStringView text, const ksh::State& prev) { return highlightLine(text, prev); }

  void useTheme(bool dark) {
    setTheme(repo.defaultTheme(dark ? ksh::Repository::DarkTheme : ksh::Repository::LightTheme));
  }
};

Highlighter::Highlighter(const std::string& searchPath, const std::string& definition, bool dark)
    : d_(std::make_unique<Impl>()) {
  d_->repo.addCustomSearchPath(QString::fromStdString(searchPath));
  ksh::Definition def = d_->repo.definitionForName(QString::fromStdString(definition));
  if (!def.isValid()) {
    d_->error = "no syntax definition named \"" + definition + "\" in " + searchPath + "/syntax";
    return;
  }
  d_->setDefinition(def);
  d_->useTheme(dark);
  d_->states.push_back(ksh::State());  // handle 0: the start of a document
}

Highlighter::~Highlighter() = default;

bool Highlighter::valid() const { return d_->error.empty(); }
std::string Highlighter::error() const { return d_->error; }
void Highlighter::setDark(bool dark) { d_->useTheme(dark); }

uint32_t Highlighter::backgroundColor() const {
  return d_->theme().editorColor(ksh::Theme::BackgroundColor) & 0xFFFFFFu;
}

uint32_t Highlighter::textColor() const { return d_->theme().textColor(ksh::Theme::Normal) & 0xFFFFFFu; }

std::vector<Span> Highlighter::highlightLine(const std::u16string& line, int prevState, int* nextState) {
  std::vector<Span> spans;
  if (!valid()) {
    *nextState = 0;
    return spans;
  }
  const ksh::State& prev = prevState > 0 && size_t(prevState) < d_->states.size() ? d_->states[size_t(prevState)] : d_->states[0];
  d_->out = &spans;
  ksh::State next = d_->highlight(QStringView(line.data(), qsizetype(line.size())), prev);
  d_->out = nullptr;
  *nextState = d_->handleOf(next);
  return spans;
}

}  // namespace sxhl
