#include "net/loopbacklistener.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkInterface>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace latchkey;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 3000;

// A raw HTTP client on a real socket; the listener runs in the same event loop, so every wait
// spins the loop instead of blocking.
class Client
{
public:
    explicit Client(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                         [this] { m_received += m_socket.readAll(); });
        m_socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    }

    bool waitConnected() { return m_socket.waitForConnected(kWaitMs); }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    void close() { m_socket.abort(); }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    // True once the server closed the connection.
    bool waitClosedByServer(int ms = kWaitMs)
    {
        const bool closed = QTest::qWaitFor(
                [this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, ms);
        m_received += m_socket.readAll();
        return closed;
    }
    const QByteArray &received() const { return m_received; }

    int status() const
    {
        if (!m_received.startsWith("HTTP/1.1 "))
            return 0;
        return m_received.mid(9, 3).toInt();
    }
    QByteArray header(const QByteArray &name) const
    {
        const qsizetype end = m_received.indexOf("\r\n\r\n");
        const QList<QByteArray> lines = m_received.left(end).split('\n');
        for (const QByteArray &line : lines) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QByteArray body() const { return m_received.mid(m_received.indexOf("\r\n\r\n") + 4); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

QByteArray callbackRequest(quint16 port, const QByteArray &target = "/callback/test?code=c&state=s")
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
            "\r\nUser-Agent: test\r\n\r\n";
}

// The port number of `listener` substituted for "{port}" in a row's request.
QByteArray withPort(QByteArray request, quint16 port)
{
    return request.replace("{port}", QByteArray::number(port));
}

} // namespace

class TestLoopbackListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void listensOnLoopbackOnly();
    void boundToLoopbackAddressOnly();
    void notReachableOnOtherAddresses();
    void servesRouteWithoutEchoingQuery_data();
    void servesRouteWithoutEchoingQuery();
    void rejected_data();
    void rejected();
    void garbageBeforeRealRequest_data();
    void garbageBeforeRealRequest();
    void idleConnectionDropped_data();
    void idleConnectionDropped();
    void slowSenderDroppedAtTheHeaderDeadline();
    void fullListenerEvictsTheOldestUnfinishedConnection();
    void manyIdleAndSlowConnectionsDoNotKeepTheCallbackOut();
    void heldRequestIsNeverEvicted();
    void closeFreesPortAndSpecificPortReopens();
    void closeFromHandlerStillAnswers();
    void listenOnBusyPortFails();
    void deferredRouteAnswersOnceTheOutcomeIsKnown();
    void heldRequestOutlivesClose();
    void replyTimeoutAnswersTheHeldRequest();
    void replyIsSafeAfterTheConnectionOrListenerIsGone();
    void destroyingTheListenerAnswersHeldRequests();

private:
    void addCountingRoute(const QString &path = u"/callback/test"_s);
    void addHoldingRoute(const QString &path = u"/callback/test"_s);

    QList<LoopbackReply> m_held;

    std::unique_ptr<LoopbackListener> m_listener;
    int m_handled = 0;
    HttpRequest m_lastRequest;
};

void TestLoopbackListener::init()
{
    m_listener = std::make_unique<LoopbackListener>();
    m_handled = 0;
    m_lastRequest = {};
    m_held.clear();
}

void TestLoopbackListener::cleanup() { m_listener.reset(); }

void TestLoopbackListener::addCountingRoute(const QString &path)
{
    m_listener->addRoute(path, [this](const HttpRequest &request) {
        ++m_handled;
        m_lastRequest = request;
        return LoopbackResponse{200, StaticPage::signedIn()};
    });
}

// A deferred route that keeps every reply in m_held and answers none of them.
void TestLoopbackListener::addHoldingRoute(const QString &path)
{
    m_listener->addDeferredRoute(path, [this](const HttpRequest &request, LoopbackReply reply) {
        ++m_handled;
        m_lastRequest = request;
        m_held.append(reply);
    });
}

void TestLoopbackListener::listensOnLoopbackOnly()
{
    QVERIFY(!m_listener->isListening());
    QCOMPARE(m_listener->port(), quint16(0));
    const Status status = m_listener->listen();
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().message));
    QVERIFY(m_listener->isListening());
    QVERIFY(m_listener->port() != 0);
    // RFC 8252 §7.3: the IP literal, never "localhost".
    QCOMPARE(m_listener->redirectUri(u"/callback/google"_s),
             u"http://127.0.0.1:%1/callback/google"_s.arg(m_listener->port()));

    const Status again = m_listener->listen();
    QVERIFY(!again.ok());
    QCOMPARE(again.error().kind, ErrorKind::Network);
}

void TestLoopbackListener::boundToLoopbackAddressOnly()
{
#ifndef Q_OS_LINUX
    QSKIP("reads /proc/net/tcp");
#endif
    QVERIFY(m_listener->listen().ok());
    // /proc/net/tcp lists "local_address:port" in hex; 0100007F is 127.0.0.1, state 0A is LISTEN.
    QFile table(u"/proc/net/tcp"_s);
    QVERIFY(table.open(QIODevice::ReadOnly));
    const QByteArray portHex =
            QByteArray::number(m_listener->port(), 16).toUpper().rightJustified(4, '0');
    QList<QByteArray> localAddresses;
    for (const QByteArray &line : table.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() > 3 && fields[3] == "0A" && fields[1].endsWith(QByteArray(':' + portHex)))
            localAddresses.append(fields[1]);
    }
    QCOMPARE(localAddresses, QList<QByteArray>{"0100007F:" + portHex});
}

void TestLoopbackListener::notReachableOnOtherAddresses()
{
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();
    QList<QHostAddress> others;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (!address.isLoopback() && !address.isLinkLocal() &&
            address.protocol() == QAbstractSocket::IPv4Protocol)
            others.append(address);
    }
    if (others.isEmpty())
        QSKIP("no non-loopback IPv4 address here; boundToLoopbackAddressOnly covers the binding");
    for (const QHostAddress &address : std::as_const(others)) {
        QTcpSocket socket;
        socket.connectToHost(address, m_listener->port());
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, kWaitMs);
        QVERIFY2(socket.error() != QAbstractSocket::UnknownSocketError,
                 qPrintable(address.toString()));
    }
    QCOMPARE(m_handled, 0);
}

void TestLoopbackListener::servesRouteWithoutEchoingQuery_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("heading");

    QTest::newRow("signed in") << 200 << QByteArray("Signed in");
    QTest::newRow("failed") << 400 << QByteArray("Sign-in failed");
    QTest::newRow("nothing pending") << 409 << QByteArray("No sign-in is in progress");
}

void TestLoopbackListener::servesRouteWithoutEchoingQuery()
{
    QFETCH(int, status);
    QFETCH(QByteArray, heading);

    QVERIFY(m_listener->listen().ok());
    m_listener->addRoute(u"/callback/test"_s, [&](const HttpRequest &request) {
        ++m_handled;
        m_lastRequest = request;
        const StaticPage page = status == 200 ? StaticPage::signedIn()
                : status == 400               ? StaticPage::signInFailed()
                                              : StaticPage::noSignInInProgress();
        return LoopbackResponse{status, page};
    });
    QSignalSpy handled(m_listener.get(), &LoopbackListener::requestHandled);

    Client client(m_listener->port());
    QVERIFY(client.waitConnected());
    client.send(callbackRequest(m_listener->port(),
                                "/callback/test?code=SECRETcode4711&state=STATEvalue0815"
                                "&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
    QVERIFY(client.waitClosedByServer()); // Connection: close

    QCOMPARE(m_handled, 1);
    QCOMPARE(m_lastRequest.queryValues(u"code"_s), QStringList{u"SECRETcode4711"_s});
    QCOMPARE(m_lastRequest.queryValues(u"state"_s), QStringList{u"STATEvalue0815"_s});
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.at(0).at(0).toString(), u"/callback/test"_s);
    QCOMPARE(handled.at(0).at(1).toInt(), status);

    QCOMPARE(client.status(), status);
    QCOMPARE(client.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(client.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(client.header("Referrer-Policy"), QByteArray("no-referrer"));
    QCOMPARE(client.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(client.header("Connection"), QByteArray("close"));
    const QByteArray csp = client.header("Content-Security-Policy");
    QVERIFY(csp.startsWith("default-src 'none'; style-src 'unsafe-inline'"));
    QCOMPARE(client.header("Content-Length").toInt(), client.body().size());
    QVERIFY(client.body().contains(QByteArray("<h1>" + heading + "</h1>")));
    // No parameter is ever echoed (docs/security.md).
    for (const char *value : {"SECRETcode4711", "STATEvalue0815", "script", "alert"})
        QVERIFY2(!client.received().contains(value), value);
}

void TestLoopbackListener::rejected_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    const QByteArray tail = " HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n";
    // RFC 8252 §8.3 / DNS rebinding: only the exact IP literal and port.
    QTest::newRow("Host localhost")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n") << 400;
    QTest::newRow("Host without port")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << 400;
    QTest::newRow("Host other port")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: 127.0.0.1:1{port}\r\n\r\n") << 400;
    QTest::newRow("Host rebinding name")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n")
            << 400;
    QTest::newRow("Host trailing dot")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: 127.0.0.1.:{port}\r\n\r\n") << 400;
    QTest::newRow("Host IPv6")
            << QByteArray("GET /callback/test HTTP/1.1\r\nHost: [::1]:{port}\r\n\r\n") << 400;
    QTest::newRow("Host missing") << QByteArray("GET /callback/test HTTP/1.1\r\n\r\n") << 400;
    // Exact path match only.
    QTest::newRow("other provider") << "GET /callback/other" + tail << 404;
    QTest::newRow("trailing slash") << "GET /callback/test/" + tail << 404;
    QTest::newRow("case differs") << "GET /callback/TEST" + tail << 404;
    QTest::newRow("encoded path") << "GET /callback/%74est" + tail << 404;
    QTest::newRow("root") << "GET /" + tail << 404;
    QTest::newRow("favicon") << "GET /favicon.ico" + tail << 404;
    QTest::newRow("POST") << QByteArray("POST /callback/test HTTP/1.1\r\nHost: "
                                        "127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n")
                          << 405;
    QTest::newRow("HTTP/2")
            << QByteArray("GET /callback/test HTTP/2.0\r\nHost: 127.0.0.1:{port}\r\n\r\n") << 505;
    QTest::newRow("oversize") << "GET /callback/test HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX: " +
                    QByteArray(9000, 'x') +
                    "\r\n\r\n" << 431;
}

void TestLoopbackListener::rejected()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);

    QVERIFY(m_listener->listen().ok());
    addCountingRoute();
    QSignalSpy handled(m_listener.get(), &LoopbackListener::requestHandled);

    Client client(m_listener->port());
    QVERIFY(client.waitConnected());
    client.send(withPort(request, m_listener->port()));
    QVERIFY(client.waitClosedByServer());
    QCOMPARE(client.status(), status);
    QCOMPARE(m_handled, 0);
    QCOMPARE(handled.size(), 0);
    QCOMPARE(client.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(client.header("Referrer-Policy"), QByteArray("no-referrer"));
    if (status == 405)
        QCOMPARE(client.header("Allow"), QByteArray("GET")); // RFC 9110 §15.5.6
}

void TestLoopbackListener::garbageBeforeRealRequest_data()
{
    QTest::addColumn<QByteArray>("garbage");
    QTest::addColumn<bool>("clientHangsUp");
    QTest::addColumn<int>("status");

    QTest::newRow("TLS ClientHello")
            << QByteArray::fromHex("16030100f8010000f40303d7a1b2c3d4e5f6") << false << 400;
    QTest::newRow("random bytes") << QByteArray("\x8f\x00\x13\x37\xff\r\n\r\n", 8) << false << 400;
    QTest::newRow("bare LF request") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << false << 400;
    QTest::newRow("endless header")
            << "GET / HTTP/1.1\r\nX: " + QByteArray(20000, 'a') << false << 431;
    QTest::newRow("half a request, then hang up")
            << QByteArray("GET /callback/test?code=") << true << 0;
    QTest::newRow("connect and hang up") << QByteArray() << true << 0;
}

void TestLoopbackListener::garbageBeforeRealRequest()
{
    QFETCH(QByteArray, garbage);
    QFETCH(bool, clientHangsUp);
    QFETCH(int, status);

    QVERIFY(m_listener->listen().ok());
    addCountingRoute();
    // More garbage connections than the cap, one after another: none may leak a slot.
    for (int i = 0; i < LoopbackListener::kMaxConnections + 2; ++i) {
        Client bad(m_listener->port());
        QVERIFY(bad.waitConnected());
        bad.send(garbage);
        if (clientHangsUp) {
            QTest::qWait(10);
            bad.close();
            continue;
        }
        QVERIFY(bad.waitClosedByServer());
        QCOMPARE(bad.status(), status);
    }
    QTest::qWait(50);

    Client good(m_listener->port());
    QVERIFY(good.waitConnected());
    good.send(callbackRequest(m_listener->port()));
    QVERIFY(good.waitClosedByServer());
    QCOMPARE(good.status(), 200);
    QCOMPARE(m_handled, 1);
    QCOMPARE(m_lastRequest.queryValues(u"code"_s), QStringList{u"c"_s});
}

void TestLoopbackListener::idleConnectionDropped_data()
{
    QTest::addColumn<QByteArray>("partial");
    QTest::newRow("silent") << QByteArray();
    QTest::newRow("incomplete request") << QByteArray("GET /callback/test?code=x HTTP/1.1\r\n");
}

void TestLoopbackListener::idleConnectionDropped()
{
    QFETCH(QByteArray, partial);

    QCOMPARE(m_listener->headerTimeout(), std::chrono::milliseconds(5000)); // docs/security.md ~5 s
    m_listener->setHeaderTimeout(std::chrono::milliseconds(300));
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();

    QElapsedTimer elapsed;
    elapsed.start();
    Client idle(m_listener->port());
    QVERIFY(idle.waitConnected());
    idle.send(partial);
    QVERIFY(idle.waitClosedByServer(kWaitMs));
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(idle.received().isEmpty());
    QCOMPARE(m_handled, 0);
}

void TestLoopbackListener::slowSenderDroppedAtTheHeaderDeadline()
{
    m_listener->setHeaderTimeout(std::chrono::milliseconds(400));
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();

    // Slowloris: a real request, one byte every 40 ms; it would take seconds to complete.
    const QByteArray request = callbackRequest(m_listener->port());
    QElapsedTimer elapsed;
    elapsed.start();
    Client slow(m_listener->port());
    QVERIFY(slow.waitConnected());
    qsizetype sent = 0;
    QTimer trickle;
    QObject::connect(&trickle, &QTimer::timeout, &trickle, [&] {
        if (slow.isConnected() && sent < request.size())
            slow.send(request.mid(sent++, 1));
    });
    trickle.start(40);
    QVERIFY(slow.waitClosedByServer(kWaitMs));
    // The deadline counts from arrival: every byte kept the connection busy, none extended it.
    QVERIFY2(elapsed.elapsed() >= 350 && elapsed.elapsed() < 1500,
             qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY(sent > 3 && sent < request.size());
    QVERIFY(slow.received().isEmpty());
    QCOMPARE(m_handled, 0);
}

void TestLoopbackListener::fullListenerEvictsTheOldestUnfinishedConnection()
{
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();

    std::vector<std::unique_ptr<Client>> idle;
    for (int i = 0; i < LoopbackListener::kMaxConnections; ++i) {
        idle.push_back(std::make_unique<Client>(m_listener->port()));
        QVERIFY(idle.back()->waitConnected());
        QTest::qWait(20); // accepted one by one: their age is their order
    }
    QTest::qWait(100);

    // One more: the oldest unfinished connection makes room for it, the others stay.
    Client next(m_listener->port());
    QVERIFY(next.waitConnected());
    QVERIFY(idle.front()->waitClosedByServer());
    QVERIFY(idle.front()->received().isEmpty());
    for (size_t i = 1; i < idle.size(); ++i)
        QVERIFY2(idle[i]->isConnected(), qPrintable(QString::number(i)));
    QVERIFY(next.isConnected());

    next.send(callbackRequest(m_listener->port()));
    QVERIFY(next.waitClosedByServer());
    QCOMPARE(next.status(), 200);
    QCOMPARE(m_handled, 1);
}

void TestLoopbackListener::manyIdleAndSlowConnectionsDoNotKeepTheCallbackOut()
{
    // Default header timeout (5 s): nothing here is rescued by a deadline.
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();
    const quint16 port = m_listener->port();

    // 40 connections that send nothing and 4 that send a request a byte at a time, as hostile
    // local pages or processes would, all open while the browser comes back.
    std::vector<std::unique_ptr<Client>> attackers;
    std::vector<Client *> slow;
    for (int i = 0; i < 44; ++i) {
        attackers.push_back(std::make_unique<Client>(port));
        QVERIFY(attackers.back()->waitConnected());
        if (i % 11 == 10)
            slow.push_back(attackers.back().get());
    }
    const QByteArray slowRequest = callbackRequest(port, "/callback/test?code=slow&state=s");
    qsizetype sent = 0;
    QTimer trickle;
    QObject::connect(&trickle, &QTimer::timeout, &trickle, [&] {
        for (Client *client : slow) {
            if (client->isConnected())
                client->send(slowRequest.mid(sent, 1));
        }
        ++sent;
    });
    trickle.start(50);
    QTest::qWait(200);

    Client browser(port);
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(port));
    QVERIFY(browser.waitClosedByServer());
    QCOMPARE(browser.status(), 200);
    QVERIFY(browser.body().contains("Signed in"));
    QCOMPARE(m_handled, 1);
    QCOMPARE(m_lastRequest.queryValues(u"code"_s), QStringList{u"c"_s});
    QVERIFY(sent < slowRequest.size()); // the slow senders were still sending
    trickle.stop();
    // The listener never kept more than its cap: the rest were evicted without an answer.
    int open = 0;
    for (const auto &client : attackers) {
        QVERIFY(client->received().isEmpty());
        open += client->isConnected() ? 1 : 0;
    }
    QVERIFY2(open < LoopbackListener::kMaxConnections, qPrintable(QString::number(open)));
}

void TestLoopbackListener::heldRequestIsNeverEvicted()
{
    QVERIFY(m_listener->listen().ok());
    addHoldingRoute();
    const quint16 port = m_listener->port();

    Client browser(port);
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(port));
    QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), 1, kWaitMs);

    std::vector<std::unique_ptr<Client>> idle;
    for (int i = 0; i < 40; ++i) {
        idle.push_back(std::make_unique<Client>(port));
        QVERIFY(idle.back()->waitConnected());
    }
    QTest::qWait(200);
    QVERIFY(browser.isConnected());
    QVERIFY(m_held.first().isPending());

    QVERIFY(m_held.first().send(LoopbackResponse::signInOutcome(true)));
    QVERIFY(browser.waitClosedByServer());
    QCOMPARE(browser.status(), 200);
    QVERIFY(browser.body().contains("Signed in"));
}

void TestLoopbackListener::closeFreesPortAndSpecificPortReopens()
{
    QVERIFY(m_listener->listen().ok());
    addCountingRoute();
    const quint16 port = m_listener->port();
    {
        Client first(port); // leaves a connection in TIME_WAIT behind
        QVERIFY(first.waitConnected());
        first.send(callbackRequest(port));
        QVERIFY(first.waitClosedByServer());
    }
    m_listener->close();
    QVERIFY(!m_listener->isListening());
    QCOMPARE(m_listener->port(), quint16(0));

    QTcpServer other;
    QVERIFY2(other.listen(QHostAddress::LocalHost, port), qPrintable(other.errorString()));
    other.close();

    const Status reopened = m_listener->listen(port);
    QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().message));
    QCOMPARE(m_listener->port(), port);
    Client second(port);
    QVERIFY(second.waitConnected());
    second.send(callbackRequest(port));
    QVERIFY(second.waitClosedByServer());
    QCOMPARE(second.status(), 200);
    QCOMPARE(m_handled, 2);
}

void TestLoopbackListener::closeFromHandlerStillAnswers()
{
    QVERIFY(m_listener->listen().ok());
    const quint16 port = m_listener->port();
    m_listener->addRoute(u"/callback/test"_s, [this](const HttpRequest &) {
        ++m_handled;
        m_listener->close(); // docs/security.md: close after the first valid callback
        return LoopbackResponse{200, StaticPage::signedIn()};
    });

    Client waiting(port); // an unanswered connection is dropped by close()
    QVERIFY(waiting.waitConnected());
    waiting.send("GET /callback/test");
    QTest::qWait(50);

    Client client(port);
    QVERIFY(client.waitConnected());
    client.send(callbackRequest(port));
    QVERIFY(client.waitClosedByServer());
    QCOMPARE(client.status(), 200);
    QVERIFY(client.body().contains("Signed in"));
    QCOMPARE(m_handled, 1);
    QVERIFY(!m_listener->isListening());
    QVERIFY(waiting.waitClosedByServer(1000));
    QVERIFY(waiting.received().isEmpty());

    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!late.waitForConnected(kWaitMs));
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
}

void TestLoopbackListener::listenOnBusyPortFails()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const Status status = m_listener->listen(occupant.serverPort());
    QVERIFY(!status.ok());
    QCOMPARE(status.error().kind, ErrorKind::Network);
    QVERIFY(status.error().message.contains(QString::number(occupant.serverPort())));
    QVERIFY(!m_listener->isListening());
}

void TestLoopbackListener::deferredRouteAnswersOnceTheOutcomeIsKnown()
{
    m_listener->setHeaderTimeout(std::chrono::milliseconds(200));
    QVERIFY(m_listener->listen().ok());
    addHoldingRoute();
    QSignalSpy handled(m_listener.get(), &LoopbackListener::requestHandled);

    Client browser(m_listener->port());
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(m_listener->port()));
    QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), 1, kWaitMs);
    QCOMPARE(m_lastRequest.queryValues(u"code"_s), QStringList{u"c"_s});

    // Held: no bytes, no close, well past the header timeout (that bounds unfinished requests).
    QTest::qWait(500);
    QVERIFY(browser.isConnected());
    QVERIFY(browser.received().isEmpty());
    QCOMPARE(handled.size(), 0);
    QVERIFY(m_held.first().isPending());

    const LoopbackReply copy = m_held.first();
    QVERIFY(m_held.first().send(LoopbackResponse::signInOutcome(false)));
    QVERIFY(!copy.isPending());
    QVERIFY2(!LoopbackReply(copy).send(LoopbackResponse::signInOutcome(true)), "answered twice");
    QVERIFY(browser.waitClosedByServer());
    QCOMPARE(browser.status(), 400);
    QVERIFY(browser.body().contains("<h1>Sign-in did not complete</h1>"));
    QVERIFY(!browser.body().contains("Signed in"));
    QCOMPARE(browser.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.at(0).at(1).toInt(), 400);
}

void TestLoopbackListener::heldRequestOutlivesClose()
{
    QVERIFY(m_listener->listen().ok());
    const quint16 port = m_listener->port();
    m_listener->addDeferredRoute(u"/callback/test"_s,
                                 [this](const HttpRequest &, LoopbackReply reply) {
                                     m_held.append(reply);
                                     m_listener->close(); // closed after the first valid callback
                                 });
    Client unfinished(port);
    QVERIFY(unfinished.waitConnected());
    unfinished.send("GET /callback/test");
    QTest::qWait(50);

    Client browser(port);
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(port));
    QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), 1, kWaitMs);
    QVERIFY(!m_listener->isListening());
    QVERIFY(unfinished.waitClosedByServer(1000)); // close() drops what is not held
    QTest::qWait(100);
    QVERIFY(browser.isConnected());

    QVERIFY(m_held.first().send(LoopbackResponse::signInOutcome(true)));
    QVERIFY(browser.waitClosedByServer());
    QCOMPARE(browser.status(), 200);
    QVERIFY(browser.body().contains("<h1>Signed in</h1>"));
}

void TestLoopbackListener::replyTimeoutAnswersTheHeldRequest()
{
    QCOMPARE(m_listener->replyTimeout(), std::chrono::milliseconds(15000)); // docs/security.md
    m_listener->setReplyTimeout(std::chrono::milliseconds(400));
    QVERIFY(m_listener->listen().ok());
    addHoldingRoute();
    QSignalSpy handled(m_listener.get(), &LoopbackListener::requestHandled);

    QElapsedTimer elapsed;
    elapsed.start();
    Client browser(m_listener->port());
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(m_listener->port()));
    QVERIFY(browser.waitClosedByServer(kWaitMs));
    QVERIFY2(elapsed.elapsed() >= 350, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(browser.status(), 504);
    QVERIFY(browser.body().contains("<h1>Sign-in did not complete</h1>"));
    QVERIFY(!browser.body().contains("Signed in"));
    QCOMPARE(handled.size(), 1);
    QCOMPARE(handled.at(0).at(1).toInt(), 504);

    // The owner's late answer goes nowhere.
    QCOMPARE(m_held.size(), 1);
    QVERIFY(!m_held.first().isPending());
    QVERIFY(!m_held.first().send(LoopbackResponse::signInOutcome(true)));
    QCOMPARE(handled.size(), 1);
}

void TestLoopbackListener::replyIsSafeAfterTheConnectionOrListenerIsGone()
{
    QVERIFY(m_listener->listen().ok());
    addHoldingRoute();
    for (int i = 0; i < 2; ++i) {
        Client browser(m_listener->port());
        QVERIFY(browser.waitConnected());
        browser.send(callbackRequest(m_listener->port()));
        QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), i + 1, kWaitMs);
        if (i == 0)
            browser.close(); // the tab was closed
    }
    QTRY_VERIFY_WITH_TIMEOUT(!m_held.at(0).isPending(), kWaitMs);
    QVERIFY(!m_held.at(0).send(LoopbackResponse::signInOutcome(true)));

    QVERIFY(m_held.at(1).isPending());
    m_listener.reset();
    QVERIFY(!m_held.at(1).isPending());
    QVERIFY(!m_held.at(1).send(LoopbackResponse::signInOutcome(true)));
    QVERIFY(!LoopbackReply().send(LoopbackResponse::signInOutcome(true)));
}

void TestLoopbackListener::destroyingTheListenerAnswersHeldRequests()
{
    QVERIFY(m_listener->listen().ok());
    addHoldingRoute();
    Client browser(m_listener->port());
    QVERIFY(browser.waitConnected());
    browser.send(callbackRequest(m_listener->port()));
    QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), 1, kWaitMs);

    m_listener.reset(); // the flow that owned it went away without answering
    QVERIFY(browser.waitClosedByServer());
    QCOMPARE(browser.status(), 400);
    QVERIFY(browser.body().contains("<h1>Sign-in did not complete</h1>"));
}

QTEST_GUILESS_MAIN(TestLoopbackListener)
#include "tst_loopbacklistener.moc"
