#include "console/consoledelegate.h"

#include <QAbstractItemModel>
#include <algorithm>

namespace sxs {

ConsoleDelegate::ConsoleDelegate(QAbstractItemModel* model, QObject* parent) : QStyledItemDelegate(parent) {
  connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    for (Cache& c : caches_)
      if (size_t(first) <= c.sizes.size()) c.sizes.insert(c.sizes.begin() + first, size_t(last - first + 1), QSize());
  });
  connect(model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    for (Cache& c : caches_) {
      size_t end = std::min(c.sizes.size(), size_t(last) + 1);
      if (size_t(first) < end) c.sizes.erase(c.sizes.begin() + first, c.sizes.begin() + long(end));
    }
  });
  connect(model, &QAbstractItemModel::modelReset, this, [this] { caches_.clear(); });
  connect(model, &QAbstractItemModel::layoutChanged, this, [this] { caches_.clear(); });
  connect(model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
    for (Cache& c : caches_)
      for (int r = from.row(); r <= to.row() && size_t(r) < c.sizes.size(); ++r) c.sizes[size_t(r)] = QSize();
  });
}

QSize ConsoleDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
  // The view asks at more than one width (with and without its scroll bar, and others);
  // each keeps its own sizes, the most recently used first.
  int width = option.rect.width();
  auto it = std::find_if(caches_.begin(), caches_.end(), [&](const Cache& c) { return c.width == width; });
  if (it == caches_.end()) {
    if (caches_.size() >= kWidths) caches_.pop_back();
    caches_.insert(caches_.begin(), Cache{width, {}});
  } else if (it != caches_.begin()) {
    std::rotate(caches_.begin(), it, it + 1);
  }
  std::vector<QSize>& sizes = caches_.front().sizes;
  size_t row = size_t(index.row());
  if (row < sizes.size() && sizes[row].isValid()) return sizes[row];
  QSize size = QStyledItemDelegate::sizeHint(option, index);
  ++computed_;
  if (row >= sizes.size()) sizes.resize(row + 1);
  sizes[row] = size;
  return size;
}

}  // namespace sxs
