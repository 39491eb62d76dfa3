#pragma once
// ConsoleDock: the lab's emulated shells, one terminal tab per context — each node
// ("compute", "network", "outside"), each of their namespaces ("network/qrouter-...",
// "network/qdhcp-..."), each instance ("instance1") and the cloud client ("cloud").
//
// Design
//   Lines run through LabDocument::runCommand, so the document emits what changed (time,
//   plumbing, tenant objects). Background jobs' output (tcpdump ... &) is collected after
//   each command and whenever virtual time advances, and shown in the current tab. Tabs
//   follow the lab (sync()): new contexts get a tab, gone ones lose theirs, the others keep
//   their transcript and history.

#include <QDockWidget>
#include <QStringList>

class QTabWidget;

namespace nlab::model {
class LabDocument;
}

namespace nlab::app {

class ConsoleWidget;
struct ConsoleResult;

class ConsoleDock : public QDockWidget {
    Q_OBJECT
public:
    explicit ConsoleDock(model::LabDocument* document, QWidget* parent = nullptr);

    /// Every context a command can run in, in tab order.
    QStringList contexts() const;
    /// The terminal of 'context' (null when it has none).
    ConsoleWidget* console(const QString& context) const;
    QTabWidget* tabs() const { return m_tabs; }
    /// Makes the tab of 'context' current; false when there is none.
    bool showContext(const QString& context);
    /// Runs 'line' in the tab of 'context' (as if typed). An unknown context gives status 1.
    ConsoleResult run(const QString& context, const QString& line);

public slots:
    /// Adds and removes tabs to match the lab's contexts.
    void sync();
    /// Shows pending background-job output in the current tab.
    void flushJobOutput();

signals:
    /// A line ran in some tab.
    void commandRan(const QString& context, const QString& line, int status);

private:
    ConsoleResult runLine(const QString& context, const QString& line);

    model::LabDocument* m_document;
    QTabWidget* m_tabs;
};

}  // namespace nlab::app
