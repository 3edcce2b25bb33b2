#pragma once

#include <QList>
#include <QString>

namespace latchkey {

/// A QR code as a square matrix of modules (true = dark), without the quiet zone. Built by
/// encode(); the terminal and the window draw it their own way.
class QrCode
{
public:
    /// Encodes `text` (UTF-8, byte mode, error correction level M). An empty code when the text
    /// is empty or too long for a QR code.
    static QrCode encode(const QString &text);

    bool isEmpty() const { return m_size == 0; }
    /// Modules per side (0 when empty).
    int size() const { return m_size; }
    /// True for a dark module; false outside the matrix (the quiet zone).
    bool dark(int x, int y) const
    {
        return x >= 0 && y >= 0 && x < m_size && y < m_size && m_modules.at(y * m_size + x);
    }

    /// The code for a terminal, two module rows per line with Unicode half blocks (▀ ▄ █ and
    /// space), surrounded by a light quiet zone of `quietZone` modules (ISO/IEC 18004 asks for 4).
    /// Light modules are the drawn ones, as `qrencode -t UTF8` does: terminals show light text
    /// on a dark background, so the code reads dark-on-light there. One string per line.
    QList<QString> toHalfBlocks(int quietZone = 4) const;

private:
    int m_size = 0;
    QList<bool> m_modules;
};

} // namespace latchkey
