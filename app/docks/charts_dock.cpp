#include "app/docks/charts_dock.h"

#include <algorithm>
#include <cmath>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QValueAxis>
#include <QVBoxLayout>

#include "engine/lab/lab.h"
#include "model/qt/lab_document.h"
#include "model/qt/port_counter_series.h"

namespace nlab::app {

namespace {

QChart* makeChart(const QString& title, QValueAxis*& x, QValueAxis*& y) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    x = new QValueAxis;
    x->setTitleText(QObject::tr("virtual time (s)"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    x->setRange(0, 10);
    y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%g"));
    y->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    return chart;
}

}  // namespace

ChartsDock::ChartsDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Charts"), parent),
      m_document(document),
      m_series(new model::PortCounterSeries(document, this)),
      m_chooser(new QComboBox) {
    setObjectName(QStringLiteral("chartsDock"));
    m_packets = makeChart(tr("Packets per second"), m_packetsX, m_packetsY);
    m_bytes = makeChart(tr("Bytes per second"), m_bytesX, m_bytesY);

    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Port:")));
    m_chooser->setMinimumContentsLength(24);
    m_chooser->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    bar->addWidget(m_chooser, 1);
    auto* add = new QPushButton(tr("Chart"));
    add->setToolTip(tr("Add the chosen port to the charts"));
    auto* clear = new QPushButton(tr("Clear"));
    bar->addWidget(add);
    bar->addWidget(clear);
    layout->addLayout(bar);
    auto* split = new QSplitter(Qt::Horizontal);
    for (QChart* chart : {m_packets, m_bytes}) {
        auto* view = new QChartView(chart);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(120);
        split->addWidget(view);
    }
    layout->addWidget(split, 1);
    setWidget(body);

    connect(add, &QPushButton::clicked, this, [this] {
        const QStringList parts = m_chooser->currentData().toStringList();
        if (parts.size() == 2) addPort(parts[0], parts[1]);
    });
    connect(clear, &QPushButton::clicked, m_series, &model::PortCounterSeries::clearSources);
    connect(m_series, &model::PortCounterSeries::sourcesChanged, this, &ChartsDock::rebuildSeries);
    connect(m_series, &model::PortCounterSeries::samplesCleared, this, &ChartsDock::rebuildSeries);
    connect(m_series, &model::PortCounterSeries::sampleAdded, this, &ChartsDock::appendSample);
}

void ChartsDock::addPort(const QString& node, const QString& device) {
    const model::CounterSource source{node, device};
    if (m_series->sources().contains(source)) return;
    while (m_series->sourceCount() >= kMaxSources) m_series->removeSource(0);
    m_series->addSource(source);
}

void ChartsDock::syncPorts() {
    const QStringList current = m_chooser->currentData().toStringList();
    const QSignalBlocker block(m_chooser);
    m_chooser->clear();
    for (engine::Node* node : m_document->cloud().lab().nodes()) {
        const QString n = QString::fromStdString(node->name());
        QStringList names;
        for (engine::NetDevice* dev : node->devices()) names << QString::fromStdString(dev->name());
        for (engine::OvsBridge* br : node->ovsBridges()) {
            for (const engine::BridgePort* p : br->ports()) names << QString::fromStdString(p->config.name);
        }
        names.removeDuplicates();
        names.sort();
        for (const QString& d : names) m_chooser->addItem(n + QStringLiteral(": ") + d, QStringList{n, d});
    }
    const int i = m_chooser->findData(current);
    if (i >= 0) m_chooser->setCurrentIndex(i);
}

void ChartsDock::rebuildSeries() {
    for (QChart* chart : {m_packets, m_bytes}) chart->removeAllSeries();
    m_lines.clear();
    const QList<model::CounterSource> sources = m_series->sources();
    for (int i = 0; i < sources.size(); ++i) {
        const QString name = sources[i].device;
        auto make = [&](QChart* chart, QValueAxis* x, QValueAxis* y, const QString& suffix) {
            auto* s = new QLineSeries;
            s->setName(name + QLatin1Char(' ') + suffix);
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            return s;
        };
        Lines l{make(m_packets, m_packetsX, m_packetsY, tr("rx")),
                make(m_packets, m_packetsX, m_packetsY, tr("tx")),
                make(m_bytes, m_bytesX, m_bytesY, tr("rx")), make(m_bytes, m_bytesX, m_bytesY, tr("tx"))};
        m_lines.push_back(l);
        for (const model::CounterSample& s : m_series->samples(i)) {
            const double t = double(s.time) / double(engine::kSecond);
            l.rxPackets->append(t, s.rxPackets);
            l.txPackets->append(t, s.txPackets);
            l.rxBytes->append(t, s.rxBytes);
            l.txBytes->append(t, s.txBytes);
        }
    }
    rescale();
}

void ChartsDock::appendSample(int index) {
    if (index < 0 || index >= m_lines.size()) return;
    const std::vector<model::CounterSample>& samples = m_series->samples(index);
    if (samples.empty()) return;
    const model::CounterSample& s = samples.back();
    const double t = double(s.time) / double(engine::kSecond);
    const Lines& l = m_lines[index];
    l.rxPackets->append(t, s.rxPackets);
    l.txPackets->append(t, s.txPackets);
    l.rxBytes->append(t, s.rxBytes);
    l.txBytes->append(t, s.txBytes);
    // Keep the last samples the series keeps.
    for (QLineSeries* line : {l.rxPackets, l.txPackets, l.rxBytes, l.txBytes}) {
        if (line->count() > int(m_series->capacity())) line->removePoints(0, line->count() - int(m_series->capacity()));
    }
    rescale();
}

void ChartsDock::rescale() {
    double t0 = 0, t1 = 0, maxPackets = 0, maxBytes = 0;
    bool any = false;
    for (int i = 0; i < m_series->sourceCount(); ++i) {
        for (const model::CounterSample& s : m_series->samples(i)) {
            const double t = double(s.time) / double(engine::kSecond);
            if (!any) t0 = t1 = t;
            any = true;
            t0 = std::min(t0, t);
            t1 = std::max(t1, t);
            maxPackets = std::max({maxPackets, s.rxPackets, s.txPackets});
            maxBytes = std::max({maxBytes, s.rxBytes, s.txBytes});
        }
    }
    // Show the last 120 s at most.
    t0 = std::max(t0, t1 - 120);
    if (t1 - t0 < 10) t1 = t0 + 10;
    for (QValueAxis* x : {m_packetsX, m_bytesX}) x->setRange(std::floor(t0), std::ceil(t1));
    m_packetsY->setRange(0, std::max(1.0, maxPackets * 1.15));
    m_bytesY->setRange(0, std::max(100.0, maxBytes * 1.15));
    for (QValueAxis* y : {m_packetsY, m_bytesY}) {
        y->setTickCount(5);
        y->applyNiceNumbers();
    }
}

}  // namespace nlab::app
