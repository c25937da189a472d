// sx disasm [--native] FILE [NAME...]: runs FILE, then prints the bytecode listing (or
// with --native the JIT's machine code) of the named global functions, or of every
// function FILE defines.
#include <iostream>

#include "host.h"
#include "jit/jit_x64.h"

namespace sx::cli {

int disasmFile(const EngineOptions& opts, const std::string& file, const std::vector<std::string>& names,
               bool native) {
  Engine engine(opts);
  connectOutput(engine);
  EvalResult r = engine.loadFile(file);
  if (!r.ok) {
    printDiagnostic(std::cerr, r.error);
    return kExitFailure;
  }
  std::vector<std::string> wanted = names.empty() ? engine.functionsDefinedIn(file) : names;
  int status = kExitOk;
  for (size_t i = 0; i < wanted.size(); ++i) {
    std::string error;
    std::string listing =
        native ? nativeListing(engine.isolate(), wanted[i], &error) : engine.bytecodeListing(wanted[i], &error);
    if (listing.empty()) {
      std::cerr << "sx disasm: " << error << "\n";
      status = kExitFailure;
      continue;
    }
    std::cout << (i ? "\n" : "") << listing;
  }
  return status;
}

}  // namespace sx::cli
