#include "preview/previewbridge.h"

#include "common/overloaded.h"

namespace sxs {

PreviewBridge::PreviewBridge(sx::inspect::PreviewServer& server, QObject* parent) : QObject(parent), server_(server) {
  server_.setEventSink([this](sx::inspect::PreviewEvent&& e) {
    // A server thread: queue the event for the GUI thread.
    events_.push(this, std::move(e), [this](const sx::inspect::PreviewEvent& x) { dispatch(x); });
  });
}

// Waits for an event being delivered on a server thread, then stops delivery.
PreviewBridge::~PreviewBridge() { server_.setEventSink(nullptr); }

void PreviewBridge::dispatch(const sx::inspect::PreviewEvent& e) {
  std::visit(Overloaded{
                 [this](const sx::inspect::PreviewStarted& x) { Q_EMIT started(x); },
                 [this](const sx::inspect::PreviewStopped& x) { Q_EMIT stopped(x); },
                 [this](const sx::inspect::HttpRequestStarted& x) { Q_EMIT requestStarted(x); },
                 [this](const sx::inspect::HttpRequestRecord& x) { Q_EMIT request(x); },
                 [this](const sx::inspect::PreviewPerform& x) { Q_EMIT performed(x); },
                 [this](const sx::inspect::PreviewResume& x) { Q_EMIT resumed(x); },
                 [this](const sx::inspect::PreviewPaused& x) { Q_EMIT paused(x); },
                 [this](const sx::inspect::PreviewOutput& x) { Q_EMIT output(x); },
             },
             e);
}

}  // namespace sxs
