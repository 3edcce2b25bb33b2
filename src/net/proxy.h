#pragma once

#include <QNetworkProxy>

class QNetworkAccessManager;
class QProcessEnvironment;

namespace latchkey::net {

/// The proxy for a request of the library, as curl and most command-line tools choose one:
///
///   a loopback host (127.0.0.0/8, ::1, localhost) ─► never a proxy: it stays on this computer
///   NO_PROXY (comma-separated names; "example.com" and ".example.com" also cover its
///   subdomains; "*" covers all) ─► no proxy
///   HTTPS_PROXY for https, HTTP_PROXY for http, else ALL_PROXY (lowercase names too, which win)
///   ─► that proxy (http://host:port, with user:password if given; socks5:// also)
///   none of them set ─► the desktop's proxy settings, as Qt reads them, else none
QNetworkProxy proxyFor(const QUrl &url, const QProcessEnvironment &environment);

/// Makes `network` choose each request's proxy with proxyFor() and the process environment.
void useProxySettings(QNetworkAccessManager &network);

} // namespace latchkey::net
