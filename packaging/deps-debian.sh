#!/usr/bin/env bash
# Installs the Debian 12 packages NeutronLab needs to build, run and test, if missing.
# Usage: packaging/deps-debian.sh [run|test|all]   (default: all)
#   run   compiler, CMake, Ninja, libpcap, yaml-cpp (lab files), libedit (CLI line editing),
#         Qt 6, Graphviz, a CJK font
#   test  run + GoogleTest/GoogleMock, Google Benchmark, Open vSwitch (the differential
#         tests' reference), tshark (pcap checks), Xvfb (screenshots)
# Uses sudo when not root. Does nothing when everything is present.
set -euo pipefail

what=${1:-all}
pkgs=(g++ cmake ninja-build pkg-config libpcap-dev libyaml-cpp-dev libedit-dev
      # Qt 6 desktop app: widgets, SVG icons, charts, translations; Graphviz for the layout;
      # a CJK font so Chinese text is drawn (Qt draws empty boxes without one).
      qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
      libqt6opengl6-dev libxkbcommon-dev libvulkan-dev libgl-dev qt6-qpa-plugins
      libgraphviz-dev graphviz fonts-wqy-microhei)
case $what in
  run) ;;
  test|all) pkgs+=(libgtest-dev libgmock-dev libbenchmark-dev openvswitch-switch tshark xvfb xauth) ;;
  *) echo "usage: $0 [run|test|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
