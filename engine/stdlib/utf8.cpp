#include "stdlib/utf8.h"

namespace sx::utf8 {

uint32_t decode(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return uint32_t(static_cast<unsigned char>(s[k])); };
  uint32_t c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t extra = c >= 0xF8 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (extra == 0 || i + extra >= s.size()) {
    ++i;
    return kReplacementChar;
  }
  uint32_t cp = c & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    uint32_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacementChar;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += extra + 1;
  return cp;
}

void append(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

std::string encode(uint32_t cp) {
  std::string out;
  append(out, cp);
  return out;
}

size_t byteOffset(const String* s, size_t index) {
  if (index >= s->charLen) return s->byteLen;
  if (s->ascii()) return index;
  std::string_view v = s->view();
  size_t i = 0;
  for (size_t n = 0; n < index; ++n) decode(v, i);
  return i;
}

std::string_view slice(const String* s, size_t start, size_t end) {
  if (end > s->charLen) end = s->charLen;
  std::string_view v = s->view();
  if (start >= end) return v.substr(0, 0);
  if (s->ascii()) return v.substr(start, end - start);
  size_t from = byteOffset(s, start);
  size_t to = from;
  for (size_t n = start; n < end; ++n) decode(v, to);
  return v.substr(from, to - from);
}

size_t countBefore(std::string_view s, size_t bytes) {
  size_t n = 0;
  for (size_t i = 0; i < bytes && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace sx::utf8
