// sx: run, evaluate, explore and test SX programs. Parses the command line with CLI11
// and hands off to one command; every command is a host of one sx::Engine.
#include <cstdint>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>

#include "host.h"

namespace {

using namespace sx::cli;

// --mode, --tier, --jit-threshold, --gc-stress and --max-depth, on every command that runs code.
void addEngineOptions(CLI::App& app, sx::EngineOptions& opts) {
  static const std::map<std::string, sx::ResolverMode> kModes = {
      {"inline", sx::ResolverMode::Inline},
      {"unwind", sx::ResolverMode::Unwind},
  };
  app.add_option_function<std::string>(
         "--mode", [&opts](const std::string& name) { opts.mode = kModes.at(name); },
         "how IO performs are resolved")
      ->check(CLI::IsMember(kModes));
  static const std::map<std::string, sx::Tier> kTiers = {
      {"cek", sx::Tier::Cek},
      {"vm", sx::Tier::Vm},
      {"jit", sx::Tier::Jit},
      {"auto", sx::Tier::Auto},
  };
  app.add_option_function<std::string>(
         "--tier", [&opts](const std::string& name) { opts.tier = kTiers.at(name); },
         "where lambdas run: cek (interpreted), vm (bytecode from the first call, never native "
         "code), jit (bytecode, then native x86-64 code, from the first call) or auto (the default: "
         "bytecode from the first call, native code once hot; see --jit-threshold)")
      ->check(CLI::IsMember(kTiers));
  app.add_option("--jit-threshold", opts.jitThreshold,
                 "auto tier: calls of a function, or loop back-edges in it, before it gets native code "
                 "(default " + std::to_string(sx::kDefaultJitThreshold) + ")")
      ->check(CLI::Range(1u, UINT32_MAX));
  app.add_flag("--gc-stress", opts.gcStress, "collect garbage at every safepoint");
  app.add_option("--max-depth", opts.maxDepth, "SX call depth before \"stack depth exceeded\"")
      ->check(CLI::Range(1u, UINT32_MAX));
}

// --help prints the help and succeeds; every other parse error is a usage error.
int exitForParseError(const CLI::App& app, const CLI::ParseError& e) {
  return app.exit(e) == 0 ? kExitOk : kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Run, evaluate, explore and test SX programs.", "sx"};
  app.set_version_flag("--version", "sx " SX_VERSION);
  app.require_subcommand(0, 1);

  sx::EngineOptions engineOpts;
  std::vector<std::string> files;
  std::string expr;
  addEngineOptions(app, engineOpts);
  app.add_option("files", files, "SX files to run in order in one engine (as `sx run`)")
      ->check(CLI::ExistingFile);
  CLI::Option* exprOpt =
      app.add_option("-e,--eval", expr, "evaluate EXPR after any FILEs and print its value");

  CLI::App* run = app.add_subcommand("run", "run SX files in order in one engine");
  std::vector<std::string> runFilesList;
  addEngineOptions(*run, engineOpts);
  run->add_option("files", runFilesList, "SX files")->required()->check(CLI::ExistingFile);

  CLI::App* repl = app.add_subcommand(
      "repl", "read-eval-print loop (the default with no arguments on a terminal)");
  addEngineOptions(*repl, engineOpts);
  std::vector<std::string> replPreload;
  repl->add_option("--load", replPreload, "load FILE before the first prompt (repeatable)")
      ->check(CLI::ExistingFile);

  CLI::App* test = app.add_subcommand("test", "run deftest/defsuite tests, each file in a fresh engine");
  TestOptions testOpts;
  addEngineOptions(*test, engineOpts);
  test->add_option("paths", testOpts.paths, "test files, or directories searched for *.sx")
      ->required()
      ->check(CLI::ExistingPath);
  test->add_flag("-v,--verbose", testOpts.verbose, "also print passing tests");
  test->add_option("--results", testOpts.resultsFile, "write one TSV line per test result to FILE");

  CLI::App* disasm = app.add_subcommand("disasm", "run FILE, then print the bytecode of its functions");
  std::string disasmFileName;
  std::vector<std::string> disasmNames;
  bool disasmNative = false;
  addEngineOptions(*disasm, engineOpts);
  disasm->add_flag("--native", disasmNative,
                   "print the JIT's x86-64 code instead: per bytecode instruction its machine instructions");
  disasm->add_option("file", disasmFileName, "the SX file")->required()->check(CLI::ExistingFile);
  disasm->add_option("names", disasmNames, "functions to list (default: every function FILE defines)");

  CLI::App* serve = app.add_subcommand("serve", "serve the `handler` FILE defines over HTTP");
  ServeCommand serveCmd;
  addEngineOptions(*serve, engineOpts);
  serve->add_option("file", serveCmd.file, "the project's entry file")->required()->check(CLI::ExistingFile);
  serve->add_option("--port", serveCmd.port, "TCP port (0: any free port)")->capture_default_str();
  serve->add_option("--host", serveCmd.host, "address to bind")->capture_default_str();
  serve->add_option("--workers", serveCmd.workers, "worker threads, one isolate each (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  serve->add_option("--data", serveCmd.dataDir, "data directory of the store (default: .sx-data/ beside FILE)");
  serve->add_option("--idle-timeout", serveCmd.idleTimeoutSeconds, "seconds before an idle connection is closed")
      ->check(CLI::Range(0.05, 86400.0))
      ->capture_default_str();
  serve->add_flag("-q,--quiet", serveCmd.quiet, "do not print the access log");
  serve->add_flag("--log-io", serveCmd.logIo, "print every resolved perform (op, mode, time)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return exitForParseError(app, e);
  }

  bool topLevelCode = !files.empty() || exprOpt->count() > 0;
  if (topLevelCode && app.get_subcommands().size() > 0) {
    std::cerr << "sx: FILE and -e cannot be combined with a subcommand\n"
              << "Run with --help for more information.\n";
    return kExitUsage;
  }
  if (*run) return runFiles(engineOpts, runFilesList);
  if (*repl) return runRepl(engineOpts, replPreload);
  if (*test) return runTests(engineOpts, testOpts);
  if (*disasm) return disasmFile(engineOpts, disasmFileName, disasmNames, disasmNative);
  if (*serve) return runServe(engineOpts, serveCmd);
  if (exprOpt->count() > 0) return evalExpression(engineOpts, files, expr);
  if (!files.empty()) return runFiles(engineOpts, files);
  return runRepl(engineOpts, {});
}
