#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace latchkey {

/// Limits of the picture download (docs/security.md, provider pictures).
struct AvatarOptions
{
    /// Also fetch from http://127.0.0.1 / [::1] (the test provider;
    /// Options::allowHttpLoopbackIssuer).
    bool allowLoopbackHttp = false;
    /// The whole download, redirects included, must be over within this.
    int timeoutMs = 15000;
    /// A body (or a Content-Length) larger than this is refused as soon as it is seen.
    qsizetype maxBytes = 1024 * 1024;
    /// Width or height larger than this is refused before anything decodes the pixels.
    int maxDimension = 2048;
    int maxRedirects = 3;
    /// Trusted besides the system's CAs (tests: a throwaway server certificate).
    QList<QSslCertificate> extraCaCertificates;
};

/// The users' provider pictures (the `image` column: the OIDC `picture` claim), each downloaded
/// once and kept as `<dir>/<user id>-<URL hash>.<format>`: the file name says which URL it was
/// made from, so a new URL is fetched again and an unchanged one never is. Downloads are https
/// only, size- and time-capped, and checked to be a raster image of bounded dimensions before they
/// are written (atomically, owner-only). Any failure just means no picture (the caller shows
/// initials); it is logged without the URL's query and not retried in this run.
class AvatarCache : public QObject
{
    Q_OBJECT

public:
    explicit AvatarCache(QString dir, AvatarOptions options = {}, QObject *parent = nullptr);
    ~AvatarCache() override;

    /// The file made from `url` for `userId`, or empty. Never touches the network.
    QString cachedPath(qint64 userId, const QString &url) const;
    /// Downloads `url` for `userId` in the background unless its file exists, it is being
    /// downloaded, or it was tried in this run. finished() follows a download that started.
    void fetch(qint64 userId, const QString &url);
    /// Deletes `userId`'s picture and stops its download (the account left this device).
    void remove(qint64 userId);

    /// True when `url` may be fetched: https with a host, or http to a loopback IP literal when
    /// `allowLoopbackHttp`.
    static bool isAllowedUrl(const QUrl &url, bool allowLoopbackHttp);

signals:
    /// `userId`'s picture file was written (changed()) or the download failed.
    void finished(qint64 userId, bool ok);
    /// `userId`'s picture file is new.
    void changed(qint64 userId);

private:
    struct Job;
    void start(const std::shared_ptr<Job> &job, const QUrl &url);
    void fail(const std::shared_ptr<Job> &job, const QString &why);
    /// Ends `job` without a result: its reply is aborted and dropped.
    void stop(Job &job);
    void store(const std::shared_ptr<Job> &job, const QByteArray &body);
    void removeFiles(qint64 userId, const QString &keep = {}) const;
    QString fileStem(qint64 userId, const QString &url) const;

    QString m_dir;
    AvatarOptions m_options;
    QNetworkAccessManager *m_network = nullptr; // created at the first download
    QHash<qint64, std::shared_ptr<Job>> m_jobs;
    QHash<qint64, QString> m_tried; // the URL tried per user in this run
};

} // namespace latchkey
