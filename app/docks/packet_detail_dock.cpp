#include "app/docks/packet_detail_dock.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "engine/codec/frame_decode.h"
#include "engine/packet/addresses.h"
#include "model/qt/event_list_model.h"
#include "model/qt/lab_document.h"

namespace nlab::app {

namespace {
constexpr int kOffsetRole = Qt::UserRole + 1;
constexpr int kLengthRole = Qt::UserRole + 2;
}  // namespace

PacketDetailDock::PacketDetailDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Packet detail"), parent),
      m_document(document),
      m_title(new QLabel),
      m_tree(new QTreeWidget),
      m_hex(new QPlainTextEdit) {
    setObjectName(QStringLiteral("packetDetailDock"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    auto* split = new QSplitter(Qt::Vertical);
    m_tree->setHeaderLabels({tr("Field"), tr("Value")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_hex->setReadOnly(true);
    m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_hex->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    split->addWidget(m_tree);
    split->addWidget(m_hex);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    setWidget(body);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item) return;
        QTreeWidgetItem* layer = item->parent() ? item->parent() : item;
        selectBytes(layer->data(0, kOffsetRole).toULongLong(), layer->data(0, kLengthRole).toULongLong());
    });
    clear();
}

void PacketDetailDock::clear() {
    m_title->setText(tr("Select an event to see its frame."));
    m_tree->clear();
    m_hex->clear();
}

QString PacketDetailDock::hexDump(const std::vector<std::uint8_t>& frame) {
    QString out;
    for (std::size_t row = 0; row < frame.size(); row += 16) {
        QString hex, ascii;
        for (std::size_t i = row; i < row + 16; ++i) {
            if (i < frame.size()) {
                hex += QStringLiteral("%1 ").arg(frame[i], 2, 16, QLatin1Char('0'));
                const char c = char(frame[i]);
                ascii += (frame[i] >= 0x20 && frame[i] < 0x7f) ? QLatin1Char(c) : QLatin1Char('.');
            } else {
                hex += QStringLiteral("   ");
            }
            if (i == row + 7) hex += QLatin1Char(' ');
        }
        out += QStringLiteral("%1  %2 %3\n").arg(row, 4, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    return out;
}

void PacketDetailDock::showRecord(quint64 seq) {
    const model::EventRecord* r = seq ? m_document->eventLog().find(seq) : nullptr;
    if (!r) {
        clear();
        return;
    }
    m_tree->clear();
    const QString where = r->port.empty()
                              ? QStringLiteral("%1: %2").arg(QString::fromStdString(r->node),
                                                             QString::fromStdString(r->device))
                              : QStringLiteral("%1: %2 / %3").arg(QString::fromStdString(r->node),
                                                                  QString::fromStdString(r->device),
                                                                  QString::fromStdString(r->port));
    m_title->setText(tr("#%1  %2 s  %3  %4")
                         .arg(r->seq)
                         .arg(model::EventListModel::timeText(r->time),
                              model::EventListModel::kindText(r->kind), where));
    if (r->frame.empty()) {
        auto* item = new QTreeWidgetItem(m_tree, {tr("Event"), model::EventListModel::infoText(*r)});
        item->setToolTip(1, item->text(1));
        if (!r->flow.empty()) new QTreeWidgetItem(m_tree, {tr("Rule"), QString::fromStdString(r->flow)});
        if (r->mac) new QTreeWidgetItem(m_tree, {tr("MAC"), QString::fromStdString(engine::formatMac(r->mac))});
        m_hex->setPlainText(tr("(no frame)"));
        return;
    }
    const engine::DecodedFrame decoded = engine::decodeFrame(r->frame);
    for (const engine::DecodedLayer& layer : decoded.layers) {
        QString name = QString::fromStdString(layer.name);
        if (layer.depth > 0) name = tr("%1 (inner %2)").arg(name).arg(layer.depth);
        auto* top = new QTreeWidgetItem(
            m_tree, {name, tr("bytes %1-%2").arg(layer.offset).arg(layer.offset + layer.length - 1)});
        top->setData(0, kOffsetRole, qulonglong(layer.offset));
        top->setData(0, kLengthRole, qulonglong(layer.length));
        QFont bold = top->font(0);
        bold.setBold(true);
        top->setFont(0, bold);
        for (const engine::DecodedField& f : layer.fields) {
            auto* item = new QTreeWidgetItem(top, {QString::fromStdString(f.name), QString::fromStdString(f.value)});
            item->setToolTip(1, item->text(1));
        }
        if (!layer.error.empty()) {
            auto* err = new QTreeWidgetItem(top, {tr("Error"), QString::fromStdString(layer.error)});
            err->setForeground(0, Qt::red);
            err->setForeground(1, Qt::red);
        }
        top->setExpanded(layer.name != "Ethernet" || decoded.layers.size() < 3);
    }
    m_hex->setPlainText(hexDump(r->frame));
}

void PacketDetailDock::selectBytes(std::size_t offset, std::size_t length) {
    if (length == 0) return;
    // Each dump line holds 16 bytes: "oooo  " then 3 characters per byte, one extra space
    // after the 8th. Select from the first byte's column to the last byte's.
    auto columnOf = [](std::size_t i) { return 6 + int(i % 16) * 3 + (i % 16 >= 8 ? 1 : 0); };
    QTextDocument* doc = m_hex->document();
    const std::size_t last = offset + length - 1;
    const QTextBlock a = doc->findBlockByNumber(int(offset / 16));
    const QTextBlock b = doc->findBlockByNumber(int(last / 16));
    if (!a.isValid() || !b.isValid()) return;
    QTextCursor c(doc);
    c.setPosition(a.position() + columnOf(offset));
    c.setPosition(b.position() + columnOf(last) + 2, QTextCursor::KeepAnchor);
    m_hex->setTextCursor(c);
}

}  // namespace nlab::app
