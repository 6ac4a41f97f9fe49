#!/bin/bash
# The template hostvirt-hugepages@.service: it loads (systemd-analyze verify),
# and its sandbox leaves the helper what it needs and no more (its exposure
# score is tests/units/security.sh's).  Whether the sandbox still lets the
# helper write the pools is shown by a real systemd (the integration suite).
source "$SRCDIR/tests/lib/common.sh"
unit=$UNITS_BUILD_DIR/test-hostvirt-hugepages@.service
d=$(mktempdir)
cp "$unit" "$d/hostvirt-hugepages@.service"

check verify bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no hostvirt-hugepages@2M.service"

# What the sandbox leaves writable is exactly what the helper writes.
check writes-only-pools grep -qx 'ReadWritePaths=-/sys/kernel/mm/hugepages -/sys/devices/system/node -/proc/sys/vm/compact_memory' "$unit"
check no-capabilities grep -qx 'CapabilityBoundingSet=' "$unit"
check early-in-boot grep -qx 'Before=sysinit.target' "$unit"
check no-default-deps grep -qx 'DefaultDependencies=no' "$unit"

finish
