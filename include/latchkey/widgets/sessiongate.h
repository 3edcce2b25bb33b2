#pragma once

#include <latchkey/client.h>

#include <QStackedWidget>

#include <functional>

namespace latchkey {

/// Shows a protected widget only while a session is valid (NextAuth's `useSession({ required })`).
/// The widget is built by the factory from a session the gate has just checked
/// (Client::validSession()), and destroyed as soon as the client is no longer signed in; in
/// between the gate shows the signed-out widget (for example a SignInWidget).
class LATCHKEY_WIDGETS_EXPORT SessionGate : public QStackedWidget
{
    Q_OBJECT

public:
    using Factory = std::function<QWidget *(const Session &session)>;

    /// `client` must outlive the gate.
    explicit SessionGate(Client &client, QWidget *parent = nullptr);
    ~SessionGate() override;

    /// Builds the protected widget (the gate takes ownership). Call before the client signs in.
    void setFactory(Factory factory);
    /// Shown while signed out (the gate takes ownership); may be null.
    void setSignedOutWidget(QWidget *widget);
    /// The protected widget while it exists, else nullptr.
    QWidget *protectedWidget() const;
    /// Checks the session again and rebuilds (or removes) the protected widget.
    void refresh();

signals:
    /// The protected widget was built from `session` (true) or taken down (false).
    void openChanged(bool open);

private:
    void rebuild();

    Client &m_client;
    Factory m_factory;
    QWidget *m_signedOut = nullptr;
    QWidget *m_content = nullptr;
};

} // namespace latchkey
