# Shared by the VF helper's shell tests: fake sysfs trees, a stand-in kernel, and a way to
# run the helper on them.  Source it after tests/lib/common.sh.
#
# Why fake trees: this machine has no SR-IOV device, no VFIO and no netdevsim (the VM suite,
# tests/vm, runs the helper on netdevsim and an emulated NVMe PF).  The helper reads sysfs
# two ways: its own reads and writes go through HOSTVIRT_ROOT, and libudev (the VF walk)
# reads the real /sys.  So every run binds ROOT/sys over /sys in a private mount namespace
# (unshare -m), as docs/DESIGN.md (Tests) says; nothing of it is visible outside that run.
# libudev also checks that a device directory is on a sysfs file system;
# SYSTEMD_DEVICE_VERIFY_SYSFS=0 is systemd's own switch for tests to skip that check.
# Which sysfs writes happen, and in which order, is observed with strace, not taken from
# the helper's own log.

VF=$BUILDDIR/src/vf/hostvirt-vf
command -v strace >/dev/null || { echo "strace is needed (tools/deps.sh installs it)"; exit 1; }
command -v unshare >/dev/null || { echo "unshare (util-linux) is needed"; exit 1; }

PCI=pci0000:00/0000:00:01.0
PF_ADDR=0000:03:00.0

# vf_addr N: the PCI address of VF N (0000:03:00.N+1; enough for the few VFs of a test)
vf_addr() { echo "0000:03:00.$(($1 + 1))"; }
vf_dir() { echo "$1/sys/devices/$PCI/$(vf_addr "$2")"; }

# mkpf ROOT NAME [pci] [TOTALVFS]: a PF netdev NAME on PCI function 0000:03:00.0.  With
# "pci" its subsystem link says PCI (so the helper waits for virtfn* links and walks its VFs);
# otherwise it is on a bus of its own, like netdevsim.  Prints the PF's device directory.
mkpf() {
        local root=$1 name=$2 kind=${3:-} total=${4:-}
        local dev=$root/sys/devices/$PCI/$PF_ADDR
        mkdir -p "$dev/net/$name" "$root/sys/class/net" "$root/sys/bus/pci/devices" "$root/sys/bus/pci/drivers" \
                "$root/sys/bus/netdevsim" "$root/sys/kernel/iommu_groups" "$root/proc"
        touch "$dev/uevent" "$dev/net/$name/uevent" "$root/sys/bus/pci/drivers_probe"
        ln -sfn ../../devices/$PCI/$PF_ADDR/net/$name "$root/sys/class/net/$name"
        ln -sfn ../../../$PF_ADDR "$dev/net/$name/device"
        ln -sfn ../../../../../../class/net "$dev/net/$name/subsystem"
        ln -sfn ../../../devices/$PCI/$PF_ADDR "$root/sys/bus/pci/devices/$PF_ADDR"
        if [ "$kind" = pci ]; then ln -sfn ../../../../bus/pci "$dev/subsystem"; else ln -sfn ../../../../bus/netdevsim "$dev/subsystem"; fi
        echo 0 > "$dev/sriov_numvfs"
        echo 1 > "$dev/sriov_drivers_autoprobe"
        [ -z "$total" ] || echo "$total" > "$dev/sriov_totalvfs"
        echo "$dev"
}

# mkdrv ROOT NAME...: PCI drivers that are "loaded" (the stand-in kernel binds to them)
mkdrv() {
        local root=$1 d; shift
        for d in "$@"; do mkdir -p "$root/sys/bus/pci/drivers/$d"; touch "$root/sys/bus/pci/drivers/$d/unbind"; done
}

# mkvf ROOT N [DRIVER]: VF N's PCI function, in IOMMU group 40+N, optionally bound
mkvf() {
        local root=$1 n=$2 drv=${3:-} d a
        d=$(vf_dir "$root" "$n"); a=$(vf_addr "$n")
        mkdir -p "$d" "$root/sys/kernel/iommu_groups/$((40 + n))"
        touch "$d/uevent"
        echo '(null)' > "$d/driver_override"
        ln -sfn ../../../../bus/pci "$d/subsystem"
        ln -sfn ../$PF_ADDR "$d/physfn"
        ln -sfn ../../../../kernel/iommu_groups/$((40 + n)) "$d/iommu_group"
        ln -sfn ../../../devices/$PCI/$a "$root/sys/bus/pci/devices/$a"
        [ -z "$drv" ] || ln -sfn "../../../../bus/pci/drivers/$drv" "$d/driver"
        # last, as the kernel's virtfn link is what the helper waits for
        ln -sfn "../$a" "$root/sys/devices/$PCI/$PF_ADDR/virtfn$n"
}

# fake_kernel ROOT: a stand-in for the kernel, run in the background.  Creates and removes VF
# PCI functions to match sriov_numvfs (binding new ones to iavf when autoprobe is on and iavf
# is "loaded"), unbinds what a driver's unbind names, and binds what drivers_probe names to
# its driver_override, unless that driver has a file "refuse".  Ends when ROOT goes away.
fake_kernel() {
        local root=$1
        local pf=$root/sys/devices/$PCI/$PF_ADDR n i l a d o drv probe auto
        touch "$root/.fake-kernel"
        while [ -d "$root/sys" ]; do
                n=0; read -r n < "$pf/sriov_numvfs" 2>/dev/null || true; n=${n:-0}
                for l in "$pf"/virtfn*; do
                        [ -L "$l" ] || continue
                        i=${l##*virtfn}
                        [ "$i" -ge "$n" ] || continue
                        rm -rf "$(vf_dir "$root" "$i")" "$root/sys/bus/pci/devices/$(vf_addr "$i")" "$l"
                done
                for ((i = 0; i < n; i++)); do
                        [ -L "$pf/virtfn$i" ] && continue
                        auto=1; read -r auto < "$pf/sriov_drivers_autoprobe" 2>/dev/null || true
                        drv=; [ "$auto" = 1 ] && [ -d "$root/sys/bus/pci/drivers/iavf" ] && drv=iavf
                        mkvf "$root" "$i" $drv
                done
                for d in "$root"/sys/bus/pci/drivers/*/; do
                        [ -d "$d" ] || continue
                        a=; read -r a < "$d/unbind" 2>/dev/null || true
                        [ -n "$a" ] || continue
                        l=$root/sys/bus/pci/devices/$a/driver
                        [ "$(readlink -f "$l" 2>/dev/null)" = "$(readlink -f "$d")" ] && rm -f "$(readlink -f "$root/sys/bus/pci/devices/$a")/driver"
                        : > "$d/unbind"
                done
                probe=; read -r probe < "$root/sys/bus/pci/drivers_probe" 2>/dev/null || true
                if [ -n "$probe" ] && [ -d "$root/sys/bus/pci/devices/$probe" ]; then
                        d=$(readlink -f "$root/sys/bus/pci/devices/$probe")
                        o=; read -r o < "$d/driver_override" 2>/dev/null || true
                        if [ -n "$o" ] && [ "$o" != '(null)' ] && [ ! -e "$d/driver" ] && \
                           [ -d "$root/sys/bus/pci/drivers/$o" ] && [ ! -e "$root/sys/bus/pci/drivers/$o/refuse" ]; then
                                ln -sfn "../../../../bus/pci/drivers/$o" "$d/driver"
                        fi
                fi
                sleep 0.02
        done
}

# settle ROOT: with a stand-in kernel running, waits until it has caught up with sriov_numvfs
# (the real kernel is done when the write returns; the stand-in polls)
settle() {
        local root=$1 pf=$1/sys/devices/$PCI/$PF_ADDR n have i
        [ -e "$root/.fake-kernel" ] || return 0
        for ((i = 0; i < 250; i++)); do
                n=$(cat "$pf/sriov_numvfs" 2>/dev/null || echo 0)
                have=$(find "$pf" -maxdepth 1 -name 'virtfn*' | wc -l)
                [ "${n:-0}" = "$have" ] && return 0
                sleep 0.02
        done
}

conf() { mkdir -p "$1/etc/hostvirt"; cat > "$1/etc/hostvirt/test.conf"; }

# in_sys ROOT CMD...: CMD in a private mount namespace with ROOT/sys over /sys
in_sys() {
        local root=$1; shift
        mkdir -p "$root/sys"
        unshare -m -- sh -c 'mount --bind "$0/sys" /sys && exec env SYSTEMD_DEVICE_VERIFY_SYSFS=0 "$@"' "$root" "$@"
}

# in_netns ROOT CMD...: the same in a network namespace of its own as well, with a veth pair
# hvpf0/hvpf1 in it (a netdev that has no VFs: real rtnetlink answers without IFLA_VFINFO_LIST)
in_netns() {
        local root=$1; shift
        mkdir -p "$root/sys"
        unshare -m -n -- sh -c 'ip link add hvpf0 type veth peer name hvpf1 && mount --bind "$0/sys" /sys &&
                exec env SYSTEMD_DEVICE_VERIFY_SYSFS=0 "$@"' "$root" "$@"
}

# run ROOT ARGS...: runs the helper under strace (in the namespaces of ${IN:-in_sys}); sets
# $out, $rc, $writes (the sysfs attributes opened for writing and what was written, in order:
# "sriov_numvfs=0 ...") and $sockets (the address families of the sockets it opened)
run() {
        local root=$1; shift
        rc=0
        # LeakSanitizer cannot run under ptrace: leaks are checked by plain() runs
        out=$(${IN:-in_sys} "$root" env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" HOSTVIRT_ROOT="$root" \
                strace -f -qq -e trace=openat,write,socket -e signal=none -o "$root/strace" "$VF" "$@" 2>&1) || rc=$?
        writes=$(awk '
                /openat\(.*O_WRONLY/ { match($0, /"[^"]*"/); p = substr($0, RSTART + 1, RLENGTH - 2); n = split(p, a, "/"); match($0, /= [0-9]+$/); fd[substr($0, RSTART + 2)] = a[n] }
                /^[0-9]+ +write\([0-9]+,/ { match($0, /write\([0-9]+/); f = substr($0, RSTART + 6, RLENGTH - 6); if (f in fd) { match($0, /"[^"]*"/); printf "%s=%s ", fd[f], substr($0, RSTART + 1, RLENGTH - 2) } }
        ' "$root/strace")
        writes=${writes% }
        settle "$root"
        sockets=$(grep -o 'socket(AF_[A-Z]*' "$root/strace" | sed 's/socket(//' | tr '\n' ' ')
        sockets=${sockets% }
}

# plain ROOT ARGS...: the same without strace, so that a sanitizer build checks for leaks
plain() {
        local root=$1; shift
        rc=0
        out=$(${IN:-in_sys} "$root" env HOSTVIRT_ROOT="$root" "$VF" "$@" 2>&1) || rc=$?
        writes=
        settle "$root"
}

expect() { # NAME TEST...
        local n=$1; shift
        if "$@"; then pass "$n"; else fail "$n" "rc=$rc writes='${writes:-}' out: $(echo "$out" | tail -4 | tr '\n' '|')"; fi
}
has() { grep -qF -- "$1" <<<"$out"; }
numvfs() { cat "$1/sriov_numvfs"; }
driver_of() { basename "$(readlink "$(vf_dir "$1" "$2")/driver")" 2>/dev/null || echo none; }
