// The project: a folder and its .sx files (sorted by path, the order they are run in),
// or a single file.
#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace sxs {

class ProjectModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Column { Name, ColumnCount };
  enum Role { PathRole = Qt::UserRole + 1 };

  explicit ProjectModel(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(files_.size()); }
  QVariant data(const QModelIndex& index, int role) const override;

  // Opens a folder (its .sx files, recursively) or one file; false when it is neither.
  bool open(const QString& path);
  void close();
  QString root() const { return root_; }
  bool isFolder() const { return folder_; }
  QStringList files() const { return files_; }

 private:
  QString root_;
  bool folder_ = false;
  QStringList files_;
};

}  // namespace sxs
