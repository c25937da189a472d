// The preview panel's side of the preview server: wraps a PreviewServer and hands its
// events to the GUI thread in batches, as InspectorBridge does for the engine. The server
// calls the sink on its own threads; every signal below is emitted on the GUI thread.
#pragma once

#include <QObject>

#include "common/eventbatches.h"
#include "inspect/preview.h"

namespace sxs {

class PreviewBridge : public QObject {
  Q_OBJECT

 public:
  explicit PreviewBridge(sx::inspect::PreviewServer& server, QObject* parent = nullptr);
  ~PreviewBridge() override;

  sx::inspect::PreviewServer& server() { return server_; }
  // Delivers an event now, on the calling (GUI) thread; the sink queues into this.
  void dispatch(const sx::inspect::PreviewEvent& e);

 Q_SIGNALS:
  void started(const sx::inspect::PreviewStarted& e);
  void stopped(const sx::inspect::PreviewStopped& e);
  void requestStarted(const sx::inspect::HttpRequestStarted& e);
  void request(const sx::inspect::HttpRequestRecord& e);
  void performed(const sx::inspect::PreviewPerform& e);
  void resumed(const sx::inspect::PreviewResume& e);
  void paused(const sx::inspect::PreviewPaused& e);
  void output(const sx::inspect::PreviewOutput& e);

 private:
  sx::inspect::PreviewServer& server_;
  EventBatches<sx::inspect::PreviewEvent> events_;
};

}  // namespace sxs
