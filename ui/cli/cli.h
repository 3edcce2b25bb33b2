#pragma once

class QCoreApplication;

namespace latchkey::cli {

/// Runs one command (status, session, data, signin, signout) without a window and returns the
/// process exit code (app::ExitCode; documented in the README).
int run(QCoreApplication &app);

} // namespace latchkey::cli
