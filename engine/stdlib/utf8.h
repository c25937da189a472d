// UTF-8 helpers for the string primitives. Strings are valid UTF-8 by construction
// (the reader and every primitive produce UTF-8); a malformed byte decodes as U+FFFD
// and advances one byte, so no input can make these loop or read out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "value/objects.h"

namespace sx::utf8 {

constexpr uint32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at byte `i` of `s` and advances `i` past it.
uint32_t decode(std::string_view s, size_t& i);
// Appends the UTF-8 encoding of `cp` (invalid code points encode as U+FFFD).
void append(std::string& out, uint32_t cp);
std::string encode(uint32_t cp);

// Byte offset of code point `index` in `s` (s->byteLen when index >= s->charLen).
// Constant time for ASCII strings.
size_t byteOffset(const String* s, size_t index);
// The code points [start, end) of `s`, clamped to its length.
std::string_view slice(const String* s, size_t start, size_t end);
// Number of code points in the first `bytes` bytes of `s`.
size_t countBefore(std::string_view s, size_t bytes);

inline bool isAsciiSpace(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace sx::utf8
