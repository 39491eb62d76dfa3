#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds NeutronLab and opens the desktop app on the
# built-in seed lab. Extra arguments go to the program (a lab file, --lang zh_CN, ...).
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY) it opens the same lab in neutronlab-cli,
# the lab's shell, instead.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps-debian.sh" run
cmake -S "$top" -B "$top/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  cmake --build "$top/build" --target neutronlab
  exec "$top/build/app/neutronlab" "$@"
fi
echo "run.sh: no display; opening the built-in lab in neutronlab-cli (the desktop app needs X11 or Wayland)" >&2
cmake --build "$top/build" --target neutronlab-cli
exec "$top/build/app/neutronlab-cli" "$@"
