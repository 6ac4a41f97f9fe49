#!/bin/bash
# Quick start, command 2: install what is missing and run the whole test suite
# (unit, generator, helpers on fake sysfs, netlink in network namespaces, hugepages on
# this machine's sysfs, sanitizers, the systemd-nspawn integration suite and the qemu
# VM suite).  Needs root: namespaces, mounts, hugepages.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh --test
[ -f build/build.ninja ] || meson setup build --prefix=/usr >/dev/null
ninja -C build
meson test -C build --print-errorlogs --num-processes 1 "$@"
