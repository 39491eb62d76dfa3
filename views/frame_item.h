#pragma once
// FrameItem: a framed group in the physical view — a host (network, compute, outside) or a
// namespace (qdhcp-, qrouter-) — with its icon and name in a header strip.

#include "views/icon_cache.h"
#include "views/item_types.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class FrameItem : public QGraphicsItem {
public:
    enum { Type = kFrameItemType };
    enum class Style { NetworkHost, ComputeHost, OutsideHost, Namespace };

    FrameItem(const QString& key, Style style, const QString& label, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    Style style() const { return m_style; }
    QString label() const { return m_label; }
    void setLabel(const QString& label);
    /// The frame's rectangle in scene coordinates (the item moves to its top-left).
    void setSceneRect(const QRectF& rect);
    QRectF frameRect() const { return QRectF(pos(), m_size); }
    /// An accent colour for the header (namespaces of a network use the network's colour).
    void setAccent(const QColor& color);
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);

private:
    QString m_key;
    Style m_style;
    QString m_label;
    QSizeF m_size{100, 60};
    QColor m_accent;
    bool m_highlighted = false;
};

}  // namespace nlab::views
