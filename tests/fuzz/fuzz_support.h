#pragma once

// Shared by the libFuzzer targets (docs/security.md "Fuzzing"): invariant checks that abort with
// the broken rule named, and the ways a target splits its input into the values it feeds a parser.

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Aborts (a libFuzzer crash, a failed replay) when `condition` is false.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace latchkey::fuzz {

inline QByteArrayView bytes(const uint8_t *data, size_t size)
{
    return {reinterpret_cast<const char *>(data), static_cast<qsizetype>(size)};
}

/// An HTTP answer as a seed file spells it: an optional first line "<3-digit status>[ <content
/// type>]" and then the body. Without that line the whole input is a 200 application/json body.
struct HttpAnswer
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
};

inline HttpAnswer splitAnswer(QByteArrayView input)
{
    HttpAnswer answer;
    const qsizetype newline = input.indexOf('\n');
    const QByteArrayView first = newline >= 0 ? input.first(newline) : QByteArrayView();
    const bool hasStatus = first.size() >= 3 &&
            std::isdigit(static_cast<unsigned char>(first[0])) &&
            std::isdigit(static_cast<unsigned char>(first[1])) &&
            std::isdigit(static_cast<unsigned char>(first[2])) &&
            (first.size() == 3 || first[3] == ' ');
    if (!hasStatus) {
        answer.body = input.toByteArray();
        return answer;
    }
    answer.status = first.first(3).toInt();
    answer.contentType = first.size() > 4 ? first.sliced(4).toByteArray() : QByteArray();
    answer.body = input.sliced(newline + 1).toByteArray();
    return answer;
}

/// The input cut at 0xFF bytes (never part of UTF-8 text) into exactly `count` UTF-8 strings
/// (missing ones are empty), so each field may hold any character, CR, LF and NUL included.
inline QList<QString> fields(QByteArrayView input, qsizetype count)
{
    QList<QString> out;
    qsizetype start = 0;
    while (out.size() < count) {
        const qsizetype end = start <= input.size() ? input.indexOf('\xff', start) : -1;
        const qsizetype stop = end >= 0 ? end : input.size();
        out.append(start < input.size() ? QString::fromUtf8(input.sliced(start, stop - start))
                                        : QString());
        start = stop + 1;
    }
    return out;
}

/// True when `text` holds a character that could break or disguise a line in a dialog or a log:
/// C0/C1 controls, DEL, line and paragraph separators, and Unicode format characters (bidi
/// overrides, zero-width characters).
inline bool hasControlCharacters(const QString &text)
{
    for (const QChar c : text) {
        switch (c.category()) {
        case QChar::Other_Control:
        case QChar::Other_Format:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            return true;
        default:
            break;
        }
    }
    return false;
}

/// The rules every error a parser returns must keep: a message a person can read, one line, with
/// no control characters from the input and a bounded length, whatever the input was.
inline void checkError(const Error &error)
{
    constexpr qsizetype kMaxMessage = 2000;
    FUZZ_CHECK(!error.message.isEmpty());
    FUZZ_CHECK(error.message.size() <= kMaxMessage);
    FUZZ_CHECK(!hasControlCharacters(error.message));
}

} // namespace latchkey::fuzz
