#include "commandpalette.h"

#include <QAction>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace sxs {

QVariant CommandModel::data(const QModelIndex& index, int role) const {
  QAction* a = action(index.row());
  if (!a) return {};
  QString label = a->text().remove(QLatin1Char('&'));
  switch (role) {
    case Qt::DisplayRole: {
      QString keys = a->shortcut().toString(QKeySequence::NativeText);
      return QStringLiteral("%1    %2%3").arg(label, a->objectName(), keys.isEmpty() ? QString() : QStringLiteral("    ") + keys);
    }
    case Qt::ToolTipRole: return a->toolTip();
    case IdRole: return a->objectName();
    case ShortcutRole: return a->shortcut().toString();
    case SearchRole: return label + QLatin1Char(' ') + a->objectName();
    default: return {};
  }
}

void CommandModel::setActions(QList<QAction*> actions) {
  beginResetModel();
  actions_.clear();
  for (QAction* a : actions)
    if (a->isEnabled() || a->isCheckable()) actions_.push_back(a);
  endResetModel();
}

CommandPalette::CommandPalette(QWidget* parent)
    : QFrame(parent), proxy_(new QSortFilterProxyModel(this)), edit_(new QLineEdit(this)), list_(new QListView(this)) {
  setObjectName(QStringLiteral("commandPalette"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  edit_->setObjectName(QStringLiteral("commandPaletteFilter"));
  edit_->setPlaceholderText(tr("Type a command or its id…"));
  proxy_->setSourceModel(&model_);
  proxy_->setFilterRole(CommandModel::SearchRole);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  list_->setObjectName(QStringLiteral("commandPaletteList"));
  list_->setModel(proxy_);
  list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(edit_);
  layout->addWidget(list_);
  connect(edit_, &QLineEdit::textChanged, this, &CommandPalette::setFilter);
  connect(edit_, &QLineEdit::returnPressed, this, &CommandPalette::runSelected);
  connect(list_, &QListView::activated, this, [this] { runSelected(); });
  edit_->installEventFilter(this);
  parent->installEventFilter(this);
  hide();
}

void CommandPalette::place() {
  QWidget* p = parentWidget();
  int w = qMin(640, p->width() - 40);
  setGeometry((p->width() - w) / 2, 40, w, qMin(420, p->height() - 80));
}

void CommandPalette::popup(const QList<QAction*>& actions) {
  model_.setActions(actions);
  edit_->clear();
  setFilter(QString());
  place();
  show();
  raise();
  edit_->setFocus();
}

void CommandPalette::setFilter(const QString& text) {
  if (edit_->text() != text) edit_->setText(text);
  // Every word must appear, in any order.
  QString pattern;
  for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
    pattern += QStringLiteral("(?=.*%1)").arg(QRegularExpression::escape(word));
  proxy_->setFilterRegularExpression(QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption));
  if (proxy_->rowCount() > 0) list_->setCurrentIndex(proxy_->index(0, 0));
}

int CommandPalette::visibleCount() const { return proxy_->rowCount(); }

QString CommandPalette::idAt(int row) const { return proxy_->index(row, 0).data(CommandModel::IdRole).toString(); }

bool CommandPalette::runSelected() {
  QModelIndex i = list_->currentIndex().isValid() ? list_->currentIndex() : proxy_->index(0, 0);
  if (!i.isValid()) return false;
  QAction* a = model_.action(proxy_->mapToSource(i).row());
  hide();
  if (!a) return false;
  a->trigger();
  return true;
}

bool CommandPalette::eventFilter(QObject* watched, QEvent* e) {
  if (watched == parentWidget() && e->type() == QEvent::Resize && isVisible()) place();
  if (watched == edit_ && e->type() == QEvent::KeyPress) {
    auto* k = static_cast<QKeyEvent*>(e);
    if (k->key() == Qt::Key_Escape) {
      hide();
      return true;
    }
    if (k->key() == Qt::Key_Down || k->key() == Qt::Key_Up) {
      int row = list_->currentIndex().row() + (k->key() == Qt::Key_Down ? 1 : -1);
      if (row >= 0 && row < proxy_->rowCount()) list_->setCurrentIndex(proxy_->index(row, 0));
      return true;
    }
  }
  return QFrame::eventFilter(watched, e);
}

}  // namespace sxs
