// Light and dark palettes for the Fusion style. Qt 6.4 has no system colour-scheme API,
// so the theme follows the "appearance/theme" preference.
#pragma once

#include <QPalette>

namespace sxs {

QPalette lightPalette();
QPalette darkPalette();
// Sets the application's style to Fusion (once) and its palette.
void applyPalette(bool dark);

}  // namespace sxs
