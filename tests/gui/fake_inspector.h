// A fake engine behind the inspector interface: records the commands panels send and lets
// a test push events as if the engine had produced them (delivered through the sink, so
// the bridge queues them exactly as it does for the real engine).
#pragma once

#include <string>
#include <vector>

#include "inspect/inspector.h"

class FakeInspector : public sx::inspect::Inspector {
 public:
  struct Run {
    uint64_t id;
    std::string source, name;
  };
  struct Check {
    std::string name, text;
    uint64_t generation;
  };
  struct ResumeCall {
    uint64_t perform;
    sx::inspect::Resume how;
  };

  void setEventSink(sx::inspect::EventSink sink) override { sink_ = std::move(sink); }
  uint64_t runSource(std::string source, std::string name) override {
    runs.push_back({++lastRun, std::move(source), std::move(name)});
    return lastRun;
  }
  uint64_t loadFile(std::string path) override {
    loads.push_back(path);
    return ++lastRun;
  }
  void stop() override { ++stops; }
  void setResolverMode(sx::ResolverMode m) override { mode = m; }
  sx::ResolverMode resolverMode() const override { return mode; }
  void resume(uint64_t perform, sx::inspect::Resume how) override { resumes.push_back({perform, std::move(how)}); }
  void checkSource(std::string name, std::string text, uint64_t generation) override {
    checks.push_back({std::move(name), std::move(text), generation});
  }
  void requestFunctions() override { ++functionRequests; }
  void requestListing(uint64_t function) override { listingRequests.push_back(function); }
  void setJitExclude(std::vector<std::string> patterns) override { excludeCalls.push_back(std::move(patterns)); }
  std::vector<sx::inspect::Definition> definitions() const override { return defs; }

  void emit(sx::inspect::Event e) {
    if (sink_) sink_(std::move(e));
  }

  std::vector<Run> runs;
  std::vector<std::string> loads;
  std::vector<Check> checks;
  std::vector<ResumeCall> resumes;
  std::vector<sx::inspect::Definition> defs;
  sx::ResolverMode mode = sx::ResolverMode::Inline;
  uint64_t lastRun = 0;
  int stops = 0;
  int functionRequests = 0;
  std::vector<uint64_t> listingRequests;
  std::vector<std::vector<std::string>> excludeCalls;

 private:
  sx::inspect::EventSink sink_;
};
