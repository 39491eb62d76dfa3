#pragma once
// MainWindow: the neutronlab desktop window — the two graph views side by side, the docks
// around them, the player toolbar, the File/Edit/View/Simulation/Tools menus.
//
// What
//   Owns the LabDocument (the lab, its shell and event log), the Player (the animation cursor
//   and the driver of virtual time), the shared SelectionModel and NetworkPalette, the
//   physical and logical scenes and views, the undo stack and the EditController, and the
//   docks: palette and properties (from the EditController), flow tables, MAC tables, event
//   list, packet detail, trace, console and charts. It wires them: a document reset rebuilds
//   the scenes and the docks' tabs; a hop the Player passes over becomes a token moving along
//   the physical view and highlights the flows the frame touched; selecting an event moves
//   the Player's cursor there (and the cursor selects its event); clicking a VM offers
//   Ping..., any interface Capture....
//
// Design
//   - Everything the window does to the lab goes through the document: console lines
//     through LabDocument::runCommand (via the console dock, so the transcript shows them),
//     edits through the EditController's undo commands, time through the Player.
//   - Public entry points (openSeed, openFile, saveFile, runConsoleLine, ping, startCapture,
//     stopCapture, prepareScreenshot, grabScreenshot) are what the menus, the command line
//     and the tests call: the tests drive the same code paths as a user.
//   - File handling follows the Qt document idiom: "name[*] — NeutronLab", Save/Discard/
//     Cancel when closing a modified lab, recent files in QSettings, recovery offered at
//     start (offerRecovery()).
//
// Invariants
//   The document, player and scenes live as long as the window. Captures are closed before
//   the lab they record is replaced.

#include <memory>

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QSlider;
class QSplitter;
class QUndoStack;

namespace nlab::engine {
class PcapWriter;
}

namespace nlab::model {
class LabDocument;
class Player;
struct EventRecord;
}  // namespace nlab::model

namespace nlab::views {
class EditController;
class GraphView;
class LogicalScene;
class LogicalView;
class NetworkPalette;
class PhysicalScene;
class PhysicalView;
class SelectionModel;
}  // namespace nlab::views

namespace nlab::app {

class ChartsDock;
class ConsoleDock;
class EventListDock;
class FlowTablesDock;
class HopAnimator;
class MacTablesDock;
class PacketDetailDock;
class TraceDock;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// An empty lab until openSeed()/openFile(); the window is not shown.
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // ---- Parts (for the command line and the tests) ----
    model::LabDocument& document() { return *m_document; }
    model::Player& player() { return *m_player; }
    views::SelectionModel& selection() { return *m_selection; }
    views::PhysicalScene& physicalScene() { return *m_physicalScene; }
    views::LogicalScene& logicalScene() { return *m_logicalScene; }
    views::PhysicalView& physicalView() { return *m_physicalView; }
    views::LogicalView& logicalView() { return *m_logicalView; }
    QUndoStack& undoStack() { return *m_undo; }
    views::EditController* editController() { return m_edit; }
    FlowTablesDock& flowTables() { return *m_flowDock; }
    MacTablesDock& macTables() { return *m_macDock; }
    EventListDock& eventList() { return *m_eventDock; }
    PacketDetailDock& packetDetail() { return *m_packetDock; }
    TraceDock& trace() { return *m_traceDock; }
    ConsoleDock& console() { return *m_consoleDock; }
    ChartsDock& charts() { return *m_chartsDock; }
    /// Every dock of the window.
    QList<QDockWidget*> docks() const;

    // ---- File ----
    /// Loads the built-in seed lab. On error shows nothing and returns false with 'error'.
    bool openSeed(QString* error = nullptr);
    /// Loads a lab file (adds it to the recent files). On error returns false with 'error'
    /// ("file:line:column: field: message") and keeps the current lab.
    bool openFile(const QString& path, QString* error = nullptr);
    /// Saves to 'path' (atomic); the document takes the path. False with 'error' on failure.
    bool saveFile(const QString& path, QString* error = nullptr);
    /// Offers the recovery files left by a crash (a question per file). Returns whether one
    /// was recovered.
    bool offerRecovery();
    /// The recent files (newest first).
    QStringList recentFiles() const;

    // ---- Lab actions ----
    /// Runs 'line' in the console tab of 'context' (the tab is created if the context exists),
    /// as if typed there. Returns the exit status (non-zero, with 'output' set, on errors).
    int runConsoleLine(const QString& context, const QString& line, QString* output = nullptr);
    /// Pings 'target' from instance 'instance' 'count' times through its console (what the
    /// Ping dialog does), then replays the recorded frames as tokens (unless 'animate' is
    /// false). Returns the command's exit status.
    int ping(const QString& instance, const QString& target, int count, bool animate = true);
    /// Opens the Ping dialog for 'instance' (modal).
    void showPingDialog(const QString& instance);
    /// Starts capturing the frames device 'device' of node 'node' sends and receives (a
    /// temporary pcap file). One capture at a time. False with 'error' when the device does
    /// not exist (or is an OVS-only port: patch, tunnel) or the file cannot be written.
    bool startCapture(const QString& node, const QString& device, QString* error = nullptr);
    bool isCapturing() const;
    /// Stops the capture and copies the pcap to 'savePath' (asks with a QFileDialog when
    /// empty; an empty answer discards it). Returns the number of frames written, -1 on error.
    qint64 stopCapture(const QString& savePath = {}, QString* error = nullptr);

    // ---- Player ----
    /// Moves the Player's cursor to the hop record 'seq' (or the last hop before it when
    /// 'seq' is not a hop) without animating the hops in between.
    void seekTo(quint64 seq);

    // ---- Screenshots (--screenshot) ----
    /// Waits for the layouts, fits both views, and — when the last console commands recorded
    /// frame hops — leaves the Player paused at the most telling hop of the last ICMP echo
    /// (a frame leaving a tunnel port, else the last ICMP hop) with its token in flight, its
    /// event selected and its flows highlighted. Returns false with 'error' on failure.
    bool prepareScreenshot(QString* error = nullptr);
    /// Renders the window at its current size into 'path' (PNG). False with 'error'.
    bool grabScreenshot(const QString& path, QString* error = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createDocks();
    void wireDocument();
    void attachEditController();
    void updateTitle();
    void updateClock();
    void updatePlayActions();
    void onLabReset();
    void onTopologyChanged();
    void onHop(const model::EventRecord& record);
    void onCurrentEventChanged(quint64 seq);
    void onEventSelected(quint64 seq);
    void onSpeedSlider(int position);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    bool maybeSave();
    bool save();
    bool saveAs();
    void newLab();
    void open();
    void exportView(const QString& format);
    views::GraphView* activeView() const;
    /// Adds Ping... (VMs), Capture... and Chart (interfaces) for the item under 'viewportPos'
    /// to a view's context menu (the EditController builds it with the edit entries).
    void addViewContextActions(QMenu* menu, views::GraphView* view, const QPoint& viewportPos);
    void captureFromMenu(const QString& node, const QString& device);
    QString instanceNameForKey(const QString& key) const;
    void startReplay(quint64 fromSeq);
    void highlightTouchedFlows(quint64 seq);

    model::LabDocument* m_document;
    model::Player* m_player;
    views::SelectionModel* m_selection;
    std::unique_ptr<views::NetworkPalette> m_palette;
    views::PhysicalScene* m_physicalScene;
    views::LogicalScene* m_logicalScene;
    views::PhysicalView* m_physicalView;
    views::LogicalView* m_logicalView;
    QSplitter* m_splitter;
    QUndoStack* m_undo;
    views::EditController* m_edit = nullptr;
    HopAnimator* m_animator;

    FlowTablesDock* m_flowDock = nullptr;
    MacTablesDock* m_macDock = nullptr;
    EventListDock* m_eventDock = nullptr;
    PacketDetailDock* m_packetDock = nullptr;
    TraceDock* m_traceDock = nullptr;
    ConsoleDock* m_consoleDock = nullptr;
    ChartsDock* m_chartsDock = nullptr;
    QDockWidget* m_paletteDock = nullptr;
    QDockWidget* m_propertiesDock = nullptr;

    // Actions.
    QAction* m_newAction = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_playAction = nullptr;
    QAction* m_stepAction = nullptr;
    QAction* m_stepBackAction = nullptr;
    QAction* m_skipToEndAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_relayoutAction = nullptr;
    QAction* m_pingAction = nullptr;
    QAction* m_stopCaptureAction = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_exportMenu = nullptr;
    QSlider* m_speedSlider = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_clockLabel = nullptr;
    QLabel* m_captureLabel = nullptr;

    // Capture in progress.
    std::unique_ptr<engine::PcapWriter> m_capture;
    QString m_captureTempPath;
    QString m_captureDevice;

    bool m_splitterSized = false;
    bool m_seeking = false;  // moving the cursor for a selection: no tokens, no echo
    quint64 m_lastAnimatedSeq = 0;
};

}  // namespace nlab::app
