#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace latchkey::test {

/// An .eml file as Python's email package (policy.default) reads it: decoded header values
/// (RFC 2047 words decoded) and decoded body parts. The mail tests use it as the independent
/// reader of what Latchkey wrote.
struct ParsedEml
{
    /// Empty when parsing worked; otherwise what went wrong.
    QString failure;
    /// Header names and decoded values, in order.
    QList<std::pair<QString, QString>> headers;
    /// Defects the parser found (e.g. missing boundaries); a good message has none.
    QStringList defects;
    /// The top-level content type, e.g. "multipart/alternative".
    QString contentType;
    /// Leaf parts: content type → decoded content.
    QList<std::pair<QString, QString>> parts;

    /// All values of header `name` (case-insensitive).
    QStringList values(const QString &name) const
    {
        QStringList out;
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                out << value;
        }
        return out;
    }

    /// The decoded content of the first part of `type`, or a null string.
    QString part(const QString &type) const
    {
        for (const auto &[key, value] : parts) {
            if (key == type)
                return value;
        }
        return {};
    }

    /// Parses `path` with /usr/bin/python3 and tests/mail/parse_eml.py.
    static ParsedEml parse(const QString &path)
    {
        ParsedEml result;
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral(LATCHKEY_MAIL_TEST_DIR "/parse_eml.py"), path});
        if (!python.waitForFinished(15000) || python.exitCode() != 0) {
            result.failure = QStringLiteral("parse_eml.py failed: ") +
                    QString::fromUtf8(python.readAllStandardError());
            return result;
        }
        const QJsonObject root = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        for (const QJsonValue &header : root.value(u"headers").toArray()) {
            const QJsonArray pair = header.toArray();
            result.headers.append({pair.at(0).toString(), pair.at(1).toString()});
        }
        for (const QJsonValue &defect : root.value(u"defects").toArray())
            result.defects << defect.toString();
        result.contentType = root.value(u"content_type").toString();
        for (const QJsonValue &part : root.value(u"parts").toArray()) {
            const QJsonObject object = part.toObject();
            result.parts.append(
                    {object.value(u"type").toString(), object.value(u"content").toString()});
        }
        return result;
    }
};

} // namespace latchkey::test
