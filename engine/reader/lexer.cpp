#include "reader/lexer.h"

#include <charconv>
#include <cstdlib>

namespace sx::lex {

// ---- lexical classes ------------------------------------------------------------------

bool isWhitespace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isDelimiter(unsigned char c) {
  if (isWhitespace(c)) return true;
  switch (c) {
    case '(': case ')': case '[': case ']': case '{': case '}':
    case '"': case ';': case '\'': case '`': case ',':
      return true;
    default:
      return false;
  }
}

bool isKeywordName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (isDelimiter(c)) return false;
  return true;
}

// The first entry for a code point is the name the printer uses.
static constexpr CharName kCharNames[] = {
    {"space", 0x20},   {"newline", 0x0A}, {"tab", 0x09},       {"nul", 0x00},
    {"return", 0x0D},  {"null", 0x00},    {"linefeed", 0x0A},  {"alarm", 0x07},
    {"backspace", 0x08}, {"delete", 0x7F}, {"escape", 0x1B},
};

const char* charNameOf(uint32_t code) {
  for (const CharName& n : kCharNames)
    if (n.code == code) return n.name;
  return nullptr;
}

std::optional<uint32_t> charByName(std::string_view name) {
  for (const CharName& n : kCharNames)
    if (name == n.name) return n.code;
  return std::nullopt;
}

// ---- UTF-8 ----------------------------------------------------------------------------

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

std::optional<uint32_t> decodeUtf8(std::string_view s, size_t i, size_t& len) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  uint32_t cp;
  uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > kMaxCodePoint || isSurrogate(cp)) return std::nullopt;
  return cp;
}

bool isValidUtf8(std::string_view s) {
  for (size_t i = 0, len = 1; i < s.size(); i += len)
    if (!decodeUtf8(s, i, len)) return false;
  return true;
}

// ---- numbers --------------------------------------------------------------------------

static bool isDigit(char c) { return c >= '0' && c <= '9'; }

static bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!isDigit(c)) return false;
  return true;
}

static bool parseU64(std::string_view s, int base, uint64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// A magnitude with its sign as int64, when it fits.
static std::optional<int64_t> signedValue(uint64_t mag, bool neg) {
  constexpr uint64_t kMaxPos = uint64_t(INT64_MAX);
  if (!neg) return mag <= kMaxPos ? std::optional<int64_t>(int64_t(mag)) : std::nullopt;
  if (mag <= kMaxPos) return -int64_t(mag);
  if (mag == kMaxPos + 1) return INT64_MIN;
  return std::nullopt;
}

static std::optional<Value> parseHex(Isolate& iso, std::string_view tok, std::string_view digits, bool neg,
                                     std::string& error) {
  uint64_t mag = 0;
  bool hex = !digits.empty();
  for (char c : digits) hex = hex && (isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  if (!hex) {
    error = "malformed number: " + std::string(tok);
    return std::nullopt;
  }
  std::optional<int64_t> v = parseU64(digits, 16, mag) ? signedValue(mag, neg) : std::nullopt;
  if (!v) {
    error = "integer literal out of range: " + std::string(tok);
    return std::nullopt;
  }
  return iso.integer(*v);
}

static std::optional<Value> parseRational(Isolate& iso, std::string_view tok, std::string_view body, size_t slash,
                                          bool neg, std::string& error) {
  std::string_view num = body.substr(0, slash), den = body.substr(slash + 1);
  if (!allDigits(num) || !allDigits(den)) {
    error = "malformed number: " + std::string(tok);
    return std::nullopt;
  }
  uint64_t n = 0, d = 0;
  if (!parseU64(num, 10, n) || !parseU64(den, 10, d) || n > uint64_t(INT64_MAX) || d > uint64_t(INT64_MAX)) {
    error = "rational literal out of range: " + std::string(tok);
    return std::nullopt;
  }
  if (d == 0) {
    error = "division by zero in rational literal " + std::string(tok);
    return std::nullopt;
  }
  return iso.rational(neg ? -int64_t(n) : int64_t(n), int64_t(d));
}

// digits ( '.' digits )? ( [eE] [+-]? digits )?  or  '.' digits exponent?
static bool decimalShape(std::string_view s, bool& integral) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && isDigit(s[i])) ++i;
    return i - start;
  };
  size_t whole = digits();
  integral = true;
  if (i < n && s[i] == '.') {
    ++i;
    integral = false;
    if (digits() == 0) return false;
  } else if (whole == 0) {
    return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    integral = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

static double parseDouble(std::string_view s) {
  double d = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec == std::errc::result_out_of_range) d = std::strtod(std::string(s).c_str(), nullptr);
  return d;
}

bool looksNumeric(std::string_view tok) {
  size_t i = 0;
  if (!tok.empty() && (tok[0] == '+' || tok[0] == '-')) ++i;
  if (i < tok.size() && isDigit(tok[i])) return true;
  return i + 1 < tok.size() && tok[i] == '.' && isDigit(tok[i + 1]);
}

std::optional<Value> parseNumber(Isolate& iso, std::string_view tok, std::string& error) {
  std::string_view body = tok;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X'))
    return parseHex(iso, tok, body.substr(2), neg, error);
  if (size_t slash = body.find('/'); slash != std::string_view::npos)
    return parseRational(iso, tok, body, slash, neg, error);
  bool integral = false;
  if (!decimalShape(body, integral)) {
    error = "malformed number: " + std::string(tok);
    return std::nullopt;
  }
  if (integral) {
    uint64_t mag = 0;
    if (parseU64(body, 10, mag))
      if (std::optional<int64_t> v = signedValue(mag, neg)) return iso.integer(*v);
    // Beyond int64: the integer reads as a float, as integer overflow does in arithmetic.
  }
  double d = parseDouble(body);
  return iso.flonum(neg ? -d : d);
}

// ---- the lexer ------------------------------------------------------------------------

Lexer::Lexer(Isolate& iso, std::string_view text, uint32_t fileId) : iso_(iso), text_(text), file_(fileId) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a byte-order mark is not a column
  if (text_.substr(pos_, 2) == "#!")                      // a script's #! line is a comment
    while (!atEnd() && peek() != '\n') advance();
}

void Lexer::advance() {
  unsigned char c = static_cast<unsigned char>(text_[pos_++]);
  if (c == '\n') {
    ++line_;
    col_ = 1;
  } else if ((c & 0xC0) != 0x80) {
    ++col_;
  }
}

Span Lexer::spanFrom(const Mark& m) const { return Span{file_, m.line, m.col, uint32_t(pos_ - m.pos)}; }

Token Lexer::make(TokKind kind, const Mark& m) const {
  Token t;
  t.kind = kind;
  t.span = spanFrom(m);
  t.pos = uint32_t(m.pos);
  return t;
}

Token Lexer::error(const Mark& m, std::string message, bool incomplete) const {
  Token t = make(TokKind::Error, m);
  t.message = std::move(message);
  t.incomplete = incomplete;
  return t;
}

Token Lexer::atom(Value v, const Mark& m) const {
  Token t = make(TokKind::Atom, m);
  t.value = v;
  return t;
}

void Lexer::skipAtmosphere() {
  while (!atEnd()) {
    unsigned char c = peek();
    if (isWhitespace(c)) {
      advance();
    } else if (c == ';') {
      while (!atEnd() && peek() != '\n') advance();
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skipAtmosphere();
  Mark m = mark();
  if (atEnd()) return make(TokKind::End, m);
  unsigned char c = peek();
  auto prefix = [&](size_t len, const char* name) {
    for (size_t i = 0; i < len; ++i) advance();
    Token t = make(TokKind::Prefix, m);
    t.prefix = name;
    return t;
  };
  switch (c) {
    case '(': case '[': case '{':
    case ')': case ']': case '}': {
      advance();
      Token t = make(c == '(' || c == '[' || c == '{' ? TokKind::Open : TokKind::Close, m);
      t.bracket = char(c);
      return t;
    }
    case '\'': return prefix(1, "quote");
    case '`': return prefix(1, "quasiquote");
    case ',': return peek(1) == '@' ? prefix(2, "splice-unquote") : prefix(1, "unquote");
    case '"': return readString(m);
    case '#': return readHash(m);
    default: return readToken(m);
  }
}

std::string_view Lexer::scanToken() {
  size_t start = pos_;
  while (!atEnd() && !isDelimiter(peek())) advance();
  return text_.substr(start, pos_ - start);
}

Token Lexer::readToken(const Mark& m) {
  std::string_view tok = scanToken();
  if (!isValidUtf8(tok)) return error(m, "invalid UTF-8 in symbol");
  if (looksNumeric(tok)) {
    std::string err;
    std::optional<Value> n = parseNumber(iso_, tok, err);
    return n ? atom(*n, m) : error(m, err);
  }
  if (tok[0] == ':') {
    if (tok.size() == 1) return error(m, "a keyword needs a name after :");
    return atom(iso_.keyword(tok.substr(1)), m);
  }
  if (tok == "true") return atom(Value::t(), m);
  if (tok == "false") return atom(Value::f(), m);
  if (tok == "nil") return atom(Value::nil(), m);
  return atom(iso_.intern(tok), m);
}

// ---- strings --------------------------------------------------------------------------

Token Lexer::readString(const Mark& m) {
  advance();  // the opening quote
  std::string buf;
  Token err;
  while (!atEnd()) {
    unsigned char c = peek();
    if (c == '"') {
      advance();
      if (!isValidUtf8(buf)) return error(m, "invalid UTF-8 in string");
      return atom(iso_.str(buf), m);
    }
    if (c == '\\') {
      if (!readEscape(buf, m, err)) return err;
      continue;
    }
    buf.push_back(char(c));
    advance();
  }
  return error(m, "unterminated string", true);
}

static int hexDigit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Lexer::readEscape(std::string& out, const Mark& str, Token& err) {
  Mark esc = mark();
  advance();  // the backslash
  if (atEnd()) {
    err = error(str, "unterminated string", true);
    return false;
  }
  unsigned char e = peek();
  static constexpr struct { char code; char value; } kSimple[] = {
      {'"', '"'}, {'\\', '\\'}, {'n', '\n'}, {'t', '\t'}, {'r', '\r'}, {'0', '\0'}};
  for (auto s : kSimple) {
    if (e == static_cast<unsigned char>(s.code)) {
      advance();
      out.push_back(s.value);
      return true;
    }
  }
  if (e == 'u') {
    advance();
    return readUnicodeEscape(out, esc, err);
  }
  size_t len = 1;
  decodeUtf8(text_, pos_, len);
  std::string shown(text_.substr(pos_, len));
  for (size_t i = 0; i < len && !atEnd(); ++i) advance();
  err = error(esc, "bad escape \\" + shown + " in string");
  return false;
}

// Reads `count` hex digits (count 0: up to 6, ended by '}'); -1 on a malformed escape.
int64_t Lexer::readHexDigits(size_t count) {
  int64_t cp = 0;
  size_t n = 0;
  while (!atEnd() && (count == 0 ? peek() != '}' : n < count)) {
    int d = hexDigit(peek());
    if (d < 0 || n == 6) return -1;
    cp = cp * 16 + d;
    ++n;
    advance();
  }
  if (n == 0 || (count != 0 && n != count)) return -1;
  if (count == 0) {
    if (atEnd()) return -1;
    advance();  // the closing brace
  }
  return cp;
}

// After "\u": XXXX (a UTF-16 surrogate pair as two escapes) or {X...}.
bool Lexer::readUnicodeEscape(std::string& out, const Mark& esc, Token& err) {
  bool braced = peek() == '{';
  if (braced) advance();
  int64_t cp = readHexDigits(braced ? 0 : 4);
  if (cp >= 0xD800 && cp <= 0xDBFF && !braced && peek() == '\\' && peek(1) == 'u') {
    Mark low = mark();
    advance();
    advance();
    int64_t lo = readHexDigits(4);
    if (lo >= 0xDC00 && lo <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else {
      err = error(low, "bad unicode escape in string: expected a low surrogate \\uDC00-\\uDFFF");
      return false;
    }
  }
  if (cp < 0) {
    err = error(esc, braced ? "bad unicode escape in string: expected \\u{1-6 hex digits}"
                            : "bad unicode escape in string: expected \\u and 4 hex digits");
    return false;
  }
  if (cp > kMaxCodePoint || isSurrogate(uint32_t(cp))) {
    err = error(esc, "unicode escape in string is not a valid code point");
    return false;
  }
  appendUtf8(out, uint32_t(cp));
  return true;
}

// ---- # dispatch -----------------------------------------------------------------------

Token Lexer::readHash(const Mark& m) {
  advance();  // '#'
  if (atEnd()) return error(m, "unexpected end of input after #", true);
  switch (peek()) {
    case ';':
      advance();
      return make(TokKind::DatumComment, m);
    case '\'': {
      advance();
      Token t = make(TokKind::Prefix, m);
      t.prefix = "quote";
      return t;
    }
    case '|': return readRawString(m);
    case '\\': return readChar(m);
    default: {
      size_t len = 1;
      decodeUtf8(text_, pos_, len);
      std::string shown(text_.substr(pos_, len));
      for (size_t i = 0; i < len && !atEnd(); ++i) advance();
      return error(m, "unknown reader syntax #" + shown);
    }
  }
}

static std::optional<uint32_t> hexCharName(std::string_view name) {
  if (name.size() < 2 || name.size() > 7 || name[0] != 'x') return std::nullopt;
  uint32_t cp = 0;
  for (char c : name.substr(1)) {
    int d = hexDigit(static_cast<unsigned char>(c));
    if (d < 0) return std::nullopt;
    cp = cp * 16 + uint32_t(d);
  }
  if (cp > kMaxCodePoint || isSurrogate(cp)) return std::nullopt;
  return cp;
}

// #\c for any single character; #\name for a named one; #\xHH... by code point.
Token Lexer::readChar(const Mark& m) {
  advance();  // '\'
  if (atEnd()) return error(m, "unexpected end of input after #\\", true);
  size_t start = pos_, len = 1;
  std::optional<uint32_t> cp = decodeUtf8(text_, pos_, len);
  for (size_t i = 0; i < len && !atEnd(); ++i) advance();
  if (!cp) return error(m, "invalid UTF-8 in character literal");
  if (*cp < 0x80 && isDelimiter(static_cast<unsigned char>(*cp))) return atom(Value::character(*cp), m);
  scanToken();
  std::string_view name = text_.substr(start, pos_ - start);
  if (name.size() == len) return atom(Value::character(*cp), m);
  if (std::optional<uint32_t> named = charByName(name)) return atom(Value::character(*named), m);
  if (std::optional<uint32_t> hex = hexCharName(name)) return atom(Value::character(*hex), m);
  return error(m, "unknown character name #\\" + std::string(name));
}

Token Lexer::readRawString(const Mark& m) {
  advance();  // '|'
  size_t start = pos_;
  while (!atEnd() && peek() != '|') advance();
  if (atEnd()) return error(m, "unterminated raw string #|", true);
  std::string_view body = text_.substr(start, pos_ - start);
  advance();  // the closing '|'
  if (!isValidUtf8(body)) return error(m, "invalid UTF-8 in raw string");
  return atom(iso_.str(body), m);
}

}  // namespace sx::lex
