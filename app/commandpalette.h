// The command palette (Ctrl+Shift+P): every registered action by label and dotted id,
// filtered as you type; Enter runs the selected one. It is a frame inside the main
// window (so a window grab shows it), not a separate top-level window.
#pragma once

#include <QAbstractListModel>
#include <QFrame>
#include <QList>
#include <QPointer>

class QAction;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;

namespace sxs {

class CommandModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Column { Label, ColumnCount };
  enum Role { IdRole = Qt::UserRole + 1, ShortcutRole, SearchRole };

  explicit CommandModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}
  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(actions_.size()); }
  QVariant data(const QModelIndex& index, int role) const override;
  void setActions(QList<QAction*> actions);
  QAction* action(int row) const { return actions_.value(row); }

 private:
  QList<QPointer<QAction>> actions_;
};

class CommandPalette : public QFrame {
  Q_OBJECT

 public:
  explicit CommandPalette(QWidget* parent);

  // Shows the palette over its parent with the given actions, filter empty.
  void popup(const QList<QAction*>& actions);
  void setFilter(const QString& text);
  int visibleCount() const;
  QString idAt(int row) const;
  // Runs the selected (or first) visible command and hides the palette.
  bool runSelected();

 protected:
  bool eventFilter(QObject* watched, QEvent* e) override;

 private:
  void place();
  CommandModel model_;
  QSortFilterProxyModel* proxy_;
  QLineEdit* edit_;
  QListView* list_;
};

}  // namespace sxs
