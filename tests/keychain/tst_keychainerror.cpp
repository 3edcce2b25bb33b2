#include "keychain/keychainerror.h"

#include <QTest>

using namespace latchkey;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(QKeychain::Error)
Q_DECLARE_METATYPE(KeychainOperation)
Q_DECLARE_METATYPE(ErrorKind)

class TestKeychainError : public QObject
{
    Q_OBJECT

private slots:
    void noErrorIsSuccess_data()
    {
        QTest::addColumn<KeychainOperation>("operation");
        QTest::newRow("read") << KeychainOperation::Read;
        QTest::newRow("write") << KeychainOperation::Write;
        QTest::newRow("remove") << KeychainOperation::Remove;
    }

    void noErrorIsSuccess()
    {
        QFETCH(KeychainOperation, operation);
        QVERIFY(keychainStatus(QKeychain::NoError, QString(), operation).ok());
    }

    void mapping_data()
    {
        QTest::addColumn<QKeychain::Error>("code");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<KeychainOperation>("operation");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("number");
        // Phrases a person needs: what happened, and what to do.
        QTest::addColumn<QStringList>("phrases");

        const auto write = KeychainOperation::Write;
        const auto read = KeychainOperation::Read;
        const auto remove = KeychainOperation::Remove;
        QTest::newRow("no session bus")
                << QKeychain::OtherError << u"Could not connect: No such file or directory"_s
                << write << ErrorKind::Keychain << u"7"_s
                << QStringList{u"The system keychain is not available"_s,
                               u"(Could not connect: No such file or directory)"_s,
                               u"Start and unlock your keyring (GNOME Keyring, KWallet)"_s,
                               u"will not store your sign-in until then"_s};
        QTest::newRow("other error without detail")
                << QKeychain::OtherError << QString() << read << ErrorKind::Keychain << u"7"_s
                << QStringList{u"The system keychain is not available. Start"_s};
        QTest::newRow("locked on write")
                << QKeychain::AccessDenied << u"Cannot create an item in a locked collection"_s
                << write << ErrorKind::Keychain << u"4"_s
                << QStringList{u"The keychain is locked"_s,
                               u"(Cannot create an item in a locked collection)"_s,
                               u"save your sign-in"_s, u"Unlock it"_s};
        QTest::newRow("entry not found")
                << QKeychain::EntryNotFound << u"Entry not found"_s << read << ErrorKind::NotFound
                << u"1"_s << QStringList{u"Nothing is stored"_s};
        QTest::newRow("could not delete")
                << QKeychain::CouldNotDeleteEntry << u"denied"_s << remove << ErrorKind::Keychain
                << u"2"_s << QStringList{u"could not delete"_s, u"Unlock your keyring"_s};
        QTest::newRow("denied by user")
                << QKeychain::AccessDeniedByUser << QString() << read << ErrorKind::Keychain
                << u"3"_s << QStringList{u"refused"_s, u"read your sign-in"_s, u"allow access"_s};
        QTest::newRow("no backend")
                << QKeychain::NoBackendAvailable << QString() << write << ErrorKind::Keychain
                << u"5"_s << QStringList{u"No system keychain"_s, u"Install and start"_s};
        QTest::newRow("not implemented")
                << QKeychain::NotImplemented << QString() << remove << ErrorKind::Keychain << u"6"_s
                << QStringList{u"cannot do this"_s, u"delete your sign-in"_s};
    }

    void mapping()
    {
        QFETCH(QKeychain::Error, code);
        QFETCH(QString, detail);
        QFETCH(KeychainOperation, operation);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, number);
        QFETCH(QStringList, phrases);

        const Status status = keychainStatus(code, detail, operation);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().kind, kind);
        QCOMPARE(status.error().reason, number);
        for (const QString &phrase : phrases)
            QVERIFY2(status.error().message.contains(phrase),
                     qPrintable(u"\""_s + phrase + u"\" not in: "_s + status.error().message));
        QVERIFY(!status.error().message.contains(u"()"_s));
    }

    void timeout_data() { noErrorIsSuccess_data(); }

    void timeout()
    {
        QFETCH(KeychainOperation, operation);
        const Error error = keychainTimeoutError(operation, 3000);
        QCOMPARE(error.kind, ErrorKind::Timeout);
        QCOMPARE(error.reason, u"timeout"_s);
        QVERIFY2(error.message.contains(u"within 3 s"_s), qPrintable(error.message));
        QVERIFY(error.message.contains(u"unlock your keyring"_s));
    }
};

QTEST_GUILESS_MAIN(TestKeychainError)
#include "tst_keychainerror.moc"
