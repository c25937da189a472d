// A fake preview server behind the PreviewServer interface: records the commands the
// preview panel sends and lets a test push events as if the server had produced them
// (through the sink, so the bridge queues them as it does for the real server).
#pragma once

#include <vector>

#include "inspect/preview.h"

class FakePreviewServer : public sx::inspect::PreviewServer {
 public:
  void setEventSink(sx::inspect::PreviewEventSink sink) override { sink_ = std::move(sink); }
  void start(sx::inspect::PreviewConfig config) override { starts.push_back(std::move(config)); }
  void stop() override { ++stops; }
  void reload() override { ++reloads; }
  void setResolverMode(sx::ResolverMode m) override { mode = m; }
  void resume(uint64_t perform, sx::inspect::Resume how) override { resumes.push_back({perform, std::move(how)}); }
  bool running() const override { return false; }

  void emit(sx::inspect::PreviewEvent e) {
    if (sink_) sink_(std::move(e));
  }

  struct ResumeCall {
    uint64_t perform;
    sx::inspect::Resume how;
  };
  std::vector<sx::inspect::PreviewConfig> starts;
  std::vector<ResumeCall> resumes;
  int stops = 0;
  int reloads = 0;
  sx::ResolverMode mode = sx::ResolverMode::Inline;

 private:
  sx::inspect::PreviewEventSink sink_;
};
