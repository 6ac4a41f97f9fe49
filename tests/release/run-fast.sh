#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The fast suites on another Debian release: this source tree built with that
# release's compiler, meson, systemd and libraries (tests/release/build.sh, in
# the cached dev tree that tools/deps.sh --test filled), built once more with
# its clang (no warning either), and its suites run
# there, chrooted, as root, on this machine's kernel (network namespaces and
# hugepages are the real kernel's, as on the host):
#
#   run-fast.sh RELEASE [MESON-TEST-ARGS...]   (default: the fast suites)
#
# The source is bound read-only (a test that writes into it fails).  Meson's
# log is kept in $BUILDDIR/release-RELEASE/.  Exit: meson test's.
set -euo pipefail
RELEASE=${1:?usage: run-fast.sh RELEASE [MESON-TEST-ARGS...]}
shift
: "${SRCDIR:?}" "${BUILDDIR:?}"
if [ "$(id -u)" != 0 ]; then
        echo "SKIP: needs root (chroot, mounts, network namespaces, hugepages)"
        exit 77
fi
SUITES=(unit generator cli units net vf hugepages faults fuzz)
args=()
for s in "${SUITES[@]}"; do args+=(--suite "$s"); done
[ $# -eq 0 ] || args=("$@")
W=$BUILDDIR/release-$RELEASE
"$SRCDIR/tests/release/build.sh" "$RELEASE"
TREE=$(cat "$W/tree")
exec 7>"$W/lock"
flock 7
rc=0
"$SRCDIR/tests/lib/in-root.sh" --ro "$SRCDIR:/src" --rw "$W/build:/build" --rw "$W:/logs" "$TREE" bash -ec '
        . /etc/os-release
        echo "$PRETTY_NAME: $(gcc --version | head -n1); $(clang --version | head -n1); meson $(meson --version);" \
             "systemd $(systemctl --version | head -n1 | cut -d" " -f2)"
        # the whole project with clang as well, warnings being errors (the build has -Werror)
        if CC=clang meson setup /tmp/clang /src -Dintegration=disabled -Dvm=disabled -Dpackaging=disabled \
                -Dreleases=disabled -Dman=disabled >/logs/clang-setup.log 2>&1 && ninja -C /tmp/clang >/logs/clang-ninja.log 2>&1; then
                echo "clang build: no warning ($(grep -c "^\[" /logs/clang-ninja.log) steps)"
        else
                tail -n 30 /logs/clang-setup.log /logs/clang-ninja.log; echo "FAIL: the clang build"; exit 1
        fi
        rc=0
        meson test -C /build --no-rebuild --print-errorlogs --num-processes 1 "$@" >/logs/meson-test.txt 2>&1 || rc=$?
        grep -E "^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Expected Fail|Unexpected Pass|Timeout):" /logs/meson-test.txt
        [ $rc = 0 ] || grep -E "^(FAIL|SKIP) " /logs/meson-test.txt | head -n 80
        exit $rc
' "release-$RELEASE" "${args[@]}" || rc=$?
[ $rc = 0 ] || echo "the whole log: $W/meson-test.txt"
exit $rc
