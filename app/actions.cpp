#include "actions.h"

namespace sxs {

namespace {

struct ActionDef {
  const char* id;
  const char* label;
  const char* keys;
};

const ActionDef kActions[] = {
#define X(e, id, label, keys) {id, label, keys},
    SX_ACTIONS(X)
#undef X
};

}  // namespace

ActionRegistry::ActionRegistry(QObject* owner) {
  for (const ActionDef& d : kActions) {
    auto* a = new QAction(QString::fromUtf8(d.label), owner);
    if (*d.keys) a->setShortcut(QKeySequence(QString::fromLatin1(d.keys)));
    a->setShortcutContext(Qt::ApplicationShortcut);
    byEnum_.push_back(a);
    add(QString::fromLatin1(d.id), a);
  }
}

void ActionRegistry::add(const QString& id, QAction* action) {
  action->setObjectName(id);
  ordered_.push_back(action);
  byId_.insert(id, action);
}

}  // namespace sxs
