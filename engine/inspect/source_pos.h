// A place in SX source as the inspector reports it: plain data, no Value.
#pragma once

#include <cstdint>
#include <string>

namespace sx::inspect {

struct SourcePos {
  std::string file;  // the source's name ("" when unknown)
  uint32_t line = 0, col = 0;  // 1-based; 0 = unknown
  uint32_t len = 0;            // in bytes
  bool known() const { return line != 0; }
};

}  // namespace sx::inspect
