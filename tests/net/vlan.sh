#!/bin/bash
# [VLAN X] on veth parents.
#
#   vlan.sh any-kernel   checks made before anything is created, which run on
#                        every kernel; without 802.1Q also the helper's real
#                        kernel error path ("Unknown device type")
#   vlan.sh 8021q        the VLAN cases proper.  They need 802.1Q in the kernel
#                        (CONFIG_VLAN_8021Q); where it is missing (this
#                        project's development host) the test says so loudly
#                        and exits 77, which meson reports as SKIP.  The VM
#                        suite (tests/vm) runs it on a kernel that has VLANs.
mode=${1:?usage: vlan.sh any-kernel|8021q}
source "$SRCDIR/tests/net/lib.sh"

veth t0 u0
veth t1 u1
veth p0 q0

have_vlan=yes
if nsip link add link u0 name probe type vlan id 1 2>/dev/null; then
        nsip link del probe
else
        have_vlan=no
fi

any_kernel() {
        # --- a missing parent
        conf <<'EOF'
[VLAN vlan20]
Link = nosuch
Id = 20
EOF
        before=$(snapshot)
        hv start vlan vlan20
        expect_fail missing-parent
        expect_out missing-parent-says "Failed to set up VLAN vlan20: its parent nosuch does not exist"
        expect missing-parent-nothing-changed "$(snapshot)" "$before"
        check missing-parent-no-state test ! -e "$(state_file vlan20)"

        # --- a same-named device of another kind
        veth vlan21 x21
        conf <<'EOF'
[VLAN vlan21]
Link = t0
Id = 21
EOF
        before=$(snapshot)
        hv start vlan vlan21
        expect_fail other-kind
        expect_out other-kind-says "Failed to set up VLAN vlan21: vlan21 exists as a veth device, not a VLAN; leaving it alone"
        expect other-kind-nothing-changed "$(snapshot)" "$before"
        check other-kind-no-state test ! -e "$(state_file vlan21)"

        hv stop vlan vlan21
        expect_ok stop-never-started
        check stop-never-started-kept exists vlan21

        if [ $have_vlan = no ]; then
                # The real kernel error, with the device name and the kernel's own words.
                conf <<'EOF'
[VLAN vlan20]
Link = t0
Id = 20
EOF
                before=$(snapshot)
                hv start vlan vlan20
                expect_fail no-8021q-error
                expect_out no-8021q-names-device "Failed to create VLAN vlan20 (id 20, 802.1Q) on t0:"
                expect_out no-8021q-ext-ack "(kernel: Unknown device type)"
                expect no-8021q-nothing-changed "$(snapshot)" "$before"
                check no-8021q-no-state test ! -e "$(state_file vlan20)"
        fi
        finish
}

[ "$mode" = any-kernel ] && any_kernel

if [ $have_vlan = no ]; then
        echo "SKIP vlan-8021q: THIS KERNEL HAS NO 802.1Q VLANS (CONFIG_VLAN_8021Q): no VLAN can be created here."
        echo "SKIP vlan-8021q: create, MTU, idempotence, adoption, refusals, 802.1ad, bridge join and kernel"
        echo "SKIP vlan-8021q: errors are NOT tested on this kernel; the VM suite (meson test --suite vm) runs them."
        exit 77
fi

# --- create, with an MTU, on a parent that is down
conf <<'EOF'
[VLAN vlan20]
Link = t0
Id = 20
MTU = 1400
Bridge = br20

[Bridge br20]
Ports = p0

[VLAN svlan100]
Link = t1
Id = 100
Protocol = 802.1ad

[VLAN lo.5]
Link = lo
Id = 5
EOF
hv start vlan vlan20
expect_ok create
expect create-kind "$(jlink vlan20 .linkinfo.info_kind)" vlan
expect create-id "$(jlink vlan20 .linkinfo.info_data.id)" 20
expect create-protocol "$(jlink vlan20 .linkinfo.info_data.protocol)" 802.1Q
expect create-parent "$(jlink vlan20 .link)" t0
expect mtu "$(jlink vlan20 .mtu)" 1400
check create-up has_flag vlan20 UP
check parent-up has_flag t0 UP
expect create-recorded "$(grep -c '^created=yes$' "$(state_file vlan20)")" 1

# --- started again: nothing changes
before=$(snapshot)
hv start vlan vlan20
expect_ok idempotent
expect idempotent-nothing-changed "$(snapshot)" "$before"

# --- a bridge started after it enslaves it; a VLAN created while its bridge is up joins it
hv start bridge br20
expect_ok bridge-start
expect bridge-has-vlan "$(jlink vlan20 .master)" br20
hv stop vlan vlan20
expect_ok stop
check stop-deleted bash -c "! ip -n $NS link show vlan20 2>/dev/null"
# Other VLANs may share the parent: it stays up.
check stop-parent-still-up has_flag t0 UP
check stop-no-state test ! -e "$(state_file vlan20)"
hv start vlan vlan20
expect_ok joins-bridge
expect joins-bridge-master "$(jlink vlan20 .master)" br20
hv stop bridge br20
hv stop vlan vlan20

# --- adopt an existing VLAN with the right parent and id; fix its MTU
nsip link add link t0 name vlan20 type vlan id 20
index=$(jlink vlan20 .ifindex)
hv start vlan vlan20
expect_ok adopt
expect adopt-same-device "$(jlink vlan20 .ifindex)" "$index"
expect adopt-mtu-fixed "$(jlink vlan20 .mtu)" 1400
check adopt-up has_flag vlan20 UP
hv stop vlan vlan20
expect_ok adopt-stop
check adopt-kept exists vlan20
check adopt-down-again lacks_flag vlan20 UP
nsip link del vlan20

# --- what cannot change in place is refused, and nothing changes
nsip link add link t0 name vlan20 type vlan id 21
before=$(snapshot)
hv start vlan vlan20
expect_fail wrong-id
expect_out wrong-id-says "it exists with id 21 (802.1Q), not 20 (802.1Q), which cannot change in place"
expect wrong-id-nothing-changed "$(snapshot)" "$before"
nsip link del vlan20
nsip link add link t1 name vlan20 type vlan id 20
before=$(snapshot)
hv start vlan vlan20
expect_fail wrong-parent
expect_out wrong-parent-says "it exists on t1, not on t0, and a VLAN cannot move"
expect wrong-parent-nothing-changed "$(snapshot)" "$before"
nsip link del vlan20

# --- 802.1ad
hv start vlan svlan100
expect_ok 802.1ad
expect 802.1ad-protocol "$(jlink svlan100 .linkinfo.info_data.protocol)" 802.1ad
hv stop vlan svlan100

# --- the kernel refuses: its message, with the device name
before=$(snapshot)
hv start vlan lo.5
expect_fail kernel-error
expect_out kernel-error-names-device "Failed to create VLAN lo.5 (id 5, 802.1Q) on lo:"
expect_out kernel-error-ext-ack "(kernel: "
expect kernel-error-nothing-changed "$(snapshot)" "$before"
check kernel-error-no-state test ! -e "$(state_file lo.5)"

finish
