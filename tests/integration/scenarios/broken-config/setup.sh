#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# One good file and one broken one: the broken parts are reported, the rest
# comes up as usual.
. "$(dirname "$0")/../lib-setup.sh"

fake_pf hvpf0 8
fake_pf hvpf1 8
conf 10-good.conf <<EOT
[SR-IOV hvpf0]
VirtualFunctions = 4

# valid, but no such interface appears: hvabsent's device unit gives up after
# 2 s (DeviceTimeoutSec=), hvabsent2's after systemd's default (5 s here, below)
[SR-IOV hvabsent]
VirtualFunctions = 2
DeviceTimeoutSec = 2

[SR-IOV hvabsent2]
VirtualFunctions = 2

[Bridge hvbr0]
Ports = hvport0
EOT
# line 2: an invalid value (the section is dropped), line 4: an unknown key
# (a warning), line 5: not INI at all
conf 15-broken.conf <<EOT
[SR-IOV hvpf1]
VirtualFunctions = lots
[Bridge hvbr1]
Colour = blue
this line is not INI
EOT
boot_links hvpf0 hvpf1 hvport0
# libvirtd waits for hvabsent's device until its start job times out
# (DefaultDeviceTimeoutSec=, 90 s by default): shortened for this boot.
mkdir -p "$LAYER/etc/systemd/system.conf.d"
printf '[Manager]\nDefaultDeviceTimeoutSec=5s\n' >"$LAYER/etc/systemd/system.conf.d/hostvirt-test.conf"
