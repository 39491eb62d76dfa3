// libFuzzer target for the ovs-ofctl flow language (engine/flow/ofctl_parse.h and
// ofctl_format.h).
//
// Feeds arbitrary text to parseFlowFile, parseFlowMod (every command), parseMatch and
// parseActions. ParseError is the only acceptable failure: any other exception, a crash or
// a sanitizer report is a bug. Whatever parses is printed and parsed again, and must come
// back equal (the printer's round-trip contract); a mismatch aborts with both texts.
//
// Seed corpus: tests/fuzz/corpus/flow/ (the seed's br-tun flows, its dump-flows lines and
// lines from the unit tests).

#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace nlab::engine;

std::optional<std::uint32_t> resolvePort(std::string_view name) {
    if (name == "patch-int")
        return 1;
    if (name == "gre-1")
        return 2;
    if (name == "my port")
        return 3;
    return std::nullopt;
}

std::optional<std::string> namePort(std::uint32_t port) {
    switch (port) {
        case 1:
            return "patch-int";
        case 2:
            return "gre-1";
        case 3:
            return "my port";
        default:
            return std::nullopt;
    }
}

[[noreturn]] void mismatch(const char* what, const std::string& first, const std::string& second) {
    std::fprintf(stderr, "round trip mismatch (%s)\n  first:  %s\n  second: %s\n", what,
                 first.c_str(), second.c_str());
    std::abort();
}

void checkMatch(const Match& m) {
    const std::string text = formatMatch(m, ofp::kDefaultPriority, namePort);
    Match again;
    try {
        again = parseMatch(text, resolvePort);
    } catch (const ParseError& e) {
        mismatch("printed match does not parse", text, e.what());
    }
    if (!(again == m)) {
        mismatch("match", text, formatMatch(again, ofp::kDefaultPriority, namePort));
    }
}

void checkActions(const ActionList& actions) {
    const std::string text = formatActions(actions, namePort);
    ActionList again;
    try {
        again = parseActions(text, resolvePort);
    } catch (const ParseError& e) {
        mismatch("printed actions do not parse", text, e.what());
    }
    if (again != actions)
        mismatch("actions", text, formatActions(again, namePort));
}

void checkFlowMod(const FlowMod& fm) {
    checkMatch(fm.spec.match);
    const bool hasActions = fm.command == FlowMod::Command::Add ||
                            fm.command == FlowMod::Command::Modify ||
                            fm.command == FlowMod::Command::ModifyStrict;
    if (!hasActions)
        return;
    checkActions(fm.spec.actions);
    const std::string match = formatMatch(fm.spec.match, fm.spec.priority, namePort);
    const std::string text =
        match + (match.empty() ? "" : " ") + "actions=" + formatActions(fm.spec.actions, namePort);
    FlowMod again;
    try {
        again = parseFlowMod(text, FlowMod::Command::Add, resolvePort);
    } catch (const ParseError& e) {
        mismatch("printed flow does not parse", text, e.what());
    }
    if (!(again.spec.match == fm.spec.match) || again.spec.actions != fm.spec.actions ||
        again.spec.priority != fm.spec.priority) {
        const std::string m2 = formatMatch(again.spec.match, again.spec.priority, namePort);
        mismatch("flow", text, m2 + " actions=" + formatActions(again.spec.actions, namePort));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(data, data + size);
    ParseWarnings warnings;
    try {
        for (const FlowMod& fm : parseFlowFile(text, "fuzz.flows", resolvePort, &warnings)) {
            checkFlowMod(fm);
        }
    } catch (const ParseError&) {
    }
    for (const auto cmd :
         {FlowMod::Command::Add, FlowMod::Command::Modify, FlowMod::Command::ModifyStrict,
          FlowMod::Command::Delete, FlowMod::Command::DeleteStrict}) {
        try {
            checkFlowMod(parseFlowMod(text, cmd, resolvePort, &warnings));
        } catch (const ParseError&) {
        }
    }
    try {
        checkMatch(parseMatch(text, resolvePort, &warnings));
    } catch (const ParseError&) {
    }
    try {
        checkActions(parseActions(text, resolvePort));
    } catch (const ParseError&) {
    }
    return 0;
}
