// The native code of one function as a two-level tree: a group per native range (the
// machine code of one bytecode instruction, the prologue, an exit stub or slow path),
// and under it the Zydis lines of the relocated code (address, bytes, instruction).
// Replaced whole for every listing.
#pragma once

#include <QAbstractItemModel>
#include <vector>

#include "inspect/inspector.h"

namespace sxs {

class NativeModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { Address, Bytes, Instruction, ColumnCount };
  // BytecodeRole: the group's bytecode offset (-1: none); GroupRole: true on groups.
  enum Role { BytecodeRole = Qt::UserRole + 1, GroupRole };

  explicit NativeModel(QObject* parent = nullptr) : QAbstractItemModel(parent) {}

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  void setGroups(std::vector<sx::inspect::NativeGroup> groups);
  const std::vector<sx::inspect::NativeGroup>& groups() const { return groups_; }
  // The in-line group of a bytecode instruction (its own machine code), or an invalid index.
  QModelIndex groupOf(uint32_t bytecodeOffset) const;
  // Every group of a bytecode instruction: its own code, then its out-of-line code.
  QList<QModelIndex> groupsOf(uint32_t bytecodeOffset) const;
  int instructionCount() const;

 private:
  std::vector<sx::inspect::NativeGroup> groups_;
};

}  // namespace sxs
