// The suspensions panel: the timeline of every perform and resume of the current run
// (op, request, resolver mode, time suspended, resume value); for the selected one, the
// fiber's stack at the perform and at the resume side by side, and whether the frames
// below the perform agree. In step mode it holds the controls that answer a paused
// perform: the resolver's answer, an edited value, or abort.
#pragma once

#include <QHash>
#include <QWidget>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "common/location.h"
#include "inspect/inspector.h"
#include "suspensions/stackmodel.h"
#include "suspensions/timelinemodel.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QTableView;
class QTreeView;

namespace sxs {

struct PanelLayout;

class InspectorBridge;
class RefreshPacer;

class SuspensionsPanel : public QWidget {
  Q_OBJECT

 public:
  SuspensionsPanel(InspectorBridge& bridge, QWidget* parent = nullptr);

  TimelineModel& timeline() { return timeline_; }
  StackModel& performStack() { return atPerform_; }
  StackModel& resumeStack() { return atResume_; }
  QTableView* timelineView() const { return table_; }
  // The perform waiting for an answer (step mode), if any.
  std::optional<uint64_t> pausedPerform() const { return paused_; }
  void selectPerform(uint64_t perform);
  QString checkText() const;
  QString statusText() const;
  // Answers a paused perform of a timeline shown with showTimeline.
  using Resumer = std::function<void(uint64_t perform, const sx::inspect::Resume& how)>;
  // Shows a timeline that is not a console run's (a preview request's performs) under
  // `title`; the next console run replaces it. An entry marked paused shows the step
  // controls, which answer it through `resumer`. Refused (false) while a console run is
  // paused, so its controls stay in view.
  bool showTimeline(const QString& title, std::vector<TimelineEntry> entries, Resumer resumer = {});

  // Panel state kept in the session (splitter sizes, column widths).
  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 public Q_SLOTS:
  void resumeWithResolver();
  void resumeWithValue(const QString& text);
  void abortRun();

 Q_SIGNALS:
  void openLocation(const Location& where);
  void pausedChanged(bool paused);

 private:
  PanelLayout layout() const;
  void onRunStarted(const sx::inspect::RunStarted& e);
  void onPerformed(const sx::inspect::Performed& e);
  void onPaused(const sx::inspect::Paused& e);
  void onResumed(const sx::inspect::Resumed& e);
  void onAnswered(const sx::inspect::HandlerAnswered& e);
  void onFinished(const sx::inspect::RunFinished& e);
  void scheduleRefresh();
  void refresh();
  void showSelected();
  void setPaused(std::optional<uint64_t> perform);
  void answer(const sx::inspect::Resume& how);
  TimelineEntry* find(uint64_t perform);
  const TimelineEntry* find(uint64_t perform) const;
  void entryChanged(const TimelineEntry* e);

  InspectorBridge& bridge_;
  TimelineModel timeline_;
  StackModel atPerform_, atResume_;
  std::vector<TimelineEntry> entries_;
  QHash<uint64_t, size_t> byPerform_;
  uint64_t currentRun_ = 0;
  sx::ResolverMode currentMode_ = sx::ResolverMode::Inline;
  std::optional<uint64_t> paused_;
  std::optional<uint64_t> selected_;
  bool external_ = false;  // the timeline is from showTimeline, not a console run
  Resumer resumer_;        // where its paused perform's answer goes

  QSplitter* split_;
  QSplitter* stacks_;
  QTableView* table_;
  QTreeView* performTree_;
  QTreeView* resumeTree_;
  QLabel* performTitle_;
  QLabel* resumeTitle_;
  QLabel* check_;
  QLabel* status_;
  QWidget* stepBar_;
  QLabel* stepLabel_;
  QLineEdit* valueEdit_;
  QPushButton* resolverButton_;
  QPushButton* valueButton_;
  QPushButton* abortButton_;
  bool timelineChanged_ = false;  // entries_ differ from what the views show
  bool timelineReset_ = false;    // a new timeline: the next refresh shows it whole
  size_t firstChanged_ = SIZE_MAX;  // the first entry shown that changed since the refresh
  // The previous timeline's entries, which the views show until the next refresh (a run's
  // start leaves the widgets alone).
  std::vector<TimelineEntry> oldEntries_;
  QString deferredStatus_;  // the status line the next refresh shows
  RefreshPacer* pacer_;
};

}  // namespace sxs
