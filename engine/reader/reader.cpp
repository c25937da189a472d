// The reader's stack machine: tokens from the lexer are assembled into datums with an
// explicit stack of open forms (lists, quote prefixes, datum comments), so no input can
// overflow the C++ stack.
//
// Pair spans are recorded only for text that has a source (fileId != 0): a span without
// a file is not valid anyway, and sx-parse on data would otherwise fill the span table.
#include "reader/reader.h"

#include "value/dict.h"

#include "reader/lexer.h"

namespace sx {

namespace {

using lex::Token;
using lex::TokKind;

struct Open {
  enum Kind : uint8_t { List, Prefix, Comment } kind;
  char bracket;        // List: ( [ {
  const char* prefix;  // Prefix: the wrapping symbol's name
  Span span;           // the opening token
  uint32_t pos;        // byte offset of the opening token
  std::vector<Value> items;
  std::vector<Span> spans;
};

char closerOf(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

const char* bracketWord(char open) {
  return open == '(' ? "parenthesis" : open == '[' ? "bracket" : "brace";
}

std::string position(const Span& s) { return std::to_string(s.line) + ":" + std::to_string(s.col); }

class Reader {
 public:
  Reader(Isolate& iso, std::string_view text, uint32_t fileId)
      : iso_(iso), lexer_(iso, text, fileId), recordSpans_(fileId != 0) {}

  ReadResult run() {
    for (;;) {
      Token t = lexer_.next();
      switch (t.kind) {
        case TokKind::End: finish(t); return std::move(result_);
        case TokKind::Error: fail(t.message, t.span, t.incomplete); return std::move(result_);
        case TokKind::Atom: deliver(t.value, t.span, t.pos); break;
        case TokKind::Open: push(Open::List, t); break;
        case TokKind::Prefix: push(Open::Prefix, t); break;
        case TokKind::DatumComment: push(Open::Comment, t); break;
        case TokKind::Close:
          if (!close(t)) return std::move(result_);
          break;
      }
    }
  }

 private:
  void push(Open::Kind kind, const Token& t) {
    stack_.push_back(Open{kind, t.bracket, t.prefix, t.span, t.pos, {}, {}});
  }

  void fail(std::string message, Span span, bool incomplete = false) {
    result_.error = ReadError{std::move(message), span, incomplete};
  }

  Span spanBetween(const Span& start, uint32_t startPos, uint32_t endPos) const {
    return Span{start.file, start.line, start.col, endPos - startPos};
  }

  // Hands a finished datum to the innermost open form; a completed prefix form is a
  // datum in turn, so this loops instead of recursing.
  void deliver(Value v, Span span, uint32_t pos) {
    for (;;) {
      if (stack_.empty()) {
        result_.data.push_back(Datum{v, span});
        return;
      }
      Open& top = stack_.back();
      if (top.kind == Open::List) {
        top.items.push_back(v);
        top.spans.push_back(span);
        return;
      }
      if (top.kind == Open::Comment) {
        stack_.pop_back();
        return;
      }
      Span whole = spanBetween(top.span, top.pos, pos + span.len);
      Value items[2] = {iso_.intern(top.prefix), v};
      Span spans[2] = {top.span, span};
      v = buildList(items, spans, 2, whole);
      span = whole;
      pos = top.pos;
      stack_.pop_back();
    }
  }

  Value buildList(const Value* items, const Span* spans, size_t n, const Span& whole) {
    Value list = iso_.listFrom(items, n);
    if (!recordSpans_) return list;
    Value p = list;
    for (size_t i = 0; i < n; ++i, p = cdr(p))
      iso_.setPairSpans(as<Pair>(p), PairSpans{spans[i], i == 0 ? whole : Span{}});
    return list;
  }

  bool close(const Token& t) {
    if (stack_.empty()) {
      fail(std::string("unexpected ") + t.bracket, t.span);
      return false;
    }
    Open& top = stack_.back();
    if (top.kind != Open::List) {
      fail(std::string("expected a datum after ") + (top.kind == Open::Comment ? "#;" : "quote prefix") +
               " at " + position(top.span) + ", found " + t.bracket,
           t.span);
      return false;
    }
    if (t.bracket != closerOf(top.bracket)) {
      fail(std::string("mismatched ") + t.bracket + ": expected " + closerOf(top.bracket) + " to close " +
               top.bracket + " opened at " + position(top.span),
           t.span);
      return false;
    }
    if (top.bracket == '{' && top.items.size() % 2 != 0) {
      fail("dict literal needs an even number of forms (key value ...)", top.span);
      return false;
    }
    Open open = std::move(top);
    stack_.pop_back();
    Span whole = spanBetween(open.span, open.pos, t.pos + t.span.len);
    if (open.bracket == '{') {  // {k v ...} reads as a dict of datums (the analyser evaluates the values)
      Value d = iso_.dict(uint32_t(open.items.size() / 2));
      for (size_t i = 0; i + 1 < open.items.size(); i += 2) {
        Value key = dictKey(open.items[i]);
        if (key.isNil()) {
          fail("dict literal key must be a keyword, string or symbol", open.spans[i]);
          return false;
        }
        dictSet(as<Dict>(d), key, open.items[i + 1]);
      }
      deliver(d, whole, open.pos);
      return true;
    }
    Value list = buildList(open.items.data(), open.spans.data(), open.items.size(), whole);
    deliver(list, whole, open.pos);
    return true;
  }

  void finish(const Token& end) {
    if (stack_.empty()) return;
    const Open& top = stack_.back();
    switch (top.kind) {
      case Open::List:
        fail(std::string("unbalanced ") + bracketWord(top.bracket) + ": " + top.bracket +
                 " opened here is never closed",
             top.span, true);
        break;
      case Open::Prefix: fail("unexpected end of input: expected a datum after quote prefix", top.span, true); break;
      case Open::Comment: fail("unexpected end of input: expected a datum after #;", top.span, true); break;
    }
  }

  Isolate& iso_;
  lex::Lexer lexer_;
  bool recordSpans_;
  std::vector<Open> stack_;
  ReadResult result_;
};

}  // namespace

ReadResult readAll(Isolate& iso, std::string_view text, uint32_t fileId) { return Reader(iso, text, fileId).run(); }

ReadResult readString(Isolate& iso, std::string_view text, std::string name) {
  uint32_t id = iso.addSource(std::move(name), std::string(text));
  return readAll(iso, iso.source(id)->text, id);
}

}  // namespace sx
