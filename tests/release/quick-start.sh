#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The README's first quick-start command on a fresh install of a Debian
# release: tools/demo.sh in a throw-away overlay of the release's minbase tree
# (tests/lib/rootfs.sh RELEASE base), as root, with nothing else installed.
# It must install what it needs (tools/deps.sh, from the release's archive),
# build, run the generator on conf.d/ and pass systemd-analyze verify.
#
#   quick-start.sh RELEASE
#
# The packages apt downloads are kept in $HOSTVIRT_TEST_CACHE/apt-RELEASE, so
# a second run downloads only the package lists.  Log:
# $BUILDDIR/meson-logs/quick-start-RELEASE.log.
source "$SRCDIR/tests/lib/common.sh"
RELEASE=${1:?usage: quick-start.sh RELEASE}
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (chroot)"; exit 77; fi
CACHE=${HOSTVIRT_TEST_CACHE:-/var/cache/hostvirt-tests}
BASE=$(SRCDIR=$SRCDIR "$SRCDIR/tests/lib/rootfs.sh" "$RELEASE" base)
LOG=$BUILDDIR/meson-logs/quick-start-$RELEASE.log
T=$(mktempdir)
mkdir -p "$CACHE/apt-$RELEASE" "$T/hostvirt" "$(dirname "$LOG")"
# the tree as a clone has it: no build directories
tar -C "$SRCDIR" --exclude=./.git --exclude='./build*' --exclude='./obj-*' -cf - . | tar -C "$T/hostvirt" -xf -
rc=0
"$SRCDIR/tests/lib/in-root.sh" --rw "$T/hostvirt:/root/hostvirt" --rw "$CACHE/apt-$RELEASE:/var/cache/apt/archives" \
        "$BASE" bash -c '. /etc/os-release; echo "$PRETTY_NAME, fresh"; cd /root/hostvirt && tools/demo.sh' >"$LOG" 2>&1 || rc=$?
head -n 2 "$LOG"
[ "$rc" = 0 ] && pass "tools/demo.sh on a fresh $RELEASE exits 0" || { tail -n 30 "$LOG"; fail "tools/demo.sh on a fresh $RELEASE" "exit $rc"; }
grep -q '^tools/deps.sh: installing ' "$LOG" && pass "it installed what it needs" || fail "it installed what it needs" "no deps.sh line"
grep -qx '== generator exit status: 0' "$LOG" && pass "the generator ran on conf.d/" || fail "the generator ran on conf.d/"
grep -qx '== verify: OK' "$LOG" && pass "systemd-analyze verify passed" || fail "systemd-analyze verify passed"
finish
