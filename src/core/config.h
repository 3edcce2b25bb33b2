#pragma once

#include "core/result.h"

#include <latchkey/options.h>

#include <QHash>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

namespace latchkey {

// The configuration is the public Options value (include/latchkey/options.h); these names are the
// library's own for it.
using OidcProviderConfig = ProviderOptions;
using EmailConfig = EmailOptions;
using Config = Options;

/// Parses dotenv/INI-style `KEY=value` text: `#`/`;` comments, optional `export `, single or
/// double quotes, `[section]` lines ignored. Returns an error naming the line on a syntax error.
Result<QHash<QString, QString>> parseKeyValueText(const QString &text, const QString &origin);

/// Reads, merges and validates the configuration. A problem yields one Config error whose message
/// names the key (and where it came from) and what is wrong.
Result<Config> loadConfig(const ConfigSources &sources = {});

} // namespace latchkey
