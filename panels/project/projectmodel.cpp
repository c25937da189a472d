#include "project/projectmodel.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

namespace sxs {

namespace {

constexpr int kMaxProjectFiles = 2000;  // a folder with more .sx files is cut short

}  // namespace

QVariant ProjectModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const QString& path = files_[index.row()];
  switch (role) {
    case Qt::DisplayRole: return folder_ ? QDir(root_).relativeFilePath(path) : QFileInfo(path).fileName();
    case Qt::ToolTipRole:
    case PathRole: return path;
    default: return {};
  }
}

bool ProjectModel::open(const QString& path) {
  QFileInfo fi(path);
  QStringList files;
  if (fi.isDir()) {
    QDirIterator it(fi.absoluteFilePath(), {QStringLiteral("*.sx")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext() && files.size() < kMaxProjectFiles) files.push_back(QFileInfo(it.next()).absoluteFilePath());
    files.sort();
  } else if (fi.isFile()) {
    files.push_back(fi.absoluteFilePath());
  } else {
    return false;
  }
  beginResetModel();
  root_ = fi.absoluteFilePath();
  folder_ = fi.isDir();
  files_ = files;
  endResetModel();
  return true;
}

void ProjectModel::close() {
  beginResetModel();
  root_.clear();
  folder_ = false;
  files_.clear();
  endResetModel();
}

}  // namespace sxs
