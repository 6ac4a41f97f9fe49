#!/bin/bash
# mkconfig.sh DIR N: a host with N SR-IOV PFs (eth0..eth{N-1}, 8 VFs each) as
#   DIR/hostvirt/etc/hostvirt/pfs.conf     for hostvirt-generator (HOSTVIRT_ROOT=DIR/hostvirt)
#   DIR/netplan/etc/netplan/pfs.yaml       the same for netplan (--root-dir DIR/netplan):
#                                          virtual-function-count on each PF
# mkconfig.sh DIR example: the shipped conf.d/example.conf, and the parts of it netplan
# can say (the VFs of eno4, the VLAN and the bridge; netplan has no hugepages, no PCI-only
# PFs, no libvirt ordering).
set -euo pipefail
dir=$1 n=$2
mkdir -p "$dir/hostvirt/etc/hostvirt" "$dir/netplan/etc/netplan"
conf=$dir/hostvirt/etc/hostvirt/pfs.conf yaml=$dir/netplan/etc/netplan/pfs.yaml
if [ "$n" = example ]; then
        cp "${SRCDIR:?}/conf.d/example.conf" "$conf"
        cat > "$yaml" <<'YAML'
network:
  version: 2
  renderer: networkd
  ethernets:
    eno4:
      virtual-function-count: 10
    eth1: {}
    eth2: {}
  vlans:
    vlan20:
      id: 20
      link: eth1
  bridges:
    br20:
      interfaces: [vlan20, eth2]
      mtu: 1500
      parameters:
        stp: false
YAML
else
        for ((i = 0; i < n; i++)); do
                printf '[SR-IOV eth%d]\nVirtualFunctions = 8\n\n' "$i"
        done > "$conf"
        { printf 'network:\n  version: 2\n  renderer: networkd\n  ethernets:\n'
          for ((i = 0; i < n; i++)); do printf '    eth%d:\n      virtual-function-count: 8\n' "$i"; done
        } > "$yaml"
fi
chmod 600 "$yaml"   # netplan warns about YAML others can read
