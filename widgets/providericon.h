#pragma once

// The provider marks their button guidelines ask for (Google's "G", Microsoft's four squares,
// GitHub's mark, light on a dark background). Header-only: the sign-in buttons here and the app's
// lists of sign-in methods (ui/) show the same marks.

#include <latchkey/types.h>

#include <QColor>
#include <QIcon>

namespace latchkey {

/// The mark of a preset drawn on `background`; a provider without a preset gets none.
inline QIcon providerIcon(ProviderPreset preset, const QColor &background)
{
    switch (preset) {
    case ProviderPreset::GitHub:
        return QIcon(background.lightness() < 128
                             ? QStringLiteral(":/latchkey/providers/github-dark.svg")
                             : QStringLiteral(":/latchkey/providers/github.svg"));
    case ProviderPreset::Google:
        return QIcon(QStringLiteral(":/latchkey/providers/google.svg"));
    case ProviderPreset::Microsoft:
        return QIcon(QStringLiteral(":/latchkey/providers/microsoft.svg"));
    case ProviderPreset::GitLab:
        return QIcon(QStringLiteral(":/latchkey/providers/gitlab.svg"));
    case ProviderPreset::Oidc:
    case ProviderPreset::OAuth2:
        break;
    }
    return {};
}

} // namespace latchkey
