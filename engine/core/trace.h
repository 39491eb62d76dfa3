#pragma once
// TraceNode: the record of what the pipeline did with one packet, as a tree.
//
// What
//   Every stage of forwarding (a bridge, a table lookup, the rule that matched, each action,
//   a resubmit, an output, a drop) appends a node, nested the way the stages nest. The tree is
//   what `ofproto/trace` prints, and what the trace dock of the app displays.
//
// Design (after Open vSwitch ofproto/ofproto-dpif-trace.h)
//   A node has a kind, one line of text, and optional structured references (bridge, table,
//   rule id, port) so a UI can link a node to the rule or port it concerns without parsing.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nlab::engine {

struct TraceNode {
    enum class Kind : std::uint8_t {
        Root,     ///< The whole trace; text is the initial flow.
        Bridge,   ///< Processing entered a bridge.
        Table,    ///< A lookup in one table; text is the matched rule or "No match".
        ActionStep,  ///< One action executed (named so it does not shadow engine::Action).
        Detail,   ///< Extra information (resubmitted flow, learned flow, ...).
        Output,   ///< The packet left through a port.
        Warn,     ///< Something unusual but not fatal (dropping a tagged frame on an access port).
        Error,    ///< Processing stopped (resubmit limit, bad action).
        Drop,     ///< The packet was dropped, with the reason.
    };
    Kind kind = Kind::Root;
    std::string text;
    std::string bridge;        ///< Bridge the node concerns, if any.
    int table = -1;            ///< Table id for Table nodes, else -1.
    std::uint64_t ruleId = 0;  ///< FlowEntry::id of the matched rule (Table nodes), 0 if none.
    std::uint32_t port = 0;    ///< OpenFlow port for Output nodes.
    std::vector<TraceNode> children;

    /// Appends a child and returns a reference to it (valid until the next append here).
    TraceNode& add(Kind k, std::string t) {
        children.push_back(TraceNode{k, std::move(t), {}, -1, 0, 0, {}});
        return children.back();
    }
};

std::string_view toString(TraceNode::Kind kind);

/// Renders a trace tree as indented text in the style of `ovs-appctl ofproto/trace`.
std::string formatTrace(const TraceNode& root);

}  // namespace nlab::engine
