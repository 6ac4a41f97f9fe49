#!/bin/bash
# NetworkManager and the VFs: hostvirt-udev-vf (the import program of 71-hostvirt-vf.rules)
# on fake device trees, then both static rules through `udevadm test`.  Fake sysfs trees
# (tests/vf/lib.sh says why), bound over /sys in a private mount namespace, where the system's
# rule directories are also replaced by ours alone.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"
source "$SRCDIR/tests/lib/udevadm.sh"
PROG=$BUILDDIR/src/udev/hostvirt-udev-vf
RULE=$BUILDDIR/udev-rules/test-71-hostvirt-vf.rules

# mkvfnet ROOT N IFNAME: the network interface of VF N
mkvfnet() {
        local d
        d=$(vf_dir "$1" "$2")/net/$3
        mkdir -p "$d"
        touch "$d/uevent"
        ln -sfn ../../../../../../class/net "$d/subsystem"
        ln -sfn "../../../$(vf_addr "$2")" "$d/device"
        ln -sfn "../../devices/$PCI/$(vf_addr "$2")/net/$3" "$1/sys/class/net/$3"
}
devpath() { echo "/devices/$PCI/$(vf_addr "$1")/net/$2"; }
# import ROOT ARG: runs the program; sets $out and $rc
import() {
        rc=0
        out=$(in_sys "$1" env HOSTVIRT_ROOT="$1" "$PROG" "$2" 2>&1) || rc=$?
}

R=$(mktempdir); mkpf "$R" eno5 pci 8 >/dev/null
mkvf "$R" 0 iavf; mkvfnet "$R" 0 eth7
mkvf "$R" 1 iavf; mkvfnet "$R" 1 enp3s0f1v1

# --- the PF is configured, Unmanaged= left at its default ---------------------------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2'
import "$R" "$(devpath 0 eth7)"
expect default-unmanaged test "$rc" = 0 -a "$out" = $'HOSTVIRT_PF=eno5\nNM_UNMANAGED=1'
import "$R" enp3s0f1v1
expect by-interface-name test "$rc" = 0 -a "$out" = $'HOSTVIRT_PF=eno5\nNM_UNMANAGED=1'

# --- Unmanaged=no: the PF is named, NetworkManager is left to its own rules ----------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nUnmanaged = no'
import "$R" "$(devpath 0 eth7)"
expect managed test "$rc" = 0 -a "$out" = "HOSTVIRT_PF=eno5"

# --- the PF named by its PCI address ---------------------------------------------------------------
conf "$R" <<<$'[SR-IOV 0000:03:00.0]\nVirtualFunctions = 2\nUnmanaged = yes'
import "$R" "$(devpath 1 enp3s0f1v1)"
expect pci-named-pf test "$rc" = 0 -a "$out" = $'HOSTVIRT_PF=0000:03:00.0\nNM_UNMANAGED=1'

# --- a PF that is not configured, or whose section is invalid: nothing -----------------------------
conf "$R" <<<$'[SR-IOV eno6]\nVirtualFunctions = 2'
import "$R" "$(devpath 0 eth7)"
expect other-pf test "$rc" = 0 -a -z "$out"
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = many'
import "$R" "$(devpath 0 eth7)"
expect invalid-section-quiet test "$rc" = 0 -a -z "$out"

# --- errors elsewhere in the configuration do not matter (and are not printed) ---------------------
conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\n[Hugepages 3X]\nPages = 1\n[Nonsense]\nA = b'
import "$R" "$(devpath 0 eth7)"
expect other-errors-ignored test "$rc" = 0 -a "$out" = $'HOSTVIRT_PF=eno5\nNM_UNMANAGED=1'

# --- not a VF: the PF's own interface, and a device that is gone -------------------------------------
import "$R" eno5
expect pf-itself test "$rc" = 0 -a -z "$out"
import "$R" /devices/virtual/net/nosuch0
expect gone-device test "$rc" = 1

# --- the rules through udevadm test (real rule parsing and matching) --------------------------------
if command -v udevadm >/dev/null; then
        mkdir -p "$R/rules" "$R/empty"
        # udev runs import programs with the device's properties as their environment:
        # the test seam goes in front of the program
        sed "s|IMPORT{program}=\"|IMPORT{program}=\"/usr/bin/env HOSTVIRT_ROOT=$R SYSTEMD_DEVICE_VERIFY_SYSFS=0 |" \
                "$RULE" > "$R/rules/71-hostvirt-vf.rules"
        cp "$SRCDIR/udev-rules/70-hostvirt-sriov.rules" "$R/rules/"
        # udevtest DEVPATH: sets $out (udevadm test's output and log) and $props (the
        # device's properties after the rules).  systemd 257 runs no IMPORT{program} in
        # test mode (252 does): then the command line the rules chose, as udev expanded
        # it, is run here, in the same namespace, and its output imported as udevd would.
        udevtest() {
                local cmd imported=
                rc=0
                out=$(in_sys "$R" sh -c 'mount --bind "$0/rules" /etc/udev/rules.d && mount --bind "$0/empty" /usr/lib/udev/rules.d &&
                        { [ /lib/udev/rules.d -ef /usr/lib/udev/rules.d ] || mount --bind "$0/empty" /lib/udev/rules.d; } &&
                        { [ ! -d /run/udev/rules.d ] || mount --bind "$0/empty" /run/udev/rules.d; } &&
                        udevadm test --action=add "$1" 2>"$0/udevadm.log"' "$R" "$1") || rc=$?
                props=$(udevadm_props <<<"$out")
                out+=$'\n'$(cat "$R/udevadm.log")
                if grep -q "skipping execution of '" "$R/udevadm.log"; then
                        while IFS= read -r cmd; do
                                [ -n "$cmd" ] || continue
                                # (the command line holds no quotes: env, the program, the devpath)
                                # shellcheck disable=SC2086
                                imported+=$(in_sys "$R" $cmd)$'\n' || rc=$?
                        done < <(udevadm_import_cmds <"$R/udevadm.log")
                        props+=$'\n'$(udevadm_props <<<"$imported")
                fi
        }
        conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2'
        udevtest /sys/class/net/eth7
        expect udevadm-rules-read bash -c 'grep -q "Reading rules file: /etc/udev/rules.d/71-hostvirt-vf.rules" <<<"$1" && ! grep -qi "invalid\|error" <<<"$(grep "rules.d/7[01]-hostvirt" <<<"$1")"' _ "$out"
        expect udevadm-vf-unmanaged bash -c 'grep -qx "NM_UNMANAGED=1" <<<"$1" && grep -qx "HOSTVIRT_PF=eno5" <<<"$1"' _ "$props"
        conf "$R" <<<$'[SR-IOV eno5]\nVirtualFunctions = 2\nUnmanaged = no'
        udevtest /sys/class/net/eth7
        expect udevadm-vf-managed bash -c '! grep -q "NM_UNMANAGED" <<<"$1" && grep -qx "HOSTVIRT_PF=eno5" <<<"$1"' _ "$props"
        udevtest /sys/class/net/eno5
        expect udevadm-pf-not-imported bash -c '! grep -q "hostvirt-udev-vf" <<<"$1" && ! grep -q "NM_UNMANAGED" <<<"$2"' _ "$out" "$props"
        # 70-hostvirt-sriov.rules: an SR-IOV capable PCI device gets a device unit by address
        udevtest /sys/bus/pci/devices/0000:03:00.0
        expect udevadm-sriov-pf-alias bash -c 'grep -qx "SYSTEMD_ALIAS=/sys/bus/pci/devices/0000:03:00.0" <<<"$1" && grep -q "^TAGS=.*:systemd:" <<<"$1"' _ "$props"
        udevtest /sys/bus/pci/devices/0000:03:00.1
        expect udevadm-vf-no-alias bash -c 'grep -qx "SUBSYSTEM=pci" <<<"$1" && ! grep -q "SYSTEMD_ALIAS" <<<"$1"' _ "$props"
else
        skip udevadm "udevadm is not installed"
fi
finish
