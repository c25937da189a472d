// The bytecode listing of one function (ListingReady), a row per instruction: offset,
// opcode, operands (constants, names, jump targets rendered by the engine) and the
// source position it was compiled from. Replaced whole for every listing.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "inspect/inspector.h"

namespace sxs {

class BytecodeModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Offset, Opcode, Operands, Source, ColumnCount };
  enum Role { OffsetRole = Qt::UserRole + 1, TargetRole, HasNativeRole };

  explicit BytecodeModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(rows_.size()); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  // `native`: the bytecode offsets that have machine code of their own (shown marked).
  void setRows(std::vector<sx::inspect::BytecodeRow> rows, std::vector<uint32_t> native);
  const sx::inspect::BytecodeRow* row(int r) const;
  int rowOfOffset(uint32_t offset) const;
  const std::vector<sx::inspect::BytecodeRow>& rows() const { return rows_; }

 private:
  std::vector<sx::inspect::BytecodeRow> rows_;
  std::vector<uint32_t> native_;  // sorted
};

}  // namespace sxs
