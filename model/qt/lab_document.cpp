#include "model/qt/lab_document.h"

#include "engine/net/linux_bridge.h"
#include "model/lab_file.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>
#include <functional>

namespace nlab::model {

namespace {

constexpr char kRecoveryHeader[] = "# neutronlab-recovery: ";

void setError(QString* error, const QString& text) {
    if (error != nullptr)
        *error = text;
}

void hashInto(std::size_t& h, std::string_view s) {
    h ^= std::hash<std::string_view>{}(s) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
}

}  // namespace

LabDocument::LabDocument(QObject* parent) : QObject(parent), m_eventLog(new EventLog(this)) {
    m_autosaveTimer.setInterval(m_autosaveMs);
    connect(&m_autosaveTimer, &QTimer::timeout, this, [this] {
        if (m_modified)
            writeRecoveryFile();
    });
    replaceCloud(std::make_unique<Cloud>(1), QString(), false);
}

LabDocument::~LabDocument() {
    removeRecoveryFile();
    m_eventLog->detach();
    m_shell.reset();
    m_cloud.reset();
}

// ---- Loading and saving ----

void LabDocument::replaceCloud(std::unique_ptr<Cloud> cloud, const QString& path, bool modified) {
    removeRecoveryFile();
    m_eventLog->detach();
    m_shell.reset();  // points into the old cloud's lab
    m_cloud = std::move(cloud);
    m_shell = std::make_unique<engine::Shell>(m_cloud->lab());
    engine::registerHostCommands(*m_shell);
    engine::registerOvsCommands(*m_shell);
    m_cloud->attachShell(*m_shell);
    m_eventLog->clear();
    m_eventLog->attach(m_cloud->lab().events());
    emit labReset();
    setFilePath(path);
    setModified(modified);
}

bool LabDocument::openSeed(QString* error) {
    LoadedLab loaded = loadSeedLab();
    if (!loaded) {
        setError(error, QString::fromStdString(loaded.error->toString()));
        return false;
    }
    replaceCloud(std::move(loaded.cloud), QString(), false);
    return true;
}

bool LabDocument::open(const QString& path, QString* error) {
    LoadedLab loaded = loadLabFile(path.toStdString());
    if (!loaded) {
        setError(error, QString::fromStdString(loaded.error->toString()));
        return false;
    }
    replaceCloud(std::move(loaded.cloud), QFileInfo(path).absoluteFilePath(), false);
    return true;
}

bool LabDocument::save(const QString& path, QString* error) {
    const std::string text = saveLab(*m_cloud);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    removeRecoveryFile();
    setFilePath(QFileInfo(path).absoluteFilePath());
    setModified(false);
    return true;
}

void LabDocument::newLab() {
    auto cloud = std::make_unique<Cloud>(1);
    Host network;
    network.name = "network";
    network.role = HostRole::Network;
    network.managementIp = Ipv4Address::fromOctets(192, 168, 1, 11);
    network.dataIp = Ipv4Address::fromOctets(10, 0, 0, 11);
    Host compute;
    compute.name = "compute";
    compute.role = HostRole::Compute;
    compute.managementIp = Ipv4Address::fromOctets(192, 168, 1, 12);
    compute.dataIp = Ipv4Address::fromOctets(10, 0, 0, 12);
    // Both hosts are valid by construction; a failure here is a bug in the agents, which
    // would leave a lab with fewer hosts rather than no lab.
    (void)cloud->addHost(network);
    (void)cloud->addHost(compute);
    replaceCloud(std::move(cloud), QString(), false);
}

// ---- The lab ----

std::size_t LabDocument::plumbingFingerprint() const {
    std::size_t h = 0;
    for (engine::Node* node : m_cloud->lab().nodes()) {
        hashInto(h, node->name());
        for (engine::NetNamespace* ns : node->namespaces())
            hashInto(h, ns->name());
        for (engine::NetDevice* dev : node->devices()) {
            hashInto(h, dev->name());
            hashInto(h, dev->master());
        }
        for (engine::OvsBridge* br : node->ovsBridges()) {
            hashInto(h, br->name());
            for (const engine::BridgePort* p : br->ports()) {
                hashInto(h, p->config.name);
                hashInto(h, std::to_string(p->ofport));
            }
        }
        for (engine::LinuxBridge* br : node->linuxBridges())
            hashInto(h, br->name());
    }
    return h;
}

void LabDocument::notifyAfter(engine::SimTime before, std::size_t plumbingBefore,
                              const std::string* tenantBefore) {
    bool changed = plumbingFingerprint() != plumbingBefore;
    if (tenantBefore != nullptr && saveLab(*m_cloud) != *tenantBefore) {
        changed = true;
        setModified(true);
    }
    m_eventLog->flush();
    if (changed)
        emit topologyChanged();
    if (now() != before)
        emit timeAdvanced(now());
}

engine::Status LabDocument::edit(const std::function<engine::Status(Cloud&)>& fn) {
    const engine::SimTime before = now();
    const std::size_t plumbing = plumbingFingerprint();
    const std::string tenant = saveLab(*m_cloud);
    engine::Status status = fn(*m_cloud);
    notifyAfter(before, plumbing, &tenant);
    return status;
}

engine::CommandOutput LabDocument::runCommand(const QString& context, const QString& line) {
    std::optional<engine::ShellContext> ctx = m_shell->context(context.toStdString());
    if (!ctx) {
        return engine::CommandOutput::fail(
            tr("unknown context '%1'").arg(context).toStdString() + "\n", 1);
    }
    const engine::SimTime before = now();
    const std::size_t plumbing = plumbingFingerprint();
    // Only the neutron and nova clients change tenant objects.
    std::string tenant;
    const bool tenantCommand =
        line.contains(QLatin1String("neutron")) || line.contains(QLatin1String("nova"));
    if (tenantCommand)
        tenant = saveLab(*m_cloud);
    engine::CommandOutput out = m_shell->run(*ctx, line.toStdString());
    notifyAfter(before, plumbing, tenantCommand ? &tenant : nullptr);
    return out;
}

// ---- Time ----

engine::SimTime LabDocument::now() const {
    return m_cloud->lab().clock().now();
}

void LabDocument::advance(engine::SimDuration duration) {
    engine::SimClock& clock = m_cloud->lab().clock();
    clock.advance(std::max<engine::SimDuration>(duration, 0));
    m_eventLog->flush();
    emit timeAdvanced(clock.now());
}

std::size_t LabDocument::runEvents(int wallBudgetMs, engine::SimTime limit) {
    engine::SimClock& clock = m_cloud->lab().clock();
    QElapsedTimer wall;
    wall.start();
    std::size_t ran = 0;
    do {
        const engine::SimTime next = clock.nextEventTime();
        if (next < 0 || (limit >= 0 && next > limit))
            break;
        ran += clock.runUntil(next);
    } while (wall.elapsed() < wallBudgetMs);
    if (limit >= 0 && clock.pending() == 0 && clock.now() < limit)
        clock.runUntil(limit);
    m_eventLog->flush();
    emit timeAdvanced(clock.now());
    return ran;
}

// ---- Document state ----

void LabDocument::setModified(bool modified) {
    if (m_modified == modified)
        return;
    m_modified = modified;
    if (m_modified && m_autosaveMs > 0)
        m_autosaveTimer.start();
    else
        m_autosaveTimer.stop();
    emit modifiedChanged(modified);
}

void LabDocument::setFilePath(const QString& path) {
    if (m_filePath == path)
        return;
    m_filePath = path;
    emit filePathChanged(path);
}

QString LabDocument::displayName() const {
    return m_filePath.isEmpty() ? QStringLiteral("untitled") : QFileInfo(m_filePath).fileName();
}

// ---- Autosave and recovery ----

void LabDocument::setAutosaveInterval(int ms) {
    m_autosaveMs = std::max(ms, 0);
    if (m_autosaveMs == 0) {
        m_autosaveTimer.stop();
        return;
    }
    m_autosaveTimer.setInterval(m_autosaveMs);
    if (m_modified)
        m_autosaveTimer.start();
}

QString LabDocument::recoveryDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/recovery");
}

QString LabDocument::recoveryFilePath() const {
    const QString base = m_filePath.isEmpty() ? QStringLiteral("untitled")
                                              : QFileInfo(m_filePath).completeBaseName();
    return recoveryDirectory() + QLatin1Char('/') + base + QStringLiteral(".yaml");
}

bool LabDocument::writeRecoveryFile(QString* error) {
    const QString path = recoveryFilePath();
    if (!QDir().mkpath(recoveryDirectory())) {
        setError(error, tr("Cannot create %1").arg(recoveryDirectory()));
        return false;
    }
    if (!m_lastRecoveryPath.isEmpty() && m_lastRecoveryPath != path)
        removeRecoveryFile();
    const std::string text = kRecoveryHeader + m_filePath.toStdString() + "\n" + saveLab(*m_cloud);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        setError(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_lastRecoveryPath = path;
    return true;
}

void LabDocument::removeRecoveryFile() {
    if (m_lastRecoveryPath.isEmpty())
        return;
    QFile::remove(m_lastRecoveryPath);
    m_lastRecoveryPath.clear();
}

QList<RecoveryFile> LabDocument::recoveryFiles() {
    QList<RecoveryFile> out;
    const QDir dir(recoveryDirectory());
    const QFileInfoList files =
        dir.entryInfoList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Time);
    for (const QFileInfo& info : files) {
        QFile f(info.absoluteFilePath());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray first = f.readLine();
        if (!first.startsWith(kRecoveryHeader))
            continue;
        RecoveryFile r;
        r.path = info.absoluteFilePath();
        r.originalPath = QString::fromUtf8(first.mid(int(sizeof kRecoveryHeader) - 1)).trimmed();
        r.modified = info.lastModified();
        out.push_back(r);
    }
    return out;
}

bool LabDocument::recover(const RecoveryFile& file, QString* error) {
    LoadedLab loaded = loadLabFile(file.path.toStdString());
    if (!loaded) {
        setError(error, QString::fromStdString(loaded.error->toString()));
        return false;
    }
    replaceCloud(std::move(loaded.cloud), file.originalPath, true);
    m_lastRecoveryPath = file.path;  // adopted: removed on save or close, rewritten by autosave
    return true;
}

bool LabDocument::discardRecoveryFile(const RecoveryFile& file) {
    return QFile::remove(file.path);
}

}  // namespace nlab::model
