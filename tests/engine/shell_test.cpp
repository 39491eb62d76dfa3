// The emulated shell: word splitting, operators, pipelines into the filters, background
// jobs, contexts and prompts, unknown commands and syntax errors as bash / busybox ash
// print them.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/console/shell.h"
#include "engine/console/shell_words.h"
#include "engine/lab/vm.h"

namespace nlab::engine {
namespace {

/// Splits a line with parseCommandLine and returns the argv of its single simple command.
std::vector<std::string> words(std::string_view line) {
    ParsedLine p = parseCommandLine(line);
    EXPECT_TRUE(std::holds_alternative<std::vector<AndOrList>>(p)) << line;
    if (!std::holds_alternative<std::vector<AndOrList>>(p)) return {};
    const auto& lists = std::get<std::vector<AndOrList>>(p);
    EXPECT_EQ(lists.size(), 1u);
    EXPECT_EQ(lists[0].pipelines.size(), 1u);
    EXPECT_EQ(lists[0].pipelines[0].commands.size(), 1u);
    std::vector<std::string> out;
    for (const ShellWord& w : lists[0].pipelines[0].commands[0].words) {
        out.push_back(expandWord(w, [](std::string_view n) {
            return n == "?" ? std::string("3") : n == "X" ? std::string("ex") : std::string();
        }));
    }
    return out;
}

ParseFailure failure(std::string_view line) {
    ParsedLine p = parseCommandLine(line);
    EXPECT_TRUE(std::holds_alternative<ParseFailure>(p)) << line;
    if (!std::holds_alternative<ParseFailure>(p)) return {};
    return std::get<ParseFailure>(p);
}

using V = std::vector<std::string>;

TEST(ShellWords, SplitsOnBlanks) {
    EXPECT_EQ(words("ovs-ofctl   dump-flows\tbr-tun "), (V{"ovs-ofctl", "dump-flows", "br-tun"}));
}

TEST(ShellWords, QuotesAndEscapes) {
    EXPECT_EQ(words("echo 'a  b' \"c  d\" e\\ f"), (V{"echo", "a  b", "c  d", "e f"}));
    EXPECT_EQ(words("echo 'it\"s' \"say \\\"hi\\\" \\\\ \\n\""),
              (V{"echo", "it\"s", "say \"hi\" \\ \\n"}));
    EXPECT_EQ(words("echo a'b'\"c\"d"), (V{"echo", "abcd"}));
    EXPECT_EQ(words("echo '' \"\""), (V{"echo", "", ""}));
    EXPECT_EQ(words("add-flow br0 \"actions=resubmit(,2)\""),
              (V{"add-flow", "br0", "actions=resubmit(,2)"}));
    EXPECT_EQ(words("echo \\#x a#b"), (V{"echo", "#x", "a#b"}));
}

TEST(ShellWords, Comments) {
    EXPECT_EQ(words("echo a # a comment | not a pipe"), (V{"echo", "a"}));
    ParsedLine p = parseCommandLine("   # only a comment");
    ASSERT_TRUE(std::holds_alternative<std::vector<AndOrList>>(p));
    EXPECT_TRUE(std::get<std::vector<AndOrList>>(p).empty());
}

TEST(ShellWords, Parameters) {
    EXPECT_EQ(words("echo $? \"$?\" '$?' ${X}y $X $"), (V{"echo", "3", "3", "$?", "exy", "ex", "$"}));
    // expandWord gives "" for both; the shell drops the unquoted one (see SequencesAndConditionals).
    EXPECT_EQ(words("echo $UNSET \"$UNSET\" end"), (V{"echo", "", "", "end"}));
}

TEST(ShellWords, Structure) {
    ParsedLine p = parseCommandLine("a 1 | grep x | wc -l && b || c; d & e");
    ASSERT_TRUE(std::holds_alternative<std::vector<AndOrList>>(p));
    const auto& lists = std::get<std::vector<AndOrList>>(p);
    ASSERT_EQ(lists.size(), 3u);
    EXPECT_EQ(lists[0].pipelines.size(), 3u);
    EXPECT_EQ(lists[0].pipelines[0].commands.size(), 3u);
    EXPECT_EQ(lists[0].connectors, (std::vector<Connector>{Connector::And, Connector::Or}));
    EXPECT_FALSE(lists[0].background);
    EXPECT_EQ(lists[0].text(), "a 1 | grep x | wc -l && b || c");
    EXPECT_TRUE(lists[1].background);
    EXPECT_EQ(lists[1].text(), "d");
    EXPECT_FALSE(lists[2].background);
}

TEST(ShellWords, Redirections) {
    ParsedLine p = parseCommandLine("cmd a >/dev/null 2>&1 b");
    ASSERT_TRUE(std::holds_alternative<std::vector<AndOrList>>(p));
    const SimpleCommand& c = std::get<std::vector<AndOrList>>(p)[0].pipelines[0].commands[0];
    ASSERT_EQ(c.words.size(), 3u);
    ASSERT_EQ(c.redirections.size(), 2u);
    EXPECT_EQ(c.redirections[0].kind, Redirection::Kind::Out);
    EXPECT_EQ(c.redirections[1].kind, Redirection::Kind::ErrToOut);
    EXPECT_EQ(c.text(), "cmd a b >/dev/null 2>&1");
}

TEST(ShellWords, SyntaxErrors) {
    EXPECT_EQ(failure("| grep x").token, "|");
    EXPECT_EQ(failure("a ;; b").token, ";;");
    EXPECT_EQ(failure("a && && b").token, "&&");
    EXPECT_EQ(failure("; a").token, ";");
    EXPECT_EQ(failure("a |").token, "");
    EXPECT_EQ(failure("a &&").token, "");
    EXPECT_EQ(failure("echo a(b)").token, "(");
    EXPECT_EQ(failure("echo >").token, "newline");
    EXPECT_EQ(failure("echo 'abc").kind, ParseFailure::Kind::UnterminatedQuote);
    EXPECT_EQ(failure("echo 'abc").token, "'");
    EXPECT_EQ(failure("echo \"abc").token, "\"");
    EXPECT_EQ(failure("echo $(ls)").kind, ParseFailure::Kind::Unsupported);
    EXPECT_EQ(failure("echo `ls`").token, "`");
    EXPECT_EQ(failure("cat < x").token, "<");
}

TEST(ShellWords, SplitWords) {
    EXPECT_EQ(splitWords("a 'b c' \"d\"\\ e"), (std::optional<V>(V{"a", "b c", "d e"})));
    EXPECT_EQ(splitWords("a 'b"), std::nullopt);
}

class ShellTest : public ::testing::Test {
protected:
    Lab lab{7};
    Node* compute = nullptr;
    Node* network = nullptr;
    std::unique_ptr<Vm> instance1;
    std::unique_ptr<Shell> shell;
    ShellContext host, vm, cloud;

    void SetUp() override {
        compute = lab.addNode("compute").value();
        network = lab.addNode("network").value();
        ASSERT_TRUE(network->addNamespace("qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4").ok());
        ASSERT_TRUE(network->addNamespace("qrouter-040c1455-6096-4806-ba91-fec64cdaed81").ok());
        instance1 = Vm::create(*compute, "instance1").value();
        shell = std::make_unique<Shell>(lab);
        registerHostCommands(*shell);
        shell->addVm(*instance1);
        host = *shell->context("compute");
        vm = *shell->context("instance1");
        cloud = *shell->context("cloud");
    }

    CommandOutput run(const ShellContext& c, std::string_view line) { return shell->run(c, line); }
};

TEST_F(ShellTest, ContextsAndPrompts) {
    EXPECT_EQ(host.kind, ShellContext::Kind::Host);
    EXPECT_EQ(host.prompt(), "root@compute:~# ");
    EXPECT_EQ(host.label(), "compute");
    EXPECT_EQ(host.effectiveNetns(), &compute->root());

    auto ns = shell->context("network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81");
    ASSERT_TRUE(ns);
    EXPECT_EQ(ns->kind, ShellContext::Kind::Namespace);
    EXPECT_EQ(ns->prompt(), "root@network:~# ");
    EXPECT_EQ(ns->label(), "network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81");
    EXPECT_EQ(ns->effectiveNetns(), network->netns("qrouter-040c1455-6096-4806-ba91-fec64cdaed81"));
    // A unique prefix is enough; an ambiguous or unknown one is not.
    auto prefix = shell->context("network/qrouter-040c");
    ASSERT_TRUE(prefix);
    EXPECT_EQ(prefix->netns, ns->netns);
    EXPECT_FALSE(shell->context("network/q"));
    EXPECT_FALSE(shell->context("network/qfoo"));
    EXPECT_FALSE(shell->context("nowhere"));
    EXPECT_FALSE(shell->context("nowhere/x"));

    EXPECT_EQ(vm.kind, ShellContext::Kind::Vm);
    EXPECT_EQ(vm.vm, instance1.get());
    EXPECT_EQ(vm.prompt(), "cirros@instance1:~$ ");
    EXPECT_EQ(vm.label(), "instance1");
    EXPECT_EQ(vm.effectiveNetns(), &instance1->netns());
    // The VM's namespace named through its node is the VM.
    auto viaNode = shell->context("compute/instance1");
    ASSERT_TRUE(viaNode);
    EXPECT_EQ(viaNode->kind, ShellContext::Kind::Vm);

    EXPECT_EQ(cloud.kind, ShellContext::Kind::Cloud);
    EXPECT_EQ(cloud.prompt(), "cloud$ ");
    EXPECT_EQ(cloud.label(), "cloud");
    EXPECT_EQ(cloud.effectiveNetns(), nullptr);

    shell->removeVm(*instance1);
    EXPECT_FALSE(shell->context("instance1"));
    EXPECT_TRUE(shell->vms().empty());
}

TEST_F(ShellTest, CommandRegistry) {
    int calls = 0;
    shell->add({"only-vm", kScopeVm, "only-vm", [&](CommandCall& c) {
                    ++calls;
                    return CommandOutput::ok(c.argv.back() + "\n");
                }});
    ASSERT_NE(shell->find("only-vm", kScopeVm), nullptr);
    EXPECT_EQ(shell->find("only-vm", kScopeHost), nullptr);
    EXPECT_EQ(shell->find("nope", kScopeHost), nullptr);
    const auto cmds = shell->commands(kScopeVm);
    EXPECT_TRUE(std::any_of(cmds.begin(), cmds.end(),
                            [](const CommandInfo* i) { return i->name == "only-vm"; }));
    CommandOutput r = shell->runArgv(vm, {"only-vm", "x y"});
    EXPECT_EQ(r.out, "x y\n");
    EXPECT_EQ(calls, 1);
    // Not available in a scope: answered as unknown there.
    r = shell->runArgv(host, {"only-vm"});
    EXPECT_EQ(r.err, "only-vm: command not found\n");
    EXPECT_EQ(r.status, 127);
    EXPECT_EQ(calls, 1);
}

TEST_F(ShellTest, UnknownCommands) {
    CommandOutput r = run(host, "ovs-foo show");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "ovs-foo: command not found\n");
    EXPECT_EQ(r.status, 127);
    r = run(vm, "ovs-vsctl show");
    EXPECT_EQ(r.err, "-sh: ovs-vsctl: not found\n");
    EXPECT_EQ(r.status, 127);
    r = run(cloud, "brctl show");
    EXPECT_EQ(r.err, "brctl: command not found\n");
    EXPECT_EQ(r.status, 127);
}

TEST_F(ShellTest, SequencesAndConditionals) {
    shell->add({"false", kScopeHost, "false", [](CommandCall&) { return CommandOutput{{}, {}, 1}; }});
    CommandOutput r = run(host, "echo a; echo b");
    EXPECT_EQ(r.out, "a\nb\n");
    EXPECT_EQ(r.status, 0);
    r = run(host, "false && echo no || echo yes");
    EXPECT_EQ(r.out, "yes\n");
    EXPECT_EQ(r.status, 0);
    r = run(host, "echo a && false");
    EXPECT_EQ(r.out, "a\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "false; echo $?; echo $?");
    EXPECT_EQ(r.out, "1\n0\n");
    r = run(host, "nope || echo status $?");
    EXPECT_EQ(r.out, "status 127\n");
    EXPECT_EQ(r.err, "nope: command not found\n");
    r = run(host, "");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.status, 0);
    r = run(host, "echo $HOME $USER $HOSTNAME; echo -n x");
    EXPECT_EQ(r.out, "/root root compute\nx");
    EXPECT_EQ(run(host, "echo a $UNSET b \"$UNSET\"").out, "a b \n");
    r = run(vm, "echo $HOME $USER $HOSTNAME");
    EXPECT_EQ(r.out, "/home/cirros cirros instance1\n");
}

TEST_F(ShellTest, Pipelines) {
    shell->add({"lines", kScopeHost | kScopeVm, "lines", [](CommandCall&) {
                    return CommandOutput{"banana\nApple\ncherry 10\ncherry 9\napple\n", "warn\n", 3};
                }});
    CommandOutput r = run(host, "lines | grep -i apple");
    EXPECT_EQ(r.out, "Apple\napple\n");
    EXPECT_EQ(r.err, "warn\n");  // stderr of the producer still reaches the terminal
    EXPECT_EQ(r.status, 0);      // the pipeline's status is the last command's
    EXPECT_EQ(run(host, "lines | grep -v a").out, "Apple\ncherry 10\ncherry 9\n");
    EXPECT_EQ(run(host, "lines | grep -v an").out, "Apple\ncherry 10\ncherry 9\napple\n");
    EXPECT_EQ(run(host, "lines | grep -c cherry").out, "2\n");
    EXPECT_EQ(run(host, "lines | grep -E 'ban|app'").out, "banana\napple\n");
    EXPECT_EQ(run(host, "lines | grep 'ban\\|app'").out, "banana\napple\n");
    EXPECT_EQ(run(host, "lines | grep 'a|b'").out, "");
    EXPECT_EQ(run(host, "lines | grep 'cherry [0-9]$'").out, "cherry 9\n");
    r = run(host, "lines | grep nothing");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(host, "lines | grep -c nothing").out, "0\n");
    EXPECT_EQ(run(host, "lines | head -n 2").out, "banana\nApple\n");
    EXPECT_EQ(run(host, "lines | head -2").out, "banana\nApple\n");
    EXPECT_EQ(run(host, "lines | head -n2").out, "banana\nApple\n");
    EXPECT_EQ(run(host, "lines | tail -n 1").out, "apple\n");
    EXPECT_EQ(run(host, "lines | tail -n +4").out, "cherry 9\napple\n");
    EXPECT_EQ(run(host, "lines | wc -l").out, "5\n");
    EXPECT_EQ(run(host, "lines | sort").out, "Apple\napple\nbanana\ncherry 10\ncherry 9\n");
    EXPECT_EQ(run(host, "lines | sort -r | head -1").out, "cherry 9\n");
    EXPECT_EQ(run(host, "lines | grep cherry | sort -n -k2 2>/dev/null").status, 2);
    EXPECT_EQ(run(host, "lines | wc").out, "      5       7      38\n");
    EXPECT_EQ(run(vm, "lines | grep -c a").out, "2\n");
    // Filters without a pipe read an empty terminal.
    r = run(host, "wc -l");
    EXPECT_EQ(r.out, "0\n");
}

TEST_F(ShellTest, FilterErrors) {
    CommandOutput r = run(host, "echo x | grep");
    EXPECT_EQ(r.err, "Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n");
    EXPECT_EQ(r.status, 2);
    r = run(host, "echo x | grep x file");
    EXPECT_EQ(r.err, "grep: file: No such file or directory\n");
    EXPECT_EQ(r.status, 2);
    r = run(host, "echo x | grep -z x");
    EXPECT_EQ(r.err, "grep: invalid option -- 'z'\nUsage: grep [OPTION]... PATTERN [FILE]...\n"
                     "Try 'grep --help' for more information.\n");
    r = run(host, "echo x | head -n x");
    EXPECT_EQ(r.err, "head: invalid number of lines: 'x'\n");
    EXPECT_EQ(r.status, 1);
}

TEST_F(ShellTest, Redirections) {
    shell->add({"both", kScopeHost, "both", [](CommandCall&) {
                    return CommandOutput{"out\n", "err\n", 0};
                }});
    CommandOutput r = run(host, "both >/dev/null");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "err\n");
    r = run(host, "both 2>/dev/null");
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "");
    r = run(host, "both > /dev/null 2>&1");
    EXPECT_EQ(r.out + r.err, "");
    r = run(host, "both 2>&1 >/dev/null");
    EXPECT_EQ(r.out, "err\n");
    EXPECT_EQ(r.err, "");
    r = run(host, "both &>/dev/null");
    EXPECT_EQ(r.out + r.err, "");
    r = run(host, "both 2>&1 | grep -c .");
    EXPECT_EQ(r.out, "2\n");
    r = run(host, "both > flows.txt");
    EXPECT_EQ(r.err, "-bash: flows.txt: redirection to a file is not supported by the lab's shell\n");
    EXPECT_EQ(r.status, 1);
}

TEST_F(ShellTest, SyntaxErrorMessages) {
    CommandOutput r = run(host, "| grep x");
    EXPECT_EQ(r.err, "-bash: syntax error near unexpected token `|'\n");
    EXPECT_EQ(r.status, 2);
    r = run(host, "echo 'abc");
    EXPECT_EQ(r.err, "-bash: unexpected EOF while looking for matching `''\n"
                     "-bash: syntax error: unexpected end of file\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(run(host, "echo a |").err, "-bash: syntax error: unexpected end of file\n");
    EXPECT_EQ(run(host, "ovs-ofctl add-flow br0 actions=resubmit(,1)").err,
              "-bash: syntax error near unexpected token `('\n");
    EXPECT_EQ(run(vm, "| grep x").err, "-sh: syntax error: unexpected \"|\"\n");
    EXPECT_EQ(run(vm, "echo 'abc").err, "-sh: syntax error: unterminated quoted string\n");
    EXPECT_EQ(run(vm, "echo >").err, "-sh: syntax error: unexpected newline\n");
    EXPECT_EQ(run(host, "echo $(hostname)").err,
              "-bash: $(: not supported by the lab's shell\n");
    EXPECT_EQ(shell->lastStatus(), 2);
}

/// A job that runs until stopped, printing a line per call of tick().
class TickJob : public Job {
public:
    explicit TickJob(std::string line, int ticksToFinish = -1)
        : m_line(std::move(line)), m_left(ticksToFinish) {}
    std::string commandLine() const override { return m_line; }
    bool finished() const override { return m_left == 0; }
    std::string drainOutput() override { return std::exchange(m_out, {}); }
    std::string stop() override { return "stopped " + m_line + "\n"; }
    void tick() {
        m_out += "tick\n";
        if (m_left > 0) --m_left;
    }

private:
    std::string m_line;
    int m_left;
    std::string m_out;
};

TEST_F(ShellTest, BackgroundJobs) {
    std::vector<TickJob*> started;
    shell->add({"watch", kScopeHost, "watch", [&](CommandCall& c) {
                    if (!c.background) return CommandOutput::ok("foreground\n");
                    auto job = std::make_unique<TickJob>(c.argv.size() > 1 ? "watch " + c.argv[1] : "watch",
                                                         c.argv.size() > 1 ? 1 : -1);
                    started.push_back(job.get());
                    c.shell.addJob(std::move(job));
                    return CommandOutput{{}, "listening\n", 0};
                }});
    EXPECT_EQ(run(host, "watch").out, "foreground\n");
    CommandOutput r = run(host, "watch &");
    EXPECT_EQ(r.err, "[1] 2417\nlistening\n");
    EXPECT_EQ(r.status, 0);
    r = run(host, "watch   once &");
    EXPECT_EQ(r.err, "[2] 2420\nlistening\n");
    ASSERT_EQ(started.size(), 2u);
    EXPECT_EQ(run(host, "jobs").out,
              "[1]-  Running                 watch &\n"
              "[2]+  Running                 watch once &\n");
    started[0]->tick();
    started[1]->tick();
    EXPECT_EQ(shell->takeJobOutput(), "tick\ntick\n[2]+  Done                    watch once\n");
    EXPECT_EQ(shell->takeJobOutput(), "");
    EXPECT_EQ(run(host, "jobs").out, "[1]+  Running                 watch &\n");

    r = run(host, "kill %3");
    EXPECT_EQ(r.err, "-bash: kill: %3: no such job\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "kill %1");
    EXPECT_EQ(r.out + r.err, "");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(shell->takeJobOutput(), "stopped watch\n[1]+  Done                    watch\n");
    EXPECT_EQ(run(host, "jobs").out, "");

    // A command that does not keep running completes at once; its output waits for the
    // next collection, with its exit status.
    shell->add({"false", kScopeHost, "false", [](CommandCall&) { return CommandOutput{"x\n", {}, 1}; }});
    r = run(host, "false &");
    EXPECT_EQ(r.err, "[1] 2423\n");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(shell->takeJobOutput(), "x\n[1]+  Exit 1                  false\n");
    r = run(host, "echo a && echo b &");
    EXPECT_EQ(r.err, "[1] 2426\n");
    EXPECT_EQ(shell->takeJobOutput(), "a\nb\n[1]+  Done                    echo a && echo b\n");

    // kill by PID, and -9: no final output, "Killed".
    run(host, "watch &");
    r = run(host, "kill -9 2429");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(shell->takeJobOutput(), "[1]+  Killed                  watch\n");
    r = run(host, "kill 99");
    EXPECT_EQ(r.err, "-bash: kill: (99) - No such process\n");
    r = run(host, "kill");
    EXPECT_EQ(r.err, "-bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec "
                     "... or kill -l [sigspec]\n");
    EXPECT_EQ(r.status, 2);
    r = run(host, "kill -FOO %1");
    EXPECT_EQ(r.err, "-bash: kill: FOO: invalid signal specification\n");

    run(host, "watch &");
    run(host, "watch &");
    EXPECT_EQ(shell->stopAllJobs(), "stopped watch\nstopped watch\n");
    EXPECT_EQ(run(host, "jobs").out, "");
}

TEST_F(ShellTest, FileDir) {
    EXPECT_EQ(shell->fileDir(), ".");
    EXPECT_EQ(shell->resolvePath("a.pcap"), "a.pcap");
    shell->setFileDir("/tmp/caps");
    EXPECT_EQ(shell->resolvePath("a.pcap"), "/tmp/caps/a.pcap");
    EXPECT_EQ(shell->resolvePath("/abs/b.pcap"), "/abs/b.pcap");
}

TEST_F(ShellTest, NodeInfo) {
    EXPECT_EQ(shell->nodeInfo(*compute).ovsVersion, "2.0.2");
    EXPECT_EQ(shell->nodeInfo(*compute).ovsUuid, "");
    NodeInfo info;
    info.ovsUuid = "b5553502-95e4-4ad2-90a6-a3da02d3819d";
    shell->setNodeInfo("compute", info);
    EXPECT_EQ(shell->nodeInfo(*compute).ovsUuid, "b5553502-95e4-4ad2-90a6-a3da02d3819d");
    EXPECT_EQ(shell->nodeInfo(*network).ovsUuid, "");
}

}  // namespace
}  // namespace nlab::engine
