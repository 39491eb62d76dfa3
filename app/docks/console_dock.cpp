#include "app/docks/console_dock.h"

#include <QTabBar>
#include <QTabWidget>

#include "app/docks/console_widget.h"
#include "engine/console/shell.h"
#include "engine/lab/lab.h"
#include "engine/lab/vm.h"
#include "model/qt/lab_document.h"

namespace nlab::app {

ConsoleDock::ConsoleDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Console"), parent), m_document(document), m_tabs(new QTabWidget(this)) {
    setObjectName(QStringLiteral("consoleDock"));
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideNone);
    setWidget(m_tabs);
}

QStringList ConsoleDock::contexts() const {
    QStringList nodes, routers, others, vms;
    engine::Shell& shell = m_document->shell();
    const std::vector<engine::Vm*> guests = shell.vms();
    for (engine::Node* node : m_document->cloud().lab().nodes()) {
        const QString n = QString::fromStdString(node->name());
        nodes << n;
        for (engine::NetNamespace* ns : node->namespaces()) {
            bool guest = false;
            for (engine::Vm* vm : guests) guest = guest || &vm->netns() == ns;
            if (guest) continue;
            const QString label = n + QLatin1Char('/') + QString::fromStdString(ns->name());
            (ns->name().rfind("qrouter-", 0) == 0 ? routers : others) << label;
        }
    }
    for (engine::Vm* vm : guests) vms << QString::fromStdString(vm->name());
    return nodes + routers + others + vms + QStringList{QStringLiteral("cloud")};
}

ConsoleWidget* ConsoleDock::console(const QString& context) const {
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto* c = qobject_cast<ConsoleWidget*>(m_tabs->widget(i));
        if (c && c->context() == context) return c;
    }
    return nullptr;
}

bool ConsoleDock::showContext(const QString& context) {
    ConsoleWidget* c = console(context);
    if (!c) return false;
    m_tabs->setCurrentWidget(c);
    return true;
}

ConsoleResult ConsoleDock::runLine(const QString& context, const QString& line) {
    const engine::CommandOutput out = m_document->runCommand(context, line);
    ConsoleResult r;
    r.status = out.status;
    r.text = QString::fromStdString(out.out) + QString::fromStdString(out.err) +
             QString::fromStdString(m_document->shell().takeJobOutput());
    return r;
}

ConsoleResult ConsoleDock::run(const QString& context, const QString& line) {
    ConsoleWidget* c = console(context);
    if (!c) {
        sync();
        c = console(context);
    }
    if (!c) {
        ConsoleResult r;
        r.status = 1;
        r.text = tr("unknown context '%1'").arg(context);
        return r;
    }
    return c->execute(line);
}

void ConsoleDock::sync() {
    const QStringList wanted = contexts();
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        auto* c = qobject_cast<ConsoleWidget*>(m_tabs->widget(i));
        if (c && !wanted.contains(c->context())) {
            m_tabs->removeTab(i);
            c->deleteLater();
        }
    }
    for (int i = 0; i < wanted.size(); ++i) {
        const QString& context = wanted[i];
        ConsoleWidget* c = console(context);
        if (!c) {
            const std::optional<engine::ShellContext> ctx = m_document->shell().context(context.toStdString());
            const QString prompt = ctx ? QString::fromStdString(ctx->prompt()) : QStringLiteral("$ ");
            c = new ConsoleWidget(context, prompt,
                                  [this, context](const QString& line) { return runLine(context, line); });
            connect(c, &ConsoleWidget::commandRan, this, [this, context](const QString& line, int status) {
                emit commandRan(context, line, status);
            });
            // Namespace tabs are long: show the first part of the namespace id.
            QString title = context;
            const int slash = title.indexOf(QLatin1Char('/'));
            if (slash >= 0 && title.size() > slash + 1 + 16) title = title.left(slash + 1 + 14) + QStringLiteral("…");
            m_tabs->insertTab(i, c, title);
            m_tabs->setTabToolTip(i, context);
        } else if (m_tabs->indexOf(c) != i) {
            m_tabs->tabBar()->moveTab(m_tabs->indexOf(c), i);
        }
    }
}

void ConsoleDock::flushJobOutput() {
    const std::string text = m_document->shell().takeJobOutput();
    if (text.empty()) return;
    if (auto* c = qobject_cast<ConsoleWidget*>(m_tabs->currentWidget())) {
        c->appendOutput(QString::fromStdString(text));
    }
}

}  // namespace nlab::app
