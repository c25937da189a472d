// The bytecode panel: the functions the engine has run or compiled, with their tier, and
// the listing of the selected one (offset, opcode, operands, source) with its constants.
// Selecting an instruction asks for its source span in the editor and its machine code
// in the native-code panel; the editor's cursor selects the instructions compiled from
// the innermost span around it (switching to the function that contains it).
#pragma once

#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "bytecode/bytecodemodel.h"
#include "common/functionsmodel.h"
#include "common/location.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSplitter;
class QTableView;

namespace sxs {

struct PanelLayout;

class InspectorBridge;

class BytecodePanel : public QWidget {
  Q_OBJECT

 public:
  // A span's range in the editor's document: [start, end) positions, or {-1, -1}.
  using RangeOf = std::function<std::pair<int, int>(const sx::inspect::SourcePos&)>;

  explicit BytecodePanel(InspectorBridge& bridge, QWidget* parent = nullptr);

  FunctionsModel& functions() { return functions_; }
  BytecodeModel& listing() { return listing_; }
  QTableView* functionView() const { return functionView_; }
  FunctionsFilter* filter() const { return filter_; }
  QTableView* listingView() const { return listingView_; }
  QListWidget* constantsView() const { return constants_; }
  std::optional<uint64_t> currentFunction() const { return current_; }
  QString headerText() const;
  // Offsets of the selected instructions, ascending.
  QList<uint32_t> selectedOffsets() const;

  // Selects a function in the list and shows its listing when it arrives.
  void selectFunction(uint64_t id);
  // Selects the instruction at `offset` (from the native-code panel) without asking the
  // editor or the native panel to follow.
  void selectOffset(uint32_t offset);
  // The editor's cursor is at document position `pos` of `file`: selects the rows whose
  // span is the innermost one around it, switching function if another one holds it.
  // Returns the number of rows selected.
  int selectAtSource(const QString& file, int pos, const RangeOf& rangeOf);

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 Q_SIGNALS:
  void functionSelected(uint64_t id);
  // An instruction was selected here or from the editor: the native panel follows.
  void instructionSelected(uint32_t offset);
  // The user selected an instruction: show its source span (length in bytes).
  void sourceRequested(const Location& where, int lengthBytes);

 private:
  PanelLayout layout() const;
  enum class Origin { User, Source, Native };
  void onFunctions(const sx::inspect::FunctionsUpdated& e);
  void onListing(const sx::inspect::ListingReady& e);
  void onFunctionRowChanged();
  void onListingSelection();
  void showListing(const sx::inspect::FunctionListing& l);
  static QString headerFor(const sx::inspect::FunctionSummary& f, const sx::inspect::FunctionListing& l);
  void selectListingRows(const QList<int>& rows, Origin origin);
  int selectRowsAt(const QString& file, int pos, const RangeOf& rangeOf, Origin origin);

  InspectorBridge& bridge_;
  FunctionsModel functions_;
  BytecodeModel listing_;
  FunctionsFilter* filter_;
  std::optional<uint64_t> current_;
  std::optional<sx::inspect::FunctionSummary> shown_;  // the listing on screen
  std::shared_ptr<const sx::inspect::FunctionListing> shownListing_;  // its code (shown_ may be newer)
  // A cursor position to apply when the listing of the function holding it arrives.
  struct PendingSource {
    QString file;
    int pos;
    RangeOf rangeOf;
  };
  std::optional<PendingSource> pending_;
  Origin origin_ = Origin::User;

  QSplitter* split_;
  QLineEdit* filterEdit_;
  QCheckBox* preludeBox_;
  QTableView* functionView_;
  QLabel* header_;
  QTableView* listingView_;
  QListWidget* constants_;
};

// Source names compare as cleaned paths (the engine keeps the name a file was run under).
bool sameSource(const QString& a, const QString& b);

}  // namespace sxs
