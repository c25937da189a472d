#include "preferencesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "settings.h"

namespace sxs {

PreferencesDialog::PreferencesDialog(Settings& settings, QWidget* parent) : QDialog(parent), settings_(settings) {
  setObjectName(QStringLiteral("preferencesDialog"));
  setWindowTitle(tr("Preferences"));
  auto* form = new QFormLayout;
  for (const PrefInfo& p : preferenceTable()) {
    QVariant v = settings_.get(p.id);
    QWidget* w;
    if (p.defaultValue.typeId() == QMetaType::Bool) {
      auto* c = new QCheckBox(this);
      c->setChecked(v.toBool());
      w = c;
    } else if (p.defaultValue.typeId() == QMetaType::Int) {
      auto* s = new QSpinBox(this);
      s->setRange(0, 1000000);
      s->setValue(v.toInt());
      w = s;
    } else if (*p.choices) {
      auto* c = new QComboBox(this);
      c->addItems(QString::fromLatin1(p.choices).split(QLatin1Char('|')));
      c->setCurrentText(v.toString());
      w = c;
    } else {
      w = new QLineEdit(v.toString(), this);
    }
    w->setObjectName(QString::fromLatin1(p.key));
    form->addRow(tr(p.label), w);
    editors_.push_back(w);
  }
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

void PreferencesDialog::accept() {
  const auto& table = preferenceTable();
  for (int i = 0; i < editors_.size(); ++i) {
    QWidget* w = editors_[i];
    QVariant v;
    if (auto* c = qobject_cast<QCheckBox*>(w))
      v = c->isChecked();
    else if (auto* s = qobject_cast<QSpinBox*>(w))
      v = s->value();
    else if (auto* c = qobject_cast<QComboBox*>(w))
      v = c->currentText();
    else if (auto* e = qobject_cast<QLineEdit*>(w))
      v = e->text();
    settings_.set(table[size_t(i)].id, v);
  }
  settings_.sync();
  QDialog::accept();
}

}  // namespace sxs
