#pragma once

#include <QString>

namespace latchkey::bench {

/// The email scenario of bench_signin: the real MainWindow, the real SmtpMailer (STARTTLS with the
/// harness CA, AUTH) against the SMTP sink, the real keyring and a fresh SQLite file per run.
///
///   click "Send" ─► sent() ─► "Check your email" painted        (send spans)
///   Mailer::send ─► callback                                      (the mailer alone)
///   GET link ─► request at listener ─► linkOpened() ─► SignedIn ─► Dashboard current ─► painted
///
/// Each run prints its spans as `latchkey-bench: email <run> <metric> <ms>` lines.
class EmailBench
{
public:
    /// `sourceDir` holds tests/e2e/mailtool.py (reads the link out of the sink's message).
    explicit EmailBench(QString sourceDir) : m_sourceDir(std::move(sourceDir)) { }

    /// One sign-in; prints its spans when `run` > 0 (0 is the warm-up, not printed).
    void runOnce(int run);

private:
    QString m_sourceDir;
};

} // namespace latchkey::bench
