#include "loopbackhost.h"

#include <QHostAddress>

namespace latchkey {

bool isLoopbackAddress(const QString &host)
{
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

bool isLoopbackHost(const QString &host)
{
    return host.compare(u"localhost", Qt::CaseInsensitive) == 0 || isLoopbackAddress(host);
}

} // namespace latchkey
