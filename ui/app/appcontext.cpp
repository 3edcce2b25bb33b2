#include "appcontext.h"

#include "auth/authservice.h"
#include "keychain/memorysecretstore.h"
#include "keychain/qtkeychainstore.h"
#include "mail/outboxmailer.h"
#include "mail/smtpmailer.h"
#include "storage/database.h"

namespace latchkey::app {

AppContext::AppContext(Config config) : m_config(std::move(config)) { }

AppContext::~AppContext()
{
    m_auth.reset(); // before the adapters it uses
}

Result<std::unique_ptr<AppContext>> AppContext::create(Config config)
{
    std::unique_ptr<AppContext> context(new AppContext(std::move(config)));
    auto db = Database::open(context->m_config.databasePath);
    if (!db)
        return db.error();
    context->m_db = std::move(db).value();

    auto keychain = std::make_unique<QtKeychainStore>();
    keychain->setService(context->m_config.keychainService);
    context->m_keychain = std::move(keychain);
    context->m_memory = std::make_unique<MemorySecretStore>();

    const EmailConfig &email = context->m_config.email;
    if (context->m_config.usesOutbox()) {
        context->m_mailer = std::make_unique<OutboxMailer>(context->m_config.outboxDir);
    } else {
        SmtpSettings settings;
        settings.server = email.server;
        settings.username = email.username;
        settings.password = email.password;
        settings.caFile = email.caFile;
        settings.requireTls = email.requireTls;
        if (auto valid = SmtpMailer::validate(settings); !valid)
            return valid.error();
        context->m_mailer = std::make_unique<SmtpMailer>(settings);
    }
    context->m_auth =
            std::make_unique<AuthService>(context->m_config, *context->m_db, *context->m_keychain,
                                          *context->m_memory, *context->m_mailer, context->m_clock);
    return context;
}

QString AppContext::outboxDir() const
{
    return m_config.usesOutbox() ? m_config.outboxDir : QString();
}

} // namespace latchkey::app
