#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hostvirt's VM suite: boot Debian's stock kernel under qemu (TCG) with the
# guest's own systemd, our suite installed by `meson install --destdir`, two
# NUMA nodes, an emulated NVMe PF with PCI SR-IOV and netdevsim; run the
# in-guest checks (guest/run-checks.sh) after multi-user.target and print
# every check by name.  See README.md.
#
# usage: run-vm-tests.sh [--required] [--setup-only]
#   --required    a missing prerequisite (not root, ...) fails instead of skipping (exit 77)
#   --setup-only  prepare the cache (packages, kernel, netdevsim, initramfs, guest tree) and stop
# environment:
#   BUILDDIR, SRCDIR          the meson build and source trees (set by `meson test`)
#   HOSTVIRT_VM_CACHE         cache directory (default /var/cache/hostvirt-tests/vm)
#   HOSTVIRT_VM_RESULTS       where results, console and journal go (default BUILDDIR/tests/vm/results)
#   HOSTVIRT_VM_TIMEOUT       seconds the guest may run from qemu start to power-off (default 1000)
#   HOSTVIRT_VM_STRICT=1      a skipped check counts as a failure
#   HOSTVIRT_VM_ONLY=REGEX    run only the checks whose name matches (in the guest)
#
# exit: 0 all checks passed (skips allowed unless strict), 1 a check failed or
# the guest did not finish, 77 skipped (prerequisite missing), 99 harness error.
set -euo pipefail

here=$(cd "$(dirname "$(realpath "$0")")" && pwd)
required=0 setup_only=0
for a in "$@"; do
        case $a in
        --required) required=1 ;;
        --setup-only) setup_only=1 ;;
        *) echo "usage: $0 [--required] [--setup-only]" >&2; exit 99 ;;
        esac
done

SRCDIR=${SRCDIR:-$(cd "$here/../.." && pwd)}
BUILDDIR=${BUILDDIR:-}
CACHE=${HOSTVIRT_VM_CACHE:-/var/cache/hostvirt-tests/vm}
TIMEOUT=${HOSTVIRT_VM_TIMEOUT:-1000}
SUITE=bookworm

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "vm: $*" >&2; }
skip_or_fail() {
        if [ $required = 1 ]; then
                echo "FAIL vm.prerequisites: $*"
                exit 1
        fi
        echo "SKIP vm (whole suite): $*"
        exit 77
}
t_start=$(now)

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (apt-get, debootstrap, depmod into the cache)"
[ "$(uname -m)" = x86_64 ] || skip_or_fail "needs an x86_64 host"
command -v apt-get > /dev/null || skip_or_fail "needs a Debian host (apt-get)"

# ---------------------------------------------------------------- setup (cached)

export DEBIAN_FRONTEND=noninteractive
apt_updated=0
apt_update() {
        [ $apt_updated = 1 ] && return 0
        say "apt-get update"
        apt-get update -q > "$CACHE/apt-update.log" 2>&1 || { cat "$CACHE/apt-update.log" >&2; return 1; }
        apt_updated=1
}

# Install the Debian packages that are not installed yet.
need_pkgs() {
        local missing=() p
        for p in "$@"; do
                dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
                        || missing+=("$p")
        done
        [ ${#missing[@]} = 0 ] && return 0
        say "installing ${missing[*]}"
        apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" > "$CACHE/apt-install.log" 2>&1 && return 0
        apt_update
        apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" > "$CACHE/apt-install.log" 2>&1 \
                || { tail -20 "$CACHE/apt-install.log" >&2; return 1; }
}

# The Debian mirror this host's apt uses (deb822 or one-line sources), not
# the security archive.
apt_mirror() {
        local m
        m=$( { awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' /etc/apt/sources.list.d/*.sources 2>/dev/null
               sed -e 's/\[[^]]*\]//' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
                       | awk '$1 == "deb" { print $2 }'
             } | grep -E '^https?://' | grep -v security | head -n 1)
        [ -n "$m" ] || { echo "vm: no Debian mirror in the apt configuration" >&2; return 1; }
        echo "$m"
}

# The kernel: the version linux-image-amd64 points at when first set up, then
# kept (Debian's mirror drops old kernels, so the cache is what makes reruns work).
kernel_version() {
        if [ -n "${HOSTVIRT_VM_KERNEL:-}" ]; then
                echo "$HOSTVIRT_VM_KERNEL"
        elif [ -s "$CACHE/kernel/current" ] && [ -f "$CACHE/kernel/$(cat "$CACHE/kernel/current")/ok" ]; then
                cat "$CACHE/kernel/current"
        else
                apt-cache show linux-image-amd64 > /dev/null 2>&1 || apt_update
                apt-cache depends linux-image-amd64 2>/dev/null \
                        | awk '/Depends: linux-image-[0-9]/ { sub("linux-image-", "", $2); print $2; exit }'
        fi
}

setup_kernel() {
        local kv=$1 kd=$CACHE/kernel/$1 ver src
        [ -f "$kd/ok" ] && return 0
        say "setting up kernel $kv with netdevsim"
        rm -rf "$kd"; mkdir -p "$kd/dl"
        need_pkgs make gcc kmod xz-utils "linux-headers-$kv"
        ver=$(dpkg-query -W -f='${Version}' "linux-headers-$kv")
        (cd "$kd/dl" && { apt-get download -q "linux-image-$kv" || { apt_update && apt-get download -q "linux-image-$kv"; }; }) \
                > "$kd/setup.log" 2>&1 || { cat "$kd/setup.log" >&2; return 1; }
        dpkg -x "$kd"/dl/linux-image-"$kv"_*.deb "$kd/x"
        # netdevsim, built out of tree from the same kernel version's source
        # (Debian's config has CONFIG_NETDEVSIM unset)
        (cd "$kd/dl" && apt-get download -q "linux-source-6.1=$ver") >> "$kd/setup.log" 2>&1 \
                || { cat "$kd/setup.log" >&2; return 1; }
        src=$kd/dl/src; mkdir -p "$src"
        dpkg-deb --fsys-tarfile "$kd"/dl/linux-source-6.1_*.deb \
                | tar -xO ./usr/src/linux-source-6.1.tar.xz \
                | tar -xJ -C "$src" linux-source-6.1/drivers/net/netdevsim
        make -C "/usr/src/linux-headers-$kv" M="$src/linux-source-6.1/drivers/net/netdevsim" \
                CONFIG_NETDEVSIM=m modules >> "$kd/setup.log" 2>&1 || { tail -30 "$kd/setup.log" >&2; return 1; }
        mkdir -p "$kd/x/lib/modules/$kv/extra"
        cp "$src/linux-source-6.1/drivers/net/netdevsim/netdevsim.ko" "$kd/x/lib/modules/$kv/extra/"
        depmod -b "$kd/x" "$kv"
        rm -rf "$kd/dl"     # ~200 MB of downloads and source
        touch "$kd/ok"
        echo "$kv" > "$CACHE/kernel/current"
}

setup_initrd() {
        local kv=$1 out=$CACHE/kernel/$1/initrd.gz stamp
        stamp=$(sha256sum "$here/mkinitrd.sh" | cut -c1-16)
        [ -f "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ] && return 0
        say "building the initramfs"
        "$here/mkinitrd.sh" "$CACHE/kernel/$kv/x" "$kv" "$out"
        echo "$stamp" > "$out.stamp"
}

# What the guest tree holds; libraries our binaries link are added on the fly.
GUEST_PKGS="systemd systemd-sysv libpam-systemd udev dbus iproute2 kmod procps jq numactl libinih1 libmnl0 libvirt-daemon-system network-manager"

setup_rootfs() {
        local r=$CACHE/rootfs mirror
        if [ ! -f "$r/.hostvirt-ok" ]; then
                say "debootstrap $SUITE guest tree (once)"
                need_pkgs debootstrap
                mirror=$(apt_mirror)
                rm -rf "$r"
                debootstrap --variant=minbase --include="${GUEST_PKGS// /,}" "$SUITE" "$r" "$mirror" \
                        > "$CACHE/debootstrap.log" 2>&1 || { tail -30 "$CACHE/debootstrap.log" >&2; return 1; }
                rm -f "$r"/var/cache/apt/archives/*.deb
                touch "$r/.hostvirt-ok"
        fi
        guest_install $GUEST_PKGS
}

# Install packages into the cached guest tree that it does not have yet.
guest_install() {
        local r=$CACHE/rootfs missing=() p
        for p in "$@"; do
                chroot "$r" dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
                        || missing+=("$p")
        done
        [ ${#missing[@]} = 0 ] && return 0
        say "installing into the guest tree: ${missing[*]}"
        cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
        { chroot "$r" apt-get update -q && chroot "$r" apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
                > "$CACHE/guest-apt.log" 2>&1 || { tail -20 "$CACHE/guest-apt.log" >&2; return 1; }
        rm -f "$r"/var/cache/apt/archives/*.deb
}

mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
if ! flock -w 1800 9; then
        echo "FAIL vm.setup: another run holds $CACHE/.lock" >&2
        exit 1
fi
need_pkgs qemu-system-x86 busybox-static cpio kmod
KV=$(kernel_version)
[ -n "$KV" ] || { echo "FAIL vm.setup: cannot tell which kernel linux-image-amd64 installs" >&2; exit 1; }
setup_kernel "$KV" || { echo "FAIL vm.setup: kernel $KV with netdevsim" >&2; exit 1; }
setup_initrd "$KV" || { echo "FAIL vm.setup: initramfs" >&2; exit 1; }
setup_rootfs || { echo "FAIL vm.setup: guest tree" >&2; exit 1; }
t_setup=$(now)
say "setup (cache $CACHE, kernel $KV): $(secs "$t_start" "$t_setup") s"
if [ $setup_only = 1 ]; then
        flock -u 9
        exit 0
fi

# ---------------------------------------------------------------- the layer

run=$(mktemp -d /tmp/hostvirt-vm.XXXXXX)
cleanup() { rm -rf "$run"; }
trap cleanup EXIT
layer=$run/layer
mkdir -p "$layer"

# A prefix=/usr build of the project: the build under test when it is one,
# otherwise a build of our own next to it.
prefix=
if [ -n "$BUILDDIR" ] && [ -f "$BUILDDIR/meson-info/intro-buildoptions.json" ]; then
        prefix=$(python3 -c 'import json, sys; print(next(o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == "prefix"))' \
                 "$BUILDDIR/meson-info/intro-buildoptions.json" 2>/dev/null || true)
fi
if [ -n "$BUILDDIR" ] && [ "$prefix" = /usr ]; then
        ubuild=$BUILDDIR
else
        ubuild=${BUILDDIR:-$SRCDIR/build}/tests/vm/usr-build
        [ -n "$BUILDDIR" ] || ubuild=$run/usr-build
        say "configuring a prefix=/usr build in $ubuild"
        if [ -f "$ubuild/build.ninja" ]; then
                meson setup --reconfigure "$ubuild" "$SRCDIR" > "$run/meson-setup.log" 2>&1 \
                        || { cat "$run/meson-setup.log" >&2; exit 99; }
        else
                meson setup --prefix=/usr -Dvm=disabled -Dintegration=disabled "$ubuild" "$SRCDIR" \
                        > "$run/meson-setup.log" 2>&1 || { cat "$run/meson-setup.log" >&2; exit 99; }
        fi
        meson compile -C "$ubuild" > "$run/meson-compile.log" 2>&1 || { tail -40 "$run/meson-compile.log" >&2; exit 99; }
fi
meson install -C "$ubuild" --no-rebuild --destdir "$layer" > "$run/meson-install.log" 2>&1 \
        || { cat "$run/meson-install.log" >&2; exit 99; }

# The guest tree has a merged /usr: a real /lib (etc.) in the layer would hide
# the guest's /lib -> usr/lib symlink, so move such trees under usr/.
for d in bin sbin lib lib32 lib64 libx32; do
        if [ -d "$layer/$d" ] && [ ! -L "$layer/$d" ] && [ -L "$CACHE/rootfs/$d" ]; then
                mkdir -p "$layer/usr/$d"
                cp -a "$layer/$d/." "$layer/usr/$d/"
                rm -rf "${layer:?}/$d"
        fi
done

# The libraries our programs link, from the guest's own packages.
libs=$(find "$layer" -type f -perm -u+x | while read -r f; do
                [ "$(head -c 4 "$f" | tr -d '\177')" = ELF ] && ldd "$f" 2>/dev/null
        done | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u || true)
pkgs=()
for l in $libs; do
        [ -e "$CACHE/rootfs$l" ] && continue
        p=$(dpkg -S "$l" 2>/dev/null || dpkg -S "$(realpath "$l")" 2>/dev/null || dpkg -S "${l#/usr}" 2>/dev/null || true)
        p=${p%%:*}
        [ -n "$p" ] && pkgs+=("$p")
done
[ ${#pkgs[@]} = 0 ] || guest_install "${pkgs[@]}" || { echo "FAIL vm.setup: guest libraries ${pkgs[*]}" >&2; exit 1; }
flock -u 9

# The harness: config, units, checks.
g=$here/guest
install -D -m 644 "$g/50-vmtest.conf" "$layer/etc/hostvirt/50-vmtest.conf"
install -D -m 644 "$g/modules-load-vfio-pci.conf" "$layer/etc/modules-load.d/vfio-pci.conf"
install -d "$layer/etc/systemd/system/sysinit.target.wants" "$layer/etc/systemd/system/multi-user.target.wants"
for u in hostvirt-vmtest.target hostvirt-vmtest.service hostvirt-vmtest-devices.service hostvirt-vmtest-netmgr.service; do
        install -m 644 "$g/$u" "$layer/etc/systemd/system/$u"
done
ln -s ../hostvirt-vmtest-devices.service "$layer/etc/systemd/system/sysinit.target.wants/"
ln -s ../hostvirt-vmtest-netmgr.service "$layer/etc/systemd/system/multi-user.target.wants/"
# NetworkManager is installed but masked at boot, so that it touches none of the other groups'
# devices; the networkmanager group unmasks and starts it, last.  No automatic DHCP connection
# for every Ethernet device it sees (netdevsim's).
ln -s /dev/null "$layer/etc/systemd/system/NetworkManager.service"
ln -s /dev/null "$layer/etc/systemd/system/NetworkManager-wait-online.service"
install -D -m 644 /dev/stdin "$layer/etc/NetworkManager/conf.d/50-vmtest.conf" <<'EOF'
[main]
no-auto-default=*
EOF
install -d "$layer/usr/lib/hostvirt-vmtest"
install -m 755 "$g/run-checks.sh" "$g/boot-devices.sh" "$layer/usr/lib/hostvirt-vmtest/"
# The faults suite's shim (tests/faults, built by tests/meson.build): the VLAN and bond halves
# of its kill test need 802.1Q and bonding, so they run here.
[ ! -f "$ubuild/tests/fault-inject.so" ] \
        || install -m 644 "$ubuild/tests/fault-inject.so" "$layer/usr/lib/hostvirt-vmtest/"
# The net suite's kernel-dependent halves (tests/net: vlan.sh 8021q, bond.sh bonding,
# bridge-netfilter.sh with Debian's br_netfilter module), which the development host's kernel
# may not run: the scripts, and a build tree where tests/net/lib.sh finds the installed programs.
t=$layer/usr/lib/hostvirt-vmtest
install -D -m 644 "$SRCDIR/tests/lib/common.sh" "$t/src/tests/lib/common.sh"
for f in lib.sh vlan.sh bond.sh bridge-netfilter.sh; do install -D -m 644 "$SRCDIR/tests/net/$f" "$t/src/tests/net/$f"; done
install -d "$t/build/src/net" "$t/build/src/cli"
ln -s /usr/libexec/hostvirt/hostvirt-net "$t/build/src/net/hostvirt-net"
ln -s /usr/bin/hostvirt "$t/build/src/cli/hostvirt"
# A fixed machine id: persistent VF MACs are derived from it.
echo 5f1e0a6c3b2d4e8f9a0b1c2d3e4f5a6b > "$layer/etc/machine-id"
echo hvguest > "$layer/etc/hostname"
[ -z "${HOSTVIRT_VM_ONLY:-}" ] || echo "$HOSTVIRT_VM_ONLY" > "$layer/usr/lib/hostvirt-vmtest/only"
t_layer=$(now)
say "layer (meson install --destdir from $ubuild): $(secs "$t_setup" "$t_layer") s"

# ---------------------------------------------------------------- boot

results=${HOSTVIRT_VM_RESULTS:-${BUILDDIR:+$BUILDDIR/tests/vm/results}}
results=${results:-$run/results}
rm -rf "$results"; mkdir -p "$results"
kd=$CACHE/kernel/$KV
v=security_model=none
say "booting (results in $results, guest limit ${TIMEOUT} s)"
qrc=0
timeout --kill-after=10 "$TIMEOUT" qemu-system-x86_64 \
        -M q35 -accel tcg,thread=multi -cpu max -smp 2 -m 8G \
        -object memory-backend-ram,id=m0,size=4G -object memory-backend-ram,id=m1,size=4G \
        -numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 \
        -kernel "$kd/x/boot/vmlinuz-$KV" -initrd "$kd/initrd.gz" \
        -append "console=ttyS0 quiet panic=-1 intel_iommu=on iommu=pt hugepagesz=1G hugepages=0:1 systemd.show_status=auto systemd.unit=hostvirt-vmtest.target" \
        -virtfs "local,path=$CACHE/rootfs,mount_tag=root,$v,readonly=on,multidevs=remap" \
        -virtfs "local,path=$layer,mount_tag=layer,$v,readonly=on,multidevs=remap" \
        -virtfs "local,path=$kd/x/lib/modules/$KV,mount_tag=kmod,$v,readonly=on" \
        -virtfs "local,path=$results,mount_tag=hvresult,$v" \
        -device intel-iommu,intremap=off \
        -device pcie-root-port,id=rp0,bus=pcie.0,chassis=1,addr=0x10 \
        -device nvme-subsys,id=nvmesubsys0 \
        -device nvme,bus=rp0,serial=hvsriov0,subsys=nvmesubsys0,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4 \
        -nic none -display none -monitor none -serial "file:$results/console.log" -no-reboot \
        || qrc=$?
t_boot_end=$(now)

# ---------------------------------------------------------------- results

r=$results/results.txt
npass=0 nfail=0 nskip=0 skipped=()
if [ -f "$r" ]; then
        while IFS= read -r line; do
                case $line in
                "PASS "*) npass=$((npass + 1)); echo "$line" ;;
                "FAIL "*) nfail=$((nfail + 1)); echo "$line" ;;
                "SKIP "*) nskip=$((nskip + 1)); skipped+=("$(echo "$line" | cut -d' ' -f2)"); echo "$line" ;;
                "INFO "*) echo "$line" ;;
                esac
        done < "$r"
fi
if ! grep -qx 'END' "$r" 2>/dev/null; then
        nfail=$((nfail + 1))
        if [ $qrc = 124 ] || [ $qrc = 137 ]; then why="stopped after ${TIMEOUT} s"; else why="qemu exited with $qrc"; fi
        if [ -f "$results/boot-initramfs" ]; then
                why="$why; the initramfs handed over to systemd at $(cut -d' ' -f2 "$results/boot-initramfs") s"
        else
                why="$why; the initramfs never ran to its end"
        fi
        [ -f "$r" ] && why="$why; the checks started"
        echo "FAIL vm.guest-finished: the guest did not finish its checks ($why); console tail:"
        tail -n 40 "$results/console.log" 2>/dev/null | sed 's/^/    | /'
fi

total=$(secs "$t_start" "$t_boot_end")
{
        echo "timing: setup $(secs "$t_start" "$t_setup") s, layer $(secs "$t_setup" "$t_layer") s," \
             "qemu $(secs "$t_layer" "$t_boot_end") s, total $total s"
        [ -f "$results/timing.txt" ] && sed 's/^/timing (guest clock): /' "$results/timing.txt"
        echo "results, console, journal: $results"
} >&2
if [ $nskip -gt 0 ]; then
        echo "skipped (features not there yet): ${skipped[*]}"
        if [ "${HOSTVIRT_VM_STRICT:-0}" = 1 ]; then
                echo "HOSTVIRT_VM_STRICT=1: skipped checks count as failures"
                nfail=$((nfail + nskip))
        fi
fi
echo "vm: $npass passed, $nfail failed, $nskip skipped"
[ $nfail = 0 ]
