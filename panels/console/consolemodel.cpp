#include "console/consolemodel.h"

#include <QBrush>
#include <QFont>
#include <QPalette>
#include <QGuiApplication>

namespace sxs {

namespace {

constexpr size_t kMaxEntries = 20000;  // older rows are dropped past this

QColor colorFor(ConsoleModel::Kind k, bool dark) {
  switch (k) {
    case ConsoleModel::Kind::Input: return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x56, 0xdb);
    case ConsoleModel::Kind::Value: return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x18, 0x80, 0x38);
    case ConsoleModel::Kind::Error: return dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xc5, 0x22, 0x1f);
    case ConsoleModel::Kind::Frame: return dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xa5, 0x0e, 0x0e);
    case ConsoleModel::Kind::Info: return QGuiApplication::palette().color(QPalette::PlaceholderText);
    case ConsoleModel::Kind::Output: break;
  }
  return QGuiApplication::palette().color(QPalette::Text);
}

}  // namespace

QVariant ConsoleModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Entry& e = entries_[size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole: return e.text;
    case Qt::ToolTipRole:
      return e.location.valid() ? tr("%1:%2:%3 — click to open").arg(e.location.file).arg(e.location.line).arg(e.location.column)
                                : QVariant();
    case Qt::ForegroundRole:
      return QBrush(colorFor(e.kind, QGuiApplication::palette().color(QPalette::Base).lightness() < 128));
    case Qt::FontRole: {
      if (!e.location.valid()) return {};
      QFont f;
      f.setUnderline(true);
      return f;
    }
    case KindRole: return int(e.kind);
    case FileRole: return e.location.file;
    case LineRole: return e.location.line;
    case ColumnRole: return e.location.column;
    case RunRole: return e.run;
    default: return {};
  }
}

void ConsoleModel::append(Entry e) {
  std::vector<Entry> one;
  one.push_back(std::move(e));
  append(std::move(one));
}

void ConsoleModel::append(std::vector<Entry> batch) {
  if (batch.empty()) return;
  if (batch.size() > kMaxEntries) batch.erase(batch.begin(), batch.end() - long(kMaxEntries));
  size_t overflow = entries_.size() + batch.size() > kMaxEntries ? entries_.size() + batch.size() - kMaxEntries : 0;
  if (overflow) {
    beginRemoveRows({}, 0, int(overflow) - 1);
    entries_.erase(entries_.begin(), entries_.begin() + long(overflow));
    endRemoveRows();
  }
  int first = int(entries_.size());
  beginInsertRows({}, first, first + int(batch.size()) - 1);
  for (Entry& e : batch) entries_.push_back(std::move(e));
  endInsertRows();
}

void ConsoleModel::clear() {
  beginResetModel();
  entries_.clear();
  endResetModel();
}

}  // namespace sxs
