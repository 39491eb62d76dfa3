#pragma once
// HopAnimator: turns the Player's frame hops into tokens moving along the physical view.
//
// What
//   A hop record says a frame entered a bridge through a port (FrameReceived) or left it
//   through one (FrameSent). The animator maps it to the items of the PhysicalScene and
//   moves a token, coloured by protocol, along the way the frame went: into a bridge from
//   its port — coming first from the far end of the tunnel or patch pair, or from the VM
//   behind the port (vm -> tap -> qbr -> qvb -> qvo) — and out of a bridge to its port, then
//   on to the VM behind it. Multi-segment ways are chained: the next segment starts when
//   the token arrives (PhysicalScene::tokenArrived).
//
// Design
//   The engine records only OVS bridge hops; the legs through Linux bridges and veths are
//   inferred from the physical graph (shortest way from the port to a VM that crosses
//   no OVS bridge and no segment). Tunnel peers come from the tunnel ports' remote IPs.
//   Keys and edges come from the scene; unknown keys are skipped.

#include <QColor>
#include <QObject>
#include <QStringList>
#include <vector>

namespace nlab::model {
struct EventRecord;
}
namespace nlab::views {
class PhysicalScene;
}

namespace nlab::app {

class HopAnimator : public QObject {
    Q_OBJECT
public:
    explicit HopAnimator(views::PhysicalScene* scene, QObject* parent = nullptr);

    /// Wall milliseconds per segment (default 260).
    void setSegmentDuration(int ms) { m_segmentMs = ms; }
    int segmentDuration() const { return m_segmentMs; }
    /// The item keys the token of 'record' passes, in order (empty: nothing to show).
    QStringList wayOf(const model::EventRecord& record) const;
    /// Starts the token of 'record'; returns whether one started.
    bool animate(const model::EventRecord& record);
    /// Stops every token and chain.
    void clear();
    /// The colour of a protocol's tokens (int(FrameProtocol)).
    static QColor protocolColor(int protocol);

private:
    struct Chain {
        QStringList keys;
        int next = 0;  // index of the segment's start key in flight
        QColor color;
    };
    void onArrived(const QString& from, const QString& to);
    QStringList wayToVm(const QString& node, const QString& portKey) const;
    QString tunnelPeerKey(const QString& node, const QString& bridge, const QString& port) const;
    QString patchPeerKey(const QString& node, const QString& bridge, const QString& port) const;

    views::PhysicalScene* m_scene;
    int m_segmentMs = 260;
    std::vector<Chain> m_chains;
};

}  // namespace nlab::app
