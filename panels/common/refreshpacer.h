// When a panel brings its widgets up to date with the events it has taken in. Idle, a
// refresh follows the first request after `idleDelayMs` (events arriving together refresh
// once). While a run is going the widgets are left alone for its first kRunQuietMs — a
// short run ends before its panels repaint, so the GUI thread does not compete with the
// engine for the CPU — and after that refreshed at most every kRunIntervalMs. When the
// run ends the next request refreshes after `idleDelayMs` again, so the panels end up
// showing the whole run.
#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

namespace sxs {

class InspectorBridge;

class RefreshPacer : public QObject {
  Q_OBJECT

 public:
  static constexpr int kRunQuietMs = 150;
  static constexpr int kRunIntervalMs = 100;

  RefreshPacer(const InspectorBridge& bridge, int idleDelayMs, std::function<void()> refresh, QObject* parent = nullptr);

  // Asks for a refresh; requests before it happens are one refresh.
  void schedule();
  // Drops a scheduled refresh (the caller refreshed now).
  void cancel() { timer_.stop(); }
  bool pending() const { return timer_.isActive(); }

 private:
  int delayNow() const;
  void fire();

  const InspectorBridge& bridge_;
  int idleDelayMs_;
  std::function<void()> refresh_;
  QTimer timer_;
};

}  // namespace sxs
