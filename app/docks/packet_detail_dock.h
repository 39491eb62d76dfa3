#pragma once
// PacketDetailDock: the selected event's frame, dissected per layer (Ethernet, 802.1Q, ARP,
// IPv4, ICMP, UDP, DHCP, GRE, VXLAN, inner frames) as Wireshark's detail pane shows it, and
// its bytes as a hex dump with offsets and ASCII.
//
// Design
//   Decoding is engine::decodeFrame (engine/codec/frame_decode.h); a layer that failed to
//   decode shows its error in red. Selecting a layer selects its bytes in the hex dump.
//   Events without a frame (rule hits, MAC events) show what they are about.

#include <cstdint>
#include <vector>

#include <QDockWidget>

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace nlab::model {
class LabDocument;
struct EventRecord;
}  // namespace nlab::model

namespace nlab::app {

class PacketDetailDock : public QDockWidget {
    Q_OBJECT
public:
    explicit PacketDetailDock(model::LabDocument* document, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return m_tree; }
    QPlainTextEdit* hex() const { return m_hex; }
    /// Shows record 'seq' of the document's log (0 or a dropped record: clears).
    void showRecord(quint64 seq);
    /// Clears the panes.
    void clear();
    /// The hex dump of 'frame': "0000  fa 16 3e ...  ..>.(." lines of 16 bytes.
    static QString hexDump(const std::vector<std::uint8_t>& frame);

private:
    void selectBytes(std::size_t offset, std::size_t length);

    model::LabDocument* m_document;
    QLabel* m_title;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_hex;
};

}  // namespace nlab::app
