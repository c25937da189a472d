// sx_syntax_names: prints the names the editor's syntax definition highlights, taken from
// the engine's own tables, so resources/syntax/sx.xml can never drift from the engine.
//
//   special-forms          (header line)
//   <one name per line>    sx::specialFormNames()
//   primitives             (header line)
//   <one name per line>    every global sx::registerCoreNatives defines, minus special forms
#include <cstdio>
#include <set>
#include <string>

#include "cek/analyzer.h"
#include "stdlib/native.h"
#include "value/isolate.h"

int main() {
  std::set<std::string> forms;
  for (const char* name : sx::specialFormNames()) forms.insert(name);
  sx::Isolate iso;
  sx::registerCoreNatives(iso);
  std::printf("special-forms\n");
  for (const std::string& name : forms) std::printf("%s\n", name.c_str());
  std::printf("primitives\n");
  for (const std::string& name : iso.globalNames())
    if (!forms.count(name)) std::printf("%s\n", name.c_str());
  return 0;
}
