#!/bin/bash
# Per-VF settings against the real kernel's rtnetlink, as far as this machine allows: it has
# no driver with VF settings (no SR-IOV NIC, no netdevsim; the VM suite proves the settings on
# netdevsim).  The PF here is a veth in a network namespace of its own, with a fake sysfs
# entry (tests/vf/lib.sh): the kernel answers RTM_GETLINK for it without a VF list, which must
# fail the start with a clear message and leave the PF as found.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"
command -v ip >/dev/null || { echo "ip (iproute2) is needed"; exit 1; }

R=$(mktempdir); D=$(mkpf "$R" hvpf0)
IN=in_netns

# --- settings asked for, but the PF's driver lists no VFs: the count is put back --------------
conf "$R" <<<$'[SR-IOV hvpf0]\nVirtualFunctions = 2\nTrust = yes'
run "$R" start hvpf0
expect no-vfinfo-fails test "$rc" = 1 -a "$writes" = "sriov_numvfs=2 sriov_numvfs=0" -a "$(numvfs "$D")" = 0
expect no-vfinfo-message has "hvpf0: VF 0 is missing from the PF's VF list over rtnetlink (the driver reports 0 VFs"
expect no-vfinfo-undo-message has "hvpf0: removing the VFs this start created"
expect netlink-socket test "$sockets" = AF_NETLINK

# --- VFs that existed before: the count is left alone, nothing is written ------------------------
echo 2 > "$D/sriov_numvfs"
run "$R" start hvpf0
expect existing-vfs-kept test "$rc" = 1 -a -z "$writes" -a "$(numvfs "$D")" = 2
echo 0 > "$D/sriov_numvfs"

# --- the PF has no netdev in this namespace: refused before anything is written ------------------
R2=$(mktempdir); D2=$(mkpf "$R2" hvpf9)
conf "$R2" <<<$'[SR-IOV hvpf9]\nVirtualFunctions = 2\nMACAddressPolicy = persistent'
echo 0123456789abcdef0123456789abcdef > "$R2/etc/machine-id"
run "$R2" start hvpf9
expect no-netdev-refused test "$rc" = 1 -a -z "$writes" -a "$(numvfs "$D2")" = 0
expect no-netdev-message has "hvpf9: cannot read the PF's link over rtnetlink: No such device"

# --- MACAddressPolicy=persistent without a machine ID: refused before anything is written --------
rm "$R2/etc/machine-id"
run "$R2" start hvpf9
expect no-machine-id test "$rc" = 1 -a -z "$writes" -a -z "$sockets"
expect no-machine-id-message has "hvpf9: MACAddressPolicy=persistent needs the machine ID, but /etc/machine-id is missing"
echo uninitialized > "$R2/etc/machine-id"
run "$R2" start hvpf9
expect uninitialized-machine-id has "/etc/machine-id is not valid"

# --- no per-VF settings: no netlink socket at all (PFs of drivers without VF settings work) -----
conf "$R" <<<$'[SR-IOV hvpf0]\nVirtualFunctions = 2'
run "$R" start hvpf0
expect no-settings-no-netlink test "$rc" = 0 -a "$writes" = "sriov_numvfs=2" -a -z "$sockets"

# --- without strace (leak check in the sanitizer build) -----------------------------------------
conf "$R" <<<$'[SR-IOV hvpf0]\nVirtualFunctions = 3\nSpoofCheck = no'
plain "$R" start hvpf0
expect plain-no-vfinfo test "$rc" = 1 -a "$(numvfs "$D")" = 2
finish
