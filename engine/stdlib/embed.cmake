# Turns the SX prelude into a C++ source defining `sx::kPreludeSource`.
file(READ ${IN} CONTENT HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${CONTENT}")
file(WRITE ${OUT} "// Generated from prelude.sx; do not edit.\n#include <cstddef>\nnamespace sx {\nextern const char kPreludeSource[];\nextern const std::size_t kPreludeSize;\nconst char kPreludeSource[] = {${BYTES} 0x00};\nconst std::size_t kPreludeSize = sizeof(kPreludeSource) - 1;\n}\n")
