#include "model/qt/port_counter_series.h"

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "engine/net/net_device.h"
#include "model/qt/lab_document.h"

#include <algorithm>

namespace nlab::model {

PortCounterSeries::PortCounterSeries(LabDocument* document, QObject* parent)
    : QObject(parent), m_document(document) {
    connect(document, &LabDocument::timeAdvanced, this, &PortCounterSeries::sample);
    connect(document, &LabDocument::labReset, this, &PortCounterSeries::onLabReset);
}

int PortCounterSeries::addSource(const CounterSource& source) {
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        if (m_series[i].source == source)
            return int(i);
    }
    Series s;
    s.source = source;
    s.haveBaseline = read(source, s.baseline);
    s.baselineTime = m_document.isNull() ? 0 : m_document->now();
    m_series.push_back(std::move(s));
    emit sourcesChanged();
    return int(m_series.size()) - 1;
}

void PortCounterSeries::removeSource(int index) {
    if (index < 0 || index >= int(m_series.size()))
        return;
    m_series.erase(m_series.begin() + index);
    emit sourcesChanged();
}

void PortCounterSeries::clearSources() {
    m_series.clear();
    emit sourcesChanged();
}

QList<CounterSource> PortCounterSeries::sources() const {
    QList<CounterSource> out;
    for (const Series& s : m_series)
        out << s.source;
    return out;
}

const std::vector<CounterSample>& PortCounterSeries::samples(int index) const {
    static const std::vector<CounterSample> kNone;
    if (index < 0 || index >= int(m_series.size()))
        return kNone;
    return m_series[std::size_t(index)].samples;
}

bool PortCounterSeries::sourceExists(int index) const {
    if (index < 0 || index >= int(m_series.size()))
        return false;
    Counters c;
    return read(m_series[std::size_t(index)].source, c);
}

void PortCounterSeries::setInterval(engine::SimDuration interval) {
    m_interval = std::max<engine::SimDuration>(interval, 1);
}

void PortCounterSeries::setCapacity(std::size_t capacity) {
    m_capacity = std::max<std::size_t>(capacity, 1);
    for (Series& s : m_series) {
        if (s.samples.size() > m_capacity)
            s.samples.erase(s.samples.begin(),
                            s.samples.begin() + std::ptrdiff_t(s.samples.size() - m_capacity));
    }
}

bool PortCounterSeries::read(const CounterSource& source, Counters& out) const {
    if (m_document.isNull())
        return false;
    engine::Node* node = m_document->cloud().lab().node(source.node.toStdString());
    if (node == nullptr)
        return false;
    const std::string name = source.device.toStdString();
    const engine::NetDevice* dev = node->device(name);
    if (dev == nullptr) {
        for (engine::NetNamespace* ns : node->namespaces()) {
            if ((dev = node->device(name, ns)) != nullptr)
                break;
        }
    }
    if (dev != nullptr) {
        const engine::DeviceStats& st = dev->stats();
        out = {st.rxPackets, st.txPackets, st.rxBytes, st.txBytes};
        return true;
    }
    for (const engine::OvsBridge* br : node->ovsBridges()) {
        if (const engine::BridgePort* p = br->portByName(name)) {
            out = {p->rxPackets, p->txPackets, p->rxBytes, p->txBytes};
            return true;
        }
    }
    return false;
}

void PortCounterSeries::sample() {
    if (m_document.isNull())
        return;
    const engine::SimTime now = m_document->now();
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        Series& s = m_series[i];
        Counters c;
        if (!read(s.source, c)) {
            s.haveBaseline = false;
            continue;
        }
        const bool backwards = c.rxPackets < s.baseline.rxPackets ||
                               c.txPackets < s.baseline.txPackets ||
                               c.rxBytes < s.baseline.rxBytes || c.txBytes < s.baseline.txBytes;
        if (!s.haveBaseline || backwards) {
            s.baseline = c;
            s.baselineTime = now;
            s.haveBaseline = true;
            continue;
        }
        const engine::SimDuration elapsed = now - s.baselineTime;
        if (elapsed < m_interval)
            continue;
        const double secs = double(elapsed) / double(engine::kSecond);
        CounterSample sample;
        sample.time = now;
        sample.rxPackets = double(c.rxPackets - s.baseline.rxPackets) / secs;
        sample.txPackets = double(c.txPackets - s.baseline.txPackets) / secs;
        sample.rxBytes = double(c.rxBytes - s.baseline.rxBytes) / secs;
        sample.txBytes = double(c.txBytes - s.baseline.txBytes) / secs;
        s.samples.push_back(sample);
        if (s.samples.size() > m_capacity)
            s.samples.erase(s.samples.begin());
        s.baseline = c;
        s.baselineTime = now;
        emit sampleAdded(int(i));
    }
}

void PortCounterSeries::onLabReset() {
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    for (Series& s : m_series) {
        s.samples.clear();
        s.haveBaseline = read(s.source, s.baseline);
        s.baselineTime = now;
    }
    emit samplesCleared();
}

}  // namespace nlab::model
