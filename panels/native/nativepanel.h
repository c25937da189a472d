// The native-code panel: for the function selected in the bytecode panel, the Zydis
// listing of the JIT's real, relocated code (address, bytes, instruction) grouped by the
// bytecode instruction each range belongs to, with the function's slow-path, deopt and
// exit counts and their reasons; "not compiled: <reason>" when there is no native code.
// Selecting a group or an instruction selects its bytecode instruction and back.
#pragma once

#include <QWidget>
#include <memory>
#include <optional>

#include "native/nativemodel.h"

class QLabel;
class QSplitter;
class QTableWidget;
class QTreeView;

namespace sxs {

struct PanelLayout;

class InspectorBridge;

class NativePanel : public QWidget {
  Q_OBJECT

 public:
  explicit NativePanel(InspectorBridge& bridge, QWidget* parent = nullptr);

  NativeModel& model() { return model_; }
  QTreeView* view() const { return view_; }
  QTableWidget* countsView() const { return counts_; }
  QString headerText() const;
  std::optional<uint64_t> currentFunction() const { return current_; }
  // The bytecode offsets of the selected groups and instructions, ascending, unique.
  QList<int64_t> selectedBytecode() const;

  // Shows the function's native code when its listing arrives; asks the engine for it
  // unless it is here or someone else `requested` it already.
  void setFunction(uint64_t id, bool requested = false);
  // Selects the groups of a bytecode instruction without telling the bytecode panel.
  void selectBytecode(uint32_t offset);

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 Q_SIGNALS:
  void bytecodeSelected(uint32_t offset);

 private:
  PanelLayout layout() const;
  void onListing(const sx::inspect::ListingReady& e);
  void show(const sx::inspect::FunctionListing& l);
  void showSummary(const sx::inspect::FunctionSummary& f, const sx::inspect::FunctionListing& l);
  void onFunctions(const sx::inspect::FunctionsUpdated& e);
  void onSelection();

  InspectorBridge& bridge_;
  NativeModel model_;
  std::optional<uint64_t> current_;
  std::optional<uint64_t> shown_;
  std::shared_ptr<const sx::inspect::FunctionListing> shownListing_;  // the code shown
  sx::inspect::FunctionSummary shownSummary_;  // its latest summary (calls, counts)
  bool syncing_ = false;

  QLabel* header_;
  QTreeView* view_;
  QTableWidget* counts_;
  QSplitter* split_;
};

}  // namespace sxs
