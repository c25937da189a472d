// The console's rows are word-wrapped, so each has its own height, and QListView lays out
// every row again whenever rows are inserted. The delegate keeps each row's size hint (rows
// never change once appended) for the width it was computed at, so a new row costs one
// text layout however long the console is, not one per row.
#pragma once

#include <QStyledItemDelegate>
#include <vector>

class QAbstractItemModel;

namespace sxs {

class ConsoleDelegate : public QStyledItemDelegate {
 public:
  ConsoleDelegate(QAbstractItemModel* model, QObject* parent = nullptr);

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

  // How many size hints were laid out, not taken from the cache (for tests).
  int computed() const { return computed_; }

 private:
  static constexpr size_t kWidths = 4;  // widths remembered
  struct Cache {
    int width;
    std::vector<QSize> sizes;  // by row; invalid: not computed yet
  };
  mutable std::vector<Cache> caches_;
  mutable int computed_ = 0;
};

}  // namespace sxs
