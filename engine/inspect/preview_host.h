// PreviewHost: the real PreviewServer. It runs sx::http::Server for a project on a thread
// of its own (the server adds one worker thread with its own isolate, and IO threads),
// listening on 127.0.0.1, and turns what the server reports into PreviewEvents: the
// access log becomes HttpRequestRecords, and a PerformObserver on the worker's
// AsyncDriver snapshots the request's fiber at every perform and resume.
//
// Step mode is served in unwind mode with every perform held by the observer: the
// request's fiber stays suspended (the worker serves other requests meanwhile) until
// resume() answers it on the worker's thread.
#pragma once

#include <chrono>
#include <memory>

#include "inspect/preview.h"

namespace sx::inspect {

struct PreviewOptions {
  // Requests still running this long after stop() are interrupted.
  std::chrono::milliseconds shutdownGrace{300};
  // Performs recorded with snapshots per request; past it they are only counted.
  uint32_t maxRecordedPerforms = 1000;
};

class PreviewHost final : public PreviewServer {
 public:
  explicit PreviewHost(PreviewOptions options = {});
  // Stops a running server and joins its threads.
  ~PreviewHost() override;
  PreviewHost(const PreviewHost&) = delete;
  PreviewHost& operator=(const PreviewHost&) = delete;

  void setEventSink(PreviewEventSink sink) override;
  void start(PreviewConfig config) override;
  void stop() override;
  void reload() override;
  void setResolverMode(ResolverMode mode) override;
  void resume(uint64_t perform, Resume how) override;
  bool running() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sx::inspect
