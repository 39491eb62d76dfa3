#include "views/edit/palette_widget.h"

#include "views/edit/edit_controller.h"
#include "views/icon_cache.h"

#include <QMimeData>

namespace nlab::views {

namespace {
constexpr int kNameRole = Qt::UserRole + 1;
}

PaletteWidget::PaletteWidget(QWidget* parent) : QListWidget(parent) {
    setObjectName(QStringLiteral("palette"));
    setViewMode(QListView::ListMode);
    setIconSize(QSize(32, 32));
    setSpacing(2);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
    setSelectionMode(QAbstractItemView::SingleSelection);
    struct Entry {
        const char* name;
        IconKind icon;
        QString label;
        QString help;
    };
    const Entry entries[] = {
        {paletteitem::kNetworkNode, IconKind::NetworkNode, tr("Network node"),
         tr("A host running the L3 and DHCP agents (one per lab)")},
        {paletteitem::kComputeNode, IconKind::ComputeNode, tr("Compute node"),
         tr("A host running nova-compute and the OVS agent")},
        {paletteitem::kNetwork, IconKind::Network, tr("Network"),
         tr("A tenant network with a subnet; drop it on a network to add a subnet")},
        {paletteitem::kRouter, IconKind::Router, tr("Router"),
         tr("A router; drop it on a network to give it an interface there")},
        {paletteitem::kInstance, IconKind::Instance, tr("Instance"),
         tr("A VM; drop it on a network or a compute node to choose where it goes")},
        {paletteitem::kExternalNetwork, IconKind::ExternalNetwork, tr("External network"),
         tr("The provider network routers use as their gateway")},
    };
    for (const Entry& e : entries) {
        auto* item = new QListWidgetItem(icon(e.icon), e.label, this);
        item->setData(kNameRole, QString::fromLatin1(e.name));
        item->setToolTip(e.help);
        item->setStatusTip(e.help);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
    }
    connect(this, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit itemRequested(itemName(item)); });
}

QString PaletteWidget::itemName(const QListWidgetItem* item) {
    return item ? item->data(kNameRole).toString() : QString();
}

QListWidgetItem* PaletteWidget::itemFor(const QString& name) const {
    for (int i = 0; i < count(); ++i) {
        if (itemName(item(i)) == name)
            return item(i);
    }
    return nullptr;
}

QStringList PaletteWidget::mimeTypes() const {
    return {QString::fromLatin1(kPaletteMimeType)};
}

QMimeData* PaletteWidget::mimeData(const QList<QListWidgetItem*>& items) const {
    if (items.isEmpty())
        return nullptr;
    auto* mime = new QMimeData;
    mime->setData(QString::fromLatin1(kPaletteMimeType), itemName(items.front()).toUtf8());
    mime->setText(items.front()->text());
    return mime;
}

}  // namespace nlab::views
