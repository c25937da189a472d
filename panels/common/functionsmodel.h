// The functions the engine has run or compiled (FunctionsUpdated), one row each: the
// bytecode panel lists them with their tier, the JIT panel with every column. Replaced
// whole on every update.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <vector>

#include "inspect/inspector.h"

namespace sxs {

class FunctionsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Function, Tier, Calls, Bytecode, Native, Deopts, Status, ColumnCount };
  enum Role { IdRole = Qt::UserRole + 1, SortRole };

  explicit FunctionsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  void setFunctions(std::vector<sx::inspect::FunctionSummary> rows);
  const sx::inspect::FunctionSummary* function(int row) const;
  const sx::inspect::FunctionSummary* byId(uint64_t id) const;
  int rowOf(uint64_t id) const;

  // "compiled to native code", "bytecode only: <why>", "interpreted: <why>".
  static QString statusText(const sx::inspect::FunctionSummary& f);
  // "overflow 3 (slow), unsupported 1 (deopt)" or "".
  static QString countsText(const sx::inspect::FunctionSummary& f);
  static QColor tierColor(const std::string& tier);
  // Whether two summaries of a function describe the same code: its listing (bytecode,
  // native code, constants) would be the same; only calls and slow-path counts may differ.
  static bool sameCode(const sx::inspect::FunctionSummary& a, const sx::inspect::FunctionSummary& b);
  static bool sameCounts(const sx::inspect::FunctionSummary& a, const sx::inspect::FunctionSummary& b);

 private:
  std::vector<sx::inspect::FunctionSummary> rows_;
};

// What the panels show of a FunctionsModel: names containing a text, and the prelude's
// functions only when asked for (they are the engine's, not the project's).
class FunctionsFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit FunctionsFilter(FunctionsModel* source, QObject* parent = nullptr);
  void setShowPrelude(bool show);
  bool showPrelude() const { return showPrelude_; }
  void setText(const QString& text);

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

 private:
  FunctionsModel* source_;
  QString text_;
  bool showPrelude_ = false;
};

}  // namespace sxs
