#include "app/main_window.h"

#include <algorithm>
#include <cmath>

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QCursor>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>

#include "app/docks/charts_dock.h"
#include "app/docks/console_dock.h"
#include "app/docks/console_widget.h"
#include "app/docks/event_list_dock.h"
#include "app/docks/flow_tables_dock.h"
#include "app/docks/mac_tables_dock.h"
#include "app/docks/packet_detail_dock.h"
#include "app/docks/trace_dock.h"
#include "app/dialogs/ping_dialog.h"
#include "app/hop_animator.h"
#include "engine/capture/pcap_writer.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "model/qt/event_list_model.h"
#include "model/qt/lab_document.h"
#include "model/qt/player.h"
#include "model/qt/port_counter_series.h"
#include "views/edit/edit_controller.h"
#include "views/item_types.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/network_palette.h"
#include "views/physical_graph.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"
#include "views/selection_model.h"

namespace nlab::app {

using model::EventKind;
using model::EventRecord;
using model::Player;

namespace {

constexpr int kMaxRecentFiles = 8;

// The speed slider's stops (factors of real time); the last is "as fast as possible".
const double kSpeeds[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 100, Player::kAsFastAsPossible};
constexpr int kSpeedCount = int(sizeof(kSpeeds) / sizeof(kSpeeds[0]));
constexpr int kDefaultSpeedIndex = 3;  // real time
// Wall milliseconds between two hops at each speed (pacing, so every hop is seen).
const int kHopIntervals[] = {420, 320, 220, 140, 90, 45, 25, 6, 0};

QString settingsKeyRecent() { return QStringLiteral("recentFiles"); }

QString speedText(double speed) {
    if (std::isinf(speed)) return MainWindow::tr("max");
    if (speed < 1) return MainWindow::tr("%1×").arg(speed, 0, 'g', 2);
    return MainWindow::tr("%1×").arg(speed, 0, 'f', 0);
}

/// The key of the graph item under 'item' (itself or an ancestor), "" when none.
QString itemKey(QGraphicsItem* item) {
    for (; item; item = item->parentItem()) {
        const QString key = item->data(views::kItemKeyData).toString();
        if (!key.isEmpty()) return key;
    }
    return {};
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_document(new model::LabDocument(this)),
      m_player(new Player(m_document, this)),
      m_selection(new views::SelectionModel(this)),
      m_palette(std::make_unique<views::NetworkPalette>()),
      m_undo(new QUndoStack(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    m_physicalScene = new views::PhysicalScene(&m_document->cloud(), m_selection, m_palette.get(), this);
    m_logicalScene = new views::LogicalScene(&m_document->cloud(), m_selection, m_palette.get(), this);
    m_physicalView = new views::PhysicalView(m_physicalScene);
    m_logicalView = new views::LogicalView(m_logicalScene);
    m_physicalView->setObjectName(QStringLiteral("physicalView"));
    m_logicalView->setObjectName(QStringLiteral("logicalView"));
    m_animator = new HopAnimator(m_physicalScene, this);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_physicalView);
    m_splitter->addWidget(m_logicalView);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    setCentralWidget(m_splitter);
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks |
                   QMainWindow::AllowNestedDocks);

    createActions();
    createDocks();
    createMenus();
    createToolBar();
    wireDocument();
    attachEditController();

    m_captureLabel = new QLabel;
    m_captureLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_captureLabel);
    onSpeedSlider(kDefaultSpeedIndex);
    updateTitle();
    updateClock();
    updatePlayActions();
    rebuildRecentMenu();
    resize(1280, 800);
}

MainWindow::~MainWindow() {
    // Close a capture before the lab (and its devices) go.
    m_capture.reset();
    if (!m_captureTempPath.isEmpty()) QFile::remove(m_captureTempPath);
    // Tear the views down while the window is whole: a scene waits for its layout thread
    // and processes events when destroyed.
    m_player->pause();
    delete m_edit;
    m_edit = nullptr;
    delete m_animator;
    delete m_physicalView;
    delete m_logicalView;
    delete m_physicalScene;
    delete m_logicalScene;
}

QList<QDockWidget*> MainWindow::docks() const { return findChildren<QDockWidget*>(); }

// ---------------------------------------------------------------------------- construction

void MainWindow::createActions() {
    m_newAction = new QAction(tr("&New"), this);
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setStatusTip(tr("Start a new lab with a network node and a compute node"));
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newLab);

    m_openAction = new QAction(tr("&Open..."), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setStatusTip(tr("Open a lab file"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::open);

    m_saveAction = new QAction(tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

    m_saveAsAction = new QAction(tr("Save &As..."), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveAs);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_undoAction = m_undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = m_undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);

    m_playAction = new QAction(tr("Play"), this);
    m_playAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_playAction->setStatusTip(tr("Play or pause the lab (F5)"));
    connect(m_playAction, &QAction::triggered, m_player, &Player::toggle);

    m_stepAction = new QAction(tr("Step"), this);
    m_stepAction->setShortcut(QKeySequence(Qt::Key_F10));
    m_stepAction->setStatusTip(tr("Move to the next frame hop (F10)"));
    connect(m_stepAction, &QAction::triggered, this, [this] {
        m_player->pause();
        m_player->step();
    });

    m_stepBackAction = new QAction(tr("Step back"), this);
    m_stepBackAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F10));
    m_stepBackAction->setStatusTip(tr("Move to the previous frame hop (Shift+F10)"));
    connect(m_stepBackAction, &QAction::triggered, this, [this] {
        m_player->pause();
        m_player->stepBack();
    });

    m_skipToEndAction = new QAction(tr("Skip to end"), this);
    m_skipToEndAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    connect(m_skipToEndAction, &QAction::triggered, this, [this] {
        m_animator->clear();
        m_player->skipToEnd();
    });

    m_zoomInAction = new QAction(tr("Zoom &In"), this);
    m_zoomInAction->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomInAction, &QAction::triggered, this, [this] { activeView()->zoomIn(); });
    m_zoomOutAction = new QAction(tr("Zoom &Out"), this);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, this, [this] { activeView()->zoomOut(); });
    m_fitAction = new QAction(tr("&Fit to View"), this);
    m_fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_fitAction, &QAction::triggered, this, [this] {
        m_physicalView->fitToView();
        m_logicalView->fitToView();
    });
    m_relayoutAction = new QAction(tr("Re&layout"), this);
    m_relayoutAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_relayoutAction, &QAction::triggered, m_physicalScene, &views::PhysicalScene::relayout);

    m_pingAction = new QAction(tr("&Ping from Instance..."), this);
    m_pingAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    connect(m_pingAction, &QAction::triggered, this, [this] {
        QString instance;
        const views::SelectionRef sel = m_selection->current();
        const model::TenantState& st = m_document->cloud().state();
        if (sel.kind == views::selkind::kInstance) {
            if (const model::Instance* i = st.instance(sel.id.toStdString())) instance = QString::fromStdString(i->name);
        }
        if (instance.isEmpty() && !st.instances.empty()) instance = QString::fromStdString(st.instances.begin()->second.name);
        if (instance.isEmpty()) {
            QMessageBox::information(this, tr("Ping"), tr("The lab has no instance to ping from."));
            return;
        }
        showPingDialog(instance);
    });

    m_stopCaptureAction = new QAction(tr("S&top Capture..."), this);
    m_stopCaptureAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_stopCaptureAction->setEnabled(false);
    connect(m_stopCaptureAction, &QAction::triggered, this, [this] {
        QString error;
        if (stopCapture({}, &error) < 0 && !error.isEmpty()) QMessageBox::warning(this, tr("Capture"), error);
    });
}

void MainWindow::createDocks() {
    m_flowDock = new FlowTablesDock(m_document, this);
    m_macDock = new MacTablesDock(m_document, this);
    m_eventDock = new EventListDock(m_document, this);
    m_packetDock = new PacketDetailDock(m_document, this);
    m_traceDock = new TraceDock(m_document, this);
    m_consoleDock = new ConsoleDock(m_document, this);
    m_chartsDock = new ChartsDock(m_document, this);

    // Bottom, under the views: flow tables (MAC tables, events, charts as tabs) beside the
    // console (trace and packet detail as tabs). The views keep the whole width above.
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, m_flowDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_consoleDock);
    splitDockWidget(m_flowDock, m_consoleDock, Qt::Horizontal);
    tabifyDockWidget(m_flowDock, m_eventDock);
    tabifyDockWidget(m_flowDock, m_macDock);
    tabifyDockWidget(m_flowDock, m_chartsDock);
    tabifyDockWidget(m_consoleDock, m_traceDock);
    tabifyDockWidget(m_consoleDock, m_packetDock);
    m_flowDock->raise();
    m_consoleDock->raise();
    resizeDocks({m_flowDock, m_consoleDock}, {700, 580}, Qt::Horizontal);
    resizeDocks({m_flowDock}, {265}, Qt::Vertical);

    connect(m_eventDock, &EventListDock::eventSelected, this, &MainWindow::onEventSelected);
    connect(m_consoleDock, &ConsoleDock::commandRan, this, [this](const QString&, const QString&, int) {
        statusBar()->showMessage(tr("Virtual time %1 s").arg(model::EventListModel::timeText(m_document->now())), 3000);
    });
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addAction(m_newAction);
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_saveAsAction);
    m_fileMenu->addSeparator();
    m_exportMenu = m_fileMenu->addMenu(tr("&Export View"));
    m_exportMenu->addAction(tr("As &PNG..."), this, [this] { exportView(QStringLiteral("png")); });
    m_exportMenu->addAction(tr("As &SVG..."), this, [this] { exportView(QStringLiteral("svg")); });
    m_exportMenu->addAction(tr("As &DOT..."), this, [this] { exportView(QStringLiteral("dot")); });
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(tr("&Edit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_zoomInAction);
    m_viewMenu->addAction(m_zoomOutAction);
    m_viewMenu->addAction(m_fitAction);
    m_viewMenu->addAction(m_relayoutAction);
    m_viewMenu->addSeparator();
    for (QDockWidget* dock : {static_cast<QDockWidget*>(m_flowDock), static_cast<QDockWidget*>(m_macDock),
                              static_cast<QDockWidget*>(m_eventDock), static_cast<QDockWidget*>(m_packetDock),
                              static_cast<QDockWidget*>(m_traceDock), static_cast<QDockWidget*>(m_consoleDock),
                              static_cast<QDockWidget*>(m_chartsDock)}) {
        m_viewMenu->addAction(dock->toggleViewAction());
    }

    QMenu* sim = menuBar()->addMenu(tr("&Simulation"));
    sim->addAction(m_playAction);
    sim->addAction(m_stepAction);
    sim->addAction(m_stepBackAction);
    sim->addAction(m_skipToEndAction);

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(m_pingAction);
    tools->addAction(m_stopCaptureAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About NeutronLab"), this, [this] {
        QMessageBox::about(this, tr("About NeutronLab"),
                           tr("<h3>NeutronLab</h3><p>A lab for OpenStack Neutron and Open vSwitch "
                              "networking: real Ethernet frames through OVS pipelines, Linux "
                              "bridges, namespaces and tunnels, all emulated.</p>"));
    });
}

void MainWindow::createToolBar() {
    QToolBar* bar = addToolBar(tr("Player"));
    bar->setObjectName(QStringLiteral("playerToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_playAction->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_stepAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_stepBackAction->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    m_skipToEndAction->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    bar->addAction(m_stepBackAction);
    bar->addAction(m_playAction);
    bar->addAction(m_stepAction);
    bar->addAction(m_skipToEndAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Speed:")));
    m_speedSlider = new QSlider(Qt::Horizontal);
    m_speedSlider->setRange(0, kSpeedCount - 1);
    m_speedSlider->setPageStep(1);
    m_speedSlider->setTickPosition(QSlider::TicksBelow);
    m_speedSlider->setFixedWidth(120);
    m_speedSlider->setValue(kDefaultSpeedIndex);
    m_speedSlider->setToolTip(tr("From 1/10 of real time to as fast as possible"));
    connect(m_speedSlider, &QSlider::valueChanged, this, &MainWindow::onSpeedSlider);
    bar->addWidget(m_speedSlider);
    m_speedLabel = new QLabel;
    m_speedLabel->setMinimumWidth(m_speedLabel->fontMetrics().horizontalAdvance(QStringLiteral("0.25×  ")));
    bar->addWidget(m_speedLabel);
    bar->addSeparator();
    auto* clockTitle = new QLabel(tr("Clock:"));
    clockTitle->setContentsMargins(4, 0, 4, 0);
    bar->addWidget(clockTitle);
    m_clockLabel = new QLabel;
    m_clockLabel->setContentsMargins(0, 0, 6, 0);
    QFont mono = m_clockLabel->font();
    mono.setFamilies({QStringLiteral("DejaVu Sans Mono"), QStringLiteral("monospace")});
    m_clockLabel->setFont(mono);
    bar->addWidget(m_clockLabel);
    bar->addSeparator();
    bar->addAction(m_zoomInAction);
    bar->addAction(m_zoomOutAction);
    bar->addAction(m_fitAction);
    auto* exportButton = new QAction(tr("Export"), this);
    exportButton->setMenu(m_exportMenu);
    connect(exportButton, &QAction::triggered, this, [this] { exportView(QStringLiteral("png")); });
    bar->addAction(exportButton);
    bar->addSeparator();
    bar->addAction(m_pingAction);
}

void MainWindow::wireDocument() {
    connect(m_document, &model::LabDocument::labReset, this, &MainWindow::onLabReset);
    connect(m_document, &model::LabDocument::topologyChanged, this, &MainWindow::onTopologyChanged);
    connect(m_document, &model::LabDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &model::LabDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_document, &model::LabDocument::timeAdvanced, this, [this] {
        updateClock();
        m_consoleDock->flushJobOutput();
    });
    connect(m_player, &Player::hop, this, &MainWindow::onHop);
    connect(m_player, &Player::currentEventChanged, this, &MainWindow::onCurrentEventChanged);
    connect(m_player, &Player::playingChanged, this, &MainWindow::updatePlayActions);
    connect(m_player, &Player::playTimeChanged, this, &MainWindow::updateClock);
    connect(m_selection, &views::SelectionModel::selectionChanged, this, [this](const views::SelectionRef& ref) {
        if (ref.kind == views::selkind::kBridge) {
            const auto [node, name] = views::SelectionModel::splitPhysicalId(ref.id);
            m_flowDock->showBridge(node, name);
            m_macDock->showBridge(node, name);
        } else if (ref.kind == views::selkind::kDevice) {
            const auto [node, name] = views::SelectionModel::splitPhysicalId(ref.id);
            m_chartsDock->addPort(node, name);
        }
    });
}

void MainWindow::attachEditController() {
    m_edit = new views::EditController(*m_document, *m_selection, *m_undo, this);
    m_edit->attachTo(m_physicalView, m_logicalView);
    m_paletteDock = new QDockWidget(tr("Palette"), this);
    m_paletteDock->setObjectName(QStringLiteral("paletteDock"));
    m_paletteDock->setWidget(m_edit->createPalette(m_paletteDock));
    m_propertiesDock = new QDockWidget(tr("Properties"), this);
    m_propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    m_propertiesDock->setWidget(m_edit->createPropertiesEditor(m_propertiesDock));
    addDockWidget(Qt::LeftDockWidgetArea, m_paletteDock);
    addDockWidget(Qt::LeftDockWidgetArea, m_propertiesDock);
    splitDockWidget(m_paletteDock, m_propertiesDock, Qt::Vertical);
    resizeDocks({m_paletteDock}, {165}, Qt::Horizontal);
    resizeDocks({m_paletteDock, m_propertiesDock}, {250, 200}, Qt::Vertical);
    m_editMenu->addSeparator();
    m_editMenu->addAction(m_edit->deleteAction());
    QAction* firstDock = m_flowDock->toggleViewAction();
    m_viewMenu->insertAction(firstDock, m_paletteDock->toggleViewAction());
    m_viewMenu->insertAction(firstDock, m_propertiesDock->toggleViewAction());
    connect(m_edit, &views::EditController::editFailed, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(m_edit, &views::EditController::contextMenuAboutToShow, this,
            [this](QMenu* menu, const views::SelectionRef&) {
                views::GraphView* view = qobject_cast<views::GraphView*>(menu->parentWidget());
                if (!view) return;
                addViewContextActions(menu, view, view->viewport()->mapFromGlobal(QCursor::pos()));
            });
}

// ---------------------------------------------------------------------------- document

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — NeutronLab").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateClock() {
    if (!m_clockLabel) return;
    m_clockLabel->setText(tr("t = %1 s").arg(model::EventListModel::timeText(m_player->playTime())));
    m_clockLabel->setToolTip(tr("Lab time: %1 s").arg(model::EventListModel::timeText(m_document->now())));
}

void MainWindow::updatePlayActions() {
    const bool playing = m_player->isPlaying();
    m_playAction->setText(playing ? tr("Pause") : tr("Play"));
    m_playAction->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void MainWindow::onSpeedSlider(int position) {
    position = std::clamp(position, 0, kSpeedCount - 1);
    const double speed = kSpeeds[position];
    m_player->setSpeed(speed);
    m_player->setHopInterval(kHopIntervals[position]);
    m_animator->setSegmentDuration(std::clamp(kHopIntervals[position] * 2, 60, 700));
    if (m_speedLabel) m_speedLabel->setText(speedText(speed));
}

void MainWindow::onLabReset() {
    // Captures record devices of the old lab: close them.
    if (m_capture) {
        m_capture.reset();
        m_stopCaptureAction->setEnabled(false);
        m_captureLabel->setVisible(false);
    }
    m_undo->clear();
    m_animator->clear();
    m_selection->clear();
    // setCloud() rebuilds (and starts the one layout); a second rebuild() would start another.
    m_physicalScene->setCloud(&m_document->cloud());
    m_logicalScene->setCloud(&m_document->cloud());
    m_flowDock->sync();
    m_macDock->sync();
    m_consoleDock->sync();
    m_eventDock->syncNodes();
    m_chartsDock->syncPorts();
    m_packetDock->clear();
    m_traceDock->clear();
    m_lastAnimatedSeq = 0;
    // Chart instance1's tap and the compute node's tunnel port when the lab has them.
    m_chartsDock->series().clearSources();
    int charted = 0;
    for (const auto& [id, inst] : m_document->cloud().state().instances) {
        if (charted > 0 || inst.portIds.empty()) continue;
        const QString tap = QStringLiteral("tap") + QString::fromStdString(inst.portIds.front().substr(0, 11));
        m_chartsDock->addPort(QString::fromStdString(inst.hostId), tap);
        ++charted;
    }
    updateTitle();
    updateClock();
}

void MainWindow::onTopologyChanged() {
    m_physicalScene->rebuild();
    m_logicalScene->rebuild();
    m_flowDock->sync();
    m_macDock->sync();
    m_consoleDock->sync();
    m_eventDock->syncNodes();
    m_chartsDock->syncPorts();
}

bool MainWindow::openSeed(QString* error) {
    if (!m_document->openSeed(error)) return false;
    return true;
}

bool MainWindow::openFile(const QString& path, QString* error) {
    if (!m_document->open(path, error)) return false;
    addRecentFile(m_document->filePath());
    return true;
}

bool MainWindow::saveFile(const QString& path, QString* error) {
    if (!m_document->save(path, error)) return false;
    m_undo->setClean();
    addRecentFile(m_document->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 4000);
    return true;
}

bool MainWindow::offerRecovery() {
    const QList<model::RecoveryFile> files = model::LabDocument::recoveryFiles();
    for (const model::RecoveryFile& f : files) {
        const QString what = f.originalPath.isEmpty() ? tr("an untitled lab") : QDir::toNativeSeparators(f.originalPath);
        const auto answer = QMessageBox::question(
            this, tr("Recover Lab"),
            tr("NeutronLab did not close normally. A recovery copy of %1 from %2 was found.\n\n"
               "Recover it?")
                .arg(what, QLocale().toString(f.modified, QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer == QMessageBox::Cancel) return false;
        if (answer == QMessageBox::No) {
            model::LabDocument::discardRecoveryFile(f);
            continue;
        }
        QString error;
        if (m_document->recover(f, &error)) return true;
        QMessageBox::warning(this, tr("Recover Lab"), tr("Could not recover the lab:\n%1").arg(error));
    }
    return false;
}

QStringList MainWindow::recentFiles() const {
    return QSettings().value(settingsKeyRecent()).toStringList();
}

void MainWindow::addRecentFile(const QString& path) {
    if (path.isEmpty()) return;
    QStringList files = recentFiles();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles) files.removeLast();
    QSettings().setValue(settingsKeyRecent(), files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    if (!m_recentMenu) return;
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    int n = 0;
    for (const QString& f : files) {
        ++n;
        QAction* a = m_recentMenu->addAction(tr("&%1 %2").arg(n).arg(QFileInfo(f).fileName()));
        a->setToolTip(f);
        a->setStatusTip(QDir::toNativeSeparators(f));
        connect(a, &QAction::triggered, this, [this, f] {
            if (!maybeSave()) return;
            QString error;
            if (!openFile(f, &error)) QMessageBox::warning(this, tr("Open Lab"), error);
        });
    }
    if (files.isEmpty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("&Clear List"), this, [this] {
            QSettings().remove(settingsKeyRecent());
            rebuildRecentMenu();
        });
    }
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified()) return true;
    const auto answer = QMessageBox::warning(
        this, tr("NeutronLab"),
        tr("The lab \"%1\" has been modified.\nDo you want to save your changes?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

bool MainWindow::save() {
    if (m_document->filePath().isEmpty()) return saveAs();
    QString error;
    if (saveFile(m_document->filePath(), &error)) return true;
    QMessageBox::warning(this, tr("Save Lab"), error);
    return false;
}

bool MainWindow::saveAs() {
    QString dir = m_document->filePath();
    if (dir.isEmpty()) dir = QDir::home().filePath(QStringLiteral("lab.yaml"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Lab As"), dir, tr("Lab files (*.yaml *.yml)"));
    if (path.isEmpty()) return false;
    QString error;
    if (saveFile(path, &error)) return true;
    QMessageBox::warning(this, tr("Save Lab"), error);
    return false;
}

void MainWindow::newLab() {
    if (!maybeSave()) return;
    m_document->newLab();
}

void MainWindow::open() {
    if (!maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Lab"), QFileInfo(m_document->filePath()).path(),
                                                      tr("Lab files (*.yaml *.yml);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openFile(path, &error)) QMessageBox::warning(this, tr("Open Lab"), error);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!m_splitterSized) {
        m_splitterSized = true;
        const int w = std::max(m_splitter->width(), 400);
        m_splitter->setSizes({w * 2 / 3, w - w * 2 / 3});
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (maybeSave()) {
        m_player->pause();
        event->accept();
    } else {
        event->ignore();
    }
}

views::GraphView* MainWindow::activeView() const {
    QWidget* focus = QApplication::focusWidget();
    if (focus && (focus == m_logicalView || m_logicalView->isAncestorOf(focus))) return m_logicalView;
    return m_physicalView;
}

void MainWindow::exportView(const QString& format) {
    views::GraphView* view = activeView();
    const QString which = view == m_logicalView ? QStringLiteral("logical") : QStringLiteral("physical");
    QString filter;
    if (format == QLatin1String("png")) filter = tr("PNG images (*.png)");
    else if (format == QLatin1String("svg")) filter = tr("SVG drawings (*.svg)");
    else filter = tr("Graphviz DOT files (*.dot *.gv)");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export View"), QDir::home().filePath(which + QLatin1Char('.') + format), filter);
    if (path.isEmpty()) return;
    bool ok = false;
    if (format == QLatin1String("png")) ok = view->exportPng(path);
    else if (format == QLatin1String("svg")) ok = view->exportSvg(path);
    else ok = view->exportDot(path);
    if (!ok) QMessageBox::warning(this, tr("Export View"), tr("Could not write %1.").arg(QDir::toNativeSeparators(path)));
    else statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 4000);
}

// ---------------------------------------------------------------------------- player

void MainWindow::onHop(const EventRecord& record) {
    if (m_seeking) return;
    m_animator->animate(record);
    m_lastAnimatedSeq = record.seq;
}

void MainWindow::onCurrentEventChanged(quint64 seq) {
    if (m_seeking) return;
    m_eventDock->selectSequence(seq);
    m_packetDock->showRecord(seq);
    m_traceDock->showRecord(seq);
    highlightTouchedFlows(seq);
}

void MainWindow::highlightTouchedFlows(quint64 seq) {
    const model::EventLog& log = m_document->eventLog();
    const FrameJourney& j = m_traceDock->journey();
    QHash<QString, QList<QPair<int, quint64>>> touched;
    if (!j.isEmpty()) {
        const quint64 anchor = log.find(seq) && log.find(seq)->isHop() ? seq : log.previousHop(seq);
        const quint64 until = log.nextHop(anchor ? anchor : seq);
        for (quint64 s : j.records) {
            if (until != 0 && s >= until) break;
            const EventRecord* r = log.find(s);
            if (!r || (r->kind != EventKind::FlowHit && r->kind != EventKind::FlowAdded) || r->table < 0) continue;
            touched[QString::fromStdString(r->node + "/" + r->device)].push_back({r->table, r->flowId});
        }
    }
    m_flowDock->setTouched(touched);
    // Show the bridge the frame is at.
    if (const EventRecord* r = log.find(seq); r && r->isHop() && !r->device.empty()) {
        m_flowDock->showBridge(QString::fromStdString(r->node), QString::fromStdString(r->device));
    }
}

void MainWindow::onEventSelected(quint64 seq) {
    seekTo(seq);
    m_packetDock->showRecord(seq);
    m_traceDock->showRecord(seq);
    highlightTouchedFlows(seq);
}

void MainWindow::seekTo(quint64 seq) {
    const model::EventLog& log = m_document->eventLog();
    const EventRecord* r = log.find(seq);
    if (!r) return;
    const quint64 target = r->isHop() ? seq : log.previousHop(seq);
    m_player->pause();
    m_seeking = true;
    m_animator->clear();
    while (m_player->cursor() > target && m_player->stepBack()) {
    }
    while (m_player->cursor() < target) {
        const quint64 next = log.nextHop(m_player->cursor());
        if (next == 0 || next > target || !m_player->step()) break;
    }
    m_seeking = false;
}

void MainWindow::startReplay(quint64 fromSeq) {
    // Put the cursor on the last hop before the new records, then play them.
    m_player->pause();
    const model::EventLog& log = m_document->eventLog();
    const quint64 before = (log.find(fromSeq) && log.find(fromSeq)->isHop()) ? fromSeq : log.previousHop(fromSeq + 1);
    if (m_player->cursor() > before) seekTo(before);
    m_player->play();
}

// ---------------------------------------------------------------------------- lab actions

int MainWindow::runConsoleLine(const QString& context, const QString& line, QString* output) {
    m_consoleDock->showContext(context);
    const ConsoleResult r = m_consoleDock->run(context, line);
    if (output) *output = r.text;
    return r.status;
}

int MainWindow::ping(const QString& instance, const QString& target, int count, bool animate) {
    const quint64 last = m_document->eventLog().lastSeq();
    m_consoleDock->showContext(instance);
    m_consoleDock->raise();
    const ConsoleResult r = m_consoleDock->run(instance, QStringLiteral("ping -c %1 %2").arg(std::max(count, 1)).arg(target));
    if (animate && m_document->eventLog().lastSeq() > last) startReplay(last);
    return r.status;
}

void MainWindow::showPingDialog(const QString& instance) {
    PingDialog dialog(m_document->cloud(), instance, this);
    if (dialog.exec() != QDialog::Accepted || dialog.target().isEmpty()) return;
    ping(instance, dialog.target(), dialog.count());
}

bool MainWindow::isCapturing() const { return m_capture != nullptr; }

bool MainWindow::startCapture(const QString& node, const QString& device, QString* error) {
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    if (m_capture) return fail(tr("A capture on %1 is already running.").arg(m_captureDevice));
    engine::Lab& lab = m_document->cloud().lab();
    engine::Node* n = lab.node(node.toStdString());
    engine::NetDevice* dev = n ? n->device(device.toStdString()) : nullptr;
    if (!dev && n) {
        // A device inside a namespace (qr-, qg-, tap of qdhcp-).
        for (engine::NetNamespace* ns : n->namespaces()) {
            if ((dev = n->device(device.toStdString(), ns))) break;
        }
    }
    if (!dev) return fail(tr("%1 has no interface %2 to capture on (patch and tunnel ports exist only in OVS).").arg(node, device));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    m_captureTempPath = QDir(dir).filePath(QStringLiteral("neutronlab-%1-%2-%3.pcap")
                                               .arg(node, device)
                                               .arg(QDateTime::currentMSecsSinceEpoch()));
    auto writer = engine::PcapWriter::open(m_captureTempPath.toStdString(), lab.clock());
    if (!writer) return fail(QString::fromStdString(writer.error().message));
    m_capture = std::move(writer.value());
    if (auto s = m_capture->attach(*dev); !s) {
        m_capture.reset();
        return fail(QString::fromStdString(s.error().message));
    }
    m_captureDevice = node + QLatin1Char('/') + device;
    m_stopCaptureAction->setEnabled(true);
    m_captureLabel->setText(tr("● Capturing on %1").arg(m_captureDevice));
    m_captureLabel->setStyleSheet(QStringLiteral("color: #c00000;"));
    m_captureLabel->setVisible(true);
    return true;
}

qint64 MainWindow::stopCapture(const QString& savePath, QString* error) {
    if (!m_capture) {
        if (error) *error = tr("No capture is running.");
        return -1;
    }
    m_capture->flush();
    const qint64 frames = qint64(m_capture->packetsWritten());
    m_capture.reset();  // closes the file
    m_stopCaptureAction->setEnabled(false);
    m_captureLabel->setVisible(false);
    QString path = savePath;
    if (path.isEmpty()) {
        const QString suggested = QDir::home().filePath(QString(m_captureDevice).replace(QLatin1Char('/'), QLatin1Char('-')) +
                                                        QStringLiteral(".pcap"));
        path = QFileDialog::getSaveFileName(this, tr("Save Capture (%n frame(s))", nullptr, int(frames)), suggested,
                                            tr("pcap captures (*.pcap)"));
    }
    const QString temp = m_captureTempPath;
    m_captureTempPath.clear();
    if (path.isEmpty()) {
        QFile::remove(temp);
        return frames;
    }
    if (QFile::exists(path)) QFile::remove(path);
    if (!QFile::copy(temp, path)) {
        if (error) *error = tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        QFile::remove(temp);
        return -1;
    }
    QFile::remove(temp);
    statusBar()->showMessage(tr("Saved %n frame(s) to %1", nullptr, int(frames)).arg(QDir::toNativeSeparators(path)), 5000);
    return frames;
}

// ---------------------------------------------------------------------------- context menus

QString MainWindow::instanceNameForKey(const QString& key) const {
    const model::TenantState& st = m_document->cloud().state();
    if (key.startsWith(QLatin1String("vm:"))) {
        const QString name = key.section(QLatin1Char('/'), 1);
        if (st.instance(name.toStdString())) return name;
    }
    if (key.startsWith(QLatin1String("instance:"))) {
        if (const model::Instance* i = st.instance(key.mid(9).toStdString())) return QString::fromStdString(i->name);
    }
    return {};
}

void MainWindow::captureFromMenu(const QString& node, const QString& device) {
    QString error;
    if (!startCapture(node, device, &error)) {
        QMessageBox::warning(this, tr("Capture"), error);
        return;
    }
    statusBar()->showMessage(tr("Capturing on %1/%2; Tools > Stop Capture saves the pcap.").arg(node, device), 6000);
}

void MainWindow::addViewContextActions(QMenu* menu, views::GraphView* view, const QPoint& viewportPos) {
    const QString key = itemKey(view->itemAt(viewportPos));
    QList<QAction*> actions;
    const QString instance = instanceNameForKey(key);
    if (!instance.isEmpty()) {
        auto* ping = new QAction(tr("Ping..."), menu);
        connect(ping, &QAction::triggered, this, [this, instance] { showPingDialog(instance); });
        actions << ping;
    }
    // Interfaces: physical device items, logical port lines (the port's device).
    QString node, device;
    if (key.startsWith(QLatin1String("dev:"))) {
        node = key.mid(4).section(QLatin1Char('/'), 0, 0);
        device = key.mid(4).section(QLatin1Char('/'), 1);
    } else if (key.startsWith(QLatin1String("link:"))) {
        const model::Port* p = m_document->cloud().state().port(key.mid(5).toStdString());
        if (p && !p->hostId.empty()) {
            node = QString::fromStdString(p->hostId);
            const std::string& owner = p->deviceOwner;
            device = QString::fromStdString(owner == model::owner::kRouterInterface ? p->deviceName("qr-")
                                            : owner == model::owner::kRouterGateway ? p->deviceName("qg-")
                                                                                    : p->deviceName("tap"));
        }
    }
    if (!device.isEmpty()) {
        auto* capture = new QAction(tr("Capture on %1...").arg(device), menu);
        capture->setEnabled(!m_capture);
        connect(capture, &QAction::triggered, this, [this, node, device] { captureFromMenu(node, device); });
        actions << capture;
        if (m_capture) actions << m_stopCaptureAction;
        auto* chart = new QAction(tr("Chart %1").arg(device), menu);
        connect(chart, &QAction::triggered, this, [this, node, device] {
            m_chartsDock->addPort(node, device);
            m_chartsDock->show();
            m_chartsDock->raise();
        });
        actions << chart;
    }
    if (actions.isEmpty()) return;
    QAction* first = menu->actions().value(0);
    menu->insertActions(first, actions);
    if (first) menu->insertSeparator(first);
}

// ---------------------------------------------------------------------------- screenshots

bool MainWindow::prepareScreenshot(QString* error) {
    if (!m_physicalScene->waitForLayout(60000)) {
        if (error) *error = tr("The layout of the physical view did not finish.");
        return false;
    }
    QApplication::processEvents();
    const int w = std::max(m_splitter->width(), 400);
    m_splitter->setSizes({w * 2 / 3, w - w * 2 / 3});
    QApplication::processEvents();
    m_physicalView->fitToView();
    m_logicalView->fitToView();
    // The most telling hop of the last ICMP echo: a request leaving through a tunnel port.
    const model::EventLog& log = m_document->eventLog();
    quint64 pick = 0, fallback = 0;
    for (quint64 s = log.lastSeq(); s >= log.firstSeq() && s > 0 && pick == 0; --s) {
        const EventRecord* r = log.find(s);
        if (!r || !r->isHop() || r->protocol != model::FrameProtocol::Icmp) continue;
        if (fallback == 0) fallback = s;
        if (r->kind == EventKind::FrameSent && r->summary.find("echo request") != std::string::npos &&
            QString::fromStdString(r->port).startsWith(QLatin1String("gre-")))
            pick = s;
    }
    if (pick == 0) pick = fallback;
    if (pick != 0) {
        seekTo(pick);
        m_eventDock->selectSequence(pick);
        m_packetDock->showRecord(pick);
        m_traceDock->showRecord(pick);
        highlightTouchedFlows(pick);
        // The token in flight: start it slowly and let it travel part of the way.
        if (const EventRecord* r = log.find(pick)) {
            const int segment = m_animator->segmentDuration();
            m_animator->setSegmentDuration(4000);
            m_animator->animate(*r);
            m_animator->setSegmentDuration(segment);
            QElapsedTimer wait;
            wait.start();
            while (wait.elapsed() < 1300) QApplication::processEvents(QEventLoop::AllEvents, 50);
        }
    }
    QApplication::processEvents();
    return true;
}

bool MainWindow::grabScreenshot(const QString& path, QString* error) {
    const QPixmap pixmap = grab();
    if (pixmap.isNull()) {
        if (error) *error = tr("Could not render the window.");
        return false;
    }
    if (!pixmap.save(path, "PNG")) {
        if (error) *error = tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return true;
}

}  // namespace nlab::app
