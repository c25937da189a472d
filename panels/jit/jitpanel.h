// The JIT panel: per function the calls, tier, whether it was compiled (to bytecode, to
// native code) or why not, deopts with their reasons and the native size, sortable; and
// the jit-exclude! patterns, editable: applying them sends matching functions back to
// the CEK and lets the others be compiled again.
#pragma once

#include <QWidget>
#include <optional>

#include "common/functionsmodel.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSplitter;
class QTableView;

namespace sxs {

struct PanelLayout;

class InspectorBridge;

class JitPanel : public QWidget {
  Q_OBJECT

 public:
  explicit JitPanel(InspectorBridge& bridge, QWidget* parent = nullptr);

  FunctionsModel& functions() { return functions_; }
  QTableView* view() const { return view_; }
  QListWidget* patternsView() const { return patterns_; }
  QString summaryText() const;
  QString detailText() const;
  // The patterns as edited (not yet applied, perhaps), and as the engine has them.
  QStringList editedPatterns() const;
  QStringList enginePatterns() const { return enginePatterns_; }

  void selectFunction(uint64_t id);

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 public Q_SLOTS:
  void addPattern(const QString& pattern);
  void removeSelectedPatterns();
  // Sends the edited patterns to the engine.
  void applyPatterns();

 Q_SIGNALS:
  void functionSelected(uint64_t id);

 private:
  PanelLayout layout() const;
  void onFunctions(const sx::inspect::FunctionsUpdated& e);
  void onCurrentChanged();
  void showDetail(const sx::inspect::FunctionSummary* f);
  void setPatterns(const QStringList& patterns);
  void updateButtons();

  InspectorBridge& bridge_;
  FunctionsModel functions_;
  FunctionsFilter* sorted_;
  QStringList enginePatterns_;
  std::optional<uint64_t> current_;
  bool syncing_ = false;

  QLabel* summary_;
  QCheckBox* preludeBox_;
  QTableView* view_;
  QLabel* detail_;
  QListWidget* patterns_;
  QPushButton* add_;
  QPushButton* remove_;
  QPushButton* apply_;
  QSplitter* split_;
};

}  // namespace sxs
