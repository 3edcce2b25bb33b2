#include "net/httprequestparser.h"

#include <QTest>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

using namespace latchkey;
using namespace Qt::StringLiterals;

using QueryList = QList<QPair<QString, QString>>;
using State = HttpParseResult::State;

namespace {

// What Debian chromium sends for a redirect to the loopback listener.
const QByteArray kChromiumRequest =
        "GET /callback/google?state=s-123&iss=http%3A%2F%2F127.0.0.1%3A9000&code=4%2F0Aabc-_.~ "
        "HTTP/1.1\r\n"
        "Host: 127.0.0.1:51234\r\n"
        "Connection: keep-alive\r\n"
        "sec-ch-ua: \"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"99\"\r\n"
        "sec-ch-ua-mobile: ?0\r\n"
        "Upgrade-Insecure-Requests: 1\r\n"
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/156.0.0.0 Safari/537.36\r\n"
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        "Sec-Fetch-Site: cross-site\r\n"
        "Sec-Fetch-Mode: navigate\r\n"
        "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        "Accept-Language: en-US,en;q=0.9\r\n"
        "\r\n";

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {})
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n" + extraHeaders + "\r\n";
}

// The first bytes of a TLS 1.2 ClientHello (a browser speaking https:// to the http listener).
const QByteArray kTlsClientHello = QByteArray::fromHex(
        "16030100f8010000f40303d7a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
        "20e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff000813021303130100ff01"
        "000000");

// Calls the parser with `input` placed at the very end of a page followed by a PROT_NONE page,
// so any read past the input faults (picohttpparser's test.c technique).
class GuardedBuffer
{
public:
    GuardedBuffer()
    {
        m_pageSize = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        void *mapped = mmap(nullptr, 2 * m_pageSize, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped != MAP_FAILED) {
            m_base = static_cast<char *>(mapped);
            if (mprotect(m_base + m_pageSize, m_pageSize, PROT_NONE) != 0) {
                munmap(m_base, 2 * m_pageSize);
                m_base = nullptr;
            }
        }
    }
    ~GuardedBuffer()
    {
        if (m_base)
            munmap(m_base, 2 * m_pageSize);
    }
    GuardedBuffer(const GuardedBuffer &) = delete;
    GuardedBuffer &operator=(const GuardedBuffer &) = delete;

    bool isValid() const { return m_base != nullptr; }
    size_t capacity() const { return m_pageSize; }

    HttpParseResult parse(const QByteArray &input, const HttpParseLimits &limits = {}) const
    {
        const size_t size = static_cast<size_t>(input.size());
        char *start = m_base + m_pageSize - size;
        std::memcpy(start, input.constData(), size);
        return parseHttpRequest(QByteArrayView(start, input.size()), limits);
    }

private:
    size_t m_pageSize = 0;
    char *m_base = nullptr;
};

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void complete_data();
    void complete();
    void query_data();
    void query();
    void invalid_data();
    void invalid();
    void rejectsEarly_data();
    void rejectsEarly();
    void incrementalDelivery_data();
    void incrementalDelivery();
    void limits_data();
    void limits();
    void guardedPage_data();
    void guardedPage();
};

void TestHttpRequestParser::complete_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("minorVersion");
    QTest::addColumn<qsizetype>("consumed");

    QTest::newRow("chromium redirect") << kChromiumRequest << u"/callback/google"_s
                                       << u"127.0.0.1:51234"_s << 1 << kChromiumRequest.size();
    const QByteArray http10 = "GET /x HTTP/1.0\r\nHost: 127.0.0.1:1\r\n\r\n";
    QTest::newRow("HTTP/1.0") << http10 << u"/x"_s << u"127.0.0.1:1"_s << 0 << http10.size();
    const QByteArray raw = get("/callback/te%73t?a=1");
    QTest::newRow("path kept raw")
            << raw << u"/callback/te%73t"_s << u"127.0.0.1:8080"_s << 1 << raw.size();
    const QByteArray trailing = get("/a") + "GET /b HTTP/1.1\r\n";
    QTest::newRow("bytes after the head are not consumed")
            << trailing << u"/a"_s << u"127.0.0.1:8080"_s << 1 << get("/a").size();
    const QByteArray lowerHost = "GET / HTTP/1.1\r\nhOsT:127.0.0.1:9   \r\n\r\n";
    QTest::newRow("header name case-insensitive, value trimmed")
            << lowerHost << u"/"_s << u"127.0.0.1:9"_s << 1 << lowerHost.size();
    const QByteArray zeroLength = get("/", "Content-Length: 0\r\n");
    QTest::newRow("Content-Length 0")
            << zeroLength << u"/"_s << u"127.0.0.1:8080"_s << 1 << zeroLength.size();
    const QByteArray browserChars = get("/p|{x}?q=a|b^c`d");
    QTest::newRow("characters browsers leave unencoded")
            << browserChars << u"/p|{x}"_s << u"127.0.0.1:8080"_s << 1 << browserChars.size();
}

void TestHttpRequestParser::complete()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(int, minorVersion);
    QFETCH(qsizetype, consumed);

    const HttpParseResult result = parseHttpRequest(input);
    QVERIFY2(result.complete(), qPrintable(result.reason));
    QCOMPARE(result.request.method, QByteArray("GET"));
    QCOMPARE(result.request.path, path);
    QCOMPARE(result.request.host, host);
    QCOMPARE(result.request.minorVersion, minorVersion);
    QCOMPARE(result.consumed, consumed);
    QCOMPARE(result.request.header("HOST"), host.toLatin1());
}

void TestHttpRequestParser::query_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QueryList>("query");

    QTest::newRow("none") << QByteArray("/cb") << QueryList{};
    QTest::newRow("empty") << QByteArray("/cb?") << QueryList{};
    QTest::newRow("code and state") << QByteArray("/cb?code=4%2F0Ab&state=xyz")
                                    << QueryList{{u"code"_s, u"4/0Ab"_s}, {u"state"_s, u"xyz"_s}};
    QTest::newRow("plus is space, %2B is plus")
            << QByteArray("/cb?error_description=access+denied%2Bmore")
            << QueryList{{u"error_description"_s, u"access denied+more"_s}};
    QTest::newRow("duplicates preserved") << QByteArray("/cb?state=a&state=b")
                                          << QueryList{{u"state"_s, u"a"_s}, {u"state"_s, u"b"_s}};
    QTest::newRow("key without value, empty value, empty parts skipped")
            << QByteArray("/cb?flag&&empty=&=v&")
            << QueryList{{u"flag"_s, QString()}, {u"empty"_s, QString()}, {QString(), u"v"_s}};
    QTest::newRow("value containing '='")
            << QByteArray("/cb?a=b=c") << QueryList{{u"a"_s, u"b=c"_s}};
    QTest::newRow("UTF-8") << QByteArray("/cb?name=%ED%95%9C%EA%B8%80")
                           << QueryList{{u"name"_s, u"\uD55C\uAE00"_s}};
}

void TestHttpRequestParser::query()
{
    QFETCH(QByteArray, target);
    QFETCH(QueryList, query);

    const HttpParseResult result = parseHttpRequest(get(target));
    QVERIFY2(result.complete(), qPrintable(result.reason));
    QCOMPARE(result.request.query, query);
    QCOMPARE(result.request.path, u"/cb"_s);
}

void TestHttpRequestParser::invalid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");

    QTest::newRow("garbage") << QByteArray("\x01\x02\x03\xff\xfe garbage\r\n\r\n", 16) << 400;
    QTest::newRow("TLS ClientHello") << kTlsClientHello << 400;
    QTest::newRow("empty line first") << QByteArray("\r\nGET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("POST") << QByteArray("POST /cb HTTP/1.1\r\nHost: h\r\n\r\n") << 405;
    QTest::newRow("PUT") << QByteArray("PUT /cb HTTP/1.1\r\nHost: h\r\n\r\n") << 405;
    QTest::newRow("CONNECT") << QByteArray("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: h\r\n\r\n")
                             << 405;
    QTest::newRow("HEAD") << QByteArray("HEAD /cb HTTP/1.1\r\nHost: h\r\n\r\n") << 405;
    QTest::newRow("lower-case get") << QByteArray("get /cb HTTP/1.1\r\nHost: h\r\n\r\n") << 405;
    QTest::newRow("two spaces") << QByteArray("GET  /cb HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("tab separator") << QByteArray("GET\t/cb HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\nHost: h\r\n\r\n") << 505;
    QTest::newRow("no version") << QByteArray("GET /\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("HTTP/11") << QByteArray("GET / HTTP/11\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("absolute-form")
            << QByteArray("GET http://127.0.0.1:1/cb HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("asterisk-form") << QByteArray("GET * HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("authority-form")
            << QByteArray("GET 127.0.0.1:1 HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("fragment in target") << get("/cb#frag") << 400;
    QTest::newRow("non-ASCII in target") << get("/cb?x=\xc3\xa9") << 400;
    QTest::newRow("duplicate Host") << get("/", "Host: 127.0.0.1:8080\r\n") << 400;
    QTest::newRow("missing Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("missing Host in HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << 400;
    QTest::newRow("Host with space") << QByteArray("GET / HTTP/1.1\r\nHost: a b\r\n\r\n") << 400;
    QTest::newRow("Host with comma") << QByteArray("GET / HTTP/1.1\r\nHost: a,b\r\n\r\n") << 400;
    QTest::newRow("bare LF everywhere") << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << 400;
    QTest::newRow("bare LF after header") << QByteArray("GET / HTTP/1.1\r\nHost: h\n\r\n") << 400;
    QTest::newRow("bare LF at end") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\n") << 400;
    QTest::newRow("bare CR in value") << QByteArray("GET / HTTP/1.1\r\nHost: h\rX\r\n\r\n") << 400;
    QTest::newRow("bare CR at end") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\rX") << 400;
    QTest::newRow("obs-fold") << get("/", "X-A: one\r\n two\r\n") << 400;
    QTest::newRow("obs-fold with tab") << get("/", "X-A: one\r\n\ttwo\r\n") << 400;
    QTest::newRow("space before colon") << get("/", "X-A : v\r\n") << 400;
    QTest::newRow("header name not a token") << get("/", "X(A): v\r\n") << 400;
    QTest::newRow("empty header name") << get("/", ": v\r\n") << 400;
    QTest::newRow("header without colon") << get("/", "X-A\r\n") << 400;
    QTest::newRow("control char in value") << get("/", "X-A: a\x01z\r\n") << 400;
    QTest::newRow("Content-Length body") << get("/", "Content-Length: 5\r\n") + "hello" << 400;
    QTest::newRow("Content-Length not a number") << get("/", "Content-Length: abc\r\n") << 400;
    QTest::newRow("Content-Length twice")
            << get("/", "Content-Length: 0\r\nContent-Length: 0\r\n") << 400;
    QTest::newRow("Transfer-Encoding") << get("/", "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n"
                                       << 400;
    QTest::newRow("bad percent in query") << get("/cb?code=%zz") << 400;
    QTest::newRow("truncated percent in query") << get("/cb?code=%4") << 400;
    QTest::newRow("percent at end of query") << get("/cb?code=%") << 400;
    QTest::newRow("bad percent in path") << get("/cb%g1") << 400;
    QTest::newRow("percent-encoded NUL") << get("/cb?code=a%00b") << 400;
    QTest::newRow("invalid UTF-8 in query") << get("/cb?code=%C3%28") << 400;
    QTest::newRow("truncated UTF-8 in query") << get("/cb?code=%C3") << 400;
    QTest::newRow("NUL in method") << QByteArray("GE\0T / HTTP/1.1\r\nHost: h\r\n\r\n", 29) << 400;
    QTest::newRow("NUL in target")
            << QByteArray("GET /c\0b HTTP/1.1\r\nHost: h\r\n\r\n", 31) << 400;
    QTest::newRow("NUL in header value")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\0\r\n\r\n", 28) << 400;
    QTest::newRow("NUL in header name")
            << QByteArray("GET / HTTP/1.1\r\nHo\0st: h\r\n\r\n", 28) << 400;
    QTest::newRow("oversize header") << get("/", "X-Big: " + QByteArray(9000, 'a') + "\r\n") << 431;
    QTest::newRow("oversize target") << get("/" + QByteArray(9000, 'a')) << 414;
    QByteArray many;
    for (int i = 0; i < 65; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("too many headers") << get("/", many) << 431;
}

void TestHttpRequestParser::invalid()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);

    const HttpParseResult result = parseHttpRequest(input);
    QCOMPARE(result.state, State::Invalid);
    QCOMPARE(result.status, status);
    QVERIFY(!result.reason.isEmpty());
    QCOMPARE(result.consumed, 0);
}

void TestHttpRequestParser::rejectsEarly_data()
{
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<int>("status");

    // A client that sends these and then waits must get an answer, not an idle timeout.
    QTest::newRow("first byte of a ClientHello") << QByteArray("\x16") << 400;
    QTest::newRow("POST") << QByteArray("POST") << 405;
    QTest::newRow("absolute-form") << QByteArray("GET h") << 400;
    QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2.0") << 505;
    QTest::newRow("NUL in target") << QByteArray("GET /\0", 6) << 400;
    QTest::newRow("bare LF after request line") << QByteArray("GET / HTTP/1.1\n") << 400;
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n ") << 400;
}

void TestHttpRequestParser::rejectsEarly()
{
    QFETCH(QByteArray, prefix);
    QFETCH(int, status);

    const HttpParseResult result = parseHttpRequest(prefix);
    QCOMPARE(result.state, State::Invalid);
    QCOMPARE(result.status, status);
}

void TestHttpRequestParser::incrementalDelivery_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("chromium") << kChromiumRequest;
    QTest::newRow("minimal") << QByteArray("GET / HTTP/1.0\r\nHost: 127.0.0.1:1\r\n\r\n");
}

void TestHttpRequestParser::incrementalDelivery()
{
    QFETCH(QByteArray, input);

    // One byte at a time: every proper prefix needs more, the full head is complete.
    for (qsizetype n = 0; n < input.size(); ++n) {
        const HttpParseResult partial = parseHttpRequest(QByteArrayView(input).first(n));
        QVERIFY2(partial.needMore(),
                 qPrintable(u"prefix of %1 bytes: %2"_s.arg(n).arg(partial.reason)));
    }
    const HttpParseResult full = parseHttpRequest(input);
    QVERIFY(full.complete());
    QCOMPARE(full.consumed, input.size());
}

void TestHttpRequestParser::limits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qsizetype>("maxHeadBytes");
    QTest::addColumn<int>("status"); // 0 = complete, -1 = need more

    const QByteArray head = get("/cb?code=abc");
    QTest::newRow("exactly at the cap") << head << head.size() << 0;
    QTest::newRow("one byte over") << head << head.size() - 1 << 431;
    QTest::newRow("request line over") << head << qsizetype(10) << 414;
    QTest::newRow("incomplete below the cap") << head.first(20) << head.size() << -1;
    QTest::newRow("incomplete at the cap") << head.first(20) << qsizetype(20) << 414;
    const QByteArray at8k =
            get("/", "X-Pad: " + QByteArray(8192 - get("/").size() - 9, 'p') + "\r\n");
    QTest::newRow("8 KiB default") << at8k << qsizetype(8192) << 0;
    QTest::newRow("8 KiB + 1") << get("/",
                                      "X-Pad: " + QByteArray(8192 - get("/").size() - 8, 'p') +
                                              "\r\n")
                               << qsizetype(8192) << 431;
}

void TestHttpRequestParser::limits()
{
    QFETCH(QByteArray, input);
    QFETCH(qsizetype, maxHeadBytes);
    QFETCH(int, status);

    HttpParseLimits limits;
    limits.maxHeadBytes = maxHeadBytes;
    const HttpParseResult result = parseHttpRequest(input, limits);
    if (maxHeadBytes == 8 * 1024) // the default cap is docs/security.md's 8 KiB
        QCOMPARE(parseHttpRequest(input).state, result.state);
    if (status == 0) {
        QVERIFY2(result.complete(), qPrintable(result.reason));
        QCOMPARE(result.consumed, input.size());
    } else if (status < 0) {
        QVERIFY(result.needMore());
    } else {
        QCOMPARE(result.state, State::Invalid);
        QCOMPARE(result.status, status);
    }
}

void TestHttpRequestParser::guardedPage_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("expectedState");

    QTest::newRow("chromium") << kChromiumRequest << int(State::Complete);
    QTest::newRow("query at the end") << get("/cb?code=%41%42&state=a+b") << int(State::Complete);
    QTest::newRow("ClientHello") << kTlsClientHello << int(State::Invalid);
    QTest::newRow("percent at the very end") << QByteArray("GET /cb?x=%") << int(State::NeedMore);
    QTest::newRow("CR at the very end") << QByteArray("GET / HTTP/1.1\r") << int(State::NeedMore);
    QTest::newRow("header CR at the end")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r") << int(State::NeedMore);
    QTest::newRow("final CR at the end")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r") << int(State::NeedMore);
    QTest::newRow("long header") << get("/", "X: " + QByteArray(3000, 'x') + "\r\n")
                                 << int(State::Complete);
}

void TestHttpRequestParser::guardedPage()
{
    QFETCH(QByteArray, input);
    QFETCH(int, expectedState);

    GuardedBuffer guarded;
    QVERIFY(guarded.isValid());
    QVERIFY(size_t(input.size()) <= guarded.capacity());
    // Every prefix ends right before the PROT_NONE page; an over-read crashes the test.
    for (qsizetype n = 0; n <= input.size(); ++n) {
        const QByteArray prefix = input.first(n);
        const HttpParseResult onPage = guarded.parse(prefix);
        const HttpParseResult reference = parseHttpRequest(prefix);
        QCOMPARE(onPage.state, reference.state);
        QCOMPARE(onPage.status, reference.status);
        QCOMPARE(onPage.request.query, reference.request.query);
    }
    QCOMPARE(int(guarded.parse(input).state), expectedState);
    // The same at a cap smaller than the input: the cap check must not read ahead either.
    HttpParseLimits small;
    small.maxHeadBytes = input.size() / 2;
    QVERIFY(guarded.parse(input, small).invalid() || input.size() < 2);
}

QTEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
