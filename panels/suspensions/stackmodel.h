// A fiber snapshot as a tree: one row per frame, innermost (the perform site) first; under
// each frame its higher-order loop state, locals and value-stack slice as "name = value"
// rows meant to span the view's width. Replaced whole when the snapshot changes.
#pragma once

#include <QAbstractItemModel>
#include <optional>
#include <vector>

#include "inspect/inspector.h"

class QTreeView;

namespace sxs {

class StackModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { Frame, Function, Tier, Location, Detail, ColumnCount };
  enum Role { FileRole = Qt::UserRole + 1, LineRole, ColumnRole, RowKindRole };
  enum class RowKind { Frame, Loop, Local, Value };

  explicit StackModel(QObject* parent = nullptr) : QAbstractItemModel(parent) {}

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& = {}) const override { return ColumnCount; }
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

  // Shows `snapshot` (copied); nullopt clears the view.
  void setSnapshot(std::optional<sx::inspect::FiberSnapshot> snapshot);
  const std::optional<sx::inspect::FiberSnapshot>& snapshot() const { return snapshot_; }
  // Expands every frame and lets its child rows span all columns.
  static void showAll(QTreeView* view);

 private:
  struct Child {
    RowKind kind;
    QString name, value;
  };
  const sx::inspect::FrameSnapshot& frameAt(int row) const;  // row 0 = innermost
  std::optional<sx::inspect::FiberSnapshot> snapshot_;
  std::vector<std::vector<Child>> children_;  // by display row
};

}  // namespace sxs
