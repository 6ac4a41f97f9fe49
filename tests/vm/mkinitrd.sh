#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Build the VM suite's initramfs: a static busybox that loads the 9p and
# overlay modules of the guest kernel, assembles the root file system
#
#     overlay(upper = tmpfs, lower = "layer" share : "root" share)
#
# mounts the kernel's modules ("kmod" share) and the writable results
# directory ("hvresult" share), and hands over to the guest's systemd.
#
# usage: mkinitrd.sh MODULES_ROOT KERNEL_VERSION OUTPUT
#   MODULES_ROOT  a directory holding lib/modules/KERNEL_VERSION (depmod'ed)
set -euo pipefail

if [ $# -ne 3 ]; then
        echo "usage: $0 MODULES_ROOT KERNEL_VERSION OUTPUT" >&2
        exit 2
fi
kroot=$1 kver=$2 out=$3

# Debian's busybox-static: the initramfs has no libc
busybox=/bin/busybox
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' \
        || { echo "mkinitrd: busybox-static is not installed" >&2; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t"/{bin,proc,sys,dev,mod,root,layer,ovl,newroot}
cp "$busybox" "$t/bin/busybox"

# The modules and their dependencies, in load order.
modprobe -d "$kroot" -S "$kver" -a --show-depends virtio_pci 9pnet_virtio 9p overlay \
        | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' > "$t/mod/list"
[ -s "$t/mod/list" ] || { echo "mkinitrd: no modules found under $kroot for $kver" >&2; exit 1; }
while read -r m; do
        cp "$m" "$t/mod/"
        basename "$m" >> "$t/mod/order"
done < "$t/mod/list"
rm "$t/mod/list"

cat > "$t/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

die() { echo "hostvirt-vm initramfs: $*" > /dev/console; poweroff -f; }

while read -r m; do
        insmod "/mod/$m" || echo "hostvirt-vm initramfs: insmod $m failed"
done < /mod/order

o=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $o,ro,cache=loose root /root || die "cannot mount the root share"
mount -t 9p -o $o,ro,cache=loose layer /layer || die "cannot mount the layer share"
mount -t tmpfs -o size=1g tmpfs /ovl || die "cannot mount the overlay tmpfs"
mkdir /ovl/upper /ovl/work
mount -t overlay overlay -o lowerdir=/layer:/root,upperdir=/ovl/upper,workdir=/ovl/work /newroot \
        || die "cannot assemble the overlay root"

kver=$(uname -r)
mkdir -p "/newroot/usr/lib/modules/$kver" /newroot/hvresult
mount -t 9p -o $o,ro,cache=loose kmod "/newroot/usr/lib/modules/$kver" || die "cannot mount the module share"
mount -t 9p -o $o hvresult /newroot/hvresult || die "cannot mount the results share"
echo "initramfs-done $(cut -d' ' -f1 /proc/uptime)" > /newroot/hvresult/boot-initramfs

umount /proc /sys
exec switch_root /newroot /lib/systemd/systemd
EOF
chmod 755 "$t/init"

(cd "$t" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
