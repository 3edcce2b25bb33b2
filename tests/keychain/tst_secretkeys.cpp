#include "keychain/secretkeys.h"

#include <QSet>
#include <QTest>

using namespace latchkey;
using namespace latchkey::secretkeys;
using namespace Qt::StringLiterals;

namespace {

bool isShortAscii(const QString &key)
{
    if (key.isEmpty() || key.size() > 200)
        return false;
    for (QChar c : key) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

} // namespace

class TestSecretKeys : public QObject
{
    Q_OBJECT

private slots:
    void fixedNamesAreStable()
    {
        // These names are persisted in users' keychains: renaming one signs everybody out.
        QCOMPARE(sessionToken(7), u"session/7"_s);
        QCOMPARE(legacySessionToken(), u"session"_s);
        QCOMPARE(jwtSessionKey(), u"jwt-key"_s);
        QCOMPARE(installSecret(), u"install-secret"_s);
        QCOMPARE(providerToken(u"google"_s, u"12"_s, TokenPurpose::Refresh),
                 u"tok/google/12/refresh"_s);
        QCOMPARE(providerToken(u"google"_s, u"12"_s, TokenPurpose::Access),
                 u"tok/google/12/access"_s);
        QCOMPARE(providerToken(u"google"_s, u"12"_s, TokenPurpose::Id), u"tok/google/12/id"_s);
    }

    void providerTokenKeys_data()
    {
        QTest::addColumn<QString>("providerId");
        QTest::addColumn<QString>("accountId");
        QTest::newRow("plain") << u"acme"_s << u"7"_s;
        QTest::newRow("slash in provider") << u"a/b"_s << u"c"_s;
        QTest::newRow("slash in account") << u"a"_s << u"b/c"_s;
        QTest::newRow("percent") << u"a%2Fb"_s << u"c"_s;
        QTest::newRow("non-ASCII") << u"프로바이더"_s << u"계정"_s;
        QTest::newRow("space and control") << u"my idp"_s << u"x\ny"_s;
    }

    void providerTokenKeys()
    {
        QFETCH(QString, providerId);
        QFETCH(QString, accountId);
        const QStringList keys = providerTokens(providerId, accountId);
        QCOMPARE(keys.size(), 3);
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), 3);
        for (const QString &key : keys)
            QVERIFY2(isShortAscii(key), qPrintable(key));
        QVERIFY(keys.contains(providerToken(providerId, accountId, TokenPurpose::Refresh)));
    }

    void distinctInputsGiveDistinctKeys()
    {
        // A '/' or '%' inside an id must not let one account's key name another's.
        const QStringList keys = {
                providerToken(u"a/b"_s, u"c"_s, TokenPurpose::Refresh),
                providerToken(u"a"_s, u"b/c"_s, TokenPurpose::Refresh),
                providerToken(u"a%2Fb"_s, u"c"_s, TokenPurpose::Refresh),
                providerToken(u"a"_s, u"b"_s, TokenPurpose::Refresh),
                providerToken(u"b"_s, u"a"_s, TokenPurpose::Refresh),
                sessionToken(1),
                sessionToken(11),
                legacySessionToken(),
                jwtSessionKey(),
                installSecret(),
        };
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), keys.size());
    }
};

QTEST_GUILESS_MAIN(TestSecretKeys)
#include "tst_secretkeys.moc"
