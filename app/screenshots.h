// `sx-studio --screenshots DIR`: drives the window through a fixed script — the project
// loaded, console forms, a step-mode run performing inside map, the command palette, the
// dark theme, and with a preview project the Preview panel serving a copy of it with a
// request selected — and saves each view with QWidget::grab() as a PNG in DIR. Deterministic:
// every step waits for the engine's events, never for a fixed time alone.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QTemporaryDir;
class QTimer;

namespace sxs {

class MainWindow;

class ScreenshotRunner : public QObject {
  Q_OBJECT

 public:
  ScreenshotRunner(MainWindow& window, QString dir);
  ~ScreenshotRunner() override;
  // Adds the preview shot: a copy of `project` (its .sx files and static/) served in the
  // Preview panel, so its store is written in a temporary folder.
  void setPreviewProject(const QString& project) { previewProject_ = project; }
  void start();
  QStringList written() const { return written_; }

 Q_SIGNALS:
  void finished(bool ok, const QString& message);

 private:
  struct Step {
    QString what;
    std::function<void()> act;
    std::function<bool()> until;  // polled after act; null: done at once
  };
  void buildScript();
  void runNext();
  void poll();
  void shoot(const QString& name);
  void wait(const QString& what, std::function<bool()> until);
  void then(const QString& what, std::function<void()> act, std::function<bool()> until = {});
  void buildPreviewScript();

  MainWindow& w_;
  QString dir_;
  std::vector<Step> steps_;
  size_t next_ = 0;
  QTimer* timer_;
  qint64 stepStarted_ = 0;
  QStringList written_;
  QString failure_;
  QString previewProject_;
  std::unique_ptr<QTemporaryDir> previewCopy_;
};

}  // namespace sxs
