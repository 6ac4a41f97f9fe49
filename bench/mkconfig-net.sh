#!/bin/bash
# mkconfig-net.sh DIR SCENARIO: the configurations bench/limit.sh times, written as
# DIR/hostvirt/etc/hostvirt/*.conf (for HOSTVIRT_ROOT=DIR/hostvirt).  Every one of them is
# valid (no section is skipped), so the generator does all of its work:
#   example    the shipped conf.d/example.conf
#   ref8       the reference host: 8 SR-IOV PFs (two 4-port cards, 16 VFs each, some to
#              vfio-pci, persistent MACs) with a [VF] section for the first VF of each, 1G
#              and 2M hugepages with a mount, 4 VLANs on a trunk with a bridge each,
#              [Libvirt]; in three files, as an admin would split it
#   pf1000     1000 PFs of 8 VFs, 2 [VF] sections on each, and 64 VLANs each with a bridge
#   pairs4000  4000 VLANs (on eth0..eth3, ids 1..4000), each the port of its own bridge
#   chain1000  a 1000-deep VLAN chain: vlan k has Link= vlan k-1 (c0 on eth0), ids 1..1000
#   diamond    DIAMOND_LAYERS (default 24) layers of bridges: bridge k has two VLAN ports,
#              both with Link= bridge k-1 (bridge 0 has eth0): 2^k paths down to eth0
# Interface names stay within 15 bytes and VLAN ids within 1..4094, as the loader demands.
# DIR/hostvirt/sys is the host `hostvirt check` looks at: the NICs and PFs named (PFs with
# sriov_numvfs, sriov_totalvfs and numa_node), vfio-pci loaded, 2M and 1G pages, NUMA
# nodes 0 and 1; so check finds nothing wrong and walks its whole path (the generator and
# plan do not read /sys).
set -euo pipefail
dir=$1 scenario=$2
etc=$dir/hostvirt/etc/hostvirt sys=$dir/hostvirt/sys
mkdir -p "$etc" "$sys/class/net" "$sys/bus/pci/drivers/vfio-pci" \
        "$sys/kernel/mm/hugepages/hugepages-2048kB" "$sys/kernel/mm/hugepages/hugepages-1048576kB" \
        "$sys/devices/system/node/node0" "$sys/devices/system/node/node1"

# nic NAME...: network interfaces of the host; pf NAME TOTALVFS NODE: an SR-IOV PF
nic() { local n; for n; do mkdir -p "$sys/class/net/$n"; done; }
pf() {
        local d=$sys/class/net/$1/device
        [[ $1 == *:* ]] && d=$sys/bus/pci/devices/$1   # named by PCI address
        mkdir -p "$d"
        echo 0 > "$d/sriov_numvfs"; echo "$2" > "$d/sriov_totalvfs"; echo "$3" > "$d/numa_node"
}

case $scenario in
example)
        cp "${SRCDIR:?}/conf.d/example.conf" "$etc/example.conf"
        nic eth1 eth2; pf eno4 64 0; pf 0000:03:00.0 16 1 ;;
ref8)
        nic bond0
        # two dual-socket 4-port cards: ens1f0..ens1f3 on node 0, ens2f0..ens2f3 on node 1
        for card in 1 2; do
                for port in 0 1 2 3; do
                        pf=ens${card}f$port
                        pf "$pf" 64 $((card - 1))
                        printf '[SR-IOV %s]\nVirtualFunctions = 16\nMACAddressPolicy = persistent\nSpoofCheck = yes\n' "$pf"
                        [ $port -lt 2 ] && printf 'DriversAutoprobe = no\nDriver = vfio-pci\n'
                        printf '\n[VF %s:0]\nMACAddress = 02:00:00:00:%02x:%02x\nVLAN = %d\nTrust = yes\n\n' \
                                "$pf" "$card" "$port" $((100 + card * 10 + port))
                done
        done > "$etc/10-sriov.conf"
        cat > "$etc/20-hugepages.conf" <<'EOF'
[Hugepages 1G]
NodePages = 0:16 1:16
Mount = /dev/hugepages1G
Group = kvm

[Hugepages 2M]
Pages = 2048
EOF
        for id in 10 20 30 40; do
                printf '[VLAN vlan%d]\nLink = bond0\nId = %d\nBridge = br%d\n\n' $id $id $id
                printf '[Bridge br%d]\nSTP = no\nMTU = 9000\nMACAddress = 02:00:00:01:00:%02x\n\n' $id $id
        done > "$etc/30-net.conf"
        printf '[Libvirt]\nServices = libvirtd.service virtqemud.service\n' >> "$etc/30-net.conf" ;;
pf1000)
        for ((i = 0; i < 1000; i++)); do
                pf eth$i 64 $((i % 2))
                printf '[SR-IOV eth%d]\nVirtualFunctions = 8\n\n' $i
                printf '[VF eth%d:0]\nMACAddress = 02:00:00:%02x:%02x:00\nVLAN = %d\n\n' $i $((i / 256)) $((i % 256)) $((i % 4094 + 1))
                printf '[VF eth%d:1]\nTrust = yes\nSpoofCheck = no\n\n' $i
        done > "$etc/pfs.conf"
        for ((k = 0; k < 64; k++)); do
                printf '[VLAN vlan%d]\nLink = eth%d\nId = %d\nBridge = br%d\n\n' $k $k $((k + 1)) $k
                printf '[Bridge br%d]\nSTP = no\n\n' $k
        done > "$etc/net.conf" ;;
pairs4000)
        nic eth0 eth1 eth2 eth3
        for ((k = 0; k < 4000; k++)); do
                printf '[VLAN vlan%d]\nLink = eth%d\nId = %d\nBridge = br%d\n\n' $k $((k % 4)) $((k + 1)) $k
                printf '[Bridge br%d]\n\n' $k
        done > "$etc/net.conf" ;;
chain1000)
        nic eth0
        printf '[VLAN c0]\nLink = eth0\nId = 1\n\n' > "$etc/net.conf"
        for ((k = 1; k < 1000; k++)); do
                printf '[VLAN c%d]\nLink = c%d\nId = %d\n\n' $k $((k - 1)) $((k + 1))
        done >> "$etc/net.conf" ;;
diamond)
        layers=${DIAMOND_LAYERS:-24}
        nic eth0
        printf '[Bridge d0]\nPorts = eth0\n\n' > "$etc/net.conf"
        for ((k = 1; k <= layers; k++)); do
                printf '[VLAN d%da]\nLink = d%d\nId = %d\nBridge = d%d\n\n' $k $((k - 1)) $((2 * k)) $k
                printf '[VLAN d%db]\nLink = d%d\nId = %d\nBridge = d%d\n\n' $k $((k - 1)) $((2 * k + 1)) $k
                printf '[Bridge d%d]\n\n' $k
        done >> "$etc/net.conf" ;;
*)
        echo "mkconfig-net.sh: unknown scenario $scenario" >&2; exit 2 ;;
esac
