#include "common/refreshpacer.h"

#include <algorithm>

#include "common/inspectorbridge.h"

namespace sxs {

RefreshPacer::RefreshPacer(const InspectorBridge& bridge, int idleDelayMs, std::function<void()> refresh, QObject* parent)
    : QObject(parent), bridge_(bridge), idleDelayMs_(idleDelayMs), refresh_(std::move(refresh)) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &RefreshPacer::fire);
  // What waited for a run's pace is shown as soon as the run ends.
  connect(&bridge_, &InspectorBridge::runFinished, this, [this] {
    if (timer_.isActive()) schedule();
  });
}

int RefreshPacer::delayNow() const {
  if (!bridge_.running()) return idleDelayMs_;
  return std::max(kRunQuietMs - int(bridge_.runElapsedMs()), std::max(kRunIntervalMs, idleDelayMs_));
}

// A refresh due sooner than it would be now stays; one due later (a run has ended) is
// brought forward.
void RefreshPacer::schedule() {
  int delay = delayNow();
  if (!timer_.isActive() || timer_.remainingTime() > delay) timer_.start(delay);
}

// A refresh asked for before a run started waits out the run's quiet start too.
void RefreshPacer::fire() {
  if (bridge_.running() && bridge_.runElapsedMs() < kRunQuietMs) {
    timer_.start(kRunQuietMs - int(bridge_.runElapsedMs()));
    return;
  }
  refresh_();
}

}  // namespace sxs
