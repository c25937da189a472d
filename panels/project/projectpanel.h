// The project panel: the project's .sx files; activating one opens it.
#pragma once

#include <QWidget>

#include "project/projectmodel.h"

class QListView;

namespace sxs {

class ProjectPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ProjectPanel(QWidget* parent = nullptr);
  ProjectModel& model() { return model_; }

 Q_SIGNALS:
  void fileActivated(const QString& path);

 private:
  ProjectModel model_;
  QListView* view_;
};

}  // namespace sxs
