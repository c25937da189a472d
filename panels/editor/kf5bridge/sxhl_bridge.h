// The KSyntaxHighlighting bridge: a plain C++ facade over KF5 SyntaxHighlighting with no
// Qt types, so a Qt 6 program can use the KF5 (Qt 5) library that Debian 12 ships
// (DEPENDENCIES.md). Included from both sides.
//
// The Qt 6 side does not link the bridge: it loads it with dlopen(RTLD_LOCAL |
// RTLD_DEEPBIND) and calls sxhl_create. Linking it would let the dynamic linker bind
// KF5's references to Qt 5 symbols (e.g. operator==(QString, QString)) to same-named
// Qt 6 inline copies that a Qt 6 executable exports — which broke definition loading in
// a test binary. Deep binding makes KF5 resolve against its own Qt 5 first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#define SXHL_EXPORT __attribute__((visibility("default")))

namespace sxhl {

// One formatted run of a line, in UTF-16 code units.
struct Span {
  int start = 0;
  int length = 0;
  bool hasColor = false;
  uint32_t rgb = 0;  // 0xRRGGBB when hasColor
  bool bold = false;
  bool italic = false;
  bool underline = false;
};

class Highlighter {
 public:
  virtual ~Highlighter() = default;
  virtual bool valid() const = 0;
  virtual std::string error() const = 0;
  virtual void setDark(bool dark) = 0;
  // The theme's editor colours (0xRRGGBB), for the editor's own palette.
  virtual uint32_t backgroundColor() const = 0;
  virtual uint32_t textColor() const = 0;
  // Highlights one line. `prevState` is what the previous line returned (-1 for the
  // first line); the line's end state is stored in `nextState`. States are small
  // integers that compare equal exactly when the highlighter states do.
  virtual std::vector<Span> highlightLine(const std::u16string& line, int prevState, int* nextState) = 0;
};

// Bumped whenever Span or Highlighter change; sxhl_create refuses other versions.
constexpr int kAbiVersion = 1;

}  // namespace sxhl

// `searchPath` is a folder holding syntax/<name>.xml; `definition` is the name the
// definition declares (<language name="...">). Null only for a wrong ABI version; check
// valid() / error() on the result. Delete the result to free it.
extern "C" SXHL_EXPORT sxhl::Highlighter* sxhl_create(int abiVersion, const char* searchPath, const char* definition,
                                                       bool dark);
using SxhlCreateFn = sxhl::Highlighter* (*)(int, const char*, const char*, bool);
