#include "outboxmailer.h"

#include "core/logging.h"
#include "core/random.h"
#include "mail/mailheaders.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QThread>
#include <QTimer>

namespace latchkey {

namespace {

constexpr QFile::Permissions kOwnerOnlyDir = QFile::ReadOwner | QFile::WriteOwner |
        QFile::ExeOwner | QFile::ReadUser | QFile::WriteUser | QFile::ExeUser;
constexpr QFile::Permissions kOwnerOnlyFile =
        QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;

QByteArray textPartHeaders(const char *type)
{
    return QByteArray("Content-Type: ") + type +
            "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
}

// RFC 5322 headers + RFC 2045/2046 MIME: text/plain alone, or multipart/alternative with the
// plain part first and the HTML part last (RFC 2046 §5.1.4).
QByteArray compose(const PreparedMail &mail)
{
    QByteArray out;
    for (const QByteArray &header : mail.headers)
        out += header + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    const QByteArray text = mailheaders::quotedPrintable(mail.textBody) + "\r\n";
    if (mail.htmlBody.isEmpty())
        return out + textPartHeaders("text/plain") + text;

    // "=_" never occurs in quoted-printable data, so the boundary cannot (RFC 2046 §5.1.1).
    const QByteArray boundary = "=_latchkey_" + random::base64Url(18).toLatin1();
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + textPartHeaders("text/plain") + text;
    out += "--" + boundary + "\r\n" + textPartHeaders("text/html") +
            mailheaders::quotedPrintable(mail.htmlBody) + "\r\n";
    out += "--" + boundary + "--\r\n";
    return out;
}

Error outboxError(const QString &directory, const QString &why)
{
    return Error::make(ErrorKind::Mail, ErrorCode::MailFailed,
                       QStringLiteral("Could not write the email to the developer outbox \"%1\": "
                                      "%2. Make the folder writable, or set EMAIL_SERVER to send "
                                      "real email.")
                               .arg(QDir::toNativeSeparators(directory), why));
}

} // namespace

OutboxMailer::OutboxMailer(QString directory, QObject *parent)
    : Mailer(parent), m_directory(QDir::cleanPath(QDir(directory).absolutePath()))
{ }

void OutboxMailer::send(const MailMessage &message, QObject *context, DoneCallback callback)
{
    Q_ASSERT(context);
    Q_ASSERT(context->thread() == QThread::currentThread());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Status status;
    if (auto prepared = message.prepare(now); !prepared) {
        status = prepared.error();
    } else if (auto path = write(compose(prepared.value()), now); !path) {
        status = path.error();
    } else {
        m_latestPath = path.value();
        // The path only: the body holds the sign-in link and code (docs/security.md: never log
        // them).
        qCInfo(lcMail).noquote() << "Email written to the developer outbox:"
                                 << QDir::toNativeSeparators(m_latestPath);
        QTimer::singleShot(0, this,
                           [this, written = m_latestPath] { emit messageWritten(written); });
    }
    if (!status)
        qCWarning(lcMail).noquote() << "Email not written:" << status.error().message;
    QTimer::singleShot(0, context, [callback = std::move(callback), status] { callback(status); });
}

QString OutboxMailer::describe() const
{
    return QStringLiteral("developer outbox ") + QDir::toNativeSeparators(m_directory);
}

QString OutboxMailer::latestMessagePath() const
{
    if (!m_latestPath.isEmpty() && QFileInfo::exists(m_latestPath))
        return m_latestPath;
    // Newest by time, then by the sequence number in "<stamp>-<n>.eml" (two messages can share a
    // modification time).
    const auto key = [](const QFileInfo &info) {
        return std::pair(info.lastModified().toMSecsSinceEpoch(),
                         info.completeBaseName().section(u'-', -1).toLongLong());
    };
    const QFileInfoList messages =
            QDir(m_directory).entryInfoList({QStringLiteral("*.eml")}, QDir::Files);
    const auto newest = std::max_element(
            messages.cbegin(), messages.cend(),
            [&key](const QFileInfo &a, const QFileInfo &b) { return key(a) < key(b); });
    return newest == messages.cend() ? QString() : newest->absoluteFilePath();
}

Result<QString> OutboxMailer::write(const QByteArray &content, const QDateTime &now)
{
    QDir dir(m_directory);
    if (!dir.mkpath(QStringLiteral(".")))
        return outboxError(m_directory, QStringLiteral("the folder cannot be created"));
    // Owner-only even if it already existed: another user reading it could sign in as this one.
    if (!QFile::setPermissions(m_directory, kOwnerOnlyDir))
        return outboxError(m_directory, QStringLiteral("its permissions cannot be set to 0700"));

    const QString stamp = now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString path;
    do {
        path = dir.filePath(stamp + u'-' + QString::number(++m_sequence) + u".eml");
    } while (QFileInfo::exists(path));

    // QSaveFile writes a temporary file and renames it: readers never see half a message.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnlyFile) ||
        file.write(content) != content.size() || !file.commit()) {
        return outboxError(m_directory, file.errorString());
    }
    return path;
}

} // namespace latchkey
