#include "engine/core/trace.h"

namespace nlab::engine {

std::string_view toString(TraceNode::Kind kind) {
    switch (kind) {
        case TraceNode::Kind::Root: return "root";
        case TraceNode::Kind::Bridge: return "bridge";
        case TraceNode::Kind::Table: return "table";
        case TraceNode::Kind::ActionStep: return "action";
        case TraceNode::Kind::Detail: return "detail";
        case TraceNode::Kind::Output: return "output";
        case TraceNode::Kind::Warn: return "warn";
        case TraceNode::Kind::Error: return "error";
        case TraceNode::Kind::Drop: return "drop";
    }
    return "unknown";
}

namespace {

void render(const TraceNode& n, int indent, std::string& out) {
    const std::string pad(std::size_t(indent) * 4, ' ');
    switch (n.kind) {
        case TraceNode::Kind::Root:
            out += "Flow: " + n.text + "\n";
            for (const auto& c : n.children) render(c, 0, out);
            return;
        case TraceNode::Kind::Bridge: {
            const std::string title = "bridge(\"" + n.text + "\")";
            out += "\n" + pad + title + "\n" + pad + std::string(title.size(), '-') + "\n";
            for (const auto& c : n.children) render(c, indent, out);
            return;
        }
        case TraceNode::Kind::Table: {
            std::string num = std::to_string(n.table) + ".";
            if (num.size() < 3) num.insert(0, 3 - num.size(), ' ');
            out += pad + num + " " + n.text + "\n";
            for (const auto& c : n.children) render(c, indent + 1, out);
            return;
        }
        case TraceNode::Kind::Warn: out += pad + ">> " + n.text + "\n"; break;
        case TraceNode::Kind::Error: out += pad + ">>>> " + n.text + " <<<<\n"; break;
        case TraceNode::Kind::Drop: out += pad + ">> " + n.text + "\n"; break;
        default: out += pad + n.text + "\n"; break;
    }
    for (const auto& c : n.children) render(c, indent + 1, out);
}

}  // namespace

std::string formatTrace(const TraceNode& root) {
    std::string out;
    render(root, 0, out);
    return out;
}

}  // namespace nlab::engine
