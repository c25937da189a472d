#include "common/inspectorbridge.h"

#include "common/overloaded.h"

namespace sxs {

InspectorBridge::InspectorBridge(sx::inspect::Inspector& inspector, QObject* parent) : QObject(parent), inspector_(inspector) {
  inspector_.setEventSink([this](sx::inspect::Event&& e) {
    // Engine thread: queue the event for the GUI thread.
    events_.push(this, std::move(e), [this](const sx::inspect::Event& x) { dispatch(x); });
  });
}

// Waits for an event being delivered on the engine thread, then stops delivery.
InspectorBridge::~InspectorBridge() { inspector_.setEventSink(nullptr); }

void InspectorBridge::dispatch(const sx::inspect::Event& e) {
  std::visit(Overloaded{
                 [this](const sx::inspect::RunStarted& x) {
                   activeRuns_.insert(x.run);
                   runClock_.start();
                   Q_EMIT runStarted(x);
                 },
                 [this](const sx::inspect::OutputText& x) { Q_EMIT output(x); },
                 [this](const sx::inspect::ValuePrinted& x) { Q_EMIT valuePrinted(x); },
                 [this](const sx::inspect::RunError& x) { Q_EMIT runError(x); },
                 [this](const sx::inspect::RunFinished& x) {
                   activeRuns_.remove(x.run);
                   Q_EMIT runFinished(x);
                 },
                 [this](const sx::inspect::Performed& x) { Q_EMIT performed(x); },
                 [this](const sx::inspect::Paused& x) { Q_EMIT paused(x); },
                 [this](const sx::inspect::Resumed& x) { Q_EMIT resumed(x); },
                 [this](const sx::inspect::HandlerAnswered& x) { Q_EMIT handlerAnswered(x); },
                 [this](const sx::inspect::SourceChecked& x) { Q_EMIT sourceChecked(x); },
                 [this](const sx::inspect::FunctionsUpdated& x) { Q_EMIT functionsUpdated(x); },
                 [this](const sx::inspect::ListingReady& x) { Q_EMIT listingReady(x); },
             },
             e);
}

}  // namespace sxs
