// bench_barewindow: the "bare" floor of the start-up benchmark (bench/run-startup).
//
// The smallest Qt Widgets program with a window of the app's size: a QWidget with a QLabel. Its
// first paint is also its ready paint; it prints the lines of ui/widgets/paintprobe.h and exits.

#include "widgets/paintprobe.h"

#include <QApplication>
#include <QLabel>
#include <QVBoxLayout>
#include <QWidget>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QWidget window;
    window.setWindowTitle(QStringLiteral("bench_barewindow"));
    window.resize(720, 560); // the size of latchkey's MainWindow
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(new QLabel(QStringLiteral("Hello from a bare Qt Widgets window"), &window));
    latchkey::bench::PaintProbe probe(window);
    probe.setReady();
    window.show();
    return QApplication::exec();
}
