#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Not a test: the boot of bench/boot.sh, in one of its variants (BENCH_VARIANT):
#   shipped  the boot scenario's configuration with the units as installed
#   cut      the same with every template cut off at its "# Sandbox" comment
#   off      the same configuration, booted with hostvirt=0 (bench/boot.sh adds it)
#   peer     hostvirt=0, and a hand-written unit as the old blogs have it:
#            ExecStart=sh -c "echo 4 > .../sriov_numvfs", no sandbox
# Every timed program gets bench/stamp.so preloaded (BENCH_STAMP), which logs
# when it was exec'd and when it ended.
"$(dirname "$0")/../boot/setup.sh" "$@"
. "$(dirname "$0")/../lib-setup.sh"
variant=${BENCH_VARIANT:?BENCH_VARIANT: shipped, cut, off or peer}
echo "$variant" >"$T/bench-variant"
install -D -m 644 "${BENCH_STAMP:?BENCH_STAMP: the path of stamp.so}" "$LAYER/usr/lib/hostvirt-test/stamp.so"
stamp_dropin() { # UNIT
        mkdir -p "$LAYER/etc/systemd/system/$1.d"
        printf '[Service]\nEnvironment=LD_PRELOAD=/usr/lib/hostvirt-test/stamp.so\n' \
                >"$LAYER/etc/systemd/system/$1.d/95-bench-stamp.conf"
}
units=$LAYER/usr/lib/systemd/system
for t in interface-vf@.service hostvirt-hugepages@.service hostvirt-bridge@.service hostvirt-vlan@.service; do
        stamp_dropin "$t"
        if [ "$variant" = cut ]; then
                sed -n '/^# Sandbox/q;p' "$units/$t" >"$LAYER/etc/systemd/system/$t"
                grep -q '^ExecStart=' "$LAYER/etc/systemd/system/$t" || { echo "cut $t has no ExecStart=" >&2; exit 1; }
        fi
done
if [ "$variant" = peer ]; then
        cat >"$LAYER/etc/systemd/system/hvpeer-vf-hvpf0.service" <<EOT
[Unit]
Description=VFs on hvpf0, as hand-written units do it
BindsTo=sys-subsystem-net-devices-hvpf0.device
After=sys-subsystem-net-devices-hvpf0.device
Before=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c "echo 4 > $FAKE/sys/class/net/hvpf0/device/sriov_numvfs"
EOT
        stamp_dropin hvpeer-vf-hvpf0.service
        mkdir -p "$LAYER/etc/systemd/system/sys-subsystem-net-devices-hvpf0.device.wants"
        ln -s ../hvpeer-vf-hvpf0.service "$LAYER/etc/systemd/system/sys-subsystem-net-devices-hvpf0.device.wants/"
fi
# A boot like any other, not the first after an update of /usr: without these,
# ConditionNeedsUpdate= holds in every variant (the layer's /usr is new), and
# ldconfig.service (about 250 ms), systemd-journal-catalog-update.service and
# systemd-update-done.service run before sysinit.target, which then measures them.
for d in etc var; do
        mkdir -p "$LAYER/$d"
        printf 'TIMESTAMP_NSEC=%s\n' "$(date -d '+1 day' +%s%N)" >"$LAYER/$d/.updated"
        touch -d '+1 day' "$LAYER/$d/.updated"
done
