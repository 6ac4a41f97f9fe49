#!/bin/bash
# Driver binding (Driver= per PF and per VF) through driver_override and drivers_probe, on
# fake sysfs trees with a stand-in kernel (tests/vf/lib.sh says why and how).
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/vf/lib.sh"

R=$(mktempdir); D=$(mkpf "$R" eno5 pci 8)
mkdrv "$R" vfio-pci iavf
fake_kernel "$R" & fk=$!

# --- PF Driver= for every VF, a [VF] section picks another one ---------------------------------
conf "$R" <<'EOF'
[SR-IOV eno5]
VirtualFunctions = 3
DriversAutoprobe = no
Driver = vfio-pci
[VF eno5:1]
Driver = iavf
EOF
run "$R" start eno5
expect bind-fresh test "$rc" = 0 -a "$writes" = "sriov_drivers_autoprobe=0 sriov_numvfs=3 driver_override=vfio-pci drivers_probe=0000:03:00.1 driver_override=iavf drivers_probe=0000:03:00.2 driver_override=vfio-pci drivers_probe=0000:03:00.3"
expect bind-fresh-bound test "$(driver_of "$R" 0) $(driver_of "$R" 1) $(driver_of "$R" 2)" = "vfio-pci iavf vfio-pci"
expect bind-fresh-override test "$(cat "$(vf_dir "$R" 0)/driver_override") $(cat "$(vf_dir "$R" 1)/driver_override")" = "vfio-pci iavf"
expect bind-logs-vf has "eno5: VF 1 (0000:03:00.2): binding to iavf"

# --- again: nothing written -------------------------------------------------------------------
run "$R" start eno5
expect bind-idempotent test "$rc" = 0 -a -z "$writes"

# --- a VF bound elsewhere is unbound first ------------------------------------------------------
conf "$R" <<'EOF'
[SR-IOV eno5]
VirtualFunctions = 3
DriversAutoprobe = no
Driver = vfio-pci
EOF
run "$R" start eno5
expect rebind-unbinds-first test "$rc" = 0 -a "$writes" = "driver_override=vfio-pci unbind=0000:03:00.2 drivers_probe=0000:03:00.2"
expect rebind-bound test "$(driver_of "$R" 1)" = vfio-pci
expect rebind-logs has "eno5: VF 1 (0000:03:00.2): unbinding from iavf"

# --- VFs that the host driver took at creation (autoprobe on) -----------------------------------
run "$R" stop eno5
conf "$R" <<'EOF'
[SR-IOV eno5]
VirtualFunctions = 2
[VF eno5:0]
Driver = vfio-pci
EOF
echo 1 > "$D/sriov_drivers_autoprobe"
run "$R" start eno5
expect autoprobed-then-rebound test "$rc" = 0 -a "$writes" = "sriov_numvfs=2 driver_override=vfio-pci unbind=0000:03:00.1 drivers_probe=0000:03:00.1"
expect autoprobed-others-kept test "$(driver_of "$R" 0) $(driver_of "$R" 1)" = "vfio-pci iavf"

# --- the driver is not loaded: refused before anything is written --------------------------------
run "$R" stop eno5
conf "$R" <<'EOF'
[SR-IOV eno5]
VirtualFunctions = 2
DriversAutoprobe = no
[VF eno5:1]
Driver = nosuchdrv
EOF
run "$R" start eno5
expect driver-not-loaded test "$rc" = 1 -a -z "$writes" -a "$(numvfs "$D")" = 0
expect driver-not-loaded-message has "eno5: Driver=nosuchdrv for VF 1, but that driver is not loaded (no /sys/bus/pci/drivers/nosuchdrv)"

# --- the driver does not take the device: the unit fails, the other VFs are bound ---------------
mkdrv "$R" pickydrv; touch "$R/sys/bus/pci/drivers/pickydrv/refuse"
conf "$R" <<'EOF'
[SR-IOV eno5]
VirtualFunctions = 2
DriversAutoprobe = no
Driver = vfio-pci
[VF eno5:0]
Driver = pickydrv
EOF
run "$R" start eno5
expect probe-refused-fails test "$rc" = 1
expect probe-refused-message has "eno5: VF 0 (0000:03:00.1): pickydrv did not take the device (bound: none)"
expect probe-refused-others-bound test "$(driver_of "$R" 1)" = vfio-pci
expect probe-refused-count-kept test "$(numvfs "$D")" = 2
expect probe-refused-summary has "eno5: 1 VFs could not be bound to their driver"

# --- the same PF named by its PCI address -------------------------------------------------------
run "$R" stop eno5
conf "$R" <<'EOF'
[SR-IOV 0000:03:00.0]
VirtualFunctions = 1
DriversAutoprobe = no
Driver = vfio-pci
EOF
run "$R" start 0000:03:00.0
expect pci-named-pf-bound test "$rc" = 0 -a "$writes" = "sriov_numvfs=1 driver_override=vfio-pci drivers_probe=0000:03:00.1" -a "$(driver_of "$R" 0)" = vfio-pci

# --- the same without strace (leak check in the sanitizer build) --------------------------------
plain "$R" start 0000:03:00.0
expect plain-bind test "$rc" = 0
plain "$R" stop 0000:03:00.0
expect plain-stop test "$rc" = 0 -a "$(numvfs "$D")" = 0
kill "$fk"; wait "$fk" 2>/dev/null || true

# --- Driver= on a PF that is no PCI function (netdevsim): refused, nothing written ---------------
R=$(mktempdir); D=$(mkpf "$R" eni3 "" ""); mkdrv "$R" vfio-pci
conf "$R" <<<$'[SR-IOV eni3]\nVirtualFunctions = 2\nDriver = vfio-pci'
run "$R" start eni3
expect not-pci-refused test "$rc" = 1 -a -z "$writes"
expect not-pci-message has "eni3: Driver=vfio-pci for VF 0, but the PF is not a PCI device"
finish
