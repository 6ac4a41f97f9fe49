#!/bin/bash
# The in-use guard against the real /proc, with the capabilities interface-vf@.service gives
# the helper: a process of another user holds a file at /dev/vfio/41 (VF 1's group) open.
# This machine has no VFIO, so the "group" is a plain file on a tmpfs over /dev in a private
# mount namespace; the helper only looks at the /proc/PID/fd links.  It all runs in a PID
# namespace of its own, so that /proc shows the holder and the helper only (not the
# processes of whatever runs the tests).  The VFs are a fake sysfs
# tree (tests/vf/lib.sh says why), and HOSTVIRT_ROOT's proc is a symlink to the real /proc.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"
command -v setpriv >/dev/null || { echo "setpriv (util-linux) is needed"; exit 1; }

R=$(mktempdir); D=$(mkpf "$R" eno5 pci 8)
mkvf "$R" 0 vfio-pci; mkvf "$R" 1 vfio-pci; echo 2 > "$D/sriov_numvfs"
mkdrv "$R" vfio-pci
rmdir "$R/proc"; ln -s /proc "$R/proc"
mkdir -p "$R/olddev"
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriver = vfio-pci'

# guarded CAPS [GROUP]: "stop eno5" by the helper with only CAPS in its bounding set (as the
# unit's CapabilityBoundingSet=), while user nobody holds /dev/vfio/GROUP (41: VF 1's) open;
# prints the holder's PID, the helper's output and its exit status
guarded() {
        unshare -m -p -f --mount-proc -- bash -c '
                R=$0 VF=$1 caps=$2 group=$3
                mount --bind "$R/sys" /sys
                mount --rbind /dev "$R/olddev"
                mount -t tmpfs -o mode=0755 hvdev /dev
                for n in null zero urandom; do touch /dev/$n; mount --bind "$R/olddev/$n" /dev/$n; done
                mkdir /dev/vfio; : > /dev/vfio/$group
                setpriv --reuid=65534 --regid=65534 --clear-groups sleep 300 < /dev/vfio/$group &
                holder=$!
                echo "holder $holder"
                # until the holder runs sleep, its fd 0 is there but it is setpriv
                for i in $(seq 100); do [ "$(cat /proc/$holder/comm)" = sleep ] && break; sleep 0.05; done
                rc=0
                env HOSTVIRT_ROOT="$R" SYSTEMD_DEVICE_VERIFY_SYSFS=0 setpriv --bounding-set="$caps" --inh-caps=-all \
                        "$VF" stop eno5 || rc=$?
                kill "$holder"
                echo "rc=$rc"' "$R" "$VF" "$1" "${2:-41}" 2>&1
}

# the unit's CapabilityBoundingSet=, as setpriv(1) takes it
unit_caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNITS_BUILD_DIR/test-interface-vf@.service" | tr 'A-Z' 'a-z' |
            sed 's/cap_/+/g; s/ /,/g; s/^/-all,/')
rc=; writes=
check "unit capabilities read ($unit_caps)" grep -qE "^-all(,\+[a-z_]+)+$" <<<"$unit_caps"

out=$(guarded "$unit_caps")
holder=$(awk '/^holder/ { print $2 }' <<<"$out")
expect unit-caps-refuse has "rc=75"
expect unit-caps-see-holder has "eno5: VF 1 (0000:03:00.2) is bound to vfio-pci and in use: /dev/vfio/41 is open in process $holder (sleep)"
expect unit-caps-nothing-written test "$(numvfs "$D")" = 2

# another group held open: the VFs go, and every process could be looked at
out=$(guarded "$unit_caps" 99)
expect unit-caps-other-group has "rc=0"
expect unit-caps-see-all bash -c '! grep -q "Could not read" <<<"$1"' _ "$out"
expect unit-caps-other-group-removed test "$(numvfs "$D")" = 0
echo 2 > "$D/sriov_numvfs"

# without CAP_SYS_PTRACE or CAP_DAC_READ_SEARCH the holder cannot be seen: the helper says so,
# and refuses, since it cannot tell
for caps in -all,+net_admin -all,+net_admin,+sys_ptrace -all,+net_admin,+dac_read_search; do
        out=$(guarded $caps)
        expect "fewer-caps-warn ($caps)" has "Could not read the open files of"
        expect "fewer-caps-refuse ($caps)" has "eno5: cannot check whether the VFs are in use (Permission denied), so refusing to remove the VFs"
        expect "fewer-caps-rc ($caps)" has "rc=75"
done
expect fewer-caps-nothing-written test "$(numvfs "$D")" = 2
finish
