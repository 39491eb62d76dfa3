#pragma once
// The seed article's br-tun flows (tests/testdata/icehouse-br-tun.flows, written for the
// compute node's local VLAN 4) rewritten for another node's local VLAN of private1.
// Header-only; needs NLAB_TESTDATA_DIR, which tests and benchmarks define.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nlab::engine::testing {

/// The Icehouse br-tun flows with 'vlan' as private1's local VLAN (tun_id 0x1).
inline std::string seedBrTunFlows(int vlan) {
    const std::string path = std::string(NLAB_TESTDATA_DIR) + "/icehouse-br-tun.flows";
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string text = ss.str();
    for (const std::string from : {"mod_vlan_vid:4", "dl_vlan=4"}) {
        const auto pos = text.find(from);
        if (pos == std::string::npos) throw std::runtime_error(path + ": no '" + from + "'");
        text.replace(pos, from.size(), from.substr(0, from.size() - 1) + std::to_string(vlan));
    }
    return text;
}

}  // namespace nlab::engine::testing
