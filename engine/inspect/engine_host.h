// EngineHost: the real Inspector. It owns an sx::Engine and runs it on its own thread,
// taking commands from a queue. It drives every fiber itself (effects/run.h: runFiber and
// the resume functions), so it can snapshot the fiber at every perform and resume, and in
// step mode wait for the user's answer at each perform.
#pragma once

#include <memory>

#include "inspect/inspector.h"

namespace sx::inspect {

struct HostOptions {
  uint32_t maxDepth = 100000;   // SX call depth limit
  Tier tier = Tier::Jit;        // where lambdas run (engine/vm/tier.h); (set-tier! ...) changes it
  // Register the test host's ops (echo and an in-memory kv-get/kv-put/...) so projects
  // that perform key-value requests run without a store.
  bool mockOps = true;
  // Performs recorded with snapshots per run in inline and unwind mode (step mode pauses
  // at, and records, every one). Past it performs are only counted (RunFinished).
  uint32_t maxRecordedPerforms = 1000;
};

class EngineHost final : public Inspector {
 public:
  explicit EngineHost(HostOptions options = {});
  // Ends a running or paused run and joins the engine thread.
  ~EngineHost() override;
  EngineHost(const EngineHost&) = delete;
  EngineHost& operator=(const EngineHost&) = delete;

  void setEventSink(EventSink sink) override;
  uint64_t runSource(std::string source, std::string name) override;
  uint64_t loadFile(std::string path) override;
  void stop() override;
  void setResolverMode(ResolverMode mode) override;
  ResolverMode resolverMode() const override;
  void resume(uint64_t perform, Resume how) override;
  void checkSource(std::string name, std::string text, uint64_t generation) override;
  void requestFunctions() override;
  void requestListing(uint64_t function) override;
  void setJitExclude(std::vector<std::string> patterns) override;
  std::vector<Definition> definitions() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sx::inspect
