// What every sx subcommand shares: exit codes, Ctrl-C routed to the running engine,
// and diagnostics printed the way Engine::formatDiagnostic lays them out.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "sx.h"

namespace sx::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,  // a test failed or an uncaught error ended a run
  kExitUsage = 2,    // bad command line, missing file
};

// Installs a SIGINT handler for its lifetime (restoring the previous one after).
// Ctrl-C during run() asks that engine to stop (Engine::interrupt only sets an atomic
// flag); a second Ctrl-C before the run ends terminates the process the default way.
// Ctrl-C outside a run is remembered for takeIdleInterrupt(). The handler is installed
// without SA_RESTART, so a blocked terminal read (the REPL prompt) returns.
class SigintRouter {
 public:
  SigintRouter();
  ~SigintRouter();
  SigintRouter(const SigintRouter&) = delete;
  SigintRouter& operator=(const SigintRouter&) = delete;

  EvalResult run(Engine& engine, const std::function<EvalResult()>& evaluate);
  // True once after a Ctrl-C that arrived while no run was going on.
  bool takeIdleInterrupt();
  void clearIdleInterrupt();
};

// Sends what SX programs print (println, print, the `log` op) to stdout.
void connectOutput(Engine& engine);

// Writes Engine::formatDiagnostic(d), ending with a newline, after flushing stdout so
// program output and diagnostics keep their order on a terminal.
void printDiagnostic(std::ostream& out, const Diagnostic& d);

// Commands: each returns the process exit code.
int runFiles(const EngineOptions& opts, const std::vector<std::string>& files);
// Runs `files` (if any), then evaluates `expr` and prints the value of its last form.
int evalExpression(const EngineOptions& opts, const std::vector<std::string>& files,
                   const std::string& expr);
// Loads `preload` (a file that fails is reported and skipped), then reads forms:
// interactively when stdin is a terminal, otherwise from stdin without prompts.
int runRepl(const EngineOptions& opts, const std::vector<std::string>& preload);

struct TestOptions {
  std::vector<std::string> paths;  // files, or directories searched for *.sx
  bool verbose = false;            // also print passes
  std::string resultsFile;         // TSV of every result, "" for none
};
int runTests(const EngineOptions& opts, const TestOptions& test);

// `sx serve FILE`: serves FILE's `handler` until SIGINT/SIGTERM (cmd_serve.cpp).
struct ServeCommand {
  std::string file;
  std::string host = "127.0.0.1";
  uint16_t port = 8080;             // 0: a free port (the printed URL shows it)
  unsigned workers = 0;             // 0: one per core
  std::string dataDir;              // "": .sx-data/ beside FILE
  double idleTimeoutSeconds = 15;   // a connection without a complete request is closed (408)
  bool quiet = false;               // no access log
  bool logIo = false;               // print every resolved perform
};
int runServe(const EngineOptions& opts, const ServeCommand& cmd);
// What `sx FILE` and `sx -e` programs get: the durable store (.sx-data/ beside the last
// file, created on first use) and http-listen, which serves the same files.
void installServingHost(Engine& engine, const EngineOptions& opts, const std::vector<std::string>& files,
                        const std::string& expr);
// Runs `file`, then prints the bytecode of `names` (or of every function it defines).
int disasmFile(const EngineOptions& opts, const std::string& file, const std::vector<std::string>& names,
               bool native);

}  // namespace sx::cli
