#!/bin/bash
# The template hostvirt-hugepages@.service: it loads (systemd-analyze verify)
# and its sandbox keeps the exposure at 2.0 or below (systemd-analyze
# security, which scores 0..10 and takes the threshold as 0..100).  The
# check must be able to fail: the same unit without its sandbox is refused.
# Whether the sandbox still lets the helper write the pools is shown by
# a real systemd (the integration suite), not here.
source "$SRCDIR/tests/lib/common.sh"
unit=$UNITS_BUILD_DIR/test-hostvirt-hugepages@.service
d=$(mktempdir)
cp "$unit" "$d/hostvirt-hugepages@.service"

check verify bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no hostvirt-hugepages@2M.service"

score() { systemd-analyze security --offline=yes --threshold=20 "$1" 2>&1 | grep 'Overall exposure' || true; }
if systemd-analyze security --offline=yes --threshold=20 "$d/hostvirt-hugepages@.service" >/dev/null 2>&1; then
        pass "exposure<=2.0 ($(score "$d/hostvirt-hugepages@.service"))"
else
        fail exposure "above 2.0: $(score "$d/hostvirt-hugepages@.service")"
fi

# Strip the sandbox: the same threshold must refuse it.
mkdir "$d/bare"
sed -n '/^# Sandbox/q;p' "$d/hostvirt-hugepages@.service" > "$d/bare/hostvirt-hugepages@.service"
if systemd-analyze security --offline=yes --threshold=20 "$d/bare/hostvirt-hugepages@.service" >/dev/null 2>&1; then
        fail exposure-check-can-fail "an unsandboxed unit passed: $(score "$d/bare/hostvirt-hugepages@.service")"
else
        pass exposure-check-can-fail
fi

# What the sandbox leaves writable is exactly what the helper writes.
check writes-only-pools grep -qx 'ReadWritePaths=-/sys/kernel/mm/hugepages -/sys/devices/system/node -/proc/sys/vm/compact_memory' "$unit"
check no-capabilities grep -qx 'CapabilityBoundingSet=' "$unit"
check early-in-boot grep -qx 'Before=sysinit.target' "$unit"
check no-default-deps grep -qx 'DefaultDependencies=no' "$unit"

finish
