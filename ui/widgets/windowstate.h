#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <QVariantMap>

namespace latchkey::gui {

/// The window's own small state in `window.ini` (the last view, whether the keyring was
/// explained). The file is read once; a change is seen at once by value() and written a moment
/// later, so a sign-in's Dashboard is painted before a settings write (which locks the file and
/// syncs it to disk) is made. Whatever is still unwritten is written when this object goes.
class WindowState : public QObject
{
    Q_OBJECT

public:
    /// How long a change waits before it is written.
    static constexpr int kSaveDelayMs = 500;

    /// `path` empty: nothing is read or written (a client without a data folder on disk).
    explicit WindowState(const QString &path, QObject *parent = nullptr);
    ~WindowState() override;

    QVariant value(const QString &key) const;
    void setValue(const QString &key, const QVariant &value);

private:
    void save();

    QString m_path;
    QVariantMap m_values;
    QVariantMap m_unsaved;
    QTimer m_saveTimer;
};

} // namespace latchkey::gui
