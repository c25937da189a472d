// Events handed from an engine or server thread to the GUI thread in batches: the first
// event of a batch queues one call on the GUI thread, and that call delivers every event
// that has arrived by then, in order. A run that records thousands of performs wakes the
// GUI thread once per batch instead of posting a Qt event for each.
#pragma once

#include <QMetaObject>
#include <QObject>
#include <mutex>
#include <vector>

namespace sxs {

template <class E>
class EventBatches {
 public:
  // Any thread. `deliver(const E&)` runs on `receiver`'s thread, and not after `receiver`
  // is destroyed (Qt drops queued calls to a dead receiver).
  template <class Deliver>
  void push(QObject* receiver, E&& e, Deliver deliver) {
    bool first;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      first = pending_.empty();
      pending_.push_back(std::move(e));
    }
    if (first) QMetaObject::invokeMethod(receiver, [this, deliver] { drain(deliver); }, Qt::QueuedConnection);
  }

 private:
  std::vector<E> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<E> out;
    out.swap(pending_);
    return out;
  }

  // Receiver's thread. A delivery that enters a nested event loop leaves what arrives
  // meanwhile to this loop, so events are never delivered out of order.
  template <class Deliver>
  void drain(const Deliver& deliver) {
    if (draining_) return;
    draining_ = true;
    for (std::vector<E> batch = take(); !batch.empty(); batch = take())
      for (const E& e : batch) deliver(e);
    draining_ = false;
  }

  std::mutex mutex_;
  std::vector<E> pending_;
  bool draining_ = false;  // receiver's thread only
};

}  // namespace sxs
