// A small lexical scan of SX source text for the editor: which brackets are code (not in
// strings, comments or character literals), bracket matching, whether the text is a
// complete set of forms (the console submits only then), and the symbol at a position.
#pragma once

#include <QString>
#include <optional>

namespace sxs {

struct BracketMatch {
  int at = -1;       // the bracket next to the cursor
  int partner = -1;  // its match, or -1 when it has none (or the kinds differ)
};

// The code bracket just before `pos` (a closing one) or at `pos` (an opening one), or
// else on the other side, and its partner. Nothing when no code bracket is adjacent.
std::optional<BracketMatch> matchBracket(const QString& text, int pos);

// True when no string is open and every opened bracket is closed (extra closers count as
// complete: the reader reports them).
bool formsComplete(const QString& text);

// The symbol (a run of non-delimiter characters) around `pos`; its start in `start`.
QString symbolAt(const QString& text, int pos, int* start = nullptr);

}  // namespace sxs
