#pragma once

#include <QLoggingCategory>

// One category per module. Never log tokens, codes, verifiers, authorization codes, passwords or
// raw requests (docs/security.md).
Q_DECLARE_LOGGING_CATEGORY(lcCore)
Q_DECLARE_LOGGING_CATEGORY(lcStorage)
Q_DECLARE_LOGGING_CATEGORY(lcKeychain)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcMail)
Q_DECLARE_LOGGING_CATEGORY(lcOidc)
Q_DECLARE_LOGGING_CATEGORY(lcEmail)
Q_DECLARE_LOGGING_CATEGORY(lcSession)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
