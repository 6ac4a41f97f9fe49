#!/bin/bash
# The template interface-vf@.service: it loads (systemd-analyze verify) and its sandbox keeps
# the exposure at 2.0 or below (systemd-analyze security, which scores 0..10 and takes the
# threshold as 0..100).  The check must be able to fail: the same unit without its sandbox is
# refused.  That the capabilities it keeps are the ones the in-use guard needs is shown by
# test-guard-proc.sh, which runs the helper with exactly this CapabilityBoundingSet=.
source "$SRCDIR/tests/lib/common.sh"
unit=$UNITS_BUILD_DIR/test-interface-vf@.service
d=$(mktempdir)
cp "$unit" "$d/interface-vf@.service"

check verify bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no interface-vf@eno4.service"

score() { systemd-analyze security --offline=yes --threshold=20 "$1" 2>&1 | grep 'Overall exposure' || true; }
if systemd-analyze security --offline=yes --threshold=20 "$d/interface-vf@.service" >/dev/null 2>&1; then
        pass "exposure<=2.0 ($(score "$d/interface-vf@.service"))"
else
        fail exposure "above 2.0: $(score "$d/interface-vf@.service")"
fi

mkdir "$d/bare"
sed -n '/^# Sandbox/q;p' "$d/interface-vf@.service" > "$d/bare/interface-vf@.service"
if systemd-analyze security --offline=yes --threshold=20 "$d/bare/interface-vf@.service" >/dev/null 2>&1; then
        fail exposure-check-can-fail "an unsandboxed unit passed: $(score "$d/bare/interface-vf@.service")"
else
        pass exposure-check-can-fail
fi

check capabilities grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_PTRACE CAP_DAC_READ_SEARCH' "$unit"
check sysfs-writable grep -qx 'ReadWritePaths=/sys/devices /sys/bus/pci/drivers /sys/bus/pci/drivers_probe' "$unit"
check netlink-only grep -qx 'RestrictAddressFamilies=AF_NETLINK' "$unit"
check ptrace-syscall-filtered bash -c "! systemd-analyze syscall-filter @system-service | grep -qw ptrace"
check stop-helper grep -q '^ExecStop=:.*/hostvirt-vf stop %I$' "$unit"
check before-network-pre grep -qx 'Before=network-pre.target shutdown.target' "$unit"
finish
