// `sx FILE…`, `sx run FILE…` and `sx -e EXPR`: run files in order in one engine.
#include <iostream>

#include "host.h"

namespace sx::cli {

namespace {

// Loads each file in order; false (after printing the diagnostic) at the first error.
bool loadAll(Engine& engine, SigintRouter& sigint, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    EvalResult r = sigint.run(engine, [&] { return engine.loadFile(file); });
    if (!r.ok) {
      printDiagnostic(std::cerr, r.error);
      return false;
    }
  }
  return true;
}

}  // namespace

int runFiles(const EngineOptions& opts, const std::vector<std::string>& files) {
  Engine engine(opts);
  connectOutput(engine);
  installServingHost(engine, opts, files, "");
  SigintRouter sigint;
  return loadAll(engine, sigint, files) ? kExitOk : kExitFailure;
}

int evalExpression(const EngineOptions& opts, const std::vector<std::string>& files,
                   const std::string& expr) {
  Engine engine(opts);
  connectOutput(engine);
  installServingHost(engine, opts, files, expr);
  SigintRouter sigint;
  if (!loadAll(engine, sigint, files)) return kExitFailure;
  EvalResult r = sigint.run(engine, [&] { return engine.evalString(expr, "<eval>"); });
  if (!r.ok) {
    printDiagnostic(std::cerr, r.error);
    return kExitFailure;
  }
  std::cout << r.printed << '\n' << std::flush;
  return kExitOk;
}

}  // namespace sx::cli
