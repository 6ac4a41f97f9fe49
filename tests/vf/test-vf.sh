#!/bin/bash
# The VF helper (hostvirt-vf): VF counts, autoprobe, waiting for the VFs, errors, on fake
# sysfs trees (tests/vf/lib.sh says why and how).
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"

# --- fresh create, a PF like netdevsim (no sriov_totalvfs, not on the PCI bus) ---------------
R=$(mktempdir); D=$(mkpf "$R" eno4)
conf "$R" <<<$'[SR-IOV eno4]\nVirtualFunctions = 4'
run "$R" start eno4
expect fresh-create test "$rc" = 0 -a "$(numvfs "$D")" = 4 -a "$writes" = "sriov_numvfs=4"
expect fresh-create-logs-pf-name grep -q '^eno4: creating 4 VFs' <<<"$out"
expect autoprobe-untouched-by-default test "$(cat "$D/sriov_drivers_autoprobe")" = 1

# --- the same count again: nothing written ------------------------------------------------------
run "$R" start eno4
expect same-count-no-write test "$rc" = 0 -a -z "$writes"
expect same-count-says-so grep -q 'already has 4 VFs' <<<"$out"

# --- a count change goes through 0 -------------------------------------------------------------
conf "$R" <<<$'[SR-IOV eno4]\nVirtualFunctions = 2'
run "$R" start eno4
expect change-through-zero test "$rc" = 0 -a "$writes" = "sriov_numvfs=0 sriov_numvfs=2" -a "$(numvfs "$D")" = 2

# --- stop, and stop again ----------------------------------------------------------------------
run "$R" stop eno4
expect stop test "$rc" = 0 -a "$writes" = "sriov_numvfs=0" -a "$(numvfs "$D")" = 0
run "$R" stop eno4
expect stop-idempotent test "$rc" = 0 -a -z "$writes"

# --- over sriov_totalvfs: refused, nothing written ---------------------------------------------
R=$(mktempdir); D=$(mkpf "$R" eno5 pci 4)
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 8\nDriversAutoprobe = no'
run "$R" start eno5
expect over-totalvfs-refused test "$rc" = 1 -a -z "$writes" -a "$(numvfs "$D")" = 0 -a "$(cat "$D/sriov_drivers_autoprobe")" = 1
expect over-totalvfs-message grep -q 'eno5: VirtualFunctions=8 exceeds what the device supports (sriov_totalvfs=4); nothing changed' <<<"$out"

# --- autoprobe off, on a PCI PF whose VFs appear as virtfn* links --------------------------------
fake_kernel "$R" & fk=$!
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 3\nDriversAutoprobe = no'
run "$R" start eno5
expect autoprobe-off-then-numvfs test "$rc" = 0 -a "$writes" = "sriov_drivers_autoprobe=0 sriov_numvfs=3"
expect waits-for-virtfn test -L "$D/virtfn0" -a -L "$D/virtfn1" -a -L "$D/virtfn2"

# --- the same PF named by its PCI address ------------------------------------------------------
conf "$R" <<<$'[SR-IOV 0000:03:00.0]\nVirtualFunctions = 1\nDriversAutoprobe = no'
run "$R" start 0000:03:00.0
expect pci-address-pf test "$rc" = 0 -a "$writes" = "sriov_numvfs=0 sriov_numvfs=1" -a "$(numvfs "$D")" = 1
run "$R" stop 0000:03:00.0
expect pci-address-stop test "$rc" = 0 -a "$writes" = "sriov_numvfs=0"
kill "$fk"; wait "$fk" 2>/dev/null || true

# --- a PCI address in upper case names the same PF and the same section, as in the loader -------
# (the kernel names the device 0000:0a:00.0 in sysfs; so does the loader for [SR-IOV 0000:0A:00.0])
PF_ADDR=0000:0a:00.0
R=$(mktempdir); D=$(mkpf "$R" eno3 pci 8)
mkdrv "$R" vfio-pci
fake_kernel "$R" & fk=$!
conf "$R" <<<$'[SR-IOV 0000:0A:00.0]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start 0000:0A:00.0
expect pci-upper-start test "$rc" = 0 -a "$(numvfs "$D")" = 2 -a "${writes%% driver_override*}" = "sriov_drivers_autoprobe=0 sriov_numvfs=2"
expect pci-upper-start-bound test "$(driver_of "$R" 0) $(driver_of "$R" 1)" = "vfio-pci vfio-pci"
expect pci-upper-start-logs-kernel-name has "0000:0a:00.0: 2 VFs ready"
conf "$R" <<<$'[SR-IOV 0000:0a:00.0]\nVirtualFunctions = 2\nDriversAutoprobe = no\nDriver = vfio-pci'
run "$R" start 0000:0A:00.0
expect pci-upper-lower-section test "$rc" = 0 -a -z "$writes"
run "$R" start 0000:0a:00.0
expect pci-lower-same test "$rc" = 0 -a -z "$writes"
# the in-use guard finds the VFs of the PF named in upper case (a guest holds VF 0's group)
mkdir -p "$R/proc/4242/fd" "$R/proc/self" "$R/proc/sys"
echo qemu-system-x86 > "$R/proc/4242/comm"; ln -sfn /dev/vfio/40 "$R/proc/4242/fd/17"
run "$R" stop 0000:0A:00.0
expect pci-upper-stop-guarded test "$rc" = 75 -a -z "$writes" -a "$(numvfs "$D")" = 2
expect pci-upper-stop-guard-says has "0000:0a:00.0: VF 0 (0000:03:00.1) is bound to vfio-pci and in use"
rm -r "$R/proc/4242"
run "$R" stop 0000:0A:00.0
expect pci-upper-stop test "$rc" = 0 -a "$writes" = "sriov_numvfs=0" -a "$(numvfs "$D")" = 0
expect pci-upper-stop-not-gone bash -c '! grep -q "device is gone" <<<"$1"' _ "$out"
kill "$fk"; wait "$fk" 2>/dev/null || true
PF_ADDR=0000:03:00.0

# --- errors: no such device, no section, not SR-IOV capable, a broken config elsewhere ----------
R=$(mktempdir); conf "$R" <<<$'[SR-IOV eno9]\nVirtualFunctions = 1'
run "$R" start eno9
expect missing-device test "$rc" = 1 -a -z "$writes"
expect missing-device-message grep -q 'eno9: no such network interface' <<<"$out"
run "$R" stop eno9
expect stop-missing-device-ok test "$rc" = 0 -a -z "$writes"
D=$(mkpf "$R" eno6)
run "$R" start eno6
expect no-section test "$rc" = 6 -a -z "$writes"
expect no-section-message grep -qxF "eno6: no valid [SR-IOV eno6] section in the configuration (see 'hostvirt check')." <<<"$out"
conf "$R" <<<$'[SR-IOV eno6]\nVirtualFunctions = two'
run "$R" start eno6
expect bad-section-not-configured test "$rc" = 6 -a -z "$writes"
expect bad-section-shows-why grep -q '/etc/hostvirt/test.conf:2: error: invalid VirtualFunctions=two' <<<"$out"
conf "$R" <<<$'[SR-IOV eno6]\nVirtualFunctions = 1\n[Hugepages 3X]\nPages = 1'
run "$R" start eno6
expect other-errors-not-ours test "$rc" = 0 -a "$writes" = "sriov_numvfs=1"
expect other-errors-counted grep -qxF "eno6: the configuration has 1 error in other sections, which do not stop this one (see 'hostvirt check')." <<<"$out"
expect other-errors-quiet bash -c '! grep -q Hugepages <<<"$1"' _ "$out"
rm "$D/sriov_numvfs"
run "$R" start eno6
expect not-sriov-capable test "$rc" = 1 -a -z "$writes"
expect not-sriov-message grep -q 'eno6: the device has no sriov_numvfs' <<<"$out"
run "$R" start 'a/b'
expect invalid-name-refused test "$rc" = 2 -a -z "$writes"

# --- usage: the helpers' table in hostvirt(8) -----------------------------------------------------
for args in "" "start" "start eno6 eno7" "restart eno6" "--frobnicate stop eno6" "stop 0000:03:00"; do
        # shellcheck disable=SC2086
        run "$R" $args
        expect "usage '$args'" test "$rc" = 2 -a -z "$writes"
done
plain "$R" --help
expect usage-help test "$rc" = 0 -a -n "$(grep -F '75 refused because VFs are in use' <<<"$out")"

# --- a failing write leaves the PF as found ------------------------------------------------------
# chattr +i makes the kernel itself refuse the write (EPERM), as a driver would refuse a count.
R=$(mktempdir); D=$(mkpf "$R" eno7)
conf "$R" <<<$'[SR-IOV eno7]\nVirtualFunctions = 2\nDriversAutoprobe = no'
if chattr +i "$D/sriov_numvfs" 2>/dev/null; then
        run "$R" start eno7
        chattr -i "$D/sriov_numvfs"
        expect failed-write-fails test "$rc" = 1 -a "$(numvfs "$D")" = 0
        expect failed-write-restores-autoprobe test "$writes" = "sriov_drivers_autoprobe=0 sriov_drivers_autoprobe=1" -a "$(cat "$D/sriov_drivers_autoprobe")" = 1
        expect failed-write-message grep -q 'eno7: writing sriov_numvfs=2 failed: Operation not permitted' <<<"$out"
else
        skip failed-write "chattr +i is not supported on $(df --output=fstype /tmp | tail -1)"
fi

# --- the same paths without strace, so that a sanitizer build checks them for leaks too -------
R=$(mktempdir); D=$(mkpf "$R" eno8)
conf "$R" <<<$'[SR-IOV eno8]\nVirtualFunctions = 2\nDriversAutoprobe = no'
for args in "start eno8" "start eno8" "stop eno8" "start eno9" "start a/b" "stop eno9"; do
        plain "$R" $args
        case "$args" in *eno8|"stop eno9") want=0 ;; "start eno9") want=6 ;; *) want=2 ;; esac
        expect "plain-run '$args'" test "$rc" = "$want"
done
finish
