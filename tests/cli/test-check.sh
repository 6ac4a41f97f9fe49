#!/bin/bash
# hostvirt check: the loader's diagnostics plus the checks against this host, on fake host
# trees (tests/cli/lib.sh says why); exact messages, order and exit status.  The loader's
# messages come first, then those about this host, each group sorted by file and line.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/cli/lib.sh"

# run ROOT ARGS...: sets $out (stdout), $err (stderr), $rc
run() {
        local root=$1; shift
        rc=0
        out=$(HOSTVIRT_ROOT=$root "$BIN" check "$@" 2>"$root.err") || rc=$?
        err=$(cat "$root.err")
}
expect() { # NAME GOT WANT
        if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "$(diff -u <(echo "$3") <(echo "$2") | tail -n +3)"; fi
}

# --- a host that has everything the configuration names: clean ------------------------------
R=$(mktempdir)/root
conf "$R" 10-host <<'EOF'
[SR-IOV eno4]
VirtualFunctions = 4
Driver = vfio-pci

[Hugepages 1G]
NodePages = 1:4
Mount = /dev/hugepages1G

[VLAN vlan20]
Link = eth1
Id = 20
Bridge = br20

[Bridge br20]
Ports = eth2

# a VLAN on a bond that hostvirt makes, which is not there yet: no warning
[Bond bond0]
Ports = eth3 eth4
Mode = 802.3ad

[VLAN vlan30]
Link = bond0
Id = 30
EOF
mkpf "$R" eno4 0000:03:00.0 0 8 1 1
mkdir -p "$R/sys/bus/pci/drivers/vfio-pci" "$R/sys/class/net/eth1" "$R/sys/class/net/eth2" \
        "$R/sys/class/net/eth3" "$R/sys/class/net/eth4"
mkpool "$R" 1048576 - 0 0; mkpool "$R" 1048576 0 0 0; mkpool "$R" 1048576 1 0 0
run "$R"
expect clean-exit "$rc" 0
expect clean-stderr "$err" ""
expect clean-summary "$out" "1 file, 6 valid sections, 0 errors, 0 warnings"
run "$R" --quiet
expect clean-quiet "$rc:$out:$err" "0::"

# --- a host that lacks much of it ----------------------------------------------------------
R=$(mktempdir)/root
conf "$R" 10-host <<'EOF'
[SR-IOV eno4]
VirtualFunctions = 8
Driver = vfio-pci

[SR-IOV eno9]
VirtualFunctions = 1

[SR-IOV eth0]
VirtualFunctions = 1

[SR-IOV 0000:05:00.0]
VirtualFunctions = 1

[VF eno5:0]
Trust = yes

[VF eno4:1]
Driver = igb_uio

[Hugepages 2M]
NodePages = 0:2 3:2

[Hugepages 64kB]
Pages = 1

[VLAN vlan20]
Link = eth7
Id = 20

[Bridge br0]
Ports = vlan20 eth8 eth0

[Bond bond1]
Ports = eno4 eth9
EOF
# eno4 on NUMA node 1 with room for 4 VFs; eth0 a NIC without SR-IOV; one NUMA node (0)
mkpf "$R" eno4 0000:03:00.0 0 4 1 1
mkdir -p "$R/sys/devices/pci0000:00/0000:00:02.0/net/eth0" "$R/sys/class/net"
ln -s ../../devices/pci0000:00/0000:00:02.0/net/eth0 "$R/sys/class/net/eth0"
ln -s ../../../0000:00:02.0 "$R/sys/devices/pci0000:00/0000:00:02.0/net/eth0/device"
mkpool "$R" 2048 - 0 0; mkpool "$R" 2048 0 0 0
run "$R"
expect host-exit "$rc" 1
expect host-summary "$out" "1 file, 10 valid sections, 5 errors, 8 warnings"
expect host-messages "$err" "\
/etc/hostvirt/10-host.conf:14: error: [VF eno5:0]: there is no valid [SR-IOV] section for this PF, ignoring section
/etc/hostvirt/10-host.conf:1: warning: [SR-IOV eno4]: Driver=vfio-pci is not loaded on this host now (no /sys/bus/pci/drivers/vfio-pci; load its module at boot, e.g. in /etc/modules-load.d/)
/etc/hostvirt/10-host.conf:1: error: [SR-IOV eno4]: VirtualFunctions=8 exceeds what the device supports (sriov_totalvfs=4)
/etc/hostvirt/10-host.conf:1: warning: [SR-IOV eno4]: the PF is on NUMA node 1, but NodePages= reserves no hugepages there
/etc/hostvirt/10-host.conf:5: warning: [SR-IOV eno9]: no such network interface on this host now
/etc/hostvirt/10-host.conf:8: error: [SR-IOV eth0]: the device has no sriov_numvfs: it is not an SR-IOV physical function (or its driver does not support SR-IOV)
/etc/hostvirt/10-host.conf:11: warning: [SR-IOV 0000:05:00.0]: no such PCI device on this host now
/etc/hostvirt/10-host.conf:17: warning: [VF eno4:1]: Driver=igb_uio is not loaded on this host now (no /sys/bus/pci/drivers/igb_uio; load its module at boot, e.g. in /etc/modules-load.d/)
/etc/hostvirt/10-host.conf:20: error: [Hugepages 2M]: NodePages= names NUMA node 3, which this host does not have
/etc/hostvirt/10-host.conf:23: error: [Hugepages 64kB]: this host's kernel has no 64kB pages (see /sys/kernel/mm/hugepages/)
/etc/hostvirt/10-host.conf:26: warning: [VLAN vlan20]: Link=eth7 is neither declared nor an interface on this host now
/etc/hostvirt/10-host.conf:30: warning: [Bridge br0]: port eth8 is neither declared nor an interface on this host now
/etc/hostvirt/10-host.conf:33: warning: [Bond bond1]: port eth9 is neither declared nor an interface on this host now"
run "$R" --quiet
expect host-quiet "$rc:$out:$err" "1::"

# --- FILE arguments: only those files; absolute ones under HOSTVIRT_ROOT, relative ones as given
conf "$R" 20-ok <<<$'[SR-IOV eno4]\nVirtualFunctions = 2\nDriver = vfio-pci'
mkdir -p "$R/sys/bus/pci/drivers/vfio-pci"
run "$R" /etc/hostvirt/20-ok.conf
expect file-arg "$rc:$out:$err" "0:1 file, 1 valid section, 0 errors, 0 warnings:"
rc=0; out=$(cd "$R/etc/hostvirt" && HOSTVIRT_ROOT=$R "$BIN" check 20-ok.conf 10-host.conf 2>/dev/null) || rc=$?
expect relative-file-args "$rc:$out" "1:2 files, 10 valid sections, 5 errors, 7 warnings"
run "$R" /etc/hostvirt/none.conf
expect missing-file "$rc:$err" "1:/etc/hostvirt/none.conf: error: cannot open: No such file or directory"

# --- other network tools set up the same devices (hostvirt.conf(5), OTHER NETWORK TOOLS) ----
# Their files under HOSTVIRT_ROOT, as each tool keeps them: what would create or take a device
# of ours is reported; what only addresses one (the intended hand-off) or is masked is not.
R=$(mktempdir)/root
[ -n "$R" ] && [ "$R" != /root ] || { fail others-root "no scratch root"; finish; }
conf "$R" 10-net <<'EOF'
[SR-IOV eno4]
VirtualFunctions = 2

[VLAN vlan20]
Link = eth1
Id = 20

[Bridge br20]
Ports = vlan20 eth2

[Bond bond0]
Ports = eth3 eth4
EOF
mkdir -p "$R/sys/class/net/eth1" "$R/sys/class/net/eth2" "$R/sys/class/net/eth3" "$R/sys/class/net/eth4"
mkpf "$R" eno4 0000:03:00.0 0 8 0 0
n=$R/etc/systemd/network
mkdir -p "$n" "$R/usr/lib/systemd/network" "$R/etc/network/interfaces.d" "$R/etc/NetworkManager/system-connections"
printf '[Match]\nOriginalName=eno*\n\n[Link]\nSR-IOVVirtualFunctions=4\n' > "$n/10-sriov.link"
printf '[Match]\nOriginalName=eth9\n\n[SR-IOV]\nVirtualFunction=0\n' > "$n/11-other.link"
printf '[NetDev]\nName=br20\nKind=bridge\n' > "$n/20-br20.netdev"
printf '[Match]\nName=eth3\n\n[Network]\nBond=bond9\n' > "$n/30-eth3.network"
printf '[Match]\nName=br20\n\n[Network]\nAddress=192.0.2.10/24\n' > "$n/40-br20-address.network"
# masked in /etc: the vendor's file does not count
printf '[NetDev]\nName=bond0\nKind=bond\n' > "$R/usr/lib/systemd/network/50-bond0.netdev"
ln -s /dev/null "$n/50-bond0.netdev"
printf '%s\n' 'auto lo' 'iface lo inet loopback' '' \
        '# the intended hand-off: an address on the bridge hostvirt makes' \
        'iface br20 inet static' '        address 192.0.2.10/24' '' 'source interfaces.d/*' > "$R/etc/network/interfaces"
printf '%s\n' 'iface vlan20 inet manual' '        vlan-raw-device eth1' '' \
        'iface br9 inet manual' '        bridge_ports eth2 none' > "$R/etc/network/interfaces.d/vlan"
nm=$R/etc/NetworkManager/system-connections
printf '[connection]\nid=bond0\ntype=bond\ninterface-name=bond0\n' > "$nm/bond0.nmconnection"
printf '[connection]\nid=eth4\ntype=ethernet\ninterface-name=eth4\ncontroller=bond7\nport-type=bond\n' > "$nm/eth4.nmconnection"
printf '[connection]\nid=eno4\ntype=ethernet\ninterface-name=eno4\n\n[sriov]\ntotal-vfs=8\n' > "$nm/eno4.nmconnection"
run "$R"
expect others-exit "$rc" 0
expect others-summary "$out" "1 file, 4 valid sections, 0 errors, 8 warnings"
race="two tools setting up one device race at boot; see hostvirt.conf(5), OTHER NETWORK TOOLS"
expect others-messages "$err" "\
/etc/hostvirt/10-net.conf:1: warning: [SR-IOV eno4]: systemd-udevd also sets the VFs of this PF (/etc/systemd/network/10-sriov.link): $race
/etc/hostvirt/10-net.conf:1: warning: [SR-IOV eno4]: NetworkManager also sets the VFs of this PF ([sriov] total-vfs=) (/etc/NetworkManager/system-connections/eno4.nmconnection): $race
/etc/hostvirt/10-net.conf:4: warning: [VLAN vlan20]: ifupdown also creates vlan20 (/etc/network/interfaces.d/vlan:1): $race
/etc/hostvirt/10-net.conf:8: warning: [Bridge br20]: systemd-networkd also creates br20 (/etc/systemd/network/20-br20.netdev): $race
/etc/hostvirt/10-net.conf:8: warning: [Bridge br20]: ifupdown also puts port eth2 in br9 (/etc/network/interfaces.d/vlan:4): $race
/etc/hostvirt/10-net.conf:11: warning: [Bond bond0]: systemd-networkd also puts port eth3 in bond bond9 (/etc/systemd/network/30-eth3.network): $race
/etc/hostvirt/10-net.conf:11: warning: [Bond bond0]: NetworkManager has a bond connection that creates bond0 (/etc/NetworkManager/system-connections/bond0.nmconnection): $race
/etc/hostvirt/10-net.conf:11: warning: [Bond bond0]: NetworkManager has a connection that puts port eth4 in bond bond7 (/etc/NetworkManager/system-connections/eth4.nmconnection): $race"

# the same, with a source loop, a file sourced twice, binary junk and a directory where a file
# belongs: each file read once, the same findings, no crash
printf '%s\n' 'source /etc/network/interfaces' 'source-directory interfaces.d' >> "$R/etc/network/interfaces.d/vlan"
printf '%s\n' 'source interfaces.d/vlan' >> "$R/etc/network/interfaces"
# every byte value, 16 times over (NULs, CRs and lone '[' included)
junk() { "$PYTHON" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 16)'; }
junk > "$n/60-junk.netdev"
junk > "$nm/junk.nmconnection"
mkdir "$n/70-dir.netdev"
run "$R"
expect others-hostile-exit "$rc" 0
expect others-hostile-summary "$out" "1 file, 4 valid sections, 0 errors, 8 warnings"

# --- Unmanaged=no: NetworkManager's connection of the device's own type is the hand-off (it
# addresses the device); only a bridge connection whose STP or VLAN filtering differs from
# hostvirt's is reported, and a connection of another type, or for a device NetworkManager is
# kept off, still is.
R=$(mktempdir)/root
[ -n "$R" ] && [ "$R" != /root ] || { fail nm-handoff-root "no scratch root"; finish; }
conf "$R" 10-nm <<'EOF'
[Bridge br30]
Unmanaged = no
STP = no

[Bridge br31]
Unmanaged = no
VLANFiltering = yes

[VLAN vlan40]
Link = eth1
Id = 40
Unmanaged = no

[Bridge br32]

[Bridge br33]
Unmanaged = no
EOF
mkdir -p "$R/sys/class/net/eth1"
nm=$R/etc/NetworkManager/system-connections
mkdir -p "$nm"
printf '[connection]\nid=br30\ntype=bridge\ninterface-name=br30\n\n[bridge]\nstp=false\n\n[ipv4]\nmethod=manual\naddress1=192.0.2.10/24\n' > "$nm/br30.nmconnection"
printf '[connection]\nid=br31\ntype=bridge\ninterface-name=br31\n' > "$nm/br31.nmconnection"
printf '[connection]\nid=vlan40\ntype=vlan\ninterface-name=vlan40\n\n[vlan]\nparent=eth1\nid=40\n' > "$nm/vlan40.nmconnection"
printf '[connection]\nid=br32\ntype=bridge\ninterface-name=br32\n\n[bridge]\nstp=false\n' > "$nm/br32.nmconnection"
printf '[connection]\nid=br33\ntype=bond\ninterface-name=br33\n' > "$nm/br33.nmconnection"
run "$R"
expect nm-handoff-exit "$rc" 0
expect nm-handoff-summary "$out" "1 file, 5 valid sections, 0 errors, 4 warnings"
expect nm-handoff-messages "$err" "\
/etc/hostvirt/10-nm.conf:5: warning: [Bridge br31]: NetworkManager's bridge connection for it sets stp=yes, hostvirt STP=no (/etc/NetworkManager/system-connections/br31.nmconnection): $race
/etc/hostvirt/10-nm.conf:5: warning: [Bridge br31]: NetworkManager's bridge connection for it sets vlan-filtering=no, hostvirt VLANFiltering=yes (/etc/NetworkManager/system-connections/br31.nmconnection): $race
/etc/hostvirt/10-nm.conf:14: warning: [Bridge br32]: NetworkManager has a bridge connection that creates br32 (/etc/NetworkManager/system-connections/br32.nmconnection): $race
/etc/hostvirt/10-nm.conf:16: warning: [Bridge br33]: NetworkManager has a bond connection that creates br33 (/etc/NetworkManager/system-connections/br33.nmconnection): $race"

# --- [Virtiofs]: the directory, virtiofsd and the socket's group, on this (fake) host -------
R=$(mktempdir)/root
[ -n "$R" ] && [ "$R" != /root ] || { fail virtiofs-root "no scratch root"; finish; }
conf "$R" 10-vfs <<'EOF'
[Virtiofs ok]
SharedDir = /srv/ok

[Virtiofs nodir]
SharedDir = /srv/nodir

[Virtiofs file]
SharedDir = /srv/file

[Virtiofs nogroup]
SharedDir = /srv/ok
SocketGroup = nosuchgroup

[Virtiofs bynumber]
SharedDir = /srv/ok
SocketGroup = 4242
EOF
mkdir -p "$R/srv/ok" "$R/etc" && : > "$R/srv/file"
printf 'root:x:0:\nkvm:x:104:\n' > "$R/etc/group"
run "$R"
expect virtiofs-no-daemon-exit "$rc" 0
expect virtiofs-no-daemon "$err" "\
/etc/hostvirt/10-vfs.conf:1: warning: [Virtiofs ok]: virtiofsd is not installed (Debian 13: package virtiofsd; Debian 12: qemu-system-common)
/etc/hostvirt/10-vfs.conf:4: warning: [Virtiofs nodir]: SharedDir=/srv/nodir is not a directory on this host now
/etc/hostvirt/10-vfs.conf:4: warning: [Virtiofs nodir]: virtiofsd is not installed (Debian 13: package virtiofsd; Debian 12: qemu-system-common)
/etc/hostvirt/10-vfs.conf:7: warning: [Virtiofs file]: SharedDir=/srv/file is not a directory on this host now
/etc/hostvirt/10-vfs.conf:7: warning: [Virtiofs file]: virtiofsd is not installed (Debian 13: package virtiofsd; Debian 12: qemu-system-common)
/etc/hostvirt/10-vfs.conf:10: warning: [Virtiofs nogroup]: virtiofsd is not installed (Debian 13: package virtiofsd; Debian 12: qemu-system-common)
/etc/hostvirt/10-vfs.conf:10: warning: [Virtiofs nogroup]: SocketGroup=nosuchgroup is no group on this host now: the socket cannot be made
/etc/hostvirt/10-vfs.conf:14: warning: [Virtiofs bynumber]: virtiofsd is not installed (Debian 13: package virtiofsd; Debian 12: qemu-system-common)"
# either virtiofsd will do (an executable at one of Debian's two places)
mkdir -p "$R/usr/lib/qemu" && printf '#!/bin/sh\n' > "$R/usr/lib/qemu/virtiofsd" && chmod 755 "$R/usr/lib/qemu/virtiofsd"
run "$R"
expect virtiofs-with-daemon "$err" "\
/etc/hostvirt/10-vfs.conf:4: warning: [Virtiofs nodir]: SharedDir=/srv/nodir is not a directory on this host now
/etc/hostvirt/10-vfs.conf:7: warning: [Virtiofs file]: SharedDir=/srv/file is not a directory on this host now
/etc/hostvirt/10-vfs.conf:10: warning: [Virtiofs nogroup]: SocketGroup=nosuchgroup is no group on this host now: the socket cannot be made"
finish
