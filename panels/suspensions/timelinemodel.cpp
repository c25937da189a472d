#include "suspensions/timelinemodel.h"

#include <QBrush>
#include <QColor>

#include "common/inspectorbridge.h"

namespace sxs {

namespace {

QString answerText(const TimelineEntry& e) {
  if (e.paused) return TimelineModel::tr("paused");
  if (!e.resumed) return QString();
  if (e.resumed->value) return qs(*e.resumed->value);
  if (e.answer) return qs(*e.answer);
  if (e.resumed->how == sx::inspect::ResumeChoice::Resolver) return TimelineModel::tr("(handler running)");
  return QString();
}

}  // namespace

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  const TimelineEntry* e = entry(index.row());
  if (!e) return {};
  const sx::inspect::Performed& p = e->performed;
  if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
    switch (Column(index.column())) {
      case Index: return QVariant::fromValue(p.perform);
      case Op: return qs(p.op);
      case Request: return qs(p.request);
      case Mode: return QString::fromLatin1(sx::resolverModeName(p.mode));
      case Resolver: return QString::fromLatin1(sx::inspect::resolverName(p.resolver));
      case Suspended:
        return e->resumed ? QStringLiteral("%1 ms").arg(e->resumed->suspendedMs, 0, 'f', 3) : QVariant();
      case Answer: return answerText(*e);
      case How: return e->resumed ? QString::fromLatin1(sx::inspect::resumeChoiceName(e->resumed->how)) : QVariant();
      case Check:
        if (!e->resumed || !e->resumed->check.made) return {};
        if (role == Qt::ToolTipRole) return qs(e->resumed->check.describe());
        return e->resumed->check.agrees ? tr("✔ agrees") : tr("✘ differs");
      case ColumnCount: break;
    }
    return {};
  }
  if (role == Qt::ForegroundRole && index.column() == Check && e->resumed && e->resumed->check.made)
    return QBrush(e->resumed->check.agrees ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
  if (role == Qt::BackgroundRole && e->paused) return QBrush(QColor(255, 193, 7, 90));
  if (role == PerformRole) return QVariant::fromValue(p.perform);
  if (role == PausedRole) return e->paused;
  if (role == AgreesRole) return e->resumed ? QVariant(e->resumed->check.agrees) : QVariant();
  return {};
}

QVariant TimelineModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (Column(section)) {
    case Index: return tr("#");
    case Op: return tr("Op");
    case Request: return tr("Request");
    case Mode: return tr("Mode");
    case Resolver: return tr("Resolver");
    case Suspended: return tr("Suspended");
    case Answer: return tr("Resume value");
    case How: return tr("Resumed by");
    case Check: return tr("Stack check");
    case ColumnCount: break;
  }
  return {};
}

void TimelineModel::reset(const std::vector<TimelineEntry>* source) {
  beginResetModel();
  source_ = source;
  shown_ = source ? source->size() : 0;
  endResetModel();
}

void TimelineModel::update(size_t firstChanged) {
  size_t size = source_ ? source_->size() : 0;
  if (size < shown_) {  // not appended to: shown whole again
    reset(source_);
    return;
  }
  if (firstChanged < shown_) Q_EMIT dataChanged(index(int(firstChanged), 0), index(int(shown_) - 1, ColumnCount - 1));
  if (size > shown_) {
    beginInsertRows({}, int(shown_), int(size) - 1);
    shown_ = size;
    endInsertRows();
  }
}

const TimelineEntry* TimelineModel::entry(int row) const {
  return row >= 0 && size_t(row) < shown_ && source_ && size_t(row) < source_->size() ? &(*source_)[size_t(row)] : nullptr;
}

int TimelineModel::rowOf(uint64_t perform) const {
  for (int i = 0; i < rowCount(); ++i)
    if (const TimelineEntry* e = entry(i); e && e->performed.perform == perform) return i;
  return -1;
}

}  // namespace sxs
