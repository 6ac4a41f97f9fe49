#!/bin/bash
# hostvirt status on a fake host with drift (tests/cli/lib.sh says why the sysfs is fake),
# then with the drift repaired; bridges and ports on the real kernel in a private network
# namespace.  Every JSON document is checked against the shape hostvirt(8) documents
# (validate-status-json.py reads it from the man page source).
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/cli/lib.sh"
VALIDATE=("$PYTHON" "$SRCDIR/tests/cli/validate-status-json.py" "$SRCDIR/man/hostvirt.8.scd")

# status ROOT [ARGS...]: runs hostvirt status in an empty network namespace (netlink is not
# re-rooted: the PFs of the fake tree do not exist there); sets $out, $err, $rc
status() {
        local root=$1; shift
        rc=0
        out=$(HOSTVIRT_ROOT=$root unshare -n "$BIN" status "$@" 2>"$root.err") || rc=$?
        err=$(cat "$root.err")
}
valid_json() { # NAME ROOT: the last output is JSON of the documented shape
        if "${VALIDATE[@]}" "$2.json" >"$2.validate" 2>&1; then pass "$1"; else fail "$1" "$(cat "$2.validate")"; fi
}
expect() { # NAME EXPR-OUTPUT EXPECTED
        if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# The validator itself must be able to fail.
R=$(mktempdir)
echo '{"version": 1, "state": "fine", "drift": false, "config": {}, "objects": []}' > "$R/bad.json"
if "${VALIDATE[@]}" "$R/bad.json" >/dev/null 2>&1; then fail validator-catches-errors; else pass validator-catches-errors; fi

# --- a host with drift ---------------------------------------------------------------------
R=$(mktempdir)/root
conf "$R" 10-host <<'EOF'
[SR-IOV eno4]
VirtualFunctions = 2
DriversAutoprobe = no
Driver = vfio-pci

[VF eno4:1]
VLAN = 20

[SR-IOV 0000:04:00.0]
VirtualFunctions = 2
Driver = vfio-pci

[Hugepages 2M]
Pages = 4
Mount = /dev/hugepages2M
EOF
# eno4: one VF of two, autoprobe still on, its VF on the host driver
mkpf "$R" eno4 0000:03:00.0 1 8 1
mkvf "$R" 0000:03:00.0 0 0000:03:00.1 ixgbevf eno4v0
# a PF without a netdev (NVMe, say), as configured
mkpf "$R" - 0000:04:00.0 2 4 0
mkvf "$R" 0000:04:00.0 0 0000:04:00.1 vfio-pci
mkvf "$R" 0000:04:00.0 1 0000:04:00.2 vfio-pci
# two NUMA nodes; 2M pages as asked, 1G pages short on node 1 and mounted with the wrong size
mkpool "$R" 2048 - 4 3; mkpool "$R" 2048 0 4 3; mkpool "$R" 2048 1 0 0
mkpool "$R" 1048576 - 1 1; mkpool "$R" 1048576 0 1 1; mkpool "$R" 1048576 1 0 0
mkdir -p "$R/proc/self"
cat > "$R/proc/self/mountinfo" <<'EOF'
22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw
40 22 0:40 / /dev/hugepages2M rw,relatime shared:20 - hugetlbfs hugetlbfs rw,mode=1770,pagesize=2M
41 22 0:41 / /dev/hugepages1G rw,relatime shared:21 - hugetlbfs hugetlbfs rw,pagesize=2M
EOF
# what the generator wrote at "boot", before [Hugepages 1G] was added; and another generator's files
mkdir -p "$R/run/systemd/generator/x.target.wants"
HOSTVIRT_ROOT=$R "$GEN" "$R/run/systemd/generator"
printf '[Unit]\nDescription=not ours\n' > "$R/run/systemd/generator/other.service"
ln -s ../other.service "$R/run/systemd/generator/x.target.wants/other.service"
conf "$R" 20-1g <<'EOF'
[Hugepages 1G]
NodePages = 0:1 1:1
Mount = /dev/hugepages1G
EOF

status "$R" --json
printf '%s\n' "$out" > "$R.json"
expect drift-exit-status "$rc" 1
valid_json drift-json-shape "$R"
expect drift-top "$(pyq "$R.json" '(d["state"], d["drift"], d["config"]["errors"], len(d["config"]["files"]))')" "('drift', True, 0, 2)"
expect sriov-numvfs "$(pyq "$R.json" 's(o("sriov", "eno4"), "numvfs")')" "{'desired': 2, 'actual': 1, 'state': 'drift'}"
expect sriov-autoprobe "$(pyq "$R.json" 's(o("sriov", "eno4"), "autoprobe")')" "{'desired': False, 'actual': True, 'state': 'drift'}"
expect sriov-totalvfs-info "$(pyq "$R.json" 's(o("sriov", "eno4"), "totalvfs")')" "{'desired': None, 'actual': 8, 'state': 'info'}"
expect sriov-unit-unknown "$(pyq "$R.json" '(o("sriov", "eno4")["unit"], s(o("sriov", "eno4"), "active_state"))')" \
        "('interface-vf@eno4.service', {'desired': 'active', 'actual': None, 'state': 'unknown'})"
expect vf0-driver-drift "$(pyq "$R.json" 's(m(o("sriov", "eno4"), "0"), "driver")')" "{'desired': 'vfio-pci', 'actual': 'ixgbevf', 'state': 'drift'}"
expect vf0-identity "$(pyq "$R.json" '[s(m(o("sriov", "eno4"), "0"), k)["actual"] for k in ("present", "pci_address", "netdev")]')" \
        "[True, '0000:03:00.1', 'eno4v0']"
expect vf1-missing "$(pyq "$R.json" 's(m(o("sriov", "eno4"), "1"), "present")')" "{'desired': True, 'actual': False, 'state': 'drift'}"
# netlink cannot see eno4 from this namespace: a VF setting is unknown, not drift
expect vf1-vlan-unknown "$(pyq "$R.json" 's(m(o("sriov", "eno4"), "1"), "vlan")')" "{'desired': 20, 'actual': None, 'state': 'unknown'}"
expect pci-pf-as-configured "$(pyq "$R.json" '[(x["name"], x["state"]) for x in o("sriov", "0000:04:00.0")["members"]] + [s(o("sriov", "0000:04:00.0"), "numvfs")["state"]]')" \
        "[('0', 'ok'), ('1', 'ok'), 'ok']"
expect pci-pf-no-netlink-settings "$(pyq "$R.json" 'list(m(o("sriov", "0000:04:00.0"), "1")["settings"])')" \
        "['present', 'pci_address', 'netdev', 'driver']"
expect hugepages-2m-ok "$(pyq "$R.json" '[s(o("hugepages", "2M"), k)["state"] for k in ("supported", "pages", "mount")] + [s(o("hugepages", "2M"), "free")["actual"]]')" \
        "['ok', 'ok', 'ok', 3]"
expect hugepages-1g-node1-short "$(pyq "$R.json" '[(x["name"], s(x, "pages")) for x in o("hugepages", "1G")["members"]]')" \
        "[('0', {'desired': 1, 'actual': 1, 'state': 'ok'}), ('1', {'desired': 1, 'actual': 0, 'state': 'drift'})]"
expect hugepages-1g-wrong-mount "$(pyq "$R.json" 's(o("hugepages", "1G"), "mount")')" \
        "{'desired': '/dev/hugepages1G', 'actual': '/dev/hugepages1G: hugetlbfs pagesize=2M', 'state': 'drift'}"
expect generator-outdated "$(pyq "$R.json" '(s(o("generator", "/run/systemd/generator"), "output")["actual"], s(o("generator", "/run/systemd/generator"), "changed_files")["actual"])')" \
        "('outdated', 6)"
expect libvirt-dropin-outdated "$(pyq "$R.json" '[s(o("libvirt", x), "dropin")["actual"] for x in ("libvirtd.service", "virtqemud.service")]')" \
        "['outdated', 'outdated']"

# the same as text, piped: plain words, no escape sequences
status "$R"
expect text-exit-status "$rc" 1
if grep -q $'\033' <<<"$out"; then fail text-plain-when-piped "escape sequences in piped output"; else pass text-plain-when-piped; fi
if diff -u "$SRCDIR/tests/cli/status-drift.expected" <(printf '%s\n' "$out"); then pass text-output; else fail text-output "differs from tests/cli/status-drift.expected"; fi
grep -q 'configuration has' <<<"$err" && fail text-no-config-warning "$err" || pass text-no-config-warning

# on a terminal, drift is in red (script(1) gives hostvirt a pseudo-terminal)
tty_out=$(HOSTVIRT_ROOT=$R TERM=xterm script -qec "unshare -n $BIN status" /dev/null | tr -d '\r' || true)
if grep -q $'ixgbevf\033\\[0m' <<<"$tty_out" && grep -q $'\033\\[1;31mdrift\033\\[0m' <<<"$tty_out"; then pass color-on-terminal; else fail color-on-terminal "$(head -5 <<<"$tty_out")"; fi
tty_out=$(HOSTVIRT_ROOT=$R NO_COLOR=1 script -qec "unshare -n $BIN status" /dev/null | tr -d '\r' || true)
if grep -q $'\033' <<<"$tty_out"; then fail no-color-env; else pass no-color-env; fi

status "$R" --quiet
expect quiet "$rc:$out" "1:"

# --- the drift repaired: exit 0 (unit states stay unknown: no systemd under HOSTVIRT_ROOT) ----
D=$R/sys/devices/pci0000:00/0000:00:01.0
echo 2 > "$D/0000:03:00.0/sriov_numvfs"; echo 0 > "$D/0000:03:00.0/sriov_drivers_autoprobe"
rm "$D/0000:03:00.1/driver"; mkvf "$R" 0000:03:00.0 0 0000:03:00.1 vfio-pci eno4v0
mkvf "$R" 0000:03:00.0 1 0000:03:00.2 vfio-pci eno4v1
mkpool "$R" 1048576 1 1 1; mkpool "$R" 1048576 - 2 2
sed -i 's|/dev/hugepages1G rw,relatime shared:21 - hugetlbfs hugetlbfs rw,pagesize=2M|/dev/hugepages1G rw - hugetlbfs hugetlbfs rw,pagesize=1024M|' "$R/proc/self/mountinfo"
rm -rf "$R/run/systemd/generator"; mkdir -p "$R/run/systemd/generator"
HOSTVIRT_ROOT=$R "$GEN" "$R/run/systemd/generator"
status "$R" --json
printf '%s\n' "$out" > "$R.json"
expect repaired-exit-status "$rc" 0
valid_json repaired-json-shape "$R"
expect repaired-states "$(pyq "$R.json" '(d["state"], d["drift"], sorted(set(x["state"] for x in d["objects"])))')" "('unknown', False, ['ok', 'unknown'])"
expect repaired-generator "$(pyq "$R.json" 's(o("generator", "/run/systemd/generator"), "output")["actual"]')" current
expect repaired-libvirt "$(pyq "$R.json" '[s(o("libvirt", x), "dropin")["state"] for x in ("libvirtd.service", "virtqemud.service")]')" "['ok', 'ok']"
status "$R"
expect repaired-text "$(tail -1 <<<"$out")" "7 objects: 3 ok, 0 drift, 4 unknown"

# --- odd file names and a config error: still valid JSON, exit 1 -----------------------------
R=$(mktempdir)/root
conf "$R" 'we"ird name\' <<<$'[Bridge br0]\nSTP = maybe'
conf "$R" 'ü' <<<$'[Libvirt]\nOrder = no'
# a name with a tab and a byte that is not UTF-8 is refused by the loader (it would end up in units)
conf "$R" $'tab\tname\xff' <<<$'[Bridge br1]'
status "$R" --json
printf '%s\n' "$out" > "$R.json"
expect config-error-exit "$rc" 1
valid_json odd-names-json-shape "$R"
expect odd-names "$(pyq "$R.json" 'd["config"]')" \
        "{'files': ['/etc/hostvirt/we\"ird name\\\\.conf', '/etc/hostvirt/ü.conf'], 'errors': 2, 'warnings': 0}"
expect config-error-warns "$err" "The configuration has 2 errors: sections with errors are not shown (see 'hostvirt check')."
expect order-no-dropin-absent "$(pyq "$R.json" 's(o("libvirt", "libvirtd.service"), "dropin")["desired"]')" absent

# --- bridges, ports and a VLAN on the real kernel, in a private network namespace ------------
R=$(mktempdir)/root
conf "$R" <<'EOF'
[Bridge br20]
Ports = eth2 eth3
STP = no
ForwardDelaySec = 4
MTU = 1400

[VLAN vlan30]
Link = eth2
Id = 30

[Bond bond0]
Ports = eth4 eth5
Mode = 802.3ad
LACPTransmitRate = fast
MIIMonitorSec = 100ms
MTU = 1400

[Bond bond1]
Mode = active-backup
EOF
mkdir -p "$R/run/systemd/generator"
net_status() {
        HOSTVIRT_ROOT=$R unshare -n bash -ec '
                ip link add br20 type bridge stp_state 1 forward_delay 400
                ip link set br20 mtu 1400 up
                ip link add eth2 type veth peer name eth2p
                ip link set eth2 master br20 up
                # a device of the wrong kind where the VLAN should be
                ip link add vlan30 type veth peer name vlan30p
                # (no bonding here: bond0 is missing; its port eth4 is there, in no bond)
                ip link add eth4 type veth peer name eth4p
                # a bridge where a bond should be
                ip link add bond1 type bridge
                exec "$0" status --json' "$BIN" > "$R.json" 2>"$R.err" || rc=$?
}
rc=0; net_status
expect net-exit-status "$rc" 1
valid_json net-json-shape "$R"
expect bridge-settings "$(pyq "$R.json" '[(k, v["actual"], v["state"]) for k, v in o("bridge", "br20")["settings"].items() if k != "mac"]')" \
        "[('active_state', None, 'unknown'), ('present', True, 'ok'), ('kind', 'bridge', 'ok'), ('up', True, 'ok'), ('mtu', 1400, 'ok'), ('unmanaged', None, 'info'), ('stp', True, 'drift'), ('forward_delay_sec', 4, 'ok'), ('vlan_filtering', False, 'info'), ('netfilter', 'none', 'info')]"
expect bridge-ports "$(pyq "$R.json" '[(x["name"], x["state"], s(x, "master")["actual"]) for x in o("bridge", "br20")["members"]]')" \
        "[('eth2', 'ok', 'br20'), ('eth3', 'drift', None)]"
expect vlan-wrong-kind "$(pyq "$R.json" '[(k, v["actual"], v["state"]) for k, v in o("vlan", "vlan30")["settings"].items() if k in ("present", "kind", "id", "link")]')" \
        "[('present', True, 'ok'), ('kind', 'veth', 'drift'), ('link', 'vlan30p', 'drift'), ('id', None, 'drift')]"
expect bond-settings "$(pyq "$R.json" '[(k, v["desired"], v["actual"], v["state"]) for k, v in o("bond", "bond0")["settings"].items() if k != "active_state"]')" \
        "[('present', True, False, 'drift'), ('kind', 'bond', None, 'drift'), ('up', True, None, 'drift'), ('mtu', 1400, None, 'drift'), ('unmanaged', True, None, 'drift'), ('mac', None, None, 'info'), ('mode', '802.3ad', None, 'drift'), ('transmit_hash_policy', None, None, 'info'), ('lacp_transmit_rate', 'fast', None, 'drift'), ('mii_monitor_ms', 100, None, 'drift'), ('min_links', None, None, 'info')]"
expect bond-ports "$(pyq "$R.json" '[(x["name"], s(x, "present")["actual"], s(x, "master")["actual"], x["state"]) for x in o("bond", "bond0")["members"]]')" \
        "[('eth4', True, None, 'drift'), ('eth5', False, None, 'drift')]"
expect bond-wrong-kind "$(pyq "$R.json" '[(k, v["actual"], v["state"]) for k, v in o("bond", "bond1")["settings"].items() if k in ("present", "kind", "mode")]')" \
        "[('present', True, 'ok'), ('kind', 'bridge', 'drift'), ('mode', None, 'drift')]"
expect bond-unit "$(pyq "$R.json" 'o("bond", "bond0")["unit"]')" "hostvirt-bond@bond0.service"
expect objects-order "$(pyq "$R.json" '[x["kind"] for x in d["objects"] if x["kind"] in ("vlan", "bridge", "bond")]')" \
        "['vlan', 'bridge', 'bond', 'bond']"

# --- this machine's own sysfs and mount table: hugetlbfs mounted in a private mount namespace
# (HOSTVIRT_ROOT links to the real /sys and /proc, so only the configuration is made up)
R=$(mktempdir)/root
mkdir -p "$R"; ln -s /sys "$R/sys"; ln -s /proc "$R/proc"
M=$(mktempdir)/huge2m
mkdir -p "$M"
conf "$R" <<EOF
[Hugepages 2M]
Pages = 0
Mount = $M
EOF
if [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
        rc=0
        HOSTVIRT_ROOT=$R unshare -m -n sh -ec 'mount -t hugetlbfs -o pagesize=2M none "$1"; exec "$2" status --json' _ "$M" "$BIN" > "$R.json" 2>"$R.err" || rc=$?
        valid_json real-json-shape "$R"
        expect real-hugepages "$(pyq "$R.json" '[(k, s(o("hugepages", "2M"), k)["state"]) for k in ("supported", "pages", "mount")] + [s(o("hugepages", "2M"), "pages")["actual"]]')" \
                "[('supported', 'ok'), ('pages', 'ok'), ('mount', 'ok'), $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)]"
        expect real-nodes "$(pyq "$R.json" '[x["name"] for x in o("hugepages", "2M")["members"]]')" \
                "$(cd /sys/devices/system/node && "$PYTHON" -c 'import sys; print(sorted((a[4:] for a in sys.argv[1:]), key=int))' node*)"
        # outside that namespace the mount is not there
        status "$R" --json; printf '%s\n' "$out" > "$R.json"
        expect real-not-mounted "$(pyq "$R.json" 's(o("hugepages", "2M"), "mount")')" "{'desired': '$M', 'actual': None, 'state': 'drift'}"
else
        skip real-hugepages "this kernel has no 2M hugepages"
fi

# --- [Virtiofs]: the socket file (a real unix socket under the fake root), its group and mode,
# the directory, and the guests connected (a /proc/net/unix of the fake root: two accepted
# connections and the listener of s0, one connection of another socket)
R=$(mktempdir)/root
conf "$R" 10-vfs <<'EOF'
[Virtiofs s0]
SharedDir = /srv/s0
SocketGroup = 0

[Virtiofs s1]
SharedDir = /srv/s1
SocketMode = 0600
EOF
mkdir -p "$R/srv/s0" "$R/run/hostvirt/virtiofs" "$R/proc/net"
"$PYTHON" -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/run/hostvirt/virtiofs/s0.sock"
chgrp 0 "$R/run/hostvirt/virtiofs/s0.sock"; chmod 0640 "$R/run/hostvirt/virtiofs/s0.sock"
{
        echo "Num       RefCount Protocol Flags    Type St Inode Path"
        echo "0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/hostvirt/virtiofs/s0.sock"
        echo "0000000000000000: 00000003 00000000 00000000 0001 03 1002 /run/hostvirt/virtiofs/s0.sock"
        echo "0000000000000000: 00000003 00000000 00000000 0001 03 1003 /run/hostvirt/virtiofs/s0.sock"
        echo "0000000000000000: 00000003 00000000 00000000 0001 03 1004 /run/hostvirt/virtiofs/s1.sock"
        echo "0000000000000000: 00000003 00000000 00000000 0001 03 1005"
} > "$R/proc/net/unix"
status "$R" --json; printf '%s\n' "$out" > "$R.json"
expect virtiofs-exit "$rc" 1
valid_json virtiofs-json-shape "$R"
expect virtiofs-s0 "$(pyq "$R.json" '[(k, v["desired"], v["actual"], v["state"]) for k, v in o("virtiofs", "s0")["settings"].items() if not k.endswith("state")]')" \
        "[('shared_dir', True, True, 'ok'), ('socket', '/run/hostvirt/virtiofs/s0.sock', '/run/hostvirt/virtiofs/s0.sock', 'ok'), ('socket_group', '0', '0', 'ok'), ('socket_mode', '0660', '0640', 'drift'), ('clients', None, 2, 'info')]"
expect virtiofs-s1 "$(pyq "$R.json" '[(k, v["actual"], v["state"]) for k, v in o("virtiofs", "s1")["settings"].items() if not k.endswith("state")]')" \
        "[('shared_dir', False, 'drift'), ('socket', None, 'drift'), ('socket_group', None, 'drift'), ('socket_mode', None, 'drift'), ('clients', 0, 'info')]"
expect virtiofs-unit "$(pyq "$R.json" 'o("virtiofs", "s0")["unit"]')" "hostvirt-virtiofsd@s0.service"
finish
