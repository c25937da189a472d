// A panel's layout as the session keeps it: a version, then the state of each splitter
// and each header, in order. A state of another version, or a damaged one, restores
// nothing, so a changed panel starts from its defaults.
#pragma once

#include <QByteArray>
#include <QList>

class QHeaderView;
class QSplitter;

namespace sxs {

struct PanelLayout {
  quint32 version = 1;
  QList<QSplitter*> splitters;
  QList<QHeaderView*> headers;

  QByteArray save() const;
  void restore(const QByteArray& state) const;
};

}  // namespace sxs
