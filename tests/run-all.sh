#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds NeutronLab with its tests and runs them all:
# unit and golden tests, and the differential tests against a real Open vSwitch.
# NLAB_SANITIZE=ON in the environment builds with AddressSanitizer + UBSan (in build-asan/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/packaging/deps-debian.sh" test
sanitize=${NLAB_SANITIZE:-OFF}
build=$top/build
[ "$sanitize" = ON ] && build=$top/build-asan
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DNLAB_WERROR=ON -DNLAB_SANITIZE="$sanitize" >/dev/null
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
