<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PhysicalGraph</name>
    <message>
        <source>%1 key=%2 remote=%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, namespace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>management %1, data %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The upstream router on the external network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance %1 on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP namespace of network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace of router %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linux bridge %1 on %2
bridge id %3, STP %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fail_mode: secure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fail_mode: standalone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open vSwitch bridge %1 on %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patch peer=%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 of %2 (ofport %3, %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>L2 segment %1 (%n device(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>virtual time (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway (router %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP server of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External address of router %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External host &quot;outside&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>NeutronLab: a lab for OpenStack Neutron and Open vSwitch networking.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab file to open (default: the built-in seed lab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the interface: en or zh_CN (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the main window to PNG and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --screenshot: run SCRIPT (CONTEXT: COMMAND lines) first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only one lab file can be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown language &apos;%1&apos; (use en or zh_CN).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--after-script needs --screenshot.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::ChartsDock</name>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the chosen port to the charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tx</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::ConsoleDock</name>
    <message>
        <source>Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown context &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::EventListDock</name>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hops only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ARP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ICMP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GRE/VXLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show or hide %1 events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All nodes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::FlowTablePane</name>
    <message>
        <source>Filter rules (table, match, actions...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nlab::app::FlowTablesDock</name>
    <message>
        <source>Flow tables</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::MacTablesDock</name>
    <message>
        <source>MAC tables</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::MainWindow</name>
    <message>
        <source>max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new lab with a network node and a compute node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a lab file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play or pause the lab (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the next frame hop (F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to the previous frame hop (Shift+F10)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Ping from Instance...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab has no instance to ping from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top Capture...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Virtual time %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As &amp;PNG...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As &amp;SVG...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As &amp;DOT...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Simulation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;NeutronLab&lt;/h3&gt;&lt;p&gt;A lab for OpenStack Neutron and Open vSwitch networking: real Ethernet frames through OVS pipelines, Linux bridges, namespaces and tunnels, all emulated.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Player</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From 1/10 of real time to as fast as possible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clock:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1[*] — NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>t = %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab time: %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an untitled lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NeutronLab did not close normally. A recovery copy of %1 from %2 was found.

Recover it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not recover the lab:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The lab &quot;%1&quot; has been modified.
Do you want to save your changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Lab As</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab files (*.yaml *.yml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab files (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graphviz DOT files (*.dot *.gv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A capture on %1 is already running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no interface %2 to capture on (patch and tunnel ports exist only in OVS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Capturing on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No capture is running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Save Capture (%n frame(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>pcap captures (*.pcap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Saved %n frame(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Capturing on %1/%2; Tools &gt; Stop Capture saves the pcap.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture on %1...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The layout of the physical view did not finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not render the window.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::PacketDetailDock</name>
    <message>
        <source>Packet detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an event to see its frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%1  %2 s  %3  %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no frame)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (inner %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes %1-%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::PingDialog</name>
    <message>
        <source>Ping from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The frames travel as tokens along the physical view; the flows they touch are highlighted in the flow tables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Count:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::app::TraceDock</name>
    <message>
        <source>Trace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a frame event to trace it through the bridges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bridge: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No frame to trace for this event.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n hop(s), %2 bridge entry(ies); traced against the current tables</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2  in_port=%3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  tun_id=0x%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Datapath actions: drop (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Datapath actions: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::model::EventListModel</name>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow hit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC learned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC aged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refreshed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learned: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 vlan %2 moved to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 vlan %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::model::FlowTableModel</name>
    <message>
        <source>%1 (%2 s left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hard timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learned</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::model::LabDocument</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown context &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::model::MacTableModel</name>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::model::TenantTreeModel</name>
    <message>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Networks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Routers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instances</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floating IPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>compute node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, data %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, external</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, DHCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not associated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views</name>
    <message>
        <source>%1: &apos;%2&apos; is not an IPv4 address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocation pool start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocation pool end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An allocation pool needs both a start and an end address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS name server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::AddHostCommand</name>
    <message>
        <source>A host cannot be removed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::AttachInstanceCommand</name>
    <message>
        <source>Instances attach to tenant networks, not to the external network</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::EditController</name>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected instance, router, network or port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown host role &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network %1 could not be found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network %1 has no subnet to add a router interface on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router %1 has no gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 cannot be deleted from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts cannot be removed from a running lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A %1 cannot be renamed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create External Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create Router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Network...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Router...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;Instance...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;Subnet...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Launch Instance Here...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;Interface to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;Gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear Gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Interface %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attach to Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove Router Interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete Subnet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::GraphView</name>
    <message>
        <source>Zoom In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit to View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NeutronLab topology</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported by NeutronLab</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::InstanceDialog</name>
    <message>
        <source>Launch Instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(any compute host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ne&amp;twork:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The edit failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::LabCommand</name>
    <message>
        <source>Create network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create subnet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create router %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add router interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove router interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Boot instance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete instance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete router %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete floating IP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add host %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::LogicalScene</name>
    <message>
        <source>router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance %1 (%2, %3)
%4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, segmentation id %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>subnet %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1
%2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::LogicalView</name>
    <message>
        <source>Logical view</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::NameDialog</name>
    <message>
        <source>The edit failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::PaletteWidget</name>
    <message>
        <source>Network node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A host running the L3 and DHCP agents (one per lab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A host running nova-compute and the OVS agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tenant network with a subnet; drop it on a network to add a subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A router; drop it on a network to give it an interface there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A VM; drop it on a network or a compute node to choose where it goes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider network routers use as their gateway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::PhysicalScene</name>
    <message>
        <source>VLAN %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 / tun %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLAN %1 ⇄ tun %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::PhysicalView</name>
    <message>
        <source>Physical view</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::PropertiesEditor</name>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subnet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Router %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Physical network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segmentation ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CIDR:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gateway IP:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocation pools:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DHCP:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comma-separated addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS name servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>L3 agent host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>External gateway:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNAT:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interfaces:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Instance names are console contexts in this lab; they cannot change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flavor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACTIVE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHUTOFF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eth%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, MAC %3, port %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAC address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed IPs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device owner:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Management (eth0):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data (eth1, tunnel endpoint):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::RenameCommand</name>
    <message>
        <source>A %1 cannot be renamed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>nlab::views::SubnetDialog</name>
    <message>
        <source>Create Network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create Subnet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network &amp;name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Subnet name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 10.10.10.0/24</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network &amp;address (CIDR):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: the first host address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gateway IP:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable &amp;DHCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: the whole range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocation pool &amp;start:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allocation pool &amp;end:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comma-separated addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DNS name &amp;servers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The edit failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
