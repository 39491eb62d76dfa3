#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds NeutronLab and runs its main program.
# Extra arguments go to the program (default: the built-in seed demo).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps-debian.sh" run
cmake -S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" --target neutronlab-ofsim
exec "$top/build/app/neutronlab-ofsim" "$@"
