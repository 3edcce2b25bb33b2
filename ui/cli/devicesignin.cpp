#include "devicesignin.h"

#include "cli/output.h"
#include "qrcode.h"

#include <latchkey/client.h>

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace latchkey::cli {

namespace {

int g_interruptPipe[2] = {-1, -1};

extern "C" void onInterrupt(int)
{
    // Only async-signal-safe work here: the event loop reads the byte and cancels.
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_interruptPipe[1], &byte, 1);
}

/// Ctrl+C cancels the sign-in (and so ends the command through signInFinished) instead of
/// killing the process in the middle of it.
void cancelOnInterrupt(Client &client)
{
    if (g_interruptPipe[0] < 0 && ::pipe2(g_interruptPipe, O_CLOEXEC) != 0)
        return; // Ctrl+C then just ends the process, as before
    auto *notifier = new QSocketNotifier(g_interruptPipe[0], QSocketNotifier::Read, &client);
    QObject::connect(notifier, &QSocketNotifier::activated, &client, [&client]() {
        char byte;
        [[maybe_unused]] const ssize_t read = ::read(g_interruptPipe[0], &byte, 1);
        client.cancel();
    });
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
}

void printCode(const DeviceCode &code, const QString &label)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const int minutes = int(std::max<qint64>(1, (now.secsTo(code.expiresAt) + 59) / 60));
    out(Cli::tr("To sign in with %1, open this address on another device (a phone or a "
                "computer):")
                .arg(label));
    out(QStringLiteral("\n  ") + code.verificationUri.toString(QUrl::FullyEncoded) +
        QStringLiteral("\n"));
    out(Cli::tr("and enter this code:"));
    out(QStringLiteral("\n  ") + code.userCode + QStringLiteral("\n"));
    // The QR code carries the code already when the provider offers the complete address.
    const QUrl scanned = code.verificationUriComplete.isEmpty() ? code.verificationUri
                                                                : code.verificationUriComplete;
    const QrCode qr = QrCode::encode(scanned.toString(QUrl::FullyEncoded));
    if (!qr.isEmpty()) {
        out(Cli::tr("Or scan this QR code:"));
        for (const QString &line : qr.toHalfBlocks())
            out(line);
    }
    // RFC 8628 §5.4: a code someone else sent is how device-code phishing works.
    out(Cli::tr("Only enter the code if you started this sign-in yourself. It expires in %n "
                "minute(s).",
                nullptr, minutes));
    out(Cli::tr("Waiting for approval… (Ctrl+C cancels)"));
}

} // namespace

void showDeviceCode(Client &client)
{
    cancelOnInterrupt(client);
    QObject::connect(&client, &Client::deviceCodeReady, &client, [&client](const DeviceCode &code) {
        const ProviderOptions *provider = client.options().provider(code.providerId);
        printCode(code, provider && !provider->label.isEmpty() ? provider->label : code.providerId);
    });
}

} // namespace latchkey::cli
