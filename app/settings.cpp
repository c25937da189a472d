#include "settings.h"

namespace sxs {

const std::vector<PrefInfo>& preferenceTable() {
  static const std::vector<PrefInfo> table = {
#define X(e, k, d, l, c) {Pref::e, k, QVariant(d), l, c},
      SX_PREFERENCES(X)
#undef X
  };
  return table;
}

const PrefInfo& Settings::info(Pref p) { return preferenceTable()[size_t(p)]; }

const char* Settings::key(SessionKey k) {
  switch (k) {
#define X(e, key, d) \
  case SessionKey::e: return key;
    SX_SESSION_KEYS(X)
#undef X
  }
  return "";
}

Settings::Settings()
    : prefs_(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("sx-studio"), QStringLiteral("preferences"))),
      session_(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("sx-studio"), QStringLiteral("session"))) {}

QVariant Settings::get(Pref p) const {
  const PrefInfo& i = info(p);
  QVariant v = prefs_->value(QString::fromLatin1(i.key), i.defaultValue);
  return v.convert(i.defaultValue.metaType()) ? v : i.defaultValue;
}

void Settings::set(Pref p, const QVariant& v) { prefs_->setValue(QString::fromLatin1(info(p).key), v); }

QVariant Settings::get(SessionKey k) const { return session_->value(QString::fromLatin1(key(k))); }
void Settings::set(SessionKey k, const QVariant& v) { session_->setValue(QString::fromLatin1(key(k)), v); }

void Settings::clearSession() { session_->clear(); }

void Settings::sync() {
  prefs_->sync();
  session_->sync();
}

}  // namespace sxs
