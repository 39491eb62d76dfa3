#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds NeutronLab and opens its main program on the
# built-in seed lab. Until the desktop app lands (issue 5) that is neutronlab-cli, the lab's
# interactive shell. Extra arguments go to the program (e.g. --script FILE, -c 'compute: ...').
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps-debian.sh" run
cmake -S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" --target neutronlab-cli
exec "$top/build/app/neutronlab-cli" "$@"
