#!/bin/bash
# Devices present at boot (hostvirt-vmtest-devices.service).  netdevsim is
# built out of tree by the harness (Debian's kernel lacks it).
set -u
rc=0
modprobe netdevsim || rc=1
# "ID PORTS": netdevsim device 2 and 3, one port each (eni2np1, eni3np1)
for d in 2 3; do
        echo "$d 1" > /sys/bus/netdevsim/new_device || rc=1
done
modprobe dummy numdummies=0 || rc=1
ip link add hvtrunk0 type dummy && ip link set hvtrunk0 up || rc=1
ip link add hvdummy1 type dummy && ip link set hvdummy1 up || rc=1
ip link add hvprebr0 type bridge && ip link set hvprebr0 up || rc=1
# the ports of [Bond bond0]: one up, one down
ip link add hvbp0 type dummy && ip link set hvbp0 up || rc=1
ip link add hvbp1 type dummy || rc=1
exit $rc
