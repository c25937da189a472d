// The console: evaluates forms in the project's isolate (the engine the files were
// loaded into), keeps a history (Up/Down), and shows printed output, values and errors,
// with error locations and stack frames that open the source when clicked.
#pragma once

#include <QHash>
#include <QPlainTextEdit>
#include <QStringList>
#include <QWidget>

#include "common/location.h"
#include "console/consolemodel.h"
#include "inspect/inspector.h"

class QListView;
class QPushButton;

namespace sxs {

class InspectorBridge;

// The input line: Enter submits when the forms are complete (else a new line),
// Shift+Enter always adds a line, Up/Down walk the history at the first/last line.
class ConsoleInput : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit ConsoleInput(QWidget* parent = nullptr);
  QStringList history() const { return history_; }
  void setHistory(QStringList h);
  void addToHistory(const QString& text);

 Q_SIGNALS:
  void submitted(const QString& text);

 protected:
  void keyPressEvent(QKeyEvent* e) override;

 private:
  void showHistory(int index);
  QStringList history_;
  int historyIndex_ = 0;  // == history_.size(): the line being written
  QString draft_;
};

class ConsolePanel : public QWidget {
  Q_OBJECT

 public:
  ConsolePanel(InspectorBridge& bridge, QWidget* parent = nullptr);

  // Evaluates `text` as console input; returns the run id.
  uint64_t evaluate(const QString& text);
  ConsoleModel& model() { return model_; }
  ConsoleInput* input() const { return input_; }
  QListView* view() const { return view_; }
  const class ConsoleDelegate* delegate() const { return delegate_; }

 Q_SIGNALS:
  void openLocation(const Location& where);

 private:
  void onRunStarted(const sx::inspect::RunStarted& e);
  void onOutput(const sx::inspect::OutputText& e);
  void onValue(const sx::inspect::ValuePrinted& e);
  void onError(const sx::inspect::RunError& e);
  void onFinished(const sx::inspect::RunFinished& e);
  void flushOutput(quint64 run);
  // Rows wait here for a moment so a burst of output is inserted (and laid out) once.
  void add(ConsoleModel::Entry e);
  void flushRows();

  InspectorBridge& bridge_;
  ConsoleModel model_;
  QListView* view_;
  class ConsoleDelegate* delegate_;
  ConsoleInput* input_;
  QPushButton* stop_;
  QHash<quint64, bool> consoleRuns_;     // runs started here (others get a header row)
  QHash<quint64, QString> partialLine_;  // output not ended by a newline yet
  std::vector<ConsoleModel::Entry> pendingRows_;
  class RefreshPacer* rowPacer_;
  int inputs_ = 0;
};

}  // namespace sxs
