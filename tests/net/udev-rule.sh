#!/bin/bash
# 80-hostvirt-net.rules sets NM_UNMANAGED=1 on a device that hostvirt-net
# has set up, and only on such a device, unless its section says Unmanaged=no
# (the helper's NAME:nm-managed mark), as udev's own rule engine sees it
# (udevadm test, in a private mount namespace with the rule as the only one
# in /etc/udev/rules.d; the netns's /sys, remounted by ip netns exec).
#
# The rule tests /run/hostvirt/net/$kernel; the helper here writes under
# HOSTVIRT_ROOT, so the copy of the rule points there (one line changed,
# both of its paths, checked below).
source "$SRCDIR/tests/net/lib.sh"
source "$SRCDIR/tests/lib/udevadm.sh"
rule=$SRCDIR/udev-rules/80-hostvirt-net.rules

if [ ! -d /etc/udev/rules.d ] || ! command -v udevadm >/dev/null; then
        echo "SKIP udev-rule: no udevadm or /etc/udev/rules.d on this machine"
        exit 77
fi

rules=$(mktempdir)
sed "/^TEST==/s#/run/hostvirt/net/#$ROOT/run/hostvirt/net/#g" "$rule" > "$rules/80-hostvirt-net.rules"
expect rule-copy-differs-in-one-line "$(diff "$rule" "$rules/80-hostvirt-net.rules" | grep -c '^>')" 1
expect rule-copy-both-paths "$(grep -o "$ROOT/run/hostvirt/net/" "$rules/80-hostvirt-net.rules" | wc -l)" 2

# udev's view of DEV: its properties after the rules ran for an "add" event.
udev_props() {
        unshare -m bash -c "mount --bind '$rules' /etc/udev/rules.d &&
                ip netns exec '$NS' udevadm test --action=add /sys/class/net/$1 2>/dev/null" | udevadm_props
}
unmanaged() { udev_props "$1" | grep -qx NM_UNMANAGED=1; }
# udevadm test must have worked (it lists the interface), without NM_UNMANAGED.
managed() { local p; p=$(udev_props "$1"); grep -qx "INTERFACE=$1" <<<"$p" && ! grep -q NM_UNMANAGED <<<"$p"; }

conf <<'EOF'
[Bridge br0]

[Bridge br1]
Unmanaged = no

[Bridge br2]
Unmanaged = no
Ports = nosuchport
EOF
nsip link add other type bridge

hv start bridge br0
expect_ok start
check ours-unmanaged unmanaged br0
check others-left-alone managed other
check no-mark-by-default test ! -e "$(state_file br0):nm-managed"

# Unmanaged=no: ours (recorded), and left to NetworkManager.
hv start bridge br1
expect_ok start-managed
check managed-recorded test -f "$(state_file br1)"
check managed-marked test -f "$(state_file br1):nm-managed"
check unmanaged-no-left-to-nm managed br1
hv stop bridge br1
expect_ok stop-managed
check stop-removes-mark test ! -e "$(state_file br1):nm-managed"

# A start that fails leaves neither the record nor the mark behind.
hv start bridge br2
expect_fail start-fails
check failed-start-no-record test ! -e "$(state_file br2)"
check failed-start-no-mark test ! -e "$(state_file br2):nm-managed"

hv stop bridge br0
expect_ok stop
# The same name, no longer ours (made by someone else after stop): left alone.
nsip link add br0 type bridge
check after-stop-left-alone managed br0

finish
