#include "project/projectpanel.h"

#include <QListView>
#include <QVBoxLayout>

namespace sxs {

ProjectPanel::ProjectPanel(QWidget* parent) : QWidget(parent), view_(new QListView(this)) {
  setObjectName(QStringLiteral("projectPanel"));
  view_->setObjectName(QStringLiteral("projectView"));
  view_->setModel(&model_);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(view_);
  connect(view_, &QListView::activated, this,
          [this](const QModelIndex& i) { Q_EMIT fileActivated(model_.data(i, ProjectModel::PathRole).toString()); });
}

}  // namespace sxs
