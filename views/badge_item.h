#pragma once
// BadgeItem: a small rounded label attached above an item ("VLAN 9 / tun 0x1").

#include "views/item_types.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class BadgeItem : public QGraphicsItem {
public:
    /// A child of 'parent', centred above its top edge at local y 'top'.
    BadgeItem(const QString& text, qreal top, QGraphicsItem* parent);

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString text() const { return m_text; }
    void setText(const QString& text);
    void setColor(const QColor& color);
    /// Moves it above local y 'top' (the parent's top edge).
    void setTop(qreal top);

private:
    void relayout();

    QString m_text;
    qreal m_top;
    QRectF m_rect;
    QColor m_color{0xff, 0x8f, 0x00};
};

}  // namespace nlab::views
