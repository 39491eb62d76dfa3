#pragma once
// PaletteWidget: the palette dock's list of things to drag into the views — network node,
// compute node, network, router, instance, external network — each with its icon. Dragging
// an item carries kPaletteMimeType with the item's name (paletteitem::*); activating one
// (double click, Enter) asks for it without a drop target (itemRequested()).

#include <QListWidget>

namespace nlab::views {

class PaletteWidget : public QListWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

    /// The palette item name (paletteitem::*) of a row.
    static QString itemName(const QListWidgetItem* item);
    /// The row of a palette item name (null when unknown).
    QListWidgetItem* itemFor(const QString& name) const;

signals:
    /// An item was activated (double click / Enter) rather than dragged.
    void itemRequested(const QString& name);

protected:
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
};

}  // namespace nlab::views
