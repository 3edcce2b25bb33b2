#include <latchkey/widgets/sessiongate.h>

namespace latchkey {

SessionGate::SessionGate(Client &client, QWidget *parent) : QStackedWidget(parent), m_client(client)
{
    setObjectName(QStringLiteral("sessionGate"));
    connect(&client, &Client::stateChanged, this, [this](Client::State) { rebuild(); });
    connect(&client, &Client::sessionChanged, this, [this]() {
        if (m_client.state() != Client::State::SignedIn)
            rebuild();
    });
}

SessionGate::~SessionGate() = default;

void SessionGate::setFactory(Factory factory)
{
    m_factory = std::move(factory);
    rebuild();
}

void SessionGate::setSignedOutWidget(QWidget *widget)
{
    if (m_signedOut) {
        removeWidget(m_signedOut);
        m_signedOut->deleteLater();
    }
    m_signedOut = widget;
    if (widget)
        addWidget(widget);
    rebuild();
}

QWidget *SessionGate::protectedWidget() const { return m_content; }

void SessionGate::refresh()
{
    if (m_content) {
        removeWidget(m_content);
        m_content->deleteLater();
        m_content = nullptr;
        emit openChanged(false);
    }
    rebuild();
}

void SessionGate::rebuild()
{
    const bool signedIn = m_client.state() == Client::State::SignedIn;
    if (!signedIn && m_content) {
        // Fail closed: the protected widget never outlives the session.
        removeWidget(m_content);
        m_content->deleteLater();
        m_content = nullptr;
        emit openChanged(false);
    }
    if (signedIn && !m_content && m_factory) {
        // Built only from a session the database confirmed a moment ago.
        auto session = m_client.validSession();
        if (session) {
            m_content = m_factory(session.value());
            if (m_content) {
                addWidget(m_content);
                setCurrentWidget(m_content);
                emit openChanged(true);
                return;
            }
        }
    }
    if (!m_content && m_signedOut)
        setCurrentWidget(m_signedOut);
}

} // namespace latchkey
