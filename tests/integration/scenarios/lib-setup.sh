# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by the scenarios' setup.sh, which run on the host before the boot
# and write what the scenario overlays onto the container's tree into
# $LAYER.  Results the checks need (hugepage counts, what this kernel lacks)
# go to $LAYER/etc/hostvirt-test/, read by the checks inside.
set -euo pipefail
LAYER=$1
RESULTDIR=$2
T=$LAYER/etc/hostvirt-test
mkdir -p "$LAYER/etc/hostvirt" "$LAYER/etc/systemd/system" "$T"

# The container has no SR-IOV hardware.  interface-vf@ instances run with
# HOSTVIRT_ROOT pointing at a fake sysfs where the helper can write
# sriov_numvfs (and reads its config under that root too, hence every [SR-IOV]
# file is also copied there).  Everything else about the instances is real:
# the generator's units, the veth device they are bound to, systemd starting
# them when it appears and stopping them when it goes.
FAKE=/var/lib/hostvirt-test/root
mkdir -p "$LAYER$FAKE/etc/hostvirt" "$LAYER$FAKE/run/hostvirt"
mkdir -p "$LAYER/etc/systemd/system/interface-vf@.service.d"
cat >"$LAYER/etc/systemd/system/interface-vf@.service.d/90-hostvirt-test.conf" <<EOT
# hostvirt integration test: the container has no SR-IOV, the helper writes a fake sysfs.
[Service]
Environment=HOSTVIRT_ROOT=$FAKE
ReadWritePaths=$FAKE
EOT

# fake_pf NAME TOTALVFS: a PF as netdevsim looks (no PCI subsystem link, so
# the helper does not wait for virtfn* PCI functions that never come).
fake_pf() {
        local d=$LAYER$FAKE/sys/devices/pci0000:00/fake-$1
        mkdir -p "$d" "$LAYER$FAKE/sys/class/net/$1"
        echo 0 >"$d/sriov_numvfs"
        echo "$2" >"$d/sriov_totalvfs"
        echo 1 >"$d/sriov_drivers_autoprobe"
        ln -s "../../../devices/pci0000:00/fake-$1" "$LAYER$FAKE/sys/class/net/$1/device"
}

# conf FILE: config from stdin into /etc/hostvirt and, for the VF helper,
# into the fake root.
conf() {
        cat >"$LAYER/etc/hostvirt/$1"
        cp "$LAYER/etc/hostvirt/$1" "$LAYER$FAKE/etc/hostvirt/$1"
}

# boot_links NAME...: veth pairs (NAME, NAME-p) made early at boot, before
# network-pre.target, as a NIC's driver would: this kernel has no dummy.
boot_links() {
        local u=$LAYER/etc/systemd/system/hostvirt-test-links.service n
        {
                printf '[Unit]\nDescription=hostvirt test: network interfaces present at boot\n'
                printf 'DefaultDependencies=no\nAfter=systemd-udevd.service\n'
                printf 'Wants=network-pre.target\nBefore=network-pre.target\n\n'
                printf '[Service]\nType=oneshot\nRemainAfterExit=yes\n'
                for n in "$@"; do
                        printf 'ExecStart=/sbin/ip link add %s type veth peer name %s-p\n' "$n" "$n"
                done
        } >"$u"
        mkdir -p "$LAYER/etc/systemd/system/sysinit.target.wants"
        ln -sf ../hostvirt-test-links.service "$LAYER/etc/systemd/system/sysinit.target.wants/"
}

# Hugepage pools are host-global: ask for 4 pages more than the host has now
# (never fewer), and tell the checks both numbers.  nspawn-boot.sh puts the
# host's counts back afterwards whatever happens.
HP2M=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
hugepages_2m_plus() {
        local before
        before=$(cat "$HP2M")
        echo "$before" >"$T/hugepages-2M-before"
        echo $((before + $1)) >"$T/hugepages-2M-want"
}

# Does this kernel have 802.1Q VLANs?  Tried in a throw-away network namespace.
vlan_supported() {
        unshare -n sh -c 'ip link add hvt0 type veth peer name hvt1 &&
                          ip link add link hvt0 name hvt0.5 type vlan id 5' >/dev/null 2>&1
}
