#pragma once
// DeviceBoxItem: a router or an instance of the logical view — icon, name, a second line
// (the host, the router's gateway).

#include "views/item_types.h"

#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class DeviceBoxItem : public QGraphicsItem {
public:
    enum { Type = kDeviceBoxItemType };
    enum class Kind { Router, Instance };
    static constexpr qreal kWidth = 176;
    static constexpr qreal kHeight = 46;

    DeviceBoxItem(const QString& key, Kind kind, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    Kind kind() const { return m_kind; }
    void setText(const QString& title, const QString& subtitle);
    QString title() const { return m_title; }
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);

private:
    QString m_key;
    Kind m_kind;
    QString m_title;
    QString m_subtitle;
    bool m_highlighted = false;
};

}  // namespace nlab::views
