#!/bin/bash
# A new bridge with every option, two veth ports; then stop.
source "$SRCDIR/tests/net/lib.sh"

conf <<'EOF'
[Bridge br20]
Ports = p0 p1
STP = yes
ForwardDelaySec = 4
MTU = 9000
MACAddress = 02:00:00:00:20:01
EOF
veth p0 q0
veth p1 q1
nsip link set p1 mtu 9000
# p1 is already up: stop must leave it up, and set p0 (which start set up) down again.
nsip link set p1 up

hv start bridge br20
expect_ok start
expect kind "$(jlink br20 .linkinfo.info_kind)" bridge
expect stp "$(jlink br20 .linkinfo.info_data.stp_state)" 1
expect forward-delay "$(jlink br20 .linkinfo.info_data.forward_delay)" 400
# The bridge's MTU stays what was asked although p0 (1500) joined after it was set.
expect mtu "$(jlink br20 .mtu)" 9000
expect mac "$(jlink br20 .address)" 02:00:00:00:20:01
check bridge-up has_flag br20 UP
expect p0-master "$(jlink p0 .master)" br20
expect p1-master "$(jlink p1 .master)" br20
check p0-up has_flag p0 UP
expect p0-is-port "$(jlink p0 .linkinfo.info_slave_kind)" bridge
expect q0-untouched "$(jlink q0 .master)" null
check state-recorded test -f "$(state_file br20)"
expect state-created "$(grep -c '^created=yes$' "$(state_file br20)")" 1

# With their peers up, the ports have carrier.
nsip link set q0 up
nsip link set q1 up
expect p0-operstate "$(jlink p0 .operstate)" UP

# A port added by someone else (a guest's tap, say), with a lower address:
# the bridge keeps its configured MAC (set explicitly, not inherited).
nsip link add p2 type veth peer name q2
nsip link set p2 address 02:00:00:00:00:01 master br20
expect mac-pinned "$(jlink br20 .address)" 02:00:00:00:20:01

hv stop bridge br20
expect_ok stop
expect_out stop-names-foreign-ports "br20: deleting it detaches p2, which hostvirt did not add"
check foreign-port-kept exists p2
check bridge-deleted bash -c "! ip -n $NS link show br20 2>/dev/null"
expect p0-released "$(jlink p0 .master)" null
expect p1-released "$(jlink p1 .master)" null
check p0-down-again lacks_flag p0 UP
check p1-still-up has_flag p1 UP
check state-removed test ! -e "$(state_file br20)"
check peers-kept exists q0

# stop again: nothing recorded, nothing to do, success.
hv stop bridge br20
expect_ok stop-twice
expect_out stop-twice-says "nothing to undo"

finish
