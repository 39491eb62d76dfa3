// Golden test: the seed article replayed through neutronlab-cli's session, every annotated
// command's output compared with the article's (../shared/seed/000_2152a9c67563de4f.txt).
//
// tests/golden/seed_replay.nlab is the script; its `# @article N MODE` annotations say which
// article line(s) a command's output must reproduce and how (see the script's header).
// Comparisons ignore only what the issue allows: durations, counters, ages, ifindex
// numbers, ping times. The article's text lost its line breaks (a whole `ovs-vsctl show` is
// one line), so outputs are compared as word sequences or, for flows, flow by flow.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/session.h"
#include "model/lab_file.h"

namespace {

using nlab::cli::Session;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    // ifindex numbers are ignored.
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if (out[i] == "peer_ifindex:") out[i + 1] = "<ifindex>";
    }
    return out;
}

/// One flow without its duration, counters and ages.
std::string normalizeFlow(std::string flow) {
    static const std::regex volatileFields("(duration|n_packets|n_bytes|idle_age|hard_age)=[^,]*, ");
    flow = std::regex_replace(flow, volatileFields, "");
    while (!flow.empty() && (flow.back() == ' ' || flow.back() == '|' || flow.back() == '\n')) flow.pop_back();
    while (!flow.empty() && flow.front() == ' ') flow.erase(0, 1);
    return flow;
}

/// The flows in a text: each starts at "cookie=".
std::vector<std::string> flowsIn(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = text.find("cookie=");
    while (pos != std::string::npos) {
        std::size_t next = text.find("cookie=", pos + 1);
        out.push_back(normalizeFlow(text.substr(pos, next == std::string::npos ? next : next - pos)));
        pos = next;
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> learnedFlows(const std::string& text) {
    std::vector<std::string> out;
    for (const std::string& f : flowsIn(text)) {
        if (f.find("hard_timeout=300") != std::string::npos) out.push_back(f);
    }
    return out;
}

std::string joinLines(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += "  " + x + "\n";
    return s;
}

struct Step {
    int scriptLine = 0;
    std::string context;
    std::string command;
    std::vector<std::string> annotations;  // "article 52 flows", "check learned-after: ..."
    std::string output;                    // stdout then stderr
    int status = 0;
};

class SeedReplayTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::string script = readFile(std::string(NLAB_SOURCE_DIR) + "/tests/golden/seed_replay.nlab");
        ASSERT_FALSE(script.empty());
        auto parsed = nlab::cli::parseScript(script, "seed_replay.nlab");
        ASSERT_TRUE(std::holds_alternative<std::vector<nlab::cli::ScriptLine>>(parsed))
            << std::get<nlab::cli::ScriptError>(parsed).toString();
        const auto& lines = std::get<std::vector<nlab::cli::ScriptLine>>(parsed);
        // Annotations: the "# @..." comments right before a command.
        const std::vector<std::string> raw = splitLines(script);
        steps = new std::vector<Step>();
        for (const auto& l : lines) {
            Step s;
            s.scriptLine = l.line;
            s.context = l.context;
            s.command = l.command;
            for (int i = l.line - 2; i >= 0 && raw[std::size_t(i)].rfind("# @", 0) == 0; --i) {
                s.annotations.insert(s.annotations.begin(), raw[std::size_t(i)].substr(3));
            }
            steps->push_back(std::move(s));
        }
        nlab::model::LoadOptions options;
        options.withoutInstances = true;
        nlab::model::LoadedLab lab = nlab::model::loadSeedLab(options);
        ASSERT_TRUE(lab) << lab.error->toString();
        Session session(std::move(lab.cloud));
        for (Step& s : *steps) {
            Session::Step r = session.run(s.context, s.command);
            s.output = r.output.out + r.output.err + r.jobOutput;
            s.status = r.output.status;
        }
        article = new std::vector<std::string>(
            splitLines(readFile(std::string(NLAB_SHARED_DIR) + "/seed/000_2152a9c67563de4f.txt")));
    }
    static void TearDownTestSuite() {
        delete steps;
        delete article;
        steps = nullptr;
        article = nullptr;
    }

    /// Article lines [from, to] (1-based), HTML removed, the prompt and the command's words
    /// dropped from a line that starts with a prompt.
    static std::string articleText(int from, int to, const std::string& command) {
        static const std::regex html("<[^>]*>");
        std::string text;
        for (int n = from; n <= to; ++n) {
            std::string line = std::regex_replace((*article)[std::size_t(n - 1)], html, "");
            if (line.rfind("root@", 0) == 0) {
                std::istringstream in(line);
                std::string w;
                in >> w;  // the prompt "root@host:/home/mycisco#"
                for (std::size_t i = 0; i < words(command).size(); ++i) in >> w;
                std::getline(in, line);
            }
            while (!line.empty() && (line.back() == ' ' || line.back() == '|')) line.pop_back();
            text += line + "\n";
        }
        return text;
    }

    static const Step* annotated(const std::string& prefix) {
        for (const Step& s : *steps) {
            for (const std::string& a : s.annotations) {
                if (a.rfind(prefix, 0) == 0) return &s;
            }
        }
        return nullptr;
    }

    static std::vector<Step>* steps;
    static std::vector<std::string>* article;
};

std::vector<Step>* SeedReplayTest::steps = nullptr;
std::vector<std::string>* SeedReplayTest::article = nullptr;

TEST_F(SeedReplayTest, EveryCommandSucceeds) {
    for (const Step& s : *steps) {
        EXPECT_EQ(s.status, 0) << "seed_replay.nlab:" << s.scriptLine << ": " << s.context << ": "
                               << s.command << "\n" << s.output;
    }
}

TEST_F(SeedReplayTest, OutputsMatchTheArticle) {
    int compared = 0;
    for (const Step& s : *steps) {
        for (const std::string& a : s.annotations) {
            std::istringstream in(a);
            std::string kind, range, mode;
            in >> kind >> range >> mode;
            if (kind != "article") continue;
            ++compared;
            const auto dash = range.find('-');
            const int from = std::stoi(range.substr(0, dash));
            const int to = dash == std::string::npos ? from : std::stoi(range.substr(dash + 1));
            const std::string expected = articleText(from, to, s.command);
            SCOPED_TRACE("seed_replay.nlab:" + std::to_string(s.scriptLine) + " (" + s.context + ": " +
                         s.command + ") vs article line " + range + " [" + mode + "]");
            if (mode == "tokens") {
                EXPECT_EQ(words(s.output), words(expected)) << "ours:\n" << s.output << "article:\n" << expected;
            } else if (mode == "within") {
                const auto ours = words(s.output);
                const auto theirs = words(expected);
                EXPECT_NE(std::search(ours.begin(), ours.end(), theirs.begin(), theirs.end()), ours.end())
                    << "ours:\n" << s.output << "article:\n" << expected;
            } else if (mode == "flows") {
                EXPECT_EQ(s.output.substr(0, s.output.find('\n')), "NXST_FLOW reply (xid=0x4):");
                EXPECT_EQ(flowsIn(s.output), flowsIn(expected))
                    << "ours:\n" << joinLines(flowsIn(s.output)) << "article:\n" << joinLines(flowsIn(expected));
            } else if (mode == "flows-within") {
                const auto ours = flowsIn(s.output);
                for (const std::string& f : flowsIn(expected)) {
                    EXPECT_NE(std::find(ours.begin(), ours.end(), f), ours.end())
                        << "article flow missing: " << f << "\nours:\n" << joinLines(ours);
                }
            } else if (mode == "learned") {
                EXPECT_EQ(learnedFlows(s.output), flowsIn(expected))
                    << "ours:\n" << s.output << "article:\n" << expected;
            } else if (mode == "ping") {
                static const std::regex time("time=[0-9.]+ ms");
                const auto ours = splitLines(s.output);
                const auto theirs = splitLines(expected);
                // Line 'from' is the command itself (now empty): the replies follow.
                std::vector<std::string> want(theirs.begin() + 1, theirs.end());
                ASSERT_GE(ours.size(), want.size()) << s.output;
                for (std::size_t i = 0; i < want.size(); ++i) {
                    EXPECT_EQ(std::regex_replace(ours[i], time, "time=<t> ms"),
                              std::regex_replace(want[i], time, "time=<t> ms"));
                }
            } else {
                ADD_FAILURE() << "unknown mode " << mode;
            }
        }
    }
    EXPECT_EQ(compared, 16);
}

TEST_F(SeedReplayTest, Instance1GotItsAddressAndGatewayByDhcp) {
    const Step* addr = annotated("check instance1-address");
    const Step* route = annotated("check instance1-gateway");
    ASSERT_TRUE(addr && route);
    EXPECT_NE(addr->output.find("inet 10.10.10.7/24"), std::string::npos) << addr->output;
    EXPECT_NE(route->output.find("default via 10.10.10.1 dev eth0"), std::string::npos) << route->output;
}

TEST_F(SeedReplayTest, ASecondVmPingingTheSameGatewayAddsNoLearnedEntry) {
    const Step* before = annotated("check learned-before");
    const Step* after = annotated("check learned-after");
    ASSERT_TRUE(before && after);
    EXPECT_EQ(learnedFlows(before->output).size(), 2u) << before->output;
    EXPECT_EQ(learnedFlows(after->output), learnedFlows(before->output));
}

TEST_F(SeedReplayTest, TrafficBetweenVmsOfOneNetworkOnOneHostNeverReachesBrTun) {
    const Step* before = annotated("check unicast-before");
    const Step* after = annotated("check unicast-after");
    ASSERT_TRUE(before && after);
    static const std::regex unicast("n_packets=([0-9]+).*dl_dst=00:00:00:00:00:00/01:00:00:00:00:00");
    std::smatch a, b;
    ASSERT_TRUE(std::regex_search(before->output, a, unicast)) << before->output;
    ASSERT_TRUE(std::regex_search(after->output, b, unicast)) << after->output;
    EXPECT_EQ(a[1].str(), b[1].str());
}

}  // namespace
