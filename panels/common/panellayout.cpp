#include "common/panellayout.h"

#include <QDataStream>
#include <QHeaderView>
#include <QIODevice>
#include <QSplitter>

namespace sxs {

QByteArray PanelLayout::save() const {
  QByteArray out;
  QDataStream ds(&out, QIODevice::WriteOnly);
  ds << version;
  for (QSplitter* s : splitters) ds << s->saveState();
  for (QHeaderView* h : headers) ds << h->saveState();
  return out;
}

void PanelLayout::restore(const QByteArray& state) const {
  QDataStream ds(state);
  quint32 v = 0;
  ds >> v;
  QList<QByteArray> parts;
  for (qsizetype i = 0; i < splitters.size() + headers.size(); ++i) {
    QByteArray part;
    ds >> part;
    parts << part;
  }
  if (ds.status() != QDataStream::Ok || v != version) return;
  for (qsizetype i = 0; i < splitters.size(); ++i) splitters[i]->restoreState(parts[i]);
  for (qsizetype i = 0; i < headers.size(); ++i) headers[i]->restoreState(parts[splitters.size() + i]);
}

}  // namespace sxs
