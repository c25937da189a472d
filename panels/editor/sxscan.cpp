#include "editor/sxscan.h"

#include <vector>

namespace sxs {

namespace {

bool isOpen(QChar c) { return c == u'(' || c == u'[' || c == u'{'; }
bool isClose(QChar c) { return c == u')' || c == u']' || c == u'}'; }
QChar closerOf(QChar c) { return c == u'(' ? u')' : c == u'[' ? u']' : u'}'; }

// The reader's delimiters (engine/reader/lexer.cpp isDelimiter).
bool isDelimiter(QChar c) {
  return c.isSpace() || c == u'(' || c == u')' || c == u'[' || c == u']' || c == u'{' || c == u'}' || c == u'"' ||
         c == u';' || c == u'\'' || c == u'`' || c == u',';
}

// Walks the text calling onBracket(pos) for each code bracket; stops when it returns
// false. Returns true when the text ended outside any string.
template <class F>
bool scan(const QString& t, F&& onBracket) {
  const int n = int(t.size());
  for (int i = 0; i < n; ++i) {
    QChar c = t[i];
    if (c == u';') {
      while (i < n && t[i] != u'\n') ++i;
    } else if (c == u'"') {
      for (++i; i < n && t[i] != u'"'; ++i)
        if (t[i] == u'\\') ++i;
      if (i >= n) return false;
    } else if (c == u'#' && i + 1 < n && t[i + 1] == u'|') {
      for (i += 2; i < n && t[i] != u'|'; ++i) {
      }
      if (i >= n) return false;
    } else if (c == u'#' && i + 1 < n && t[i + 1] == u'\\') {
      i += 2;  // the character itself, even a bracket; a name continues to a delimiter
      while (i + 1 < n && !isDelimiter(t[i + 1])) ++i;
    } else if (isOpen(c) || isClose(c)) {
      if (!onBracket(i)) return true;
    }
  }
  return true;
}

}  // namespace

std::optional<BracketMatch> matchBracket(const QString& text, int pos) {
  std::vector<int> candidates;
  auto at = [&](int p) { return p >= 0 && p < int(text.size()) ? text[p] : QChar(); };
  if (isClose(at(pos - 1))) candidates.push_back(pos - 1);
  if (isOpen(at(pos))) candidates.push_back(pos);
  if (isOpen(at(pos - 1))) candidates.push_back(pos - 1);
  if (isClose(at(pos))) candidates.push_back(pos);
  for (int cand : candidates) {
    std::vector<int> open;
    std::optional<BracketMatch> found;
    int waitingDepth = -1;  // depth of the opening candidate, once seen
    scan(text, [&](int i) {
      QChar c = text[i];
      if (isOpen(c)) {
        if (i == cand) waitingDepth = int(open.size());
        open.push_back(i);
        return true;
      }
      int partner = open.empty() ? -1 : open.back();
      if (!open.empty()) open.pop_back();
      bool kindsMatch = partner >= 0 && closerOf(text[partner]) == c;
      if (i == cand) {
        found = BracketMatch{cand, kindsMatch ? partner : -1};
        return false;
      }
      if (waitingDepth >= 0 && int(open.size()) == waitingDepth) {
        found = BracketMatch{cand, kindsMatch ? i : -1};
        return false;
      }
      return true;
    });
    if (found) return found;
    if (waitingDepth >= 0) return BracketMatch{cand, -1};  // opened, never closed
  }
  return std::nullopt;
}

bool formsComplete(const QString& text) {
  int depth = 0;
  bool closed = scan(text, [&](int i) {
    if (isOpen(text[i]))
      ++depth;
    else if (depth > 0)
      --depth;
    return true;
  });
  return closed && depth == 0;
}

QString symbolAt(const QString& text, int pos, int* start) {
  int n = int(text.size());
  int b = qBound(0, pos, n), e = b;
  while (b > 0 && !isDelimiter(text[b - 1])) --b;
  while (e < n && !isDelimiter(text[e])) ++e;
  if (start) *start = b;
  return text.mid(b, e - b);
}

}  // namespace sxs
