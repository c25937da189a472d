// Text helpers for HTML pages: escape-html (alias escape), strip-tags and pluralize.
// Rendering markup to HTML lives with the renderer, which shares escapeHtmlTo.
#include <iterator>

#include "reader/printer.h"
#include "stdlib/prims_data.h"

namespace sx {

void escapeHtmlTo(std::string_view s, std::string& out) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

namespace {

// (escape-html x): the display form of x with & < > " ' escaped (nil gives "").
Value escapeHtml(Isolate& iso, Args a) {
  std::string out;
  escapeHtmlTo(displayValue(iso, a[0]), out);
  return iso.str(out);
}

// (strip-tags s): s without <...> tags; a '<' that is never closed is kept as text.
Value stripTags(Isolate& iso, Args a) {
  std::string_view s = argString(iso, "strip-tags", a, 0);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t open = s.find('<', i);
    size_t close = open == std::string_view::npos ? open : s.find('>', open);
    if (close == std::string_view::npos) break;
    out.append(s.substr(i, open - i));
    i = close + 1;
  }
  out.append(s.substr(i));
  return iso.str(out);
}

// (pluralize n word [plural]): "1 post", "2 posts"; plural defaults to word + "s".
Value pluralize(Isolate& iso, Args a) {
  bool one = argNumber(iso, "pluralize", a, 0) == 1;
  std::string_view word = argString(iso, "pluralize", a, 1);
  std::string out = displayValue(iso, a[0]) + " ";
  if (one) out += word;
  else if (a.n > 2) out += argString(iso, "pluralize", a, 2);
  else out += std::string(word) + "s";
  return iso.str(out);
}

constexpr uint16_t P = kNativePure;

const NativeDef kNatives[] = {
    {"escape-html", escapeHtml, 1, 1, P, 0, "(escape-html x) -> string: the display form of x with & < > \" ' escaped"},
    {"escape", escapeHtml, 1, 1, P, 0, "(escape x) -> string: same as escape-html"},
    {"strip-tags", stripTags, 1, 1, P, 0, "(strip-tags s) -> string: s without <...> tags"},
    {"pluralize", pluralize, 2, 3, P, 0, "(pluralize n word [plural]) -> string: \"1 post\", \"2 posts\""},
};

}  // namespace

void registerHtmlTextNatives(Isolate& iso) { iso.registerNatives(kNatives, std::size(kNatives)); }

}  // namespace sx
