#!/bin/bash
# Failures change nothing: checks before any change, and a start that fails
# part way undoes what it did.  Kernel errors name the device and carry the
# kernel's extended ack message.
source "$SRCDIR/tests/net/lib.sh"

veth p0 q0
veth p1 q1
# An undeclared bridge with an address: the kernel refuses it as a port, with a message.
nsip link add inner type bridge
nsip link set inner address 02:00:00:00:00:11

# --- a same-named device of another kind
conf <<'EOF'
[Bridge q0]
Ports = p0
EOF
before=$(snapshot)
hv start bridge q0
expect_fail other-kind
expect_out other-kind-says "Failed to set up bridge q0: q0 exists as a veth device, not a bridge; leaving it alone"
expect other-kind-nothing-changed "$(snapshot)" "$before"
check other-kind-no-state test ! -e "$(state_file q0)"

# --- a missing port
conf <<'EOF'
[Bridge br1]
Ports = p0 nosuchport
EOF
hv start bridge br1
expect_fail missing-port
expect_out missing-port-says "Failed to set up bridge br1: its port nosuchport does not exist"
expect missing-port-nothing-changed "$(snapshot)" "$before"
check missing-port-no-state test ! -e "$(state_file br1)"

# --- a port of another bridge is never stolen
nsip link add other type bridge
nsip link set p1 master other
before=$(snapshot)
conf <<'EOF'
[Bridge br1]
Ports = p0 p1
EOF
hv start bridge br1
expect_fail taken-port
expect_out taken-port-says "Failed to set up bridge br1: p1 is already a port of other; leaving it there"
expect taken-port-nothing-changed "$(snapshot)" "$before"
nsip link set p1 nomaster

# --- the kernel refuses a port, after the bridge was created and p0 enslaved
before=$(snapshot)
conf <<'EOF'
[Bridge br2]
Ports = p0 inner
STP = yes
EOF
hv start bridge br2
expect_fail kernel-error
expect_out kernel-error-names-device "Failed to add inner to bridge br2:"
expect_out kernel-error-ext-ack "(kernel: Can not enslave a bridge to a bridge)"
expect_out kernel-error-undone "br2: deleted it again"
expect kernel-error-nothing-left "$(snapshot)" "$before"
check kernel-error-no-state test ! -e "$(state_file br2)"

# --- the same failure on an adopted bridge puts its settings back
nsip link add br2 type bridge stp_state 0
nsip link set br2 mtu 1500
before=$(snapshot)
hv start bridge br2
expect_fail adopted-kernel-error
expect adopted-restored "$(snapshot)" "$before"
check adopted-no-state test ! -e "$(state_file br2)"
nsip link del br2

# --- VLANFiltering=yes: works where the kernel has it; elsewhere a clean failure
conf <<'EOF'
[Bridge br3]
Ports = p0
VLANFiltering = yes
EOF
before=$(snapshot)
hv start bridge br3
if [ "$HV_RC" = 0 ]; then
        expect vlan-filtering-on "$(jlink br3 .linkinfo.info_data.vlan_filtering)" 1
        hv stop bridge br3
else
        expect_out vlan-filtering-error-names-device "Failed to set the options of bridge br3"
        expect vlan-filtering-nothing-left "$(snapshot)" "$before"
        echo "NOTE: this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING); the VM suite tests it on"
fi

# --- the record directory cannot be written (read-only, as in the unit's sandbox when
# tmpfiles.d has not made it): nothing is created, and the message says what to run
conf <<'EOF'
[Bridge brro]
EOF
before=$(snapshot)
mkdir -p "$ROOT/run"
HV_RC=0
HV_OUT=$(unshare -m sh -c 'mount -t tmpfs -o ro tmpfs "$1/run" && exec env HOSTVIRT_ROOT="$1" ip netns exec "$2" "$3" start bridge brro' \
        _ "$ROOT" "$NS" "$HELPER" 2>&1) || HV_RC=$?
printf '$ hostvirt-net start bridge brro  (read-only run/, exit %s)\n%s\n' "$HV_RC" "$HV_OUT" | sed '2,$s/^/  | /'
expect_fail read-only-records
expect_out read-only-records-says "systemd-tmpfiles --create hostvirt.conf"
expect read-only-records-nothing-left "$(snapshot)" "$before"

# --- no such section, an invalid one, errors in others, usage (the helpers' exit status table
# in hostvirt(8)): nothing changes but what the own, valid section asks
before=$(snapshot)
conf </dev/null
hv start bridge br9
expect no-section "$HV_RC" 6
expect_out no-section-says "br9: no valid [Bridge br9] section in the configuration (see 'hostvirt check')."
conf <<<$'[Bridge br9]\nSTP = maybe'
hv start bridge br9
expect invalid-section "$HV_RC" 6
expect_out invalid-section-says-why "/etc/hostvirt/net.conf:2: error: "
expect invalid-section-nothing-changed "$(snapshot)" "$before"
hv start vlan br9
expect vlan-no-section "$HV_RC" 6
conf <<<$'[Bridge br9]\n[VLAN v9]\nLink = nosuch\nId = lots'
hv start bridge br9
expect_ok other-errors-start
expect_out other-errors-counted "br9: the configuration has 1 error in other sections, which do not stop this one (see 'hostvirt check')."
if grep -q "lots" <<<"$HV_OUT"; then fail other-errors-not-listed "$HV_OUT"; else pass other-errors-not-listed; fi
hv stop bridge br9
expect_ok other-errors-stop
expect other-errors-stopped "$(snapshot)" "$before"
hv start bridge
expect usage-status "$HV_RC" 2
hv restart bridge br9
expect usage-verb "$HV_RC" 2
hv start team br9
expect usage-kind "$HV_RC" 2
hv start bond br9
expect bond-no-section "$HV_RC" 6
expect_out bond-no-section-says "br9: no valid [Bond br9] section in the configuration (see 'hostvirt check')."
hv start bridge 'a/b'
expect bad-name-status "$HV_RC" 2
hv --help
expect usage-help "$HV_RC" 0
expect_out usage-help-exit-status "6 no valid [VLAN NAME],"
expect_out usage-help-kinds "start|stop vlan|bridge|bond NAME"

finish
