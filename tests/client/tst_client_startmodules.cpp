#include "clientoverfakes.h"
#include "core/module.h"

#include <QtTest>

using namespace latchkey;
using namespace latchkey::test;
using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 10000;

} // namespace

/// Start-up maps no cjose, jansson or libcrypto (docs/architecture.md, Layers): with the default
/// (database) session strategy, neither a start, an email sign-in nor the next run's restore loads
/// the jose module.
class TestClientStartModules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void databaseStrategyNeverLoadsJose();
};

void TestClientStartModules::databaseStrategyNeverLoadsJose()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Options options;
    options.databasePath = dir.filePath(u"latchkey.db"_s);
    options.email.from = u"Latchkey <no-reply@latchkey.test>"_s;
    QVERIFY(!module::isLoaded("jose"));
    Fakes fakes;
    auto client = clientOverFakes(options, fakes);
    QVERIFY(client->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::SignedOut, kWaitMs);
    QSignalSpy sent(client.get(), &Client::emailSent);
    QSignalSpy finished(client.get(), &Client::signInFinished);
    client->signInWithEmail(u"ada@example.com"_s);
    QVERIFY(sent.wait(kWaitMs));
    client->submitCode(codeIn(fakes.mailer->messages().last()));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(client->state(), Client::State::SignedIn);
    QVERIFY(!module::isLoaded("jose"));

    // The next run, over the same keychain, restores the session.
    Fakes next;
    auto restored = clientOverFakes(options, next);
    const QStringList keys = fakes.keychain->keys();
    for (const QString &key : keys)
        next.keychain->seed(key, fakes.keychain->value(key));
    client.reset();
    QVERIFY(restored->restore().ok());
    QTRY_COMPARE_WITH_TIMEOUT(restored->state(), Client::State::SignedIn, kWaitMs);
    QVERIFY(!module::isLoaded("jose"));
}

QTEST_MAIN(TestClientStartModules)
#include "tst_client_startmodules.moc"
