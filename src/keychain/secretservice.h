#pragma once

// The freedesktop.org Secret Service over D-Bus (GNOME Keyring, KWallet's bridge, KeePassXC):
// only what QtKeychain does not offer — whether the default collection is locked, and asking the
// service to unlock it (it shows its own password prompt). Linux and other freedesktop systems.
//
//   isDefaultCollectionLocked ─► Properties.Get(aliases/default, Collection.Locked) ─► bool
//   unlockDefaultCollection   ─► Service.Unlock([aliases/default]) ─┬─ prompt "/" ─► done
//                                                                   └─ Prompt.Prompt("") ─►
//                                                                      Completed(dismissed) ─► done

#include "core/result.h"

#include <QObject>

#include <functional>

namespace latchkey::secretservice {

/// Calls `callback` with true when the default collection exists and is locked; false when it
/// is unlocked, or when there is no Secret Service or no default collection (nothing to unlock).
/// Never synchronously; not at all once `context` is destroyed.
void isDefaultCollectionLocked(QObject *context, std::function<void(bool)> callback);

/// Asks the Secret Service to unlock the default collection, prompting the person. `callback` gets
/// success once it is unlocked, Cancelled when the prompt was dismissed, or a Keychain error.
/// Never synchronously; not at all once `context` is destroyed.
void unlockDefaultCollection(QObject *context, std::function<void(Status)> callback);

} // namespace latchkey::secretservice
