// Preferences, one editor per entry of the preference table (settings.h): a check box
// for a flag, a spin box for a number, a choice list for a string with fixed choices.
#pragma once

#include <QDialog>
#include <QList>

namespace sxs {

class Settings;

class PreferencesDialog : public QDialog {
  Q_OBJECT

 public:
  PreferencesDialog(Settings& settings, QWidget* parent = nullptr);
  void accept() override;

 private:
  Settings& settings_;
  QList<QWidget*> editors_;  // by preference index
};

}  // namespace sxs
