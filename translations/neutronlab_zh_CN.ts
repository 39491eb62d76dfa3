<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PhysicalGraph</name>
    <message>
        <source>%1 key=%2 remote=%3</source>
        <translation>%1 key=%2 remote=%3</translation>
    </message>
    <message>
        <source>%1 (%2) on %3</source>
        <translation>%1（%2），位于 %3</translation>
    </message>
    <message>
        <source>, namespace %1</source>
        <translation>，命名空间 %1</translation>
    </message>
    <message>
        <source>MAC %1</source>
        <translation>MAC %1</translation>
    </message>
    <message>
        <source>inet %1</source>
        <translation>inet %1</translation>
    </message>
    <message>
        <source>Network node %1</source>
        <translation>网络节点 %1</translation>
    </message>
    <message>
        <source>Compute node %1</source>
        <translation>计算节点 %1</translation>
    </message>
    <message>
        <source>management %1, data %2</source>
        <translation>管理网 %1，数据网 %2</translation>
    </message>
    <message>
        <source>The upstream router on the external network</source>
        <translation>外部网络上的上游路由器</translation>
    </message>
    <message>
        <source>Node %1</source>
        <translation>节点 %1</translation>
    </message>
    <message>
        <source>Instance %1 on %2</source>
        <translation>实例 %1，位于 %2</translation>
    </message>
    <message>
        <source>%1 %2 %3</source>
        <translation>%1 %2 %3</translation>
    </message>
    <message>
        <source>DHCP namespace of network %1</source>
        <translation>网络 %1 的 DHCP 命名空间</translation>
    </message>
    <message>
        <source>Namespace of router %1</source>
        <translation>路由器 %1 的命名空间</translation>
    </message>
    <message>
        <source>Namespace %1</source>
        <translation>命名空间 %1</translation>
    </message>
    <message>
        <source>Linux bridge %1 on %2
bridge id %3, STP %4</source>
        <translation>Linux 网桥 %1，位于 %2
网桥 ID %3，STP %4</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>fail_mode: secure</source>
        <translation>fail_mode: secure</translation>
    </message>
    <message>
        <source>fail_mode: standalone</source>
        <translation>fail_mode: standalone</translation>
    </message>
    <message>
        <source>Open vSwitch bridge %1 on %2
%3</source>
        <translation>Open vSwitch 网桥 %1，位于 %2
%3</translation>
    </message>
    <message>
        <source>patch peer=%1</source>
        <translation>patch peer=%1</translation>
    </message>
    <message>
        <source>Port %1 of %2 (ofport %3, %4)</source>
        <translation>%2 的端口 %1（ofport %3，%4）</translation>
    </message>
    <message>
        <source>tag: %1</source>
        <translation>tag: %1</translation>
    </message>
    <message numerus="yes">
        <source>L2 segment %1 (%n device(s))</source>
        <translation><numerusform>二层网段 %1（%n 个设备）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>NeutronLab</source>
        <translation>NeutronLab</translation>
    </message>
    <message>
        <source>virtual time (s)</source>
        <translation>虚拟时间（秒）</translation>
    </message>
    <message>
        <source>Gateway of %1</source>
        <translation>%1 的网关</translation>
    </message>
    <message>
        <source>Gateway (router %1)</source>
        <translation>网关（路由器 %1）</translation>
    </message>
    <message>
        <source>DHCP server of %1</source>
        <translation>%1 的 DHCP 服务器</translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation>实例 %1</translation>
    </message>
    <message>
        <source>External address of router %1</source>
        <translation>路由器 %1 的外部地址</translation>
    </message>
    <message>
        <source>External host "outside"</source>
        <translation>外部主机“outside”</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>NeutronLab: a lab for OpenStack Neutron and Open vSwitch networking.</source>
        <translation>NeutronLab：OpenStack Neutron 与 Open vSwitch 网络实验室。</translation>
    </message>
    <message>
        <source>Lab file to open (default: the built-in seed lab).</source>
        <translation>要打开的实验室文件（默认：内置的种子实验室）。</translation>
    </message>
    <message>
        <source>Language of the interface: en or zh_CN (default: the system's).</source>
        <translation>界面语言：en 或 zh_CN（默认：跟随系统）。</translation>
    </message>
    <message>
        <source>Render the main window to PNG and exit.</source>
        <translation>将主窗口渲染为 PNG 后退出。</translation>
    </message>
    <message>
        <source>With --screenshot: run SCRIPT (CONTEXT: COMMAND lines) first.</source>
        <translation>与 --screenshot 一起使用：先运行 SCRIPT（“上下文: 命令”格式的行）。</translation>
    </message>
    <message>
        <source>Only one lab file can be opened.</source>
        <translation>一次只能打开一个实验室文件。</translation>
    </message>
    <message>
        <source>Unknown language '%1' (use en or zh_CN).</source>
        <translation>未知语言“%1”（请使用 en 或 zh_CN）。</translation>
    </message>
    <message>
        <source>--after-script needs --screenshot.</source>
        <translation>--after-script 需要与 --screenshot 一起使用。</translation>
    </message>
</context>
<context>
    <name>nlab::app::ChartsDock</name>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Packets per second</source>
        <translation>每秒包数</translation>
    </message>
    <message>
        <source>Bytes per second</source>
        <translation>每秒字节数</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>加入图表</translation>
    </message>
    <message>
        <source>Add the chosen port to the charts</source>
        <translation>将所选端口加入图表</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>rx</source>
        <translation>收</translation>
    </message>
    <message>
        <source>tx</source>
        <translation>发</translation>
    </message>
</context>
<context>
    <name>nlab::app::ConsoleDock</name>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>unknown context '%1'</source>
        <translation>未知的上下文“%1”</translation>
    </message>
</context>
<context>
    <name>nlab::app::EventListDock</name>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Hops only</source>
        <translation>仅显示跳</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>ARP</source>
        <translation>ARP</translation>
    </message>
    <message>
        <source>ICMP</source>
        <translation>ICMP</translation>
    </message>
    <message>
        <source>DHCP</source>
        <translation>DHCP</translation>
    </message>
    <message>
        <source>GRE/VXLAN</source>
        <translation>GRE/VXLAN</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Show or hide %1 events</source>
        <translation>显示或隐藏 %1 事件</translation>
    </message>
    <message>
        <source>Node:</source>
        <translation>节点：</translation>
    </message>
    <message>
        <source>All nodes</source>
        <translation>所有节点</translation>
    </message>
</context>
<context>
    <name>nlab::app::FlowTablePane</name>
    <message>
        <source>Filter rules (table, match, actions...)</source>
        <translation>过滤规则（表、匹配、动作……）</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s)</source>
        <translation><numerusform>%n 条规则</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nlab::app::FlowTablesDock</name>
    <message>
        <source>Flow tables</source>
        <translation>流表</translation>
    </message>
</context>
<context>
    <name>nlab::app::MacTablesDock</name>
    <message>
        <source>MAC tables</source>
        <translation>MAC 表</translation>
    </message>
</context>
<context>
    <name>nlab::app::MainWindow</name>
    <message>
        <source>max</source>
        <translation>最快</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new lab with a network node and a compute node</source>
        <translation>新建一个包含网络节点和计算节点的实验室</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>打开(&amp;O)...</translation>
    </message>
    <message>
        <source>Open a lab file</source>
        <translation>打开实验室文件</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As...</source>
        <translation>另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play or pause the lab (F5)</source>
        <translation>播放或暂停实验室（F5）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Move to the next frame hop (F10)</source>
        <translation>前进到下一跳（F10）</translation>
    </message>
    <message>
        <source>Step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <source>Move to the previous frame hop (Shift+F10)</source>
        <translation>后退到上一跳（Shift+F10）</translation>
    </message>
    <message>
        <source>Skip to end</source>
        <translation>跳到末尾</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit to View</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <source>Re&amp;layout</source>
        <translation>重新布局(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Ping from Instance...</source>
        <translation>从实例 Ping(&amp;P)...</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>The lab has no instance to ping from.</source>
        <translation>实验室中没有可以发起 Ping 的实例。</translation>
    </message>
    <message>
        <source>S&amp;top Capture...</source>
        <translation>停止抓包(&amp;T)...</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <source>Virtual time %1 s</source>
        <translation>虚拟时间 %1 秒</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export View</source>
        <translation>导出视图(&amp;E)</translation>
    </message>
    <message>
        <source>As &amp;PNG...</source>
        <translation>导出为 &amp;PNG...</translation>
    </message>
    <message>
        <source>As &amp;SVG...</source>
        <translation>导出为 &amp;SVG...</translation>
    </message>
    <message>
        <source>As &amp;DOT...</source>
        <translation>导出为 &amp;DOT...</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Simulation</source>
        <translation>仿真(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About NeutronLab</source>
        <translation>关于 NeutronLab(&amp;A)</translation>
    </message>
    <message>
        <source>About NeutronLab</source>
        <translation>关于 NeutronLab</translation>
    </message>
    <message>
        <source>&lt;h3&gt;NeutronLab&lt;/h3&gt;&lt;p&gt;A lab for OpenStack Neutron and Open vSwitch networking: real Ethernet frames through OVS pipelines, Linux bridges, namespaces and tunnels, all emulated.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;NeutronLab&lt;/h3&gt;&lt;p&gt;OpenStack Neutron 与 Open vSwitch 网络实验室：真实的以太网帧穿过 OVS 流水线、Linux 网桥、命名空间和隧道，全部为仿真。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>播放器</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>速度：</translation>
    </message>
    <message>
        <source>From 1/10 of real time to as fast as possible</source>
        <translation>从实时的 1/10 到尽可能快</translation>
    </message>
    <message>
        <source>Clock:</source>
        <translation>时钟：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>%1[*] — NeutronLab</source>
        <translation>%1[*] — NeutronLab</translation>
    </message>
    <message>
        <source>t = %1 s</source>
        <translation>t = %1 秒</translation>
    </message>
    <message>
        <source>Lab time: %1 s</source>
        <translation>实验室时间：%1 秒</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>an untitled lab</source>
        <translation>一个未命名的实验室</translation>
    </message>
    <message>
        <source>Recover Lab</source>
        <translation>恢复实验室</translation>
    </message>
    <message>
        <source>NeutronLab did not close normally. A recovery copy of %1 from %2 was found.

Recover it?</source>
        <translation>NeutronLab 上次未正常关闭。找到了 %1 在 %2 的恢复副本。

要恢复吗？</translation>
    </message>
    <message>
        <source>Could not recover the lab:
%1</source>
        <translation>无法恢复实验室：
%1</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>Open Lab</source>
        <translation>打开实验室</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>NeutronLab</source>
        <translation>NeutronLab</translation>
    </message>
    <message>
        <source>The lab "%1" has been modified.
Do you want to save your changes?</source>
        <translation>实验室“%1”已被修改。
是否保存更改？</translation>
    </message>
    <message>
        <source>Save Lab</source>
        <translation>保存实验室</translation>
    </message>
    <message>
        <source>Save Lab As</source>
        <translation>实验室另存为</translation>
    </message>
    <message>
        <source>Lab files (*.yaml *.yml)</source>
        <translation>实验室文件 (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Lab files (*.yaml *.yml);;All files (*)</source>
        <translation>实验室文件 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 图形 (*.svg)</translation>
    </message>
    <message>
        <source>Graphviz DOT files (*.dot *.gv)</source>
        <translation>Graphviz DOT 文件 (*.dot *.gv)</translation>
    </message>
    <message>
        <source>Export View</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>A capture on %1 is already running.</source>
        <translation>%1 上的抓包已在进行中。</translation>
    </message>
    <message>
        <source>%1 has no interface %2 to capture on (patch and tunnel ports exist only in OVS).</source>
        <translation>%1 上没有可供抓包的接口 %2（patch 端口和隧道端口只存在于 OVS 中）。</translation>
    </message>
    <message>
        <source>● Capturing on %1</source>
        <translation>● 正在 %1 上抓包</translation>
    </message>
    <message>
        <source>No capture is running.</source>
        <translation>没有正在进行的抓包。</translation>
    </message>
    <message numerus="yes">
        <source>Save Capture (%n frame(s))</source>
        <translation><numerusform>保存抓包（%n 帧）</numerusform>
        </translation>
    </message>
    <message>
        <source>pcap captures (*.pcap)</source>
        <translation>pcap 抓包文件 (*.pcap)</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n frame(s) to %1</source>
        <translation><numerusform>已将 %n 帧保存到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Capturing on %1/%2; Tools &gt; Stop Capture saves the pcap.</source>
        <translation>正在 %1/%2 上抓包；“工具 &gt; 停止抓包”保存 pcap 文件。</translation>
    </message>
    <message>
        <source>Ping...</source>
        <translation>Ping...</translation>
    </message>
    <message>
        <source>Capture on %1...</source>
        <translation>在 %1 上抓包...</translation>
    </message>
    <message>
        <source>Chart %1</source>
        <translation>绘制 %1 的图表</translation>
    </message>
    <message>
        <source>The layout of the physical view did not finish.</source>
        <translation>物理视图的布局未能完成。</translation>
    </message>
    <message>
        <source>Could not render the window.</source>
        <translation>无法渲染窗口。</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>组件面板</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>属性</translation>
    </message>
</context>
<context>
    <name>nlab::app::PacketDetailDock</name>
    <message>
        <source>Packet detail</source>
        <translation>数据包详情</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Select an event to see its frame.</source>
        <translation>选择一个事件以查看其帧。</translation>
    </message>
    <message>
        <source>#%1  %2 s  %3  %4</source>
        <translation>#%1  %2 秒  %3  %4</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>MAC</source>
        <translation>MAC</translation>
    </message>
    <message>
        <source>(no frame)</source>
        <translation>（无帧）</translation>
    </message>
    <message>
        <source>%1 (inner %2)</source>
        <translation>%1（内层 %2）</translation>
    </message>
    <message>
        <source>bytes %1-%2</source>
        <translation>字节 %1-%2</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>nlab::app::PingDialog</name>
    <message>
        <source>Ping from %1</source>
        <translation>从 %1 Ping</translation>
    </message>
    <message>
        <source>The frames travel as tokens along the physical view; the flows they touch are highlighted in the flow tables.</source>
        <translation>数据帧将以令牌形式在物理视图中移动；它们经过的流会在流表中高亮显示。</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>目标(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Count:</source>
        <translation>次数(&amp;C)：</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
</context>
<context>
    <name>nlab::app::TraceDock</name>
    <message>
        <source>Trace</source>
        <translation>跟踪</translation>
    </message>
    <message>
        <source>Select a frame event to trace it through the bridges.</source>
        <translation>选择一个帧事件，跟踪它穿过各网桥的路径。</translation>
    </message>
    <message>
        <source>Bridge: </source>
        <translation>网桥：</translation>
    </message>
    <message>
        <source>Output: </source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>Warning: </source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>Error: </source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Drop: </source>
        <translation>丢弃：</translation>
    </message>
    <message>
        <source>No frame to trace for this event.</source>
        <translation>此事件没有可跟踪的帧。</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n hop(s), %2 bridge entry(ies); traced against the current tables</source>
        <translation><numerusform>%1 — %n 跳，进入网桥 %2 次；按当前流表跟踪</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2  in_port=%3 (%4)</source>
        <translation>%1: %2  in_port=%3 (%4)</translation>
    </message>
    <message>
        <source>  tun_id=0x%1</source>
        <translation>  tun_id=0x%1</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>流：%1</translation>
    </message>
    <message>
        <source>Datapath actions: drop (%1)</source>
        <translation>数据通路动作：丢弃（%1）</translation>
    </message>
    <message>
        <source>Datapath actions: %1</source>
        <translation>数据通路动作：%1</translation>
    </message>
</context>
<context>
    <name>nlab::model::EventListModel</name>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Flow hit</source>
        <translation>命中流</translation>
    </message>
    <message>
        <source>Flow added</source>
        <translation>添加流</translation>
    </message>
    <message>
        <source>Flow removed</source>
        <translation>删除流</translation>
    </message>
    <message>
        <source>MAC learned</source>
        <translation>学习 MAC</translation>
    </message>
    <message>
        <source>MAC aged</source>
        <translation>MAC 老化</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>refreshed: %1</source>
        <translation>刷新：%1</translation>
    </message>
    <message>
        <source>learned: %1</source>
        <translation>学习：%1</translation>
    </message>
    <message>
        <source>%1 vlan %2 moved to %3</source>
        <translation>%1 vlan %2 迁移到 %3</translation>
    </message>
    <message>
        <source>%1 vlan %2 on %3</source>
        <translation>%1 vlan %2 位于 %3</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
</context>
<context>
    <name>nlab::model::FlowTableModel</name>
    <message>
        <source>%1 (%2 s left)</source>
        <translation>%1（剩余 %2 秒）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>匹配</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>包数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>Idle timeout</source>
        <translation>空闲超时</translation>
    </message>
    <message>
        <source>Hard timeout</source>
        <translation>硬超时</translation>
    </message>
    <message>
        <source>Learned</source>
        <translation>学习所得</translation>
    </message>
</context>
<context>
    <name>nlab::model::LabDocument</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>unknown context '%1'</source>
        <translation>未知的上下文“%1”</translation>
    </message>
    <message>
        <source>Cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
</context>
<context>
    <name>nlab::model::MacTableModel</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>接口</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation>MAC 地址</translation>
    </message>
    <message>
        <source>Age (s)</source>
        <translation>老化时间（秒）</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
</context>
<context>
    <name>nlab::model::TenantTreeModel</name>
    <message>
        <source>Hosts</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Routers</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>Instances</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>Floating IPs</source>
        <translation>浮动 IP</translation>
    </message>
    <message>
        <source>network node</source>
        <translation>网络节点</translation>
    </message>
    <message>
        <source>compute node</source>
        <translation>计算节点</translation>
    </message>
    <message>
        <source>%1, data %2</source>
        <translation>%1，数据 %2</translation>
    </message>
    <message>
        <source>, external</source>
        <translation>，外部</translation>
    </message>
    <message>
        <source>, gateway %1</source>
        <translation>，网关 %1</translation>
    </message>
    <message>
        <source>, DHCP</source>
        <translation>，DHCP</translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation>网关 %1</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>位于 %1</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>到 %1</translation>
    </message>
    <message>
        <source>not associated</source>
        <translation>未关联</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
</context>
<context>
    <name>nlab::views</name>
    <message>
        <source>%1: '%2' is not an IPv4 address</source>
        <translation>%1：“%2”不是 IPv4 地址</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>Allocation pool start</source>
        <translation>分配池起始地址</translation>
    </message>
    <message>
        <source>Allocation pool end</source>
        <translation>分配池结束地址</translation>
    </message>
    <message>
        <source>An allocation pool needs both a start and an end address</source>
        <translation>分配池需要同时指定起始和结束地址</translation>
    </message>
    <message>
        <source>DNS name server</source>
        <translation>DNS 服务器</translation>
    </message>
</context>
<context>
    <name>nlab::views::AttachInstanceCommand</name>
    <message>
        <source>Instances attach to tenant networks, not to the external network</source>
        <translation>实例只能连接到租户网络，不能连接到外部网络</translation>
    </message>
</context>
<context>
    <name>nlab::views::EditController</name>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected instance, router, network or port</source>
        <translation>删除所选的实例、路由器、网络或端口</translation>
    </message>
    <message>
        <source>Unknown host role '%1'</source>
        <translation>未知的主机角色“%1”</translation>
    </message>
    <message>
        <source>Network %1 could not be found</source>
        <translation>找不到网络 %1</translation>
    </message>
    <message>
        <source>Network %1 has no subnet to add a router interface on</source>
        <translation>网络 %1 没有可添加路由器接口的子网</translation>
    </message>
    <message>
        <source>Router %1 has no gateway</source>
        <translation>路由器 %1 没有网关</translation>
    </message>
    <message>
        <source>Port %1 cannot be deleted from here</source>
        <translation>不能在此删除端口 %1</translation>
    </message>
    <message>
        <source>Hosts cannot be removed from a running lab</source>
        <translation>不能从运行中的实验室移除主机</translation>
    </message>
    <message>
        <source>Nothing to delete</source>
        <translation>没有可删除的对象</translation>
    </message>
    <message>
        <source>A %1 cannot be renamed</source>
        <translation>%1 不能重命名</translation>
    </message>
    <message>
        <source>Create External Network</source>
        <translation>创建外部网络</translation>
    </message>
    <message>
        <source>Create Router</source>
        <translation>创建路由器</translation>
    </message>
    <message>
        <source>Router &amp;name:</source>
        <translation>路由器名称(&amp;N)：</translation>
    </message>
    <message>
        <source>New &amp;Network...</source>
        <translation>新建网络(&amp;N)...</translation>
    </message>
    <message>
        <source>New &amp;Router...</source>
        <translation>新建路由器(&amp;R)...</translation>
    </message>
    <message>
        <source>New &amp;Instance...</source>
        <translation>新建实例(&amp;I)...</translation>
    </message>
    <message>
        <source>Add &amp;Subnet...</source>
        <translation>添加子网(&amp;S)...</translation>
    </message>
    <message>
        <source>&amp;Launch Instance Here...</source>
        <translation>在此启动实例(&amp;L)...</translation>
    </message>
    <message>
        <source>&amp;Delete Network</source>
        <translation>删除网络(&amp;D)</translation>
    </message>
    <message>
        <source>Add &amp;Interface to</source>
        <translation>添加接口到(&amp;I)</translation>
    </message>
    <message>
        <source>Set &amp;Gateway</source>
        <translation>设置网关(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Clear Gateway</source>
        <translation>清除网关(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Remove Interface %1 (%2)</source>
        <translation>移除接口 %1（%2）(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Delete Router</source>
        <translation>删除路由器(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Attach to Network</source>
        <translation>连接到网络(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete Instance</source>
        <translation>删除实例(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Remove Router Interface</source>
        <translation>移除路由器接口(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Delete Subnet</source>
        <translation>删除子网(&amp;D)</translation>
    </message>
</context>
<context>
    <name>nlab::views::GraphView</name>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit to View</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>NeutronLab topology</source>
        <translation>NeutronLab 拓扑</translation>
    </message>
    <message>
        <source>Exported by NeutronLab</source>
        <translation>由 NeutronLab 导出</translation>
    </message>
</context>
<context>
    <name>nlab::views::InstanceDialog</name>
    <message>
        <source>Launch Instance</source>
        <translation>启动实例</translation>
    </message>
    <message>
        <source>Instance &amp;name:</source>
        <translation>实例名称(&amp;N)：</translation>
    </message>
    <message>
        <source>(any compute host)</source>
        <translation>（任意计算节点）</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <source>Ne&amp;twork:</source>
        <translation>网络(&amp;T)：</translation>
    </message>
    <message>
        <source>The edit failed</source>
        <translation>编辑失败</translation>
    </message>
</context>
<context>
    <name>nlab::views::LabCommand</name>
    <message>
        <source>Create network %1</source>
        <translation>创建网络 %1</translation>
    </message>
    <message>
        <source>Create subnet %1</source>
        <translation>创建子网 %1</translation>
    </message>
    <message>
        <source>Create router %1</source>
        <translation>创建路由器 %1</translation>
    </message>
    <message>
        <source>Add router interface</source>
        <translation>添加路由器接口</translation>
    </message>
    <message>
        <source>Remove router interface</source>
        <translation>移除路由器接口</translation>
    </message>
    <message>
        <source>Clear gateway</source>
        <translation>清除网关</translation>
    </message>
    <message>
        <source>Set gateway</source>
        <translation>设置网关</translation>
    </message>
    <message>
        <source>Boot instance %1</source>
        <translation>启动实例 %1</translation>
    </message>
    <message>
        <source>Attach instance</source>
        <translation>连接实例</translation>
    </message>
    <message>
        <source>Delete instance</source>
        <translation>删除实例</translation>
    </message>
    <message>
        <source>Delete instance %1</source>
        <translation>删除实例 %1</translation>
    </message>
    <message>
        <source>Delete router</source>
        <translation>删除路由器</translation>
    </message>
    <message>
        <source>Delete router %1</source>
        <translation>删除路由器 %1</translation>
    </message>
    <message>
        <source>Delete network</source>
        <translation>删除网络</translation>
    </message>
    <message>
        <source>Delete network %1</source>
        <translation>删除网络 %1</translation>
    </message>
    <message>
        <source>Delete subnet</source>
        <translation>删除子网</translation>
    </message>
    <message>
        <source>Delete floating IP</source>
        <translation>删除浮动 IP</translation>
    </message>
    <message>
        <source>Rename to %1</source>
        <translation>重命名为 %1</translation>
    </message>
    <message>
        <source>Update subnet</source>
        <translation>更新子网</translation>
    </message>
    <message>
        <source>Add host %1</source>
        <translation>添加主机 %1</translation>
    </message>
</context>
<context>
    <name>nlab::views::LogicalScene</name>
    <message>
        <source>router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>gateway %1</source>
        <translation>网关 %1</translation>
    </message>
    <message>
        <source>Router %1
%2</source>
        <translation>路由器 %1
%2</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>位于 %1</translation>
    </message>
    <message>
        <source>Instance %1 (%2, %3)
%4</source>
        <translation>实例 %1（%2，%3）
%4</translation>
    </message>
    <message>
        <source>External network %1</source>
        <translation>外部网络 %1</translation>
    </message>
    <message>
        <source>Network %1</source>
        <translation>网络 %1</translation>
    </message>
    <message>
        <source>%1, segmentation id %2</source>
        <translation>%1，分段 ID %2</translation>
    </message>
    <message>
        <source>subnet %1 %2</source>
        <translation>子网 %1 %2</translation>
    </message>
    <message>
        <source>Port %1
%2</source>
        <translation>端口 %1
%2</translation>
    </message>
</context>
<context>
    <name>nlab::views::LogicalView</name>
    <message>
        <source>Logical view</source>
        <translation>逻辑视图</translation>
    </message>
</context>
<context>
    <name>nlab::views::NameDialog</name>
    <message>
        <source>The edit failed</source>
        <translation>编辑失败</translation>
    </message>
</context>
<context>
    <name>nlab::views::PaletteWidget</name>
    <message>
        <source>Network node</source>
        <translation>网络节点</translation>
    </message>
    <message>
        <source>A host running the L3 and DHCP agents (one per lab)</source>
        <translation>运行 L3 和 DHCP 代理的主机（每个实验室一个）</translation>
    </message>
    <message>
        <source>Compute node</source>
        <translation>计算节点</translation>
    </message>
    <message>
        <source>A host running nova-compute and the OVS agent</source>
        <translation>运行 nova-compute 和 OVS 代理的主机</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>A tenant network with a subnet; drop it on a network to add a subnet</source>
        <translation>带子网的租户网络；拖放到网络上以添加子网</translation>
    </message>
    <message>
        <source>Router</source>
        <translation>路由器</translation>
    </message>
    <message>
        <source>A router; drop it on a network to give it an interface there</source>
        <translation>路由器；拖放到网络上即可在该网络上添加接口</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>实例</translation>
    </message>
    <message>
        <source>A VM; drop it on a network or a compute node to choose where it goes</source>
        <translation>虚拟机；拖放到网络或计算节点上以选择其位置</translation>
    </message>
    <message>
        <source>External network</source>
        <translation>外部网络</translation>
    </message>
    <message>
        <source>The provider network routers use as their gateway</source>
        <translation>路由器用作网关的提供商网络</translation>
    </message>
</context>
<context>
    <name>nlab::views::PhysicalScene</name>
    <message>
        <source>VLAN %1</source>
        <translation>VLAN %1</translation>
    </message>
    <message>
        <source>VLAN %1 / tun %2</source>
        <translation>VLAN %1 / tun %2</translation>
    </message>
    <message>
        <source>VLAN %1 ⇄ tun %2</source>
        <translation>VLAN %1 ⇄ tun %2</translation>
    </message>
</context>
<context>
    <name>nlab::views::PhysicalView</name>
    <message>
        <source>Physical view</source>
        <translation>物理视图</translation>
    </message>
</context>
<context>
    <name>nlab::views::PropertiesEditor</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选择任何对象</translation>
    </message>
    <message>
        <source>Network %1</source>
        <translation>网络 %1</translation>
    </message>
    <message>
        <source>Subnet %1</source>
        <translation>子网 %1</translation>
    </message>
    <message>
        <source>Router %1</source>
        <translation>路由器 %1</translation>
    </message>
    <message>
        <source>Instance %1</source>
        <translation>实例 %1</translation>
    </message>
    <message>
        <source>Port %1</source>
        <translation>端口 %1</translation>
    </message>
    <message>
        <source>Host %1</source>
        <translation>主机 %1</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>ID：</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Physical network:</source>
        <translation>物理网络：</translation>
    </message>
    <message>
        <source>Segmentation ID:</source>
        <translation>分段 ID：</translation>
    </message>
    <message>
        <source>External:</source>
        <translation>外部：</translation>
    </message>
    <message>
        <source>Shared:</source>
        <translation>共享：</translation>
    </message>
    <message>
        <source>Ports:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <source>CIDR:</source>
        <translation>CIDR：</translation>
    </message>
    <message>
        <source>Gateway IP:</source>
        <translation>网关 IP：</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Allocation pools:</source>
        <translation>分配池：</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>DHCP:</source>
        <translation>DHCP：</translation>
    </message>
    <message>
        <source>comma-separated addresses</source>
        <translation>以逗号分隔的地址</translation>
    </message>
    <message>
        <source>DNS name servers:</source>
        <translation>DNS 服务器：</translation>
    </message>
    <message>
        <source>L3 agent host:</source>
        <translation>L3 代理主机：</translation>
    </message>
    <message>
        <source>External gateway:</source>
        <translation>外部网关：</translation>
    </message>
    <message>
        <source>SNAT:</source>
        <translation>SNAT：</translation>
    </message>
    <message>
        <source>Interfaces:</source>
        <translation>接口：</translation>
    </message>
    <message>
        <source>Instance names are console contexts in this lab; they cannot change</source>
        <translation>在本实验室中实例名称即控制台上下文，不能修改</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>主机：</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>镜像：</translation>
    </message>
    <message>
        <source>Flavor:</source>
        <translation>规格：</translation>
    </message>
    <message>
        <source>ACTIVE</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>SHUTOFF</source>
        <translation>已关机</translation>
    </message>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>eth%1:</source>
        <translation>eth%1：</translation>
    </message>
    <message>
        <source>%1: %2, MAC %3, port %4</source>
        <translation>%1：%2，MAC %3，端口 %4</translation>
    </message>
    <message>
        <source>MAC address:</source>
        <translation>MAC 地址：</translation>
    </message>
    <message>
        <source>Fixed IPs:</source>
        <translation>固定 IP：</translation>
    </message>
    <message>
        <source>Device owner:</source>
        <translation>设备属主：</translation>
    </message>
    <message>
        <source>Device ID:</source>
        <translation>设备 ID：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Network node</source>
        <translation>网络节点</translation>
    </message>
    <message>
        <source>Compute node</source>
        <translation>计算节点</translation>
    </message>
    <message>
        <source>Management (eth0):</source>
        <translation>管理网（eth0）：</translation>
    </message>
    <message>
        <source>Data (eth1, tunnel endpoint):</source>
        <translation>数据网（eth1，隧道端点）：</translation>
    </message>
</context>
<context>
    <name>nlab::views::RenameCommand</name>
    <message>
        <source>A %1 cannot be renamed</source>
        <translation>%1 不能重命名</translation>
    </message>
</context>
<context>
    <name>nlab::views::SubnetDialog</name>
    <message>
        <source>Create Network</source>
        <translation>创建网络</translation>
    </message>
    <message>
        <source>Create Subnet</source>
        <translation>创建子网</translation>
    </message>
    <message>
        <source>Network &amp;name:</source>
        <translation>网络名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <source>&amp;Subnet name:</source>
        <translation>子网名称(&amp;S)：</translation>
    </message>
    <message>
        <source>e.g. 10.10.10.0/24</source>
        <translation>例如 10.10.10.0/24</translation>
    </message>
    <message>
        <source>Network &amp;address (CIDR):</source>
        <translation>网络地址（CIDR）(&amp;A)：</translation>
    </message>
    <message>
        <source>default: the first host address</source>
        <translation>默认：第一个主机地址</translation>
    </message>
    <message>
        <source>&amp;Gateway IP:</source>
        <translation>网关 IP(&amp;G)：</translation>
    </message>
    <message>
        <source>Disable gateway</source>
        <translation>禁用网关</translation>
    </message>
    <message>
        <source>Enable &amp;DHCP</source>
        <translation>启用 &amp;DHCP</translation>
    </message>
    <message>
        <source>default: the whole range</source>
        <translation>默认：整个地址范围</translation>
    </message>
    <message>
        <source>Allocation pool &amp;start:</source>
        <translation>分配池起始地址(&amp;S)：</translation>
    </message>
    <message>
        <source>Allocation pool &amp;end:</source>
        <translation>分配池结束地址(&amp;E)：</translation>
    </message>
    <message>
        <source>comma-separated addresses</source>
        <translation>以逗号分隔的地址</translation>
    </message>
    <message>
        <source>DNS name &amp;servers:</source>
        <translation>DNS 服务器(&amp;S)：</translation>
    </message>
    <message>
        <source>The edit failed</source>
        <translation>编辑失败</translation>
    </message>
</context>
</TS>
