// The panels' side of the inspector: owns nothing, wraps an Inspector, and hands its
// events to the GUI thread. The engine calls the sink on its own thread; the sink queues
// the event (in batches, common/eventbatches.h), so every signal below is emitted on the
// GUI thread and no panel ever touches a running engine.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QString>

#include "common/eventbatches.h"
#include "inspect/inspector.h"

namespace sxs {

class InspectorBridge : public QObject {
  Q_OBJECT

 public:
  explicit InspectorBridge(sx::inspect::Inspector& inspector, QObject* parent = nullptr);
  ~InspectorBridge() override;

  sx::inspect::Inspector& inspector() { return inspector_; }

  // Delivers an event now, on the calling (GUI) thread; the sink queues into this.
  void dispatch(const sx::inspect::Event& e);

  // GUI thread, as the events have been delivered: whether a run has started and not
  // finished (it may be paused), and how long ago the latest one started. Both are up to
  // date when the runStarted and runFinished signals are emitted.
  bool running() const { return !activeRuns_.isEmpty(); }
  qint64 runElapsedMs() const { return running() ? runClock_.elapsed() : 0; }

 Q_SIGNALS:
  void runStarted(const sx::inspect::RunStarted& e);
  void output(const sx::inspect::OutputText& e);
  void valuePrinted(const sx::inspect::ValuePrinted& e);
  void runError(const sx::inspect::RunError& e);
  void runFinished(const sx::inspect::RunFinished& e);
  void performed(const sx::inspect::Performed& e);
  void paused(const sx::inspect::Paused& e);
  void resumed(const sx::inspect::Resumed& e);
  void handlerAnswered(const sx::inspect::HandlerAnswered& e);
  void sourceChecked(const sx::inspect::SourceChecked& e);
  void functionsUpdated(const sx::inspect::FunctionsUpdated& e);
  void listingReady(const sx::inspect::ListingReady& e);

 private:
  sx::inspect::Inspector& inspector_;
  EventBatches<sx::inspect::Event> events_;
  QSet<uint64_t> activeRuns_;
  QElapsedTimer runClock_;
};

inline QString qs(const std::string& s) { return QString::fromStdString(s); }
inline QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

}  // namespace sxs
