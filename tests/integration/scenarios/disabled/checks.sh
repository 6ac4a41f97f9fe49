# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container, booted with hostvirt=0 as PID 1's argument (a
# container's kernel command line; its /proc/cmdline is the host's).  The
# config is the boot scenario's: every device is there, nothing may happen.
GEN=/run/systemd/generator
FAKE=/var/lib/hostvirt-test/root
T=/etc/hostvirt-test

check boot-finished systemctl is-system-running --wait
check_eq pid1-has-hostvirt-0 yes "$(tr '\0' '\n' </proc/1/cmdline | grep -qx hostvirt=0 && echo yes)"
check_not host-cmdline-not-used grep -qw hostvirt=0 /proc/cmdline
check generator-installed test -x /usr/lib/systemd/system-generators/hostvirt-generator

ours_in_gen() { grep -rl "hostvirt-generator" "$GEN" "$GEN.early" "$GEN.late" 2>/dev/null; find "$GEN" -name '*hostvirt*' -o -name 'interface-vf@*' 2>/dev/null; }
check_eq nothing-generated-at-boot "" "$(ours_in_gen)"
check device-is-there test -e /sys/class/net/hvpf0
check_eq vf-not-started inactive "$(systemctl is-active interface-vf@hvpf0.service)"
check_eq vf-numvfs-untouched 0 "$(cat $FAKE/sys/class/net/hvpf0/device/sriov_numvfs)"
check_eq libvirtd-no-dropin no "$(unit_prop libvirtd.service DropInPaths | grep -q 50-hostvirt && echo yes || echo no)"
check_eq hugepages-untouched "$(cat $T/hugepages-2M-before)" "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"
check_not hugepages-not-mounted mountpoint -q /dev/hugepages2M
check bridge-not-created test ! -e /sys/class/net/hvbr0
check_eq none-of-ours-loaded "" "$(systemctl list-units --all --plain --no-legend 'interface-vf@*' 'hostvirt-*' | grep -v hostvirt-test)"

# Still off after daemon-reload (the generator reads PID 1's arguments again).
check daemon-reload systemctl daemon-reload
check_eq nothing-generated-after-reload "" "$(ours_in_gen)"
# A configured PF that appears again (driver reload) is left alone too.  Its
# device unit is up before we look: a start would have been queued with it.
ip link del hvpf1
ip link add hvpf1 type veth peer name hvpf1-p
check device-reappeared wait_for 30 systemctl is-active sys-subsystem-net-devices-hvpf1.device
check_eq vf-not-started-on-device-appearance inactive "$(systemctl is-active interface-vf@hvpf1.service)"
# The units themselves stay usable by hand (the rescue switch only stops the generator).
check manual-start-still-works systemctl start interface-vf@hvpf0.service
check_eq manual-start-numvfs 4 "$(cat $FAKE/sys/class/net/hvpf0/device/sriov_numvfs)"
check manual-stop systemctl stop interface-vf@hvpf0.service
