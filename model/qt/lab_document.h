#pragma once
// LabDocument: the lab as a Qt document — what File > New/Open/Save act on.
//
// What
//   Owns the lab (a model::Cloud: tenant objects, agents and the engine lab), the emulated
//   shell attached to it (host, OVS and neutron/nova commands), the EventLog recording the
//   engine's events, the file path and the modified flag. Every change the app makes goes
//   through it: edit() for tenant operations (the app's undo commands call it), runCommand()
//   for console lines, advance() for the passing of virtual time (the Player calls it). Each
//   tells observers what changed through signals, once per operation.
//
// Design
//   - The Cloud and the Shell are replaced together on openSeed()/open()/newLab() (labReset()
//     then tells views to rebuild from scratch); in between, references to them stay valid.
//     The shell is destroyed before the cloud (it points into the cloud's lab).
//   - A failed open() leaves the current lab untouched; lab-file errors carry
//     "file:line:column: field: message".
//   - save() writes model::saveLab() text through QSaveFile: the old file stays intact until
//     the new one is complete.
//   - Edits: edit(fn) runs 'fn' on the Cloud, then marks the document modified and emits
//     topologyChanged() when the tenant state changed (also when 'fn' failed halfway after
//     changing something), compared by the lab-file text before and after.
//   - Console commands can change the tenant state (neutron/nova), the plumbing (ovs-vsctl,
//     ip, brctl) and the time (ping runs the clock); runCommand() detects each and emits the
//     matching signals.
//   - Autosave: while modified, the lab is written every autosaveInterval() to a recovery
//     file, QStandardPaths::AppDataLocation/recovery/<name>.yaml (name: the file's base name,
//     "untitled" for a new lab). Its first line is a YAML comment naming the original file,
//     so a later session can offer it back (recoveryFiles(), recover()). The recovery file is
//     removed on save, on loading another lab and when the document is destroyed (a normal
//     close); only a crash leaves it behind.
//
// Invariants
//   cloud() and shell() always exist (the document starts with an empty lab: no hosts).
//   isModified() is false right after openSeed(), open(), newLab() and save().
//   The EventLog is attached to the current lab's bus and cleared on every reset.

#include "engine/console/shell.h"
#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "model/cloud.h"
#include "model/qt/event_log.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace nlab::model {

/// A recovery file found on disk (see LabDocument's essay).
struct RecoveryFile {
    QString path;          ///< The recovery file itself.
    QString originalPath;  ///< The lab file it recovers ("" for an untitled lab).
    QDateTime modified;    ///< When it was last written.
};

class LabDocument : public QObject {
    Q_OBJECT
public:
    /// Starts with an empty lab (no hosts), untitled and unmodified.
    explicit LabDocument(QObject* parent = nullptr);
    /// Removes the recovery file (a normal close).
    ~LabDocument() override;
    LabDocument(const LabDocument&) = delete;
    LabDocument& operator=(const LabDocument&) = delete;

    // ---- Loading and saving ----
    /// Replaces the lab with the built-in seed lab (untitled). On error (a broken build)
    /// sets '*error' and keeps the current lab. Emits labReset().
    bool openSeed(QString* error = nullptr);
    /// Replaces the lab with the lab file at 'path'. On error sets '*error' to
    /// "file:line:column: field: message" and keeps the current lab. Emits labReset() and
    /// filePathChanged().
    bool open(const QString& path, QString* error = nullptr);
    /// Writes the lab to 'path' atomically, then makes 'path' the document's file, clears the
    /// modified flag and removes the recovery file. On error sets '*error' (naming the path)
    /// and changes nothing.
    bool save(const QString& path, QString* error = nullptr);
    /// Replaces the lab with a new one: a network host "network" and a compute host
    /// "compute" (management 192.168.1.11/.12, data 10.0.0.11/.12), no tenant objects;
    /// untitled, unmodified. Emits labReset().
    void newLab();

    // ---- The lab ----
    Cloud& cloud() { return *m_cloud; }
    const Cloud& cloud() const { return *m_cloud; }
    engine::Shell& shell() { return *m_shell; }
    EventLog& eventLog() { return *m_eventLog; }
    const EventLog& eventLog() const { return *m_eventLog; }

    /// Runs a tenant operation (see the essay). Returns fn's status.
    engine::Status edit(const std::function<engine::Status(Cloud&)>& fn);
    /// Runs a console line in the context labelled 'context' ("compute", "instance1",
    /// "network/qrouter-...", "cloud"); an unknown context gives status 1 and an error text.
    /// Emits timeAdvanced() when the line ran the clock, topologyChanged() (and marks the
    /// document modified when the tenant state changed) when it changed the lab.
    engine::CommandOutput runCommand(const QString& context, const QString& line);

    // ---- Time ----
    /// The lab's virtual time (ns).
    engine::SimTime now() const;
    /// Runs the lab's clock for 'duration' (ns; <= 0 runs what is due now), flushes the
    /// EventLog and emits timeAdvanced().
    void advance(engine::SimDuration duration);
    /// Runs pending events in time order, as fast as the machine allows, for about
    /// 'wallBudgetMs' of wall time, never beyond virtual time 'limit' (-1: no limit); then
    /// notifies as advance() does. Returns the number of events run (0: nothing pending).
    std::size_t runEvents(int wallBudgetMs, engine::SimTime limit = -1);

    // ---- Document state ----
    bool isModified() const { return m_modified; }
    /// Sets the modified flag; emits modifiedChanged() when it changes.
    void setModified(bool modified);
    /// The lab file's path ("" when untitled).
    QString filePath() const { return m_filePath; }
    /// The file name without directory ("seed.yaml"), or "untitled".
    QString displayName() const;

    // ---- Autosave and recovery ----
    /// Autosave period in milliseconds (default 60 000); 0 turns autosave off.
    void setAutosaveInterval(int ms);
    int autosaveInterval() const { return m_autosaveMs; }
    /// Where this document's recovery file goes.
    QString recoveryFilePath() const;
    /// Writes the recovery file now (what the autosave timer does).
    bool writeRecoveryFile(QString* error = nullptr);
    /// Removes this document's recovery file, if any.
    void removeRecoveryFile();
    /// The directory recovery files live in (AppDataLocation/recovery).
    static QString recoveryDirectory();
    /// Recovery files left on disk (e.g. after a crash), newest first.
    static QList<RecoveryFile> recoveryFiles();
    /// Loads a recovery file as the lab: the document takes the original path (untitled if
    /// none) and is marked modified; the recovery file becomes the document's own (removed on
    /// save or close, rewritten by autosave). On error sets
    /// '*error' and keeps the current lab.
    bool recover(const RecoveryFile& file, QString* error = nullptr);
    /// Deletes a recovery file the user declined.
    static bool discardRecoveryFile(const RecoveryFile& file);

signals:
    /// The whole lab was replaced: rebuild everything.
    void labReset();
    /// Tenant objects or plumbing changed.
    void topologyChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);
    /// Virtual time moved (or events due now ran); 'now' in ns.
    void timeAdvanced(qint64 now);

private:
    void replaceCloud(std::unique_ptr<Cloud> cloud, const QString& path, bool modified);
    void setFilePath(const QString& path);
    std::size_t plumbingFingerprint() const;
    void notifyAfter(engine::SimTime before, std::size_t plumbingBefore,
                     const std::string* tenantBefore);

    std::unique_ptr<Cloud> m_cloud;
    std::unique_ptr<engine::Shell> m_shell;
    EventLog* m_eventLog;  // child QObject
    QString m_filePath;
    bool m_modified = false;
    int m_autosaveMs = 60'000;
    QTimer m_autosaveTimer;
    QString m_lastRecoveryPath;  // the recovery file written last ("" when none)
};

}  // namespace nlab::model
