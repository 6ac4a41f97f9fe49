#!/bin/bash
# Quick start, command 2: install what is missing and run the whole test suite
# (unit, generator, helpers on fake sysfs, netlink in network namespaces, hugepages on
# this machine's sysfs, sanitizers, the systemd-nspawn integration suite and the qemu
# VM suite).  Needs root: namespaces, mounts, hugepages.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh --test
# (meson says what went wrong on stdout: shown only then)
if [ ! -f build/build.ninja ] && ! out=$(meson setup build --prefix=/usr 2>&1); then
        echo "$out" >&2; exit 1
fi
ninja -C build
rc=0
meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=$?
# one closing line for people and CI: meson's counts of this run
if [ -f build/meson-logs/testlog.json ]; then
        jq -rs '"\(map(select(.result == "OK" or .result == "EXPECTEDFAIL")) | length) passed, \(map(select(.result == "FAIL" or .result == "TIMEOUT" or .result == "ERROR" or .result == "UNEXPECTEDPASS")) | length) failed, \(map(select(.result == "SKIP")) | length) skipped"' build/meson-logs/testlog.json
fi
exit $rc
