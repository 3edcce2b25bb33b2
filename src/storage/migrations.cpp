#include "migrations.h"

namespace latchkey {

namespace {

// Schema v1: docs/architecture.md plus the rate-limit tables (docs/security.md, email). Times are
// INTEGER unix seconds UTC. Every lookup a repository makes has an index (docs/architecture.md:
// costs stay flat).
Migration schemaV1()
{
    return Migration{
            1,
            {
                    // AUTOINCREMENT: a removed user's id is never handed out again, so events that
                    // name it stay truthful.
                    QStringLiteral("CREATE TABLE users ("
                                   " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                                   " name TEXT,"
                                   " email TEXT UNIQUE,"
                                   " email_verified INTEGER,"
                                   " image TEXT,"
                                   " created_at INTEGER NOT NULL,"
                                   " updated_at INTEGER NOT NULL)"),
                    QStringLiteral(
                            "CREATE TABLE accounts ("
                            " id INTEGER PRIMARY KEY,"
                            " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                            " type TEXT NOT NULL CHECK (type IN ('oidc', 'email')),"
                            " provider TEXT NOT NULL,"
                            " provider_account_id TEXT NOT NULL,"
                            " issuer TEXT,"
                            " scope TEXT,"
                            " expires_at INTEGER,"
                            " created_at INTEGER NOT NULL,"
                            " UNIQUE (provider, provider_account_id))"),
                    QStringLiteral("CREATE INDEX accounts_user_id ON accounts(user_id)"),
                    QStringLiteral(
                            "CREATE TABLE sessions ("
                            " id INTEGER PRIMARY KEY,"
                            " token_hash BLOB NOT NULL UNIQUE,"
                            " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
                            " expires INTEGER NOT NULL,"
                            " created_at INTEGER NOT NULL,"
                            " last_seen_at INTEGER NOT NULL,"
                            " device_name TEXT)"),
                    QStringLiteral("CREATE INDEX sessions_user_id ON sessions(user_id)"),
                    QStringLiteral("CREATE INDEX sessions_expires ON sessions(expires)"),
                    QStringLiteral("CREATE TABLE verification_tokens ("
                                   " id INTEGER PRIMARY KEY,"
                                   " identifier TEXT NOT NULL,"
                                   " token_hash BLOB NOT NULL UNIQUE,"
                                   " code_hash BLOB,"
                                   " expires INTEGER NOT NULL,"
                                   " attempts INTEGER NOT NULL DEFAULT 0,"
                                   " created_at INTEGER NOT NULL,"
                                   " callback_port INTEGER)"),
                    QStringLiteral("CREATE INDEX verification_tokens_identifier"
                                   " ON verification_tokens(identifier, created_at)"),
                    QStringLiteral("CREATE INDEX verification_tokens_expires"
                                   " ON verification_tokens(expires)"),
                    // No foreign key: the audit trail outlives the user it mentions.
                    QStringLiteral("CREATE TABLE events ("
                                   " id INTEGER PRIMARY KEY,"
                                   " at INTEGER NOT NULL,"
                                   " kind TEXT NOT NULL,"
                                   " user_id INTEGER,"
                                   " detail TEXT)"),
                    QStringLiteral("CREATE INDEX events_at ON events(at)"),
                    QStringLiteral("CREATE TABLE email_send_log ("
                                   " id INTEGER PRIMARY KEY,"
                                   " identifier TEXT NOT NULL,"
                                   " sent_at INTEGER NOT NULL)"),
                    QStringLiteral("CREATE INDEX email_send_log_identifier_sent_at"
                                   " ON email_send_log(identifier, sent_at)"),
                    QStringLiteral(
                            "CREATE INDEX email_send_log_sent_at ON email_send_log(sent_at)"),
                    QStringLiteral("CREATE TABLE email_failures ("
                                   " identifier TEXT PRIMARY KEY,"
                                   " consecutive INTEGER NOT NULL,"
                                   " updated_at INTEGER NOT NULL) WITHOUT ROWID"),
                    QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId),
            },
    };
}

// Schema v2: wrong codes cool an address down for a while instead of locking it for good, and
// failed links no longer count (docs/security.md, email link and code). The counts kept so far
// included failed links, so they are dropped: no lockout outlives this step.
Migration schemaV2()
{
    return Migration{
            2,
            {
                    QStringLiteral("DELETE FROM email_failures"),
                    QStringLiteral("ALTER TABLE email_failures"
                                   " ADD COLUMN cooldowns INTEGER NOT NULL DEFAULT 0"),
                    QStringLiteral("ALTER TABLE email_failures ADD COLUMN locked_until INTEGER"),
                    QStringLiteral("ALTER TABLE email_failures"
                                   " ADD COLUMN expires INTEGER NOT NULL DEFAULT 0"),
                    QStringLiteral(
                            "CREATE INDEX email_failures_expires ON email_failures(expires)"),
            },
    };
}

// Schema v3: each account notes since when the keychain may hold its provider tokens, so that a
// start after a crash in a sign-in or sign-out finds tokens no session uses any more
// (docs/security.md, crash consistency). Accounts from before may hold some: the next start looks.
Migration schemaV3()
{
    return Migration{
            3,
            {
                    QStringLiteral("ALTER TABLE accounts ADD COLUMN tokens_stored_at INTEGER"),
                    QStringLiteral("UPDATE accounts SET tokens_stored_at = created_at"
                                   " WHERE type = 'oidc'"),
                    QStringLiteral("CREATE INDEX accounts_tokens_stored_at"
                                   " ON accounts(tokens_stored_at)"
                                   " WHERE tokens_stored_at IS NOT NULL"),
            },
    };
}

// Schema v4: several accounts on one device (docs/architecture.md, accounts on this device). Each
// account signed in here has a row and its own keychain entry `session/<user id>`; at most one is
// active, the one the next start opens. `device_state` holds what this device remembers besides
// (the last view). Databases from before kept one session under the keychain entry `session`:
// the next start moves it to the new name once. Sessions note how they signed in and when the
// person last proved it (sign-in or step-up), for actions that need a recent sign-in.
Migration schemaV4()
{
    return Migration{
            4,
            {
                    QStringLiteral(
                            "CREATE TABLE device_accounts ("
                            " user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
                            " active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),"
                            " last_used_at INTEGER NOT NULL)"),
                    QStringLiteral("CREATE UNIQUE INDEX device_accounts_one_active"
                                   " ON device_accounts(active) WHERE active = 1"),
                    QStringLiteral("CREATE TABLE device_state ("
                                   " key TEXT PRIMARY KEY,"
                                   " value TEXT NOT NULL) WITHOUT ROWID"),
                    QStringLiteral("ALTER TABLE sessions ADD COLUMN method TEXT"),
                    QStringLiteral("ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER"),
                    QStringLiteral("UPDATE sessions SET authenticated_at = created_at"),
                    QStringLiteral("INSERT INTO device_state (key, value)"
                                   " SELECT 'legacy_session', '1'"
                                   " WHERE EXISTS (SELECT 1 FROM sessions)"),
            },
    };
}

// Schema v5: the revocation queue (docs/security.md). A provider token about to be revoked at
// sign-out is noted here, sealed with the keychain's revocation key, before its keychain entries
// are erased, and removed once the provider answered; what could not reach the provider (or a
// crash cut short) is tried again later. Accounts note when their provider last sent tokens
// (Profile shows it).
Migration schemaV5()
{
    return Migration{
            5,
            {
                    QStringLiteral("CREATE TABLE pending_revocations ("
                                   " id INTEGER PRIMARY KEY,"
                                   " provider TEXT NOT NULL,"
                                   " token_type_hint TEXT NOT NULL,"
                                   " sealed BLOB NOT NULL,"
                                   " queued_at INTEGER NOT NULL,"
                                   " attempts INTEGER NOT NULL DEFAULT 0,"
                                   " next_attempt_at INTEGER NOT NULL)"),
                    QStringLiteral("ALTER TABLE accounts ADD COLUMN refreshed_at INTEGER"),
                    QStringLiteral("UPDATE accounts SET refreshed_at = tokens_stored_at"),
            },
    };
}

// Schema v6: the jwt session strategy (docs/architecture.md, session strategies). Its sessions
// have no rows: a token carries the user's session generation, and signing the user out moves
// the generation on, which ends every token issued before. Device accounts note when their jwt
// session runs out, as the sessions table says it for the database strategy.
Migration schemaV6()
{
    return Migration{
            6,
            {
                    QStringLiteral("ALTER TABLE users ADD COLUMN session_generation INTEGER"
                                   " NOT NULL DEFAULT 0"),
                    QStringLiteral(
                            "ALTER TABLE device_accounts ADD COLUMN session_expires INTEGER"),
            },
    };
}

} // namespace

const std::vector<Migration> &schemaMigrations()
{
    static const std::vector<Migration> migrations{schemaV1(), schemaV2(), schemaV3(),
                                                   schemaV4(), schemaV5(), schemaV6()};
    return migrations;
}

} // namespace latchkey
