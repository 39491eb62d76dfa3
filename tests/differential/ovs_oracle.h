#pragma once
// OvsOracle: one private, real Open vSwitch (userspace "dummy" datapath) that the
// differential tests drive as the reference for what our engine must do.
//
// What
//   An OvsOracle owns a run directory under /tmp with its own ovsdb-server and
//   ovs-vswitchd, started and configured through the shared tool `ovs-oracle`
//   (NLAB_SHARED_DIR/tools/ovs-oracle). Tests create bridges with dummy ports (each records
//   the frames it transmits in a pcap file), load flows, inject frames, and read back what
//   every port transmitted, the flow tables and the MAC learning table.
//
// Design
//   - Lifetime is RAII: the constructor starts the daemons, the destructor always stops them
//     (by the PIDs in the run directory, never by name) and removes the directory, whether
//     the test passed, failed or threw. Set NLAB_KEEP_OVS_ORACLE=1 to keep the directory
//     (logs, pcaps) for a post-mortem.
//   - Every failure throws OracleError with the command line, its exit status and what OVS
//     printed, so a failing test says exactly which step broke and why.
//   - Slow, rare steps (start, stop, bridge, underlay, flows, dump) run the ovs-oracle script
//     so that this wrapper and a developer at a shell configure OVS the same way. The hot
//     path (one injection per frame, thousands per run) does what `ovs-oracle inject` does
//     without its per-call cost (~1.2 s: it runs tshark and ovs-pcap on every frame): it
//     talks JSON-RPC to ovs-vswitchd's unixctl socket directly (`netdev-dummy/receive`),
//     or runs `ovs-ofctl packet-out` when tunnel metadata must be supplied, and reads the
//     new records of the ports' tx pcap files itself.
//   - Determinism: right after start, other_config:flow-limit=0 stops ovs-vswitchd from
//     installing datapath flows, so every frame takes the slow path and is translated from
//     the OpenFlow tables as they are at that moment (no stale megaflow can answer for a
//     table that a learn action or a flow-mod has just changed, and learn runs per packet,
//     as in our engine). `netdev-dummy/receive` only queues the frame; a second unixctl
//     connection, accepted only in a later main-loop iteration, which processes the queue
//     first, acts as a barrier before the pcaps are read.
//   - Time: warp() freezes OVS's clock on first use (`time/stop`) and advances it. OVS
//     expires rules at the first revalidator round after the deadline; warp() waits for the
//     round its own warp triggers (warps shorter than 500 ms may not trigger one).
//
// Invariants
//   At most one running ovs-vswitchd per OvsOracle; the directory holds nothing of any other
//   instance. No method leaves a daemon running when the object is destroyed.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace nlab::difftest {

/// A failed step of the oracle: the message names the command and quotes OVS's own words.
class OracleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Whether the real Open vSwitch can be used on this machine.
struct OracleAvailability {
    bool available = false;
    std::string reason;  ///< Why not, when !available (missing binaries, missing tool).
};

/// Checks for the ovs-oracle tool and the Open vSwitch binaries it needs (ovs-vswitchd,
/// ovsdb-server, ovsdb-tool, ovs-vsctl, ovs-ofctl, ovs-appctl) in PATH, /usr/sbin, /sbin.
OracleAvailability checkOracleAvailability();

/// Whether the user asked to skip oracle tests (environment NLAB_SKIP_OVS_ORACLE=1).
bool oracleSkipRequested();

/// Path of the ovs-oracle script: $NLAB_OVS_ORACLE if set, else NLAB_SHARED_DIR/tools/ovs-oracle.
std::string oracleToolPath();

/// Use at the start of a test body or SetUp(): fails the test with a clear message when Open
/// vSwitch is missing, or skips it (GTEST_SKIP) if NLAB_SKIP_OVS_ORACLE=1 is set.
#define NLAB_REQUIRE_OVS_ORACLE()                                                             \
    do {                                                                                      \
        const ::nlab::difftest::OracleAvailability nlabAvail_ =                               \
            ::nlab::difftest::checkOracleAvailability();                                      \
        if (!nlabAvail_.available) {                                                          \
            if (::nlab::difftest::oracleSkipRequested()) {                                    \
                GTEST_SKIP() << "NLAB_SKIP_OVS_ORACLE=1: skipping the differential test: "    \
                             << nlabAvail_.reason;                                            \
            }                                                                                 \
            FAIL() << nlabAvail_.reason                                                       \
                   << "\nSet NLAB_SKIP_OVS_ORACLE=1 to skip the differential tests instead."; \
        }                                                                                     \
    } while (false)

/// One port of an oracle bridge: `ovs-oracle bridge` PORTSPEC NAME=OFPORT[:TYPE[:K=V,...]].
struct OraclePort {
    std::string name;
    std::uint32_t ofport = 0;
    std::string type = "dummy";        ///< "dummy" (records pcaps), "gre", "vxlan", "patch"...
    std::vector<std::string> options;  ///< "remote_ip=10.10.100.139", "in_key=flow", ...
};

/// A frame some dummy port transmitted.
struct TxFrame {
    std::string port;                 ///< Name of the port (or the tunnel port, once decoded).
    std::vector<std::uint8_t> bytes;  ///< The frame as it went on the wire.
    friend bool operator==(const TxFrame&, const TxFrame&) = default;
};

/// gtest printer: "port: hex".
void PrintTo(const TxFrame& frame, std::ostream* os);

/// One flow of a dump, normalized: statistics (duration, counters, ages) dropped.
struct DumpedFlow {
    int table = 0;
    int priority = 32768;
    std::uint64_t cookie = 0;
    int idleTimeout = 0;  ///< Seconds, 0 = none.
    int hardTimeout = 0;  ///< Seconds, 0 = none.
    std::string match;    ///< ovs-ofctl match text without priority ("" = any).
    std::string actions;  ///< Text after "actions=".

    /// Canonical one-line text: "table=T, [cookie=C, ][idle_timeout=N, ][hard_timeout=N, ]
    /// priority=P[,MATCH] actions=A". Priority is always printed (OVS omits 32768).
    std::string text() const;
    friend bool operator==(const DumpedFlow&, const DumpedFlow&) = default;
};

/// Parses one line of `ovs-ofctl dump-flows` (with or without --no-stats) into a DumpedFlow.
/// Returns nullopt for header lines ("NXST_FLOW reply ...") and blank lines.
/// Throws OracleError on a line with no "actions=".
std::optional<DumpedFlow> parseDumpFlowLine(std::string_view line);

/// Parses a whole dump-flows output; flows come back sorted by (table, -priority, text)
/// because OVS prints them in hash order (see sortFlows()).
std::vector<DumpedFlow> parseDumpFlows(std::string_view text);

/// Sorts flows by table, descending priority, then text. OVS does not define the order
/// of dump-flows output, so both sides are compared in this order.
void sortFlows(std::vector<DumpedFlow>& flows);

/// One entry of `ovs-appctl fdb/show`.
struct FdbEntry {
    std::uint32_t port = 0;  ///< OpenFlow port number (LOCAL = 65534).
    std::uint16_t vlan = 0;
    std::uint64_t mac = 0;  ///< 48-bit MAC.
    friend bool operator==(const FdbEntry&, const FdbEntry&) = default;
    friend auto operator<=>(const FdbEntry&, const FdbEntry&) = default;
};

/// gtest printers.
void PrintTo(const DumpedFlow& flow, std::ostream* os);
void PrintTo(const FdbEntry& entry, std::ostream* os);

/// Parses `ovs-appctl fdb/show` output (ages ignored); sorted.
std::vector<FdbEntry> parseFdbShow(std::string_view text);

/// Lower-case hex of 'bytes', no separators.
std::string toHex(std::span<const std::uint8_t> bytes);
/// Parses hex digits (whitespace ignored) into bytes; throws OracleError on bad input.
std::vector<std::uint8_t> fromHex(std::string_view hex);

class OvsOracle {
public:
    /// Starts a private OVS in a fresh directory /tmp/nlab-ovs-XXXXXX and disables datapath
    /// flow installation (see the file comment). Throws OracleError if it cannot start.
    OvsOracle();
    /// Stops the daemons and removes the directory (kept if NLAB_KEEP_OVS_ORACLE=1).
    /// Never throws; problems are printed to stderr.
    ~OvsOracle();
    OvsOracle(const OvsOracle&) = delete;
    OvsOracle& operator=(const OvsOracle&) = delete;

    /// The run directory (logs in ovs-vswitchd.log, pcaps in pcap/).
    const std::string& dir() const { return m_dir; }

    /// `ovs-oracle bridge`: adds 'bridge' (datapath dummy, fail-mode secure) with 'ports'.
    /// The bridge's LOCAL port records its transmissions too (as port name 'bridge').
    void addBridge(const std::string& bridge, const std::vector<OraclePort>& ports);
    /// Like `ovs-vsctl set port NAME tag=N` / `trunks=...` (NORMAL access/trunk ports).
    void setPortVlans(const std::string& port, std::optional<std::uint16_t> tag,
                      const std::vector<std::uint16_t>& trunks);
    /// `ovs-oracle icehouse`: br-tun with patch-int=1 (dummy) and gre-1=2 (GRE to
    /// 10.10.100.139, key=flow), plus br-phy/p0 as the underlay with local IP 10.10.100.1
    /// (next hop aa:bb:cc:00:01:39, br-phy's MAC aa:55:aa:55:00:00). br-tun's LOCAL records.
    void setupIcehouse();
    /// `ovs-oracle underlay`: br-phy + dummy port p0 so tunnel ports can transmit.
    void setupUnderlay(const std::string& localCidr, const std::string& remoteIp,
                       const std::string& remoteMac = {});

    /// `ovs-oracle flows`: adds the flows in 'text' (ovs-ofctl add-flows syntax, via a file).
    /// 'ofctlOptions' (e.g. "-O OpenFlow13") go to ovs-ofctl through OFCTL_OPTS; the default
    /// is OpenFlow 1.0 + NXM, like the Icehouse agent.
    void addFlows(const std::string& bridge, const std::string& text,
                  const std::string& ofctlOptions = {});
    /// Deletes every flow of 'bridge', then adds 'text' (`flows ... --replace`).
    void replaceFlows(const std::string& bridge, const std::string& text,
                      const std::string& ofctlOptions = {});

    /// Processes 'frame' as if it arrived on 'port' (a name or OpenFlow number) of 'bridge'
    /// and returns every frame any dummy port transmitted meanwhile, grouped by port name
    /// (in name order), each port's frames in transmission order. With 'metadata' (e.g.
    /// "tun_id=0x1") or on a non-dummy port the frame is sent as an OpenFlow 1.5 packet-out
    /// "in_port=PORT,METADATA actions=table", as `ovs-oracle inject` does.
    std::vector<TxFrame> inject(const std::string& bridge, const std::string& port,
                                std::span<const std::uint8_t> frame,
                                const std::string& metadata = {});

    /// Flows of 'bridge' (optionally only those selected by an ovs-ofctl match such as
    /// "table=20"), normalized and sorted.
    std::vector<DumpedFlow> dumpFlows(const std::string& bridge, const std::string& filter = {});
    /// Raw `ovs-ofctl dump-flows` text (with statistics), for failure messages.
    std::string dumpFlowsRaw(const std::string& bridge, const std::string& filter = {});

    /// `ovs-appctl fdb/show BRIDGE`, parsed and sorted.
    std::vector<FdbEntry> fdb(const std::string& bridge);

    /// Freezes OVS's clock if not yet frozen, advances it by 'msecs' (> 0) and waits until
    /// the revalidator round this triggers has completed, so rules whose timeouts passed
    /// are gone from the next dump. 'msecs' should be >= 500 (see the file comment).
    void warp(std::int64_t msecs);
    /// Freezes OVS's clock now (`ovs-appctl time/stop`) without advancing it.
    void freezeClock();

    /// Runs an ovs-appctl command against this instance's ovs-vswitchd (JSON-RPC over its
    /// unixctl socket); returns its output. Throws OracleError with OVS's error text.
    std::string appctl(const std::vector<std::string>& args);
    /// Runs `ovs-oracle SUBCOMMAND DIR ARGS...` with 'env' ("NAME=VALUE") added to the
    /// environment; returns stdout. Throws OracleError on a non-zero exit.
    std::string runTool(const std::string& subcommand, const std::vector<std::string>& args,
                        const std::vector<std::string>& env = {});

    /// The last 'lines' lines of ovs-vswitchd.log (for failure messages).
    std::string logTail(int lines = 20) const;

private:
    struct PortInfo {
        std::string bridge;
        std::uint32_t ofport = 0;
        std::string type;
    };
    const PortInfo& resolvePort(const std::string& bridge, const std::string& port,
                                std::string* name) const;
    std::map<std::string, std::uintmax_t> txPcapSizes() const;
    std::vector<TxFrame> newTxFrames(const std::map<std::string, std::uintmax_t>& before) const;
    std::string unixctlPath() const;
    void stop() noexcept;
    void recordLocalPort(const std::string& bridge);
    void loadFlows(const std::string& bridge, const std::string& text,
                   const std::string& ofctlOptions, bool replace);

    std::string m_dir;
    std::map<std::string, PortInfo> m_ports;  // port name -> where it is
    bool m_running = false;
    bool m_clockFrozen = false;
    int m_tempCounter = 0;
};

}  // namespace nlab::difftest
