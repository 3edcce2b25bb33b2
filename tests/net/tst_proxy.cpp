// Which proxy a request of the library takes (net::proxyFor, docs/architecture.md "Proxies"), and
// that the library's requests really go through it: a proxy played by a local server here.
#include "clientoverfakes.h"
#include "net/proxy.h"

#include <latchkey/client.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;

namespace latchkey::test {

namespace {

constexpr int kWaitMs = 10000;
constexpr int kSignInWaitMs = 40000; // longer than the discovery request's own timeout

/// A proxy that refuses every request, noting each request's first line.
class RefusingProxy : public QObject
{
public:
    RefusingProxy()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost));
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket]() {
                    m_pending[socket] += socket->readAll();
                    if (!m_pending[socket].contains("\r\n\r\n"))
                        return;
                    requests.append(QString::fromLatin1(m_pending[socket].split('\r').first()));
                    socket->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                                  "Connection: close\r\n\r\n");
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QString url() const { return u"http://127.0.0.1:%1"_s.arg(m_server.serverPort()); }

    QStringList requests;

private:
    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_pending;
};

QProcessEnvironment environment(const QStringList &pairs)
{
    QProcessEnvironment environment;
    for (const QString &pair : pairs)
        environment.insert(pair.section(u'=', 0, 0), pair.section(u'=', 1));
    return environment;
}

} // namespace

class TestProxy : public QObject
{
    Q_OBJECT

private slots:
    void cleanup()
    {
        for (const char *name : {"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"})
            qunsetenv(name);
    }

    void chosen_data()
    {
        QTest::addColumn<QStringList>("settings");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("proxy"); // "none", "system", or host:port

        const QStringList corporate{u"HTTPS_PROXY=http://proxy.corp.example:3128"_s,
                                    u"HTTP_PROXY=plain.corp.example:8080"_s,
                                    u"NO_PROXY=intranet.example, .corp.example,10.1.2.3:443"_s};
        QTest::newRow("https through HTTPS_PROXY")
                << corporate << u"https://accounts.google.com/.well-known/x"_s
                << u"proxy.corp.example:3128"_s;
        QTest::newRow("http through HTTP_PROXY, host:port alone")
                << corporate << u"http://example.org/"_s << u"plain.corp.example:8080"_s;
        QTest::newRow("NO_PROXY name") << corporate << u"https://intranet.example/"_s << u"none"_s;
        QTest::newRow("NO_PROXY covers subdomains")
                << corporate << u"https://id.corp.example/"_s << u"none"_s;
        QTest::newRow("NO_PROXY with a port") << corporate << u"https://10.1.2.3/"_s << u"none"_s;
        QTest::newRow("a name that only ends the same")
                << corporate << u"https://notintranet.example/"_s << u"proxy.corp.example:3128"_s;
        QTest::newRow("loopback address: never")
                << corporate << u"http://127.0.0.1:8123/callback/google"_s << u"none"_s;
        QTest::newRow("localhost: never") << corporate << u"http://localhost:5556/"_s << u"none"_s;
        QTest::newRow("IPv6 loopback: never") << corporate << u"http://[::1]:5556/"_s << u"none"_s;
        QTest::newRow("lowercase wins") << QStringList{u"HTTPS_PROXY=http://upper.example:1"_s,
                                                       u"https_proxy=http://lower.example:2"_s}
                                        << u"https://example.org/"_s << u"lower.example:2"_s;
        QTest::newRow("ALL_PROXY for https") << QStringList{u"ALL_PROXY=http://all.example:3"_s}
                                             << u"https://example.org/"_s << u"all.example:3"_s;
        QTest::newRow("NO_PROXY=*")
                << QStringList{u"HTTPS_PROXY=http://p.example:1"_s, u"NO_PROXY=*"_s}
                << u"https://example.org/"_s << u"none"_s;
        QTest::newRow("nothing set: the desktop's settings")
                << QStringList() << u"https://example.org/"_s << u"system"_s;
    }

    void chosen()
    {
        QFETCH(QStringList, settings);
        QFETCH(QString, url);
        QFETCH(QString, proxy);
        const QNetworkProxy chosen = net::proxyFor(QUrl(url), environment(settings));
        if (proxy == u"none")
            QCOMPARE(chosen.type(), QNetworkProxy::NoProxy);
        else if (proxy == u"system")
            QCOMPARE(chosen.type(), QNetworkProxy::DefaultProxy);
        else
            QCOMPARE(u"%1:%2"_s.arg(chosen.hostName()).arg(chosen.port()), proxy);
    }

    void credentialsAndSocks()
    {
        const QNetworkProxy http = net::proxyFor(
                QUrl(u"https://example.org/"_s),
                environment({u"HTTPS_PROXY=http://ada:s%40cret@proxy.example:3128"_s}));
        QCOMPARE(http.type(), QNetworkProxy::HttpProxy);
        QCOMPARE(http.user(), u"ada"_s);
        QCOMPARE(http.password(), u"s@cret"_s);
        const QNetworkProxy socks = net::proxyFor(
                QUrl(u"https://example.org/"_s), environment({u"ALL_PROXY=socks5://gw.example"_s}));
        QCOMPARE(socks.type(), QNetworkProxy::Socks5Proxy);
        QCOMPARE(socks.port(), 1080);
    }

    // A setting that names no proxy is said in the log (without its value, which may hold a
    // password), and the request goes direct.
    void aBrokenSettingIsSaid()
    {
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"HTTPS_PROXY.* is not a proxy address"_s));
        const QNetworkProxy chosen = net::proxyFor(QUrl(u"https://example.org/"_s),
                                                   environment({u"HTTPS_PROXY=http://:s3cret@"_s}));
        QCOMPARE(chosen.type(), QNetworkProxy::NoProxy);
    }

    // A request to a provider goes through HTTPS_PROXY; one to this computer does not.
    void requestsGoThroughTheProxy()
    {
        RefusingProxy proxy;
        qputenv("HTTPS_PROXY", proxy.url().toUtf8());
        QNetworkAccessManager network;
        net::useProxySettings(network);
        QNetworkReply *remote =
                network.get(QNetworkRequest(QUrl(u"https://id.example.test/.well-known/x"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(remote->isFinished(), kWaitMs);
        QCOMPARE(proxy.requests, QStringList{u"CONNECT id.example.test:443 HTTP/1.1"_s});
        QVERIFY(remote->error() != QNetworkReply::NoError);

        // The same server asked directly as a loopback URL: the request arrives as it is.
        qputenv("HTTPS_PROXY", "http://proxy.invalid:1");
        QNetworkReply *local = network.get(QNetworkRequest(QUrl(proxy.url() + u"/direct"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(local->isFinished(), kWaitMs);
        QCOMPARE(proxy.requests.last(), u"GET /direct HTTP/1.1"_s);
        delete remote;
        delete local;
    }

    // The Client's own requests (the provider's discovery, at the start of a sign-in) follow
    // these rules: NO_PROXY's "corp.example" also covers id.corp.example (Qt's own system proxy
    // would send it to the proxy), and without NO_PROXY the request goes through the proxy.
    void aSignInFollowsTheProxySettings()
    {
        RefusingProxy proxy;
        QTemporaryDir dir;
        QProcessEnvironment config;
        config.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        config.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
        config.insert(u"OIDC_PROVIDERS"_s, u"corp"_s);
        config.insert(u"OIDC_CORP_ISSUER"_s, u"https://id.corp.example"_s);
        config.insert(u"OIDC_CORP_CLIENT_ID"_s, u"latchkey"_s);
        auto options = Options::fromConfig({{}, {}, config});
        QVERIFY2(options.ok(), qPrintable(options.ok() ? QString() : options.error().message));
        Fakes fakes;
        auto client = clientOverFakes(options.value(), fakes);
        QVERIFY(client->restore().ok());
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
        std::optional<bool> signedIn;
        connect(client.get(), &Client::signInFinished, this,
                [&signedIn](const Result<Session> &result) { signedIn = result.ok(); });

        qputenv("HTTPS_PROXY", proxy.url().toUtf8());
        qputenv("NO_PROXY", "localhost, corp.example");
        client->signIn(u"corp"_s);
        QTRY_VERIFY_WITH_TIMEOUT(signedIn.has_value(), kSignInWaitMs); // no such host
        QVERIFY(!*signedIn);
        QCOMPARE(proxy.requests, QStringList());

        qunsetenv("NO_PROXY");
        signedIn.reset();
        client->signIn(u"corp"_s);
        QTRY_VERIFY_WITH_TIMEOUT(signedIn.has_value(), kSignInWaitMs);
        QVERIFY(!*signedIn);
        QCOMPARE(proxy.requests, QStringList{u"CONNECT id.corp.example:443 HTTP/1.1"_s});
    }
};

} // namespace latchkey::test

QTEST_GUILESS_MAIN(latchkey::test::TestProxy)
#include "tst_proxy.moc"
