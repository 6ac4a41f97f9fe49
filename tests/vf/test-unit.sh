#!/bin/bash
# The template interface-vf@.service: it loads (systemd-analyze verify), and its sandbox
# keeps what the helper needs (its exposure score is tests/units/security.sh's).  That the
# capabilities it keeps are the ones the in-use guard needs is shown by test-guard-proc.sh,
# which runs the helper with exactly this CapabilityBoundingSet=.
source "$SRCDIR/tests/lib/common.sh"
unit=$UNITS_BUILD_DIR/test-interface-vf@.service
d=$(mktempdir)
cp "$unit" "$d/interface-vf@.service"

check verify bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no interface-vf@eno4.service"

check capabilities grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_PTRACE CAP_DAC_READ_SEARCH' "$unit"
check sysfs-writable grep -qx 'ReadWritePaths=/sys/devices /sys/bus/pci/drivers /sys/bus/pci/drivers_probe' "$unit"
check netlink-only grep -qx 'RestrictAddressFamilies=AF_NETLINK' "$unit"
check ptrace-syscall-filtered bash -c "! systemd-analyze syscall-filter @system-service | grep -qw ptrace"
check stop-helper grep -q '^ExecStop=:.*/hostvirt-vf stop %I$' "$unit"
check before-network-pre grep -qx 'Before=network-pre.target shutdown.target' "$unit"
finish
