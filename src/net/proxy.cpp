#include "proxy.h"

#include "core/logging.h"
#include "core/loopbackhost.h"

#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QProcessEnvironment>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace latchkey::net {

namespace {

/// The first of `names` set in `environment`, lowercase before uppercase (as curl reads them).
QString firstSet(const QProcessEnvironment &environment, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        for (const QString &key :
             {QString::fromLatin1(name).toLower(), QString::fromLatin1(name)}) {
            const QString value = environment.value(key).trimmed();
            if (!value.isEmpty())
                return value;
        }
    }
    return {};
}

bool excluded(const QString &host, const QString &noProxy)
{
    const QString name = host.toLower();
    for (QString entry : noProxy.split(u',', Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry == u"*")
            return true;
        if (entry.startsWith(u'.'))
            entry.remove(0, 1);
        if (const qsizetype colon = entry.lastIndexOf(u':');
            colon > 0 && !entry.contains(u']') && entry.count(u':') == 1)
            entry.truncate(colon); // a port: the host is what counts
        if (!entry.isEmpty() && (name == entry || name.endsWith(u'.' + entry)))
            return true;
    }
    return false;
}

QNetworkProxy fromSetting(const QString &setting, const char *name)
{
    // "host:port" alone means an HTTP proxy, as curl reads it.
    const QUrl url(setting.contains(u"://") ? setting : u"http://"_s + setting);
    if (!url.isValid() || url.host().isEmpty()) {
        // Never the value: it may hold the proxy's password.
        qCWarning(lcNet) << name << "is not a proxy address like http://proxy.example:3128;"
                         << "connecting directly";
        return QNetworkProxy(QNetworkProxy::NoProxy);
    }
    const bool socks = url.scheme().startsWith(u"socks");
    return QNetworkProxy(socks ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, url.host(),
                         quint16(url.port(socks ? 1080 : 80)), url.userName(), url.password());
}

class ProxyFactory : public QNetworkProxyFactory
{
public:
    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override
    {
        const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const QNetworkProxy chosen = proxyFor(query.url(), environment);
        if (chosen.type() != QNetworkProxy::DefaultProxy)
            return {chosen};
        return systemProxyForQuery(query);
    }
};

} // namespace

QNetworkProxy proxyFor(const QUrl &url, const QProcessEnvironment &environment)
{
    if (isLoopbackHost(url.host()))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    const bool https = url.scheme() == u"https";
    const QString setting = https ? firstSet(environment, {"HTTPS_PROXY", "ALL_PROXY"})
                                  : firstSet(environment, {"HTTP_PROXY", "ALL_PROXY"});
    const QString noProxy = firstSet(environment, {"NO_PROXY"});
    if (setting.isEmpty())
        return QNetworkProxy(noProxy.isEmpty() || !excluded(url.host(), noProxy)
                                     ? QNetworkProxy::DefaultProxy // the desktop's settings
                                     : QNetworkProxy::NoProxy);
    if (excluded(url.host(), noProxy))
        return QNetworkProxy(QNetworkProxy::NoProxy);
    return fromSetting(setting, https ? "HTTPS_PROXY (or ALL_PROXY)" : "HTTP_PROXY (or ALL_PROXY)");
}

void useProxySettings(QNetworkAccessManager &network)
{
    network.setProxyFactory(new ProxyFactory); // owned by the manager
}

} // namespace latchkey::net
