// The engine's public face for hosts (the CLI, the test runner, the HTTP server, the
// IDE's inspector). Hosts never reach into the fiber or heap directly: they evaluate
// source, receive values printed or as data, and receive diagnostics as data.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "value/isolate.h"

namespace sx {

struct EngineOptions {
  ResolverMode mode = ResolverMode::Inline;
  Tier tier = Tier::Auto;       // where lambdas run (engine/vm/tier.h)
  uint32_t jitThreshold = kDefaultJitThreshold;  // auto tier: calls or back-edges before native code (0 acts as 1)
  bool gcStress = false;        // collect at every safepoint
  uint32_t maxDepth = 100000;   // SX call depth before "stack depth exceeded"
  bool loadPrelude = true;
};

struct EvalResult {
  bool ok = false;
  Value value;        // valid until the next evaluation (not rooted)
  std::string printed;  // printValue(value) when ok
  Diagnostic error;   // when !ok
};

// One result reported by the test framework's report-pass / report-fail.
struct TestEvent {
  bool passed = false;
  std::vector<std::string> suites;  // enclosing defsuite names, outermost first
  std::string name;
  std::string message;   // failure message
  std::string file;      // where the failure was raised (innermost SX frame with a span)
  uint32_t line = 0, col = 0;
  std::string value;     // printed value of the test body (pass or fail: "")
};
using TestSink = std::function<void(const TestEvent&)>;

class Engine {
 public:
  explicit Engine(EngineOptions opts = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Isolate& isolate();
  void setMode(ResolverMode m);
  ResolverMode mode() const;
  void setTier(Tier t);
  Tier tier() const;

  // Reads, analyses and runs every form in `source`; stops at the first uncaught error.
  // `fileName` names the source in spans and diagnostics.
  EvalResult evalString(std::string_view source, const std::string& fileName = "<eval>");
  EvalResult loadFile(const std::string& path);

  std::string print(Value v);    // readable form
  std::string display(Value v);  // str form

  void setTestSink(TestSink sink);
  // Where println/print and the `log` op write (nothing is written until a host sets it).
  void setOutput(std::function<void(std::string_view)> out);
  // Registers the test host's IO ops: `echo` (returns its first argument) and an in-memory
  // key-value mock (kv-get, kv-put, kv-has?, kv-delete, kv-keys). `sx test` installs them.
  void installTestMockOps();
  // Stop a running evaluation from another thread (checked at safepoints); the run ends
  // with an "interrupted" error.
  void interrupt();

  // Global functions (lambdas) whose definition is in `file`, in source order.
  std::vector<std::string> functionsDefinedIn(const std::string& file);
  // The bytecode listing of a global function, compiling it if needed; "" and *error set
  // when there is no such function or it cannot be compiled.
  std::string bytecodeListing(const std::string& name, std::string* error);

  // Formats a diagnostic the way the CLI shows it: "file:line:col: error: message",
  // the source line with a caret, then the SX stack.
  static std::string formatDiagnostic(const Diagnostic& d);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sx
