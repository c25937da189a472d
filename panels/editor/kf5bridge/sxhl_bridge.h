// The KSyntaxHighlighting bridge: a plain C++ facade over KF5 SyntaxHighlighting with no
// Qt types, so a Qt 6 program can use the KF5 (Qt 5) library that Debian 12 ships
// (DEPENDENCIES.md). This header is included from both sides; only this class is
// exported from the shared library.
#pragma once

#include <cstdint>
#include <memory>
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

class SXHL_EXPORT Highlighter {
 public:
  // `searchPath` is a folder holding syntax/<name>.xml; `definition` is the name the
  // definition declares (<language name="...">). Check valid() / error() afterwards.
  Highlighter(const std::string& searchPath, const std::string& definition, bool dark);
  ~Highlighter();
  Highlighter(const Highlighter&) = delete;
  Highlighter& operator=(const Highlighter&) = delete;

  bool valid() const;
  std::string error() const;
  void setDark(bool dark);
  // The theme's editor colours (0xRRGGBB), for the editor's own palette.
  uint32_t backgroundColor() const;
  uint32_t textColor() const;

  // Highlights one line. `prevState` is what the previous line returned (-1 for the
  // first line); the line's end state is stored in `nextState`. States are small
  // integers that compare equal exactly when the highlighter states do.
  std::vector<Span> highlightLine(const std::u16string& line, int prevState, int* nextState);

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace sxhl
