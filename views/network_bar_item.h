#pragma once
// NetworkBarItem: a network of the logical view, a vertical bar in the network's colour
// with its name and subnets (CIDR) written along it, as Horizon's topology draws it.

#include "views/item_types.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class NetworkBarItem : public QGraphicsItem {
public:
    enum { Type = kNetworkBarItemType };
    static constexpr qreal kWidth = 34;

    NetworkBarItem(const QString& key, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    /// 'title' (the name) and 'subtitle' (the subnets' CIDRs).
    void setText(const QString& title, const QString& subtitle);
    QString title() const { return m_title; }
    QString subtitle() const { return m_subtitle; }
    void setColor(const QColor& color);
    QColor color() const { return m_color; }
    void setExternal(bool on);
    void setHeight(qreal height);
    qreal height() const { return m_height; }
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);

private:
    QString m_key;
    QString m_title;
    QString m_subtitle;
    QColor m_color;
    bool m_external = false;
    qreal m_height = 200;
    bool m_highlighted = false;
};

}  // namespace nlab::views
