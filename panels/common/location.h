// A place in a source file, as the panels pass it around ("open file:line:col").
#pragma once

#include <QString>

namespace sxs {

struct Location {
  QString file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in code points
  bool valid() const { return !file.isEmpty() && line > 0; }
};

}  // namespace sxs
