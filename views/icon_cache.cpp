#include "views/icon_cache.h"

#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>
#include <QSvgRenderer>

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void initIconResources() { Q_INIT_RESOURCE(icons); }

namespace nlab::views {

namespace {

void ensureResources() {
    static const bool done = [] {
        initIconResources();
        return true;
    }();
    (void)done;
}

}  // namespace

QString iconPath(IconKind kind) {
    switch (kind) {
    case IconKind::Host: return QStringLiteral(":/icons/host.svg");
    case IconKind::NetworkNode: return QStringLiteral(":/icons/network_node.svg");
    case IconKind::ComputeNode: return QStringLiteral(":/icons/compute_node.svg");
    case IconKind::OvsBridge: return QStringLiteral(":/icons/ovs_bridge.svg");
    case IconKind::LinuxBridge: return QStringLiteral(":/icons/linux_bridge.svg");
    case IconKind::Port: return QStringLiteral(":/icons/port.svg");
    case IconKind::Namespace: return QStringLiteral(":/icons/namespace.svg");
    case IconKind::Router: return QStringLiteral(":/icons/router.svg");
    case IconKind::Network: return QStringLiteral(":/icons/network.svg");
    case IconKind::Instance: return QStringLiteral(":/icons/instance.svg");
    case IconKind::ExternalNetwork: return QStringLiteral(":/icons/external_network.svg");
    case IconKind::Tunnel: return QStringLiteral(":/icons/tunnel.svg");
    }
    return {};
}

QIcon icon(IconKind kind) {
    QIcon result;
    for (int size : {16, 24, 32, 48, 64}) {
        result.addPixmap(iconPixmap(kind, size, 1.0));
        result.addPixmap(iconPixmap(kind, size, 2.0));
    }
    return result;
}

QPixmap iconPixmap(IconKind kind, int logicalSize, qreal dpr) {
    ensureResources();
    static QMutex mutex;
    static QHash<QString, QPixmap> cache;
    const int pixels = qMax(1, qRound(logicalSize * dpr));
    const QString key = iconPath(kind) + QLatin1Char('@') + QString::number(pixels);
    QMutexLocker lock(&mutex);
    if (auto it = cache.constFind(key); it != cache.constEnd()) {
        QPixmap pm = *it;
        pm.setDevicePixelRatio(dpr);
        return pm;
    }
    QImage image(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QSvgRenderer renderer(iconPath(kind));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter, QRectF(0, 0, pixels, pixels));
    painter.end();
    QPixmap pm = QPixmap::fromImage(image);
    cache.insert(key, pm);
    pm.setDevicePixelRatio(dpr);
    return pm;
}

}  // namespace nlab::views
