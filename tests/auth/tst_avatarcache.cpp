// AvatarCache against a real HTTP server on 127.0.0.1 (loopback http, as the test provider is
// allowed): a picture is downloaded once and then read from the data dir, oversized, non-image,
// huge and non-https pictures are refused; and latchkey::Client over fakes deletes an account's
// picture when that account signs out, leaving the other accounts' pictures.

#include "auth/avatarcache.h"
#include "auth/clientadapters.h"
#include "core/imageprobe.h"
#include "fakeclock.h"
#include "fakemailer.h"
#include "fakesecretstore.h"
#include "storage/database.h"
#include "storage/userrepository.h"
#include "tst_avatarserver.h"

#include <latchkey/client.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 5000;

/// A real 1×1 PNG.
QByteArray onePixelPng()
{
    return QByteArray::fromBase64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9"
                                  "QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}

/// A PNG header that claims `width`×`height` (the pixels never follow).
QByteArray pngHeader(quint32 width, quint32 height)
{
    QByteArray png = onePixelPng();
    for (int i = 0; i < 4; ++i) {
        png[16 + i] = char(width >> (24 - 8 * i));
        png[20 + i] = char(height >> (24 - 8 * i));
    }
    return png;
}

QString codeIn(const MailMessage &message)
{
    static const QRegularExpression kCode(u"\\b(\\d{6})\\b"_s);
    return kCode.match(message.textBody).captured(1);
}

QStringList messagesLogged;
void keepMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    messagesLogged.append(message);
}

} // namespace

class TestAvatarCache : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void fetchesOnceThenServesFromTheDataDir();
    void newUrlIsFetchedAgain();
    void oversizedPictureIsRefused_data();
    void oversizedPictureIsRefused();
    void nonImageIsRefused_data();
    void nonImageIsRefused();
    void failureIsLoggedWithoutTheQuery();
    void onlyHttpsIsFetched_data();
    void onlyHttpsIsFetched();
    void redirectMustStayHttps();
    void fetchesOverTlsFromATrustedServerOnly();
    void probeReadsTheRasterFormats();
    void signOutDeletesThatAccountsPictureOnly();
    void deletingLocalDataDeletesThePicture();

private:
    AvatarCache *makeCache(AvatarOptions options = loopback());
    static AvatarOptions loopback()
    {
        AvatarOptions options;
        options.allowLoopbackHttp = true;
        return options;
    }
    /// Runs one fetch to its end: whether it succeeded, or nothing when it did not end in time
    /// (a refusal must come at once, not at the timeout).
    std::optional<bool> fetch(AvatarCache &cache, qint64 userId, const QString &url);

    std::unique_ptr<Client> makeClient();
    void signInByCode(Client &client, const QString &address);
    void setPicture(qint64 userId, const QString &url);
    QString waitForPicture(Client &client, qint64 userId);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<PictureServer> m_server;
    std::unique_ptr<QObject> m_owner;
    FakeMailer *m_mailer = nullptr;
    FakeClock *m_clock = nullptr;
};

void TestAvatarCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<PictureServer>();
    QVERIFY(m_server->listen());
    m_owner = std::make_unique<QObject>();
}

void TestAvatarCache::cleanup()
{
    m_owner.reset();
    m_server.reset();
    m_dir.reset();
}

AvatarCache *TestAvatarCache::makeCache(AvatarOptions options)
{
    return new AvatarCache(m_dir->filePath(u"avatars"_s), options, m_owner.get());
}

std::optional<bool> TestAvatarCache::fetch(AvatarCache &cache, qint64 userId, const QString &url)
{
    QSignalSpy finished(&cache, &AvatarCache::finished);
    cache.fetch(userId, url);
    if (!finished.wait(kWaitMs) || finished.first().at(0).toLongLong() != userId)
        return std::nullopt;
    return finished.first().at(1).toBool();
}

void TestAvatarCache::fetchesOnceThenServesFromTheDataDir()
{
    m_server->serve("/ada.png", onePixelPng());
    const QString url = m_server->url(u"/ada.png?sz=96"_s);
    AvatarCache *cache = makeCache();
    QSignalSpy changed(cache, &AvatarCache::changed);
    QVERIFY(cache->cachedPath(7, url).isEmpty());
    QCOMPARE(fetch(*cache, 7, url), std::optional(true));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_server->connections(), 1);

    const QString path = cache->cachedPath(7, url);
    QVERIFY(path.endsWith(u".png"_s));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), onePixelPng());
    QCOMPARE(QFileInfo(path).permissions() & 0x0077, QFileDevice::Permissions());
    QCOMPARE(QFileInfo(m_dir->filePath(u"avatars"_s)).permissions(),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                     QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);

    // Asked again, and after a restart (a new cache on the same folder): no request at all.
    QSignalSpy finished(cache, &AvatarCache::finished);
    cache->fetch(7, url);
    AvatarCache *restarted = makeCache();
    QCOMPARE(restarted->cachedPath(7, url), path);
    QSignalSpy finishedAfterRestart(restarted, &AvatarCache::finished);
    restarted->fetch(7, url);
    QTest::qWait(300);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(finishedAfterRestart.size(), 0);
    QCOMPARE(m_server->connections(), 1);
}

void TestAvatarCache::newUrlIsFetchedAgain()
{
    m_server->serve("/old.png", onePixelPng());
    m_server->serve("/new.gif", QByteArray("GIF89a\x01\x00\x01\x00\x80\x00\x00", 13), "image/gif");
    AvatarCache *cache = makeCache();
    QCOMPARE(fetch(*cache, 3, m_server->url(u"/old.png"_s)), std::optional(true));
    const QString old = cache->cachedPath(3, m_server->url(u"/old.png"_s));
    QVERIFY(QFile::exists(old));

    // The provider changed the picture: the new URL is downloaded, the old file goes.
    QCOMPARE(fetch(*cache, 3, m_server->url(u"/new.gif"_s)), std::optional(true));
    QCOMPARE(m_server->connections(), 2);
    QVERIFY(cache->cachedPath(3, m_server->url(u"/new.gif"_s)).endsWith(u".gif"_s));
    QVERIFY(!QFile::exists(old));
    QVERIFY(cache->cachedPath(3, m_server->url(u"/old.png"_s)).isEmpty());
}

void TestAvatarCache::oversizedPictureIsRefused_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("keepOpen");
    const QByteArray big = pngHeader(1, 1) + QByteArray(1024 * 1024, 'x');
    // The length says too much: refused at the headers, while the body never comes.
    QTest::newRow("Content-Length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                                                  "Content-Length: 5000000\r\n\r\n") +
                    pngHeader(1, 1) << true;
    QByteArray chunked = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n";
    for (qsizetype at = 0; at < big.size(); at += 64 * 1024) {
        const QByteArray piece = big.mid(at, 64 * 1024);
        chunked += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    }
    // No length at all: refused once more than the cap has come, not at the end (there is none).
    QTest::newRow("chunked, never ends") << chunked << true;
    QTest::newRow("no length, never ends")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n") + big << true;
    QTest::newRow("no length, closed") << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: "
                                                     "image/png\r\nConnection: close\r\n\r\n") +
                    big << false;
}

void TestAvatarCache::oversizedPictureIsRefused()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, keepOpen);
    m_server->serveRaw("/big.png", response, keepOpen);
    AvatarOptions options = loopback();
    options.timeoutMs = 60'000; // a refusal must not wait for the timeout
    AvatarCache *cache = makeCache(options);
    QCOMPARE(fetch(*cache, 1, m_server->url(u"/big.png"_s)), std::optional(false));
    QVERIFY(cache->cachedPath(1, m_server->url(u"/big.png"_s)).isEmpty());
    QVERIFY(QDir(m_dir->filePath(u"avatars"_s)).isEmpty());
}

void TestAvatarCache::nonImageIsRefused_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("html") << QByteArray("<html><body>Sign in</body></html>")
                          << QByteArray("image/png");
    QTest::newRow("svg") << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
                                       "height=\"10\"><rect width=\"10\" height=\"10\"/></svg>")
                         << QByteArray("image/svg+xml");
    QTest::newRow("empty") << QByteArray() << QByteArray("image/png");
    QTest::newRow("huge canvas") << pngHeader(100'000, 100'000) << QByteArray("image/png");
    QTest::newRow("just too wide") << pngHeader(2049, 16) << QByteArray("image/png");
    QTest::newRow("truncated png") << onePixelPng().left(20) << QByteArray("image/png");
}

void TestAvatarCache::nonImageIsRefused()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    m_server->serve("/picture", body, contentType);
    AvatarCache *cache = makeCache();
    QCOMPARE(fetch(*cache, 1, m_server->url(u"/picture"_s)), std::optional(false));
    QVERIFY(QDir(m_dir->filePath(u"avatars"_s)).isEmpty());
    QCOMPARE(m_server->connections(), 1);
    // Tried once in this run: asking again makes no second request.
    cache->fetch(1, m_server->url(u"/picture"_s));
    QTest::qWait(200);
    QCOMPARE(m_server->connections(), 1);
}

void TestAvatarCache::failureIsLoggedWithoutTheQuery()
{
    AvatarCache *cache = makeCache();
    messagesLogged.clear();
    const QtMessageHandler previous = qInstallMessageHandler(keepMessage);
    const std::optional<bool> ok =
            fetch(*cache, 1, m_server->url(u"/gone.png?sig=s3cr3t-signature"_s));
    qInstallMessageHandler(previous);
    QCOMPARE(ok, std::optional(false)); // 404
    const QString log = messagesLogged.join(u'\n');
    QVERIFY2(log.contains(u"/gone.png"_s), qPrintable(log));
    QVERIFY2(log.contains(u"404"_s), qPrintable(log));
    QVERIFY2(!log.contains(u"s3cr3t"_s), qPrintable(log));
}

void TestAvatarCache::onlyHttpsIsFetched_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowLoopbackHttp");
    QTest::newRow("http elsewhere") << u"http://example.com/a.png"_s << true;
    QTest::newRow("http by name") << u"http://localhost:%1/a.png"_s << true;
    QTest::newRow("loopback without the option") << u"http://127.0.0.1:%1/a.png"_s << false;
    QTest::newRow("file") << u"file:///etc/passwd"_s << true;
    QTest::newRow("data") << u"data:image/png;base64,AAAA"_s << true;
    QTest::newRow("user info") << u"https://user:pw@example.com/a.png"_s << true;
    QTest::newRow("relative") << u"/a.png"_s << true;
}

void TestAvatarCache::onlyHttpsIsFetched()
{
    QFETCH(QString, url);
    QFETCH(bool, allowLoopbackHttp);
    if (url.contains(u"%1"_s))
        url = url.arg(QUrl(m_server->url(u"/"_s)).port());
    m_server->serve("/a.png", onePixelPng());
    AvatarOptions options;
    options.allowLoopbackHttp = allowLoopbackHttp;
    AvatarCache *cache = makeCache(options);
    QCOMPARE(fetch(*cache, 1, url), std::optional(false));
    QCOMPARE(m_server->connections(), 0);
    QVERIFY(AvatarCache::isAllowedUrl(QUrl(u"https://lh3.googleusercontent.com/a/x=s96-c"_s),
                                      false));
}

void TestAvatarCache::redirectMustStayHttps()
{
    m_server->serve("/final.png", onePixelPng());
    m_server->serveRaw("/moved",
                       "HTTP/1.1 302 Found\r\nLocation: /final.png\r\nContent-Length: "
                       "0\r\nConnection: close\r\n\r\n");
    m_server->serveRaw("/away",
                       "HTTP/1.1 302 Found\r\nLocation: http://example.com/a.png\r\n"
                       "Content-Length: 0\r\nConnection: close\r\n\r\n");
    m_server->serveRaw("/loop",
                       "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: "
                       "0\r\nConnection: close\r\n\r\n");
    AvatarCache *cache = makeCache();
    QCOMPARE(fetch(*cache, 1, m_server->url(u"/moved"_s)), std::optional(true));
    QVERIFY(!cache->cachedPath(1, m_server->url(u"/moved"_s)).isEmpty());
    const int before = m_server->connections();
    QCOMPARE(fetch(*cache, 2, m_server->url(u"/away"_s)), std::optional(false));
    QCOMPARE(m_server->connections(), before + 1); // example.com was never asked
    QCOMPARE(fetch(*cache, 3, m_server->url(u"/loop"_s)), std::optional(false));
    QCOMPARE(m_server->connections(), before + 1 + 4); // the first request and 3 redirects
}

void TestAvatarCache::fetchesOverTlsFromATrustedServerOnly()
{
    // A throwaway certificate for 127.0.0.1 (openssl comes with scripts/install-deps).
    const QString certPath = m_dir->filePath(u"cert.pem"_s);
    const QString keyPath = m_dir->filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s, keyPath, u"-out"_s,
                   certPath, u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                   u"subjectAltName=IP:127.0.0.1"_s});
    QVERIFY2(openssl.waitForFinished(30000) && openssl.exitCode() == 0,
             openssl.readAllStandardError().constData());
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Ec, QSsl::Pem);
    QVERIFY(!certificate.isNull() && !key.isNull());

    PictureServer tls;
    QVERIFY(tls.listenTls(certificate, key));
    tls.serve("/ada.png", onePixelPng());
    const QString url = tls.url(u"/ada.png"_s);
    QVERIFY(url.startsWith(u"https://"_s));

    // Not trusted (not a system CA): the handshake fails, nothing is stored.
    AvatarCache *strict = makeCache(AvatarOptions());
    QCOMPARE(fetch(*strict, 1, url), std::optional(false));
    QVERIFY(strict->cachedPath(1, url).isEmpty());
    QCOMPARE(tls.paths().size(), 0);

    // Trusted: fetched over https without the loopback-http switch, then served from the cache.
    AvatarOptions trusting;
    trusting.extraCaCertificates = {certificate};
    AvatarCache *cache = makeCache(trusting);
    QCOMPARE(fetch(*cache, 1, url), std::optional(true));
    QCOMPARE(tls.paths(), QList<QByteArray>{"/ada.png"});
    const int connections = tls.connections();
    cache->fetch(1, url);
    QTest::qWait(200);
    QCOMPARE(tls.connections(), connections);

    // From https to plain http is refused, even to this computer, without asking it.
    tls.serveRaw("/downgrade",
                 "HTTP/1.1 302 Found\r\nLocation: " + m_server->url(u"/a.png"_s).toLatin1() +
                         "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    m_server->serve("/a.png", onePixelPng());
    QCOMPARE(fetch(*cache, 2, tls.url(u"/downgrade"_s)), std::optional(false));
    QCOMPARE(m_server->connections(), 0);
}

void TestAvatarCache::probeReadsTheRasterFormats()
{
    QCOMPARE(probeImage(onePixelPng())->format, QByteArray("png"));
    QCOMPARE(probeImage(pngHeader(96, 48))->size, QSize(96, 48));
    QCOMPARE(probeImage(QByteArray("GIF89a\x40\x00\x20\x00\x80\x00\x00", 13))->size, QSize(64, 32));
    // JPEG: SOI, an APP0 segment, then SOF0 (height 40, width 80).
    const QByteArray jpeg = QByteArray("\xff\xd8\xff\xe0\x00\x04\x00\x00"
                                       "\xff\xc0\x00\x11\x08\x00\x28\x00\x50\x03",
                                       18);
    QCOMPARE(probeImage(jpeg)->format, QByteArray("jpeg"));
    QCOMPARE(probeImage(jpeg)->size, QSize(80, 40));
    // WebP, lossless (VP8L): 14-bit width-1 and height-1.
    QByteArray webp("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f", 21);
    const quint32 bits = (100 - 1) | ((50 - 1) << 14);
    for (int i = 0; i < 4; ++i)
        webp.append(char(bits >> (8 * i)));
    webp.append(QByteArray(10, '\0'));
    QCOMPARE(probeImage(webp)->format, QByteArray("webp"));
    QCOMPARE(probeImage(webp)->size, QSize(100, 50));
    QVERIFY(!probeImage("<svg/>"));
    QVERIFY(!probeImage("BM\x36\x00\x00\x00"));
    QVERIFY(!probeImage(pngHeader(0, 10)));
}

std::unique_ptr<Client> TestAvatarCache::makeClient()
{
    Options options;
    options.dataDir = m_dir->path();
    options.databasePath = m_dir->filePath(u"latchkey.db"_s);
    options.outboxDir = m_dir->filePath(u"outbox"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    options.allowHttpLoopbackIssuer = true; // the picture server is loopback http
    auto adapters = std::make_unique<ClientAdapters>();
    auto clock = std::make_unique<FakeClock>();
    auto mailer = std::make_unique<FakeMailer>();
    m_clock = clock.get();
    m_mailer = mailer.get();
    adapters->clock = std::move(clock);
    adapters->keychain = std::make_unique<FakeSecretStore>();
    adapters->mailer = std::move(mailer);
    return std::make_unique<Client>(options, std::move(adapters));
}

void TestAvatarCache::signInByCode(Client &client, const QString &address)
{
    QSignalSpy sent(&client, &Client::emailSent);
    QSignalSpy asked(&client, &Client::accountSwitchRequested);
    QSignalSpy finished(&client, &Client::signInFinished);
    client.signInWithEmail(address);
    QVERIFY(sent.wait(kWaitMs));
    client.submitCode(codeIn(m_mailer->messages().last()));
    QTRY_VERIFY_WITH_TIMEOUT(!asked.isEmpty() || !finished.isEmpty(), kWaitMs);
    if (!asked.isEmpty())
        client.confirmAccountSwitch();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(client.session()->user.email, address);
}

void TestAvatarCache::setPicture(qint64 userId, const QString &url)
{
    // As a provider sign-in does (the `picture` claim); email sign-ins carry none.
    auto db = Database::open(m_dir->filePath(u"latchkey.db"_s));
    QVERIFY(db.ok());
    auto user = UserRepository(*db.value()).findById(userId);
    QVERIFY(user.ok());
    QVERIFY(UserRepository(*db.value())
                    .updateProfile(userId, user->name, url, m_clock->now())
                    .ok());
}

QString TestAvatarCache::waitForPicture(Client &client, qint64 userId)
{
    QSignalSpy changed(&client, &Client::avatarChanged);
    if (QString path = client.avatarPath(userId); !path.isEmpty())
        return path;
    if (!changed.wait(kWaitMs) || changed.first().at(0).toLongLong() != userId)
        return {};
    return client.avatarPath(userId);
}

void TestAvatarCache::signOutDeletesThatAccountsPictureOnly()
{
    m_server->serve("/ada.png", onePixelPng());
    m_server->serve("/bob.png", onePixelPng());
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"ada@example.com"_s);
    const qint64 ada = client->session()->user.id;
    signInByCode(*client, u"bob@example.com"_s);
    const qint64 bob = client->session()->user.id;
    QVERIFY(client->avatarPath(ada).isEmpty()); // no picture URL: initials, nothing fetched
    setPicture(ada, m_server->url(u"/ada.png"_s));
    setPicture(bob, m_server->url(u"/bob.png"_s));

    const QString adaPicture = waitForPicture(*client, ada);
    const QString bobPicture = waitForPicture(*client, bob);
    QVERIFY(QFile::exists(adaPicture));
    QVERIFY(QFile::exists(bobPicture));
    QVERIFY(adaPicture.startsWith(m_dir->filePath(u"avatars/"_s)));
    QCOMPARE(m_server->connections(), 2);

    // Bob (active) signs out: his picture goes, Ada's stays, and asking for his makes no request.
    QSignalSpy signedOut(client.get(), &Client::signOutFinished);
    client->signOut();
    QVERIFY(signedOut.wait(kWaitMs));
    QVERIFY(!QFile::exists(bobPicture));
    QVERIFY(QFile::exists(adaPicture));
    QVERIFY(client->avatarPath(bob).isEmpty());
    QCOMPARE(client->avatarPath(ada), adaPicture);
    QTest::qWait(200);
    QCOMPARE(m_server->connections(), 2);

    // Signed in again: downloaded again. Then every account signs out: no picture is left.
    m_clock->advance(61); // past the wait between two emails to one address
    signInByCode(*client, u"bob@example.com"_s);
    QVERIFY(QFile::exists(waitForPicture(*client, bob)));
    QCOMPARE(m_server->connections(), 3);
    signedOut.clear();
    client->signOutAllAccounts();
    QVERIFY(signedOut.wait(kWaitMs));
    QVERIFY(QDir(m_dir->filePath(u"avatars"_s)).isEmpty());
}

void TestAvatarCache::deletingLocalDataDeletesThePicture()
{
    m_server->serve("/cy.png", onePixelPng());
    auto client = makeClient();
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    signInByCode(*client, u"cy@example.com"_s);
    const qint64 cy = client->session()->user.id;
    setPicture(cy, m_server->url(u"/cy.png"_s));
    const QString picture = waitForPicture(*client, cy);
    QVERIFY(QFile::exists(picture));
    QSignalSpy signedOut(client.get(), &Client::signOutFinished);
    client->deleteLocalData();
    QVERIFY(signedOut.wait(kWaitMs));
    QVERIFY(!QFile::exists(picture));
}

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestAvatarCache)
#include "tst_avatarcache.moc"
