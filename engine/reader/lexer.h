// The SX lexer: source bytes to tokens, each with its span. Atoms (numbers, strings,
// chars, symbols, keywords, true/false/nil) come out as finished Values; brackets,
// quote prefixes and datum comments are left for the reader's stack machine.
// Also home of the lexical classes the printer needs so that what it writes reads back
// (delimiters, keyword names, character names) and of the small UTF-8 helpers both use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "value/isolate.h"

namespace sx::lex {

// ---- lexical classes ------------------------------------------------------------------

// Bytes that end a symbol, keyword or number token.
bool isDelimiter(unsigned char c);
bool isWhitespace(unsigned char c);
// True when ":<name>" reads back as the keyword `name`.
bool isKeywordName(std::string_view name);

// Named characters (#\space ...), declared once for the reader and the printer.
struct CharName {
  const char* name;
  uint32_t code;
};
// The name the printer uses for `code`, or nullptr when the character prints as itself.
const char* charNameOf(uint32_t code);
std::optional<uint32_t> charByName(std::string_view name);

// ---- UTF-8 ----------------------------------------------------------------------------

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
inline bool isSurrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }
void appendUtf8(std::string& out, uint32_t cp);
// Decodes the code point at s[i]; sets `len` to its byte length. Returns nullopt for an
// invalid or truncated sequence.
std::optional<uint32_t> decodeUtf8(std::string_view s, size_t i, size_t& len);
bool isValidUtf8(std::string_view s);

// ---- numbers --------------------------------------------------------------------------

// True when `tok` must be read as a number (it starts with a digit, a sign then a digit,
// or a decimal point then a digit); such a token that does not parse is an error.
bool looksNumeric(std::string_view tok);
// Parses a numeric token: integers (fixnum, int64; beyond int64 a float), 0x hex,
// decimals and exponents, n/d rationals. On failure returns nullopt and sets `error`.
std::optional<Value> parseNumber(Isolate& iso, std::string_view tok, std::string& error);

// ---- tokens ---------------------------------------------------------------------------

enum class TokKind : uint8_t {
  Open,          // ( [ {
  Close,         // ) ] }
  Prefix,        // ' ` , ,@ #'  (prefix names the symbol the datum is wrapped in)
  DatumComment,  // #;
  Atom,          // value holds the datum
  End,
  Error,         // message; incomplete when input ended inside the token
};

struct Token {
  TokKind kind = TokKind::End;
  char bracket = 0;              // Open / Close
  const char* prefix = nullptr;  // Prefix: "quote", "quasiquote", "unquote", "splice-unquote"
  Value value;                   // Atom
  Span span;                     // where the token is; len in bytes
  uint32_t pos = 0;              // byte offset of the token's first byte
  std::string message;           // Error
  bool incomplete = false;       // Error: the input ended inside the token
};

class Lexer {
 public:
  Lexer(Isolate& iso, std::string_view text, uint32_t fileId);
  Token next();

 private:
  struct Mark {
    size_t pos;
    uint32_t line, col;
  };
  bool atEnd() const { return pos_ >= text_.size(); }
  unsigned char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? static_cast<unsigned char>(text_[pos_ + ahead]) : 0;
  }
  void advance();
  Mark mark() const { return {pos_, line_, col_}; }
  Span spanFrom(const Mark& m) const;
  Token make(TokKind kind, const Mark& m) const;
  Token error(const Mark& m, std::string message, bool incomplete = false) const;
  Token atom(Value v, const Mark& m) const;

  void skipAtmosphere();  // whitespace, ; comments, a #! line at the very start
  std::string_view scanToken();
  Token readToken(const Mark& m);
  Token readString(const Mark& m);
  bool readEscape(std::string& out, const Mark& str, Token& err);
  bool readUnicodeEscape(std::string& out, const Mark& esc, Token& err);
  int64_t readHexDigits(size_t count);
  Token readHash(const Mark& m);
  Token readChar(const Mark& m);
  Token readRawString(const Mark& m);

  Isolate& iso_;
  std::string_view text_;
  uint32_t file_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t col_ = 1;
};

}  // namespace sx::lex
