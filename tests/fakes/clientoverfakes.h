#pragma once

// latchkey::Client over the fakes (clock, keychain, mailer) and a real SQLite file: for the tests
// of the Client and of the windows on top of it.

#include "auth/clientadapters.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "mail/mailmessage.h"

#include <latchkey/client.h>

#include <QRegularExpression>

#include <memory>

namespace latchkey::test {

/// The fakes a Client was built with (the Client owns them).
struct Fakes
{
    FakeClock *clock = nullptr;
    FakeSecretStore *keychain = nullptr;
    FakeMailer *mailer = nullptr; ///< null when the client writes to a real outbox
};

/// A Client over a fake clock, keychain and mailer; with `realOutbox`, the options' outbox
/// folder takes the mail instead of a fake mailer. `fakes` points at what it was given.
inline std::unique_ptr<Client> clientOverFakes(const Options &options, Fakes &fakes,
                                               bool realOutbox = false)
{
    auto adapters = std::make_unique<ClientAdapters>();
    auto clock = std::make_unique<FakeClock>();
    auto keychain = std::make_unique<FakeSecretStore>();
    fakes.clock = clock.get();
    fakes.keychain = keychain.get();
    fakes.mailer = nullptr;
    adapters->clock = std::move(clock);
    adapters->keychain = std::move(keychain);
    if (!realOutbox) {
        auto mailer = std::make_unique<FakeMailer>();
        fakes.mailer = mailer.get();
        adapters->mailer = std::move(mailer);
    }
    return std::make_unique<Client>(options, std::move(adapters));
}

/// The 6-digit code in a sign-in email.
inline QString codeIn(const MailMessage &message)
{
    static const QRegularExpression kCode(QStringLiteral("\\b(\\d{6})\\b"));
    return kCode.match(message.textBody).captured(1);
}

} // namespace latchkey::test
