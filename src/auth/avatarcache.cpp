#include "avatarcache.h"

#include "core/imageprobe.h"
#include "core/logging.h"
#include "core/loopbackhost.h"
#include "net/proxy.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSaveFile>
#include <QSslConfiguration>
#include <QTimer>

namespace latchkey {

namespace {

constexpr QFileDevice::Permissions kOwnerOnlyDir =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions kOwnerOnlyFile =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner;

/// The URL as it may appear in a log: no user info, query or fragment (a picture URL can carry
/// a signature or a token there).
QString loggable(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
            .toDisplayString();
}

} // namespace

struct AvatarCache::Job
{
    qint64 userId = 0;
    QString url; // as stored for the user: what the file name's hash is made from
    QPointer<QNetworkReply> reply;
    QByteArray body;
    int redirects = 0;
    QTimer deadline;
    bool done = false;
};

AvatarCache::AvatarCache(QString dir, AvatarOptions options, QObject *parent)
    : QObject(parent), m_dir(std::move(dir)), m_options(options)
{ }

AvatarCache::~AvatarCache()
{
    for (const auto &job : std::as_const(m_jobs)) {
        job->done = true;
        if (job->reply)
            job->reply->abort();
    }
}

bool AvatarCache::isAllowedUrl(const QUrl &url, bool allowLoopbackHttp)
{
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        return false;
    if (url.scheme() == u"https")
        return true;
    return url.scheme() == u"http" && allowLoopbackHttp && isLoopbackAddress(url.host());
}

QString AvatarCache::fileStem(qint64 userId, const QString &url) const
{
    const QByteArray hash = QCryptographicHash::hash(url.toUtf8(), QCryptographicHash::Sha256);
    return QString::number(userId) + u'-' + QString::fromLatin1(hash.toHex().left(16));
}

QString AvatarCache::cachedPath(qint64 userId, const QString &url) const
{
    if (url.isEmpty() || m_dir.isEmpty())
        return {};
    const QDir dir(m_dir);
    const QStringList files = dir.entryList({fileStem(userId, url) + u".*"}, QDir::Files);
    return files.isEmpty() ? QString() : dir.filePath(files.first());
}

void AvatarCache::fetch(qint64 userId, const QString &url)
{
    if (url.isEmpty() || m_dir.isEmpty() || m_tried.value(userId) == url)
        return; // once per URL and run, whatever came of it
    if (!cachedPath(userId, url).isEmpty())
        return;
    if (auto running = m_jobs.take(userId)) // the URL changed meanwhile
        stop(*running);
    m_tried.insert(userId, url);
    auto job = std::make_shared<Job>();
    job->userId = userId;
    job->url = url;
    job->deadline.setSingleShot(true);
    m_jobs.insert(userId, job);
    QObject::connect(&job->deadline, &QTimer::timeout, this, [this, weak = std::weak_ptr(job)]() {
        if (auto expired = weak.lock())
            fail(expired, QStringLiteral("it took longer than %1 ms").arg(m_options.timeoutMs));
    });
    job->deadline.start(m_options.timeoutMs);
    // Later, from the event loop: the caller may be painting, and a refusal reports the same way.
    QTimer::singleShot(0, this, [this, job]() {
        if (!job->done)
            start(job, QUrl(job->url));
    });
}

void AvatarCache::start(const std::shared_ptr<Job> &job, const QUrl &url)
{
    if (!isAllowedUrl(url, m_options.allowLoopbackHttp)) {
        fail(job, QStringLiteral("%1 is not https").arg(loggable(url)));
        return;
    }
    if (!m_network) {
        m_network = new QNetworkAccessManager(this);
        net::useProxySettings(*m_network);
    }
    QNetworkRequest request(url);
    // Redirects are followed here, one by one, so each target passes isAllowedUrl() too.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    // No cookies either way: the picture host learns nothing but that this computer asked.
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setRawHeader("Accept", "image/png, image/jpeg, image/gif, image/webp");
    request.setTransferTimeout(m_options.timeoutMs);
    if (!m_options.extraCaCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_options.extraCaCertificates);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = m_network->get(request);
    job->reply = reply;
    job->body.clear();
    const qsizetype cap = m_options.maxBytes;
    const auto tooBig = [this, job, cap]() {
        fail(job, QStringLiteral("it is larger than %1 bytes").arg(cap));
    };
    QObject::connect(reply, &QNetworkReply::metaDataChanged, this, [job, reply, cap, tooBig]() {
        // A Content-Length over the cap is refused before any of the body is read.
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (!job->done && length.isValid() && length.toLongLong() > cap)
            tooBig();
    });
    QObject::connect(reply, &QNetworkReply::readyRead, this, [job, reply, cap, tooBig]() {
        if (job->done)
            return;
        job->body += reply->read(cap + 1 - job->body.size());
        if (job->body.size() > cap)
            tooBig(); // whatever the headers said (chunked, or no length at all)
    });
    QObject::connect(reply, &QNetworkReply::finished, this, [this, job, reply, url]() {
        if (job->done || reply != job->reply)
            return;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
            const QUrl target = url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
            if (++job->redirects > m_options.maxRedirects) {
                fail(job,
                     QStringLiteral("it redirects more than %1 times").arg(m_options.maxRedirects));
                return;
            }
            start(job, target);
            return;
        }
        if (reply->error() != QNetworkReply::NoError || status != 200) {
            fail(job, status ? QStringLiteral("HTTP status %1").arg(status) : reply->errorString());
            return;
        }
        job->body += reply->read(m_options.maxBytes + 1 - job->body.size());
        if (job->body.size() > m_options.maxBytes) {
            fail(job, QStringLiteral("it is larger than %1 bytes").arg(m_options.maxBytes));
            return;
        }
        store(job, job->body);
    });
}

void AvatarCache::fail(const std::shared_ptr<Job> &job, const QString &why)
{
    if (job->done)
        return;
    stop(*job);
    if (m_jobs.value(job->userId) == job)
        m_jobs.remove(job->userId);
    qCInfo(lcAuth) << "no picture for user" << job->userId << "from" << loggable(QUrl(job->url))
                   << "because" << why;
    // A picture made from an older URL is not this user's picture any more.
    removeFiles(job->userId);
    emit finished(job->userId, false);
}

void AvatarCache::store(const std::shared_ptr<Job> &job, const QByteArray &body)
{
    const auto probe = probeImage(body);
    if (!probe) {
        fail(job, QStringLiteral("it is not a PNG, JPEG, GIF or WebP image"));
        return;
    }
    if (probe->size.width() > m_options.maxDimension ||
        probe->size.height() > m_options.maxDimension) {
        fail(job,
             QStringLiteral("it is %1×%2 pixels, more than %3")
                     .arg(probe->size.width())
                     .arg(probe->size.height())
                     .arg(m_options.maxDimension));
        return;
    }
    QDir dir(m_dir);
    // Owner-only even if the folder existed: the pictures say who signs in on this computer.
    if (!dir.mkpath(QStringLiteral(".")) || !QFile::setPermissions(m_dir, kOwnerOnlyDir)) {
        fail(job, QStringLiteral("the folder %1 cannot be made owner-only").arg(m_dir));
        return;
    }
    const QString stem = fileStem(job->userId, job->url);
    const QString path = dir.filePath(stem + u'.' + QString::fromLatin1(probe->format));
    // QSaveFile writes a temporary file and renames it: a reader never sees half a picture.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(kOwnerOnlyFile) ||
        file.write(body) != body.size() || !file.commit()) {
        fail(job, QStringLiteral("it cannot be written: %1").arg(file.errorString()));
        return;
    }
    job->done = true;
    job->deadline.stop();
    if (m_jobs.value(job->userId) == job)
        m_jobs.remove(job->userId);
    removeFiles(job->userId, QFileInfo(path).fileName()); // pictures of earlier URLs
    emit changed(job->userId);
    emit finished(job->userId, true);
}

void AvatarCache::stop(Job &job)
{
    job.done = true;
    job.deadline.stop();
    if (job.reply) {
        job.reply->disconnect(this);
        job.reply->abort();
        job.reply->deleteLater();
    }
}

void AvatarCache::remove(qint64 userId)
{
    if (auto running = m_jobs.take(userId))
        stop(*running);
    m_tried.remove(userId); // signed in again later: fetched again
    removeFiles(userId);
}

void AvatarCache::removeFiles(qint64 userId, const QString &keep) const
{
    if (m_dir.isEmpty())
        return;
    QDir dir(m_dir);
    for (const QString &name :
         dir.entryList({QString::number(userId) + u"-*"}, QDir::Files | QDir::Hidden)) {
        if (name != keep && !dir.remove(name))
            qCWarning(lcAuth) << "could not delete the picture" << dir.filePath(name);
    }
}

} // namespace latchkey
