#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# One object of every kind, all present at boot.
. "$(dirname "$0")/../lib-setup.sh"

fake_pf hvpf0 8
fake_pf hvpf1 8
fake_pf hvpf2 8
conf 10-sriov.conf <<EOT
[SR-IOV hvpf0]
VirtualFunctions = 4
DriversAutoprobe = no

[SR-IOV hvpf1]
VirtualFunctions = 2
EOT

hugepages_2m_plus 4
conf 20-hugepages.conf <<EOT
[Hugepages 2M]
Pages = $(cat "$T/hugepages-2M-want")
Mount = /dev/hugepages2M
EOT

links=(hvpf0 hvpf1 hvport0 hvport1)
conf 30-net.conf <<EOT
[Bridge hvbr0]
Ports = hvport0
STP = no
EOT
if vlan_supported; then
        conf 31-vlan.conf <<EOT
[VLAN hvvlan10]
Link = hvport1
Id = 10
EOT
else
        echo "this kernel has no 802.1Q VLAN support (ip link add type vlan fails in a network namespace)" \
                >"$T/vlan-unsupported"
fi
boot_links "${links[@]}"

# The host's own address on a hostvirt bridge, given by systemd-networkd: hostvirt creates
# hvbr0, networkd (started after network-pre.target, which hostvirt's units come before)
# only addresses it (hostvirt.conf(5), OTHER NETWORK TOOLS: the hand-off).
mkdir -p "$LAYER/etc/systemd/network" "$LAYER/etc/systemd/system/multi-user.target.wants" \
        "$LAYER/etc/systemd/system/sockets.target.wants"
printf '[Match]\nName=hvbr0\n\n[Network]\nAddress=192.0.2.1/24\nConfigureWithoutCarrier=yes\nLinkLocalAddressing=no\n' \
        >"$LAYER/etc/systemd/network/50-hvbr0.network"
ln -sf /lib/systemd/system/systemd-networkd.service "$LAYER/etc/systemd/system/multi-user.target.wants/"
ln -sf /lib/systemd/system/systemd-networkd.socket "$LAYER/etc/systemd/system/sockets.target.wants/"
