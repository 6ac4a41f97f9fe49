#!/bin/bash
# The in-use guard: stop, a count change and a rebind are refused while a VF's VFIO device is
# held open, unless --force.  Fake sysfs trees (tests/vf/lib.sh says why) and a fake /proc
# under HOSTVIRT_ROOT: this machine has no VFIO, so no process can really hold a VFIO group;
# the helper sees a process through its /proc/PID/fd links, which the fake /proc provides.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"

# holder ROOT PID COMM TARGET: a process with TARGET open as fd 17
holder() {
        mkdir -p "$1/proc/$2/fd"
        echo "$3" > "$1/proc/$2/comm"
        ln -sfn "$4" "$1/proc/$2/fd/17"
}
# some harmless processes, so that the scan has something to skip
R=$(mktempdir); D=$(mkpf "$R" eno5 pci 8)
holder "$R" 1 systemd /dev/null
holder "$R" 77 bash /dev/pts/0
mkdir -p "$R/proc/self" "$R/proc/sys"
mkdrv "$R" vfio-pci iavf
fake_kernel "$R" & fk=$!

conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start eno5
expect setup test "$rc" = 0 -a "$(driver_of "$R" 0) $(driver_of "$R" 1)" = "vfio-pci vfio-pci"

# --- stop while a guest holds VF 1's group: refused, nothing written, exit 75 (TEMPFAIL) ------------
holder "$R" 4242 qemu-system-x86 /dev/vfio/41
run "$R" stop eno5
expect stop-refused test "$rc" = 75 -a -z "$writes" -a "$(numvfs "$D")" = 2
expect stop-refused-names-vf has "eno5: VF 1 (0000:03:00.2) is bound to vfio-pci and in use: /dev/vfio/41 is open in process 4242 (qemu-system-x86)"
expect stop-refused-says-how has 'eno5: refusing to remove the VFs while 1 of its VFs are in use: stop the guests using them first, or force it with `hostvirt-vf --force stop eno5`; nothing changed'

# --- a count change removes every VF: refused the same way -----------------------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 3\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start eno5
expect count-change-refused test "$rc" = 75 -a -z "$writes" -a "$(numvfs "$D")" = 2
expect count-change-says-how has '`hostvirt-vf --force start eno5`'

# --- the same count with another driver for the VF in use: refused --------------------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci\n[VF eno5:1]\nDriver = iavf'
run "$R" start eno5
expect rebind-refused test "$rc" = 75 -a -z "$writes" -a "$(driver_of "$R" 1)" = vfio-pci
# ... but a rebind of a VF nobody holds goes through
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci\n[VF eno5:0]\nDriver = iavf'
run "$R" start eno5
expect rebind-free-vf test "$rc" = 0 -a "$writes" = "driver_override=iavf unbind=0000:03:00.1 drivers_probe=0000:03:00.1" -a "$(driver_of "$R" 0)" = iavf
# ... and starting with nothing to change is no "change"
run "$R" start eno5
expect same-config-in-use-ok test "$rc" = 0 -a -z "$writes"

# --- the other device nodes through which VFIO hands out a device -----------------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start eno5
rm -rf "$R/proc/4242"
holder "$R" 4243 qemu-noiommu /dev/vfio/noiommu-40
run "$R" stop eno5
expect noiommu-refused test "$rc" = 75 -a -z "$writes"
expect noiommu-message has "/dev/vfio/noiommu-40 is open in process 4243 (qemu-noiommu)"
rm -rf "$R/proc/4243"
mkdir -p "$(vf_dir "$R" 1)/vfio-dev/vfio7"
holder "$R" 4244 qemu-iommufd /dev/vfio/devices/vfio7
run "$R" stop eno5
expect iommufd-cdev-refused test "$rc" = 75 -a -z "$writes"
expect iommufd-cdev-message has "/dev/vfio/devices/vfio7 is open in process 4244 (qemu-iommufd)"
rm -rf "$R/proc/4244"

# --- open files that are not these VFs' do not count -------------------------------------------
holder "$R" 5000 other-guest /dev/vfio/99
holder "$R" 5001 vfio-container /dev/vfio/vfio
run "$R" stop eno5
expect unrelated-open-ok test "$rc" = 0 -a "$writes" = "sriov_numvfs=0"

# --- a VF on a host driver is not guarded (only VFIO hands a VF to a guest this way) -------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 1\nDriversAutoprobe = no\nDriver = iavf'
run "$R" start eno5
holder "$R" 5002 odd /dev/vfio/40
run "$R" stop eno5
expect host-driver-not-guarded test "$rc" = 0 -a "$writes" = "sriov_numvfs=0"
rm -rf "$R/proc/5002"

# --- --force goes on, with a warning ------------------------------------------------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start eno5
holder "$R" 4242 qemu-system-x86 /dev/vfio/40
run "$R" --force stop eno5
expect force-stop test "$rc" = 0 -a "$writes" = "sriov_numvfs=0"
expect force-stop-warns has "eno5: 1 VFs are in use; going on to remove the VFs, as --force says"
run "$R" start eno5
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 1\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" -f start eno5
expect force-count-change test "$rc" = 0 -a "${writes%% driver_override*}" = "sriov_numvfs=0 sriov_numvfs=1" -a "$(numvfs "$D")" = 1
# The stand-in kernel works in the background (a real one removes and adds the VFs before the
# write returns), so VF 0's old driver link may outlive the helper's look at it: start again
# until VF 0 is bound, since the checks below need a VFIO-bound VF.  Through plain(), like
# every run: the helper walks the VFs with libudev, which reads /sys, so it must see ROOT/sys
# there.  (A bound on the retries, not a measurement.)
for i in $(seq 50); do
        [ "$(driver_of "$R" 0)" = vfio-pci ] && break
        plain "$R" -f start eno5
        sleep 0.1
done
expect force-count-change-bound test "$(driver_of "$R" 0)" = vfio-pci

# --- /proc unreadable: cannot tell, so refuse (unless --force) --------------------------------
mv "$R/proc" "$R/proc.away"
run "$R" stop eno5
expect no-proc-refused test "$rc" = 75 -a -z "$writes"
expect no-proc-message has "eno5: cannot check whether the VFs are in use"
mv "$R/proc.away" "$R/proc"

# --- without strace (leak check in the sanitizer build) ---------------------------------------
plain "$R" stop eno5
expect plain-refused test "$rc" = 75
plain "$R" --force stop eno5
expect plain-forced test "$rc" = 0 -a "$(numvfs "$D")" = 0
kill "$fk"; wait "$fk" 2>/dev/null || true
finish
