#!/bin/bash
# start twice changes nothing the second time; a bridge that existed before
# start is adopted and fixed, and stop leaves it (and what was not ours) in place.
source "$SRCDIR/tests/net/lib.sh"

conf <<'EOF'
[Bridge br0]
Ports = p0 p1
STP = no
ForwardDelaySec = 2
MTU = 1400
MACAddress = 02:00:00:00:00:b0
EOF
veth p0 q0
veth p1 q1

# --- idempotence: created by us, started twice
hv start bridge br0
expect_ok first-start
before=$(snapshot); state_before=$(cat "$(state_file br0)")
hv start bridge br0
expect_ok second-start
expect_out second-start-says "created earlier by hostvirt"
expect nothing-changed "$(snapshot)" "$before"
expect state-unchanged "$(cat "$(state_file br0)")" "$state_before"
# ... and what we created is still ours: stop deletes it.
hv stop bridge br0
expect_ok stop-created
check created-deleted bash -c "! ip -n $NS link show br0 2>/dev/null"

# --- adoption: the admin made br0 by hand, wrongly, with p1 (not ours) enslaved and up
nsip link add br0 type bridge stp_state 1 forward_delay 1500
nsip link set br0 mtu 1500
nsip link set p1 master br0
nsip link set p1 up
br_index=$(jlink br0 .ifindex)

hv start bridge br0
expect_ok adopt-start
expect_out adopt-says "adopted"
expect adopt-same-device "$(jlink br0 .ifindex)" "$br_index"
expect adopt-stp-fixed "$(jlink br0 .linkinfo.info_data.stp_state)" 0
expect adopt-fd-fixed "$(jlink br0 .linkinfo.info_data.forward_delay)" 200
expect adopt-mtu-fixed "$(jlink br0 .mtu)" 1400
expect adopt-mac-fixed "$(jlink br0 .address)" 02:00:00:00:00:b0
expect adopt-p0-enslaved "$(jlink p0 .master)" br0
check adopt-up has_flag br0 UP
expect adopt-not-created "$(grep -c '^created=no$' "$(state_file br0)")" 1
expect adopt-p1-not-recorded "$(grep -c '^port=p1' "$(state_file br0)")" 0

# started again: still adopted, nothing changes
before=$(snapshot)
hv start bridge br0
expect_ok adopt-start-again
expect adopt-nothing-changed "$(snapshot)" "$before"

hv stop bridge br0
expect_ok adopt-stop
check adopted-bridge-kept exists br0
expect adopted-same-device "$(jlink br0 .ifindex)" "$br_index"
expect our-port-released "$(jlink p0 .master)" null
check our-port-down lacks_flag p0 UP
expect admins-port-kept "$(jlink p1 .master)" br0
check admins-port-up has_flag p1 UP
# We set the adopted bridge up, so stop sets it down again.
check adopted-bridge-down lacks_flag br0 UP

# --- a same-named successor is not ours: stop leaves it alone
nsip link del br0
hv start bridge br0
expect_ok recreate
nsip link del br0
nsip link add br0 type bridge
nsip link set p0 master br0
hv stop bridge br0
expect_ok stop-successor
expect_out stop-successor-says "replaced since"
check successor-kept exists br0
expect successor-port-kept "$(jlink p0 .master)" br0
check successor-state-removed test ! -e "$(state_file br0)"

finish
