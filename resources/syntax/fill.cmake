# Fills sx.xml.in with the names printed by sx_syntax_names (run as a build step), and
# writes the result also as a C++ source the editor embeds:
#   cmake -DTOOL=<sx_syntax_names> -DIN=<sx.xml.in> -DOUT=<sx.xml> -DOUT_CPP=<file.cpp> -P fill.cmake
execute_process(COMMAND ${TOOL} OUTPUT_VARIABLE names RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sx_syntax_names failed (${rc})")
endif()
# Names never contain ';' (a delimiter in SX), so one name per list element is safe;
# XML escaping happens per name, after the split.
string(REGEX REPLACE "\n$" "" names "${names}")
string(REPLACE "\n" ";" lines "${names}")
set(section "")
set(SX_SPECIAL_FORMS "")
set(SX_PRIMITIVES "")
foreach(line IN LISTS lines)
  string(REPLACE "&" "&amp;" line "${line}")
  string(REPLACE "<" "&lt;" line "${line}")
  string(REPLACE ">" "&gt;" line "${line}")
  string(REPLACE "\"" "&quot;" line "${line}")
  if(line STREQUAL "special-forms" OR line STREQUAL "primitives")
    set(section ${line})
  elseif(section STREQUAL "special-forms")
    string(APPEND SX_SPECIAL_FORMS "      <item>${line}</item>\n")
  elseif(section STREQUAL "primitives")
    string(APPEND SX_PRIMITIVES "      <item>${line}</item>\n")
  endif()
endforeach()
if(SX_SPECIAL_FORMS STREQUAL "" OR SX_PRIMITIVES STREQUAL "")
  message(FATAL_ERROR "sx_syntax_names printed no special forms or no primitives")
endif()
string(REGEX REPLACE "\n$" "" SX_SPECIAL_FORMS "${SX_SPECIAL_FORMS}")
string(REGEX REPLACE "\n$" "" SX_PRIMITIVES "${SX_PRIMITIVES}")
configure_file(${IN} ${OUT} @ONLY)
if(DEFINED OUT_CPP)
  file(READ ${OUT} xml)
  file(WRITE ${OUT_CPP} "// Generated from resources/syntax/sx.xml.in by fill.cmake.\n"
    "#include <QByteArray>\n\nnamespace sxs {\n\nQByteArray sxSyntaxDefinition() {\n"
    "  static const char kXml[] = R\"sxxml(${xml})sxxml\";\n"
    "  return QByteArray::fromRawData(kXml, sizeof kXml - 1);\n}\n\n}  // namespace sxs\n")
endif()
