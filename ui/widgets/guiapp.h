#pragma once

class QApplication;

namespace latchkey::gui {

/// Runs the sign-in window: configuration (exit 2 with a message naming the key on error),
/// then "Loading…", then the sign-in window or the last view.
int run(QApplication &app);

} // namespace latchkey::gui
