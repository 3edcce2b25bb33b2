#include "windowstate.h"

#include <QFileInfo>
#include <QSettings>

namespace latchkey::gui {

WindowState::WindowState(const QString &path, QObject *parent) : QObject(parent), m_path(path)
{
    if (!m_path.isEmpty() && QFileInfo::exists(m_path)) {
        const QSettings file(m_path, QSettings::IniFormat);
        for (const QString &key : file.allKeys())
            m_values.insert(key, file.value(key));
    }
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(kSaveDelayMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &WindowState::save);
}

WindowState::~WindowState() { save(); }

QVariant WindowState::value(const QString &key) const { return m_values.value(key); }

void WindowState::setValue(const QString &key, const QVariant &value)
{
    if (m_path.isEmpty() || m_values.value(key) == value)
        return;
    m_values.insert(key, value);
    m_unsaved.insert(key, value);
    m_saveTimer.start();
}

void WindowState::save()
{
    m_saveTimer.stop();
    if (m_unsaved.isEmpty())
        return;
    QSettings file(m_path, QSettings::IniFormat);
    for (auto it = m_unsaved.cbegin(); it != m_unsaved.cend(); ++it)
        file.setValue(it.key(), it.value());
    m_unsaved.clear();
}

} // namespace latchkey::gui
