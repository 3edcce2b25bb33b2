#include "logging.h"

Q_LOGGING_CATEGORY(lcCore, "latchkey.core")
Q_LOGGING_CATEGORY(lcStorage, "latchkey.storage")
Q_LOGGING_CATEGORY(lcKeychain, "latchkey.keychain")
Q_LOGGING_CATEGORY(lcNet, "latchkey.net")
Q_LOGGING_CATEGORY(lcMail, "latchkey.mail")
Q_LOGGING_CATEGORY(lcOidc, "latchkey.oidc")
Q_LOGGING_CATEGORY(lcEmail, "latchkey.email")
Q_LOGGING_CATEGORY(lcSession, "latchkey.session")
Q_LOGGING_CATEGORY(lcAuth, "latchkey.auth")
