// Build-time tool: renders the app's SVG icon as the PNG sizes of the hicolor icon theme, for
// desktops, menus and panels that do not read SVG.
//   latchkey-iconpng <icon.svg> <output dir> <size>...   writes <output dir>/<size>/latchkey.png
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: latchkey-iconpng ICON.svg OUTPUT_DIR SIZE...\n");
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // the image plugins
    const QString svg = QString::fromLocal8Bit(argv[1]);
    const QDir out(QString::fromLocal8Bit(argv[2]));
    for (int i = 3; i < argc; ++i) {
        const int size = QByteArray(argv[i]).toInt();
        QImageReader reader(svg);
        reader.setScaledSize(QSize(size, size));
        const QImage image = reader.read();
        const QString dir = out.filePath(QString::number(size));
        if (image.isNull() || image.size() != QSize(size, size) || !QDir().mkpath(dir) ||
            !image.save(QDir(dir).filePath(QStringLiteral("latchkey.png")))) {
            std::fprintf(stderr, "latchkey-iconpng: cannot render %s at %d px: %s\n", argv[1], size,
                         qPrintable(reader.errorString()));
            return 1;
        }
    }
    return 0;
}
