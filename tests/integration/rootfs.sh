#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Makes (once) and prints the path of the Debian bookworm tree the integration
# suite boots: debootstrap --variant=minbase from the Debian mirror this
# machine's apt is configured with, plus systemd, udev, iproute2, the
# libraries our programs link, and the real libvirt-daemon-system package (so
# libvirtd.service and its sockets are Debian's own units, and libvirtd really
# starts after our units at boot).
#
# The tree is cached under $HOSTVIRT_TEST_CACHE (default
# /var/cache/hostvirt-tests) and keyed by the package list below: change the
# list and a new tree is made, the old one removed.  A lock serializes
# concurrent callers; a tree is only published (renamed into place) once
# complete, so an interrupted debootstrap is never reused.
set -euo pipefail

CACHE=${HOSTVIRT_TEST_CACHE:-/var/cache/hostvirt-tests}
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,libpam-systemd,dbus,udev,kmod,iproute2,libinih1,libmnl0,libvirt-daemon-system
# bump when the post-debootstrap setup below changes
SETUP_VERSION=1

log() { echo "rootfs: $*" >&2; }

# The Debian mirror apt uses here (deb822 .sources or one-line sources.list),
# skipping the security archive.  HOSTVIRT_TEST_MIRROR overrides it.
apt_mirror() {
        if [ -n "${HOSTVIRT_TEST_MIRROR:-}" ]; then
                echo "$HOSTVIRT_TEST_MIRROR"
                return
        fi
        local f
        for f in /etc/apt/sources.list.d/*.sources; do
                [ -f "$f" ] || continue
                awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/ && $i ~ /^https?:/) print $i }' "$f"
        done
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
                [ -f "$f" ] || continue
                sed -e 's/\[[^]]*\]//' "$f" |
                        awk '$1 == "deb" && $2 !~ /security/ && $2 ~ /^https?:/ { print $2 }'
        done
}

ensure_tools() {
        local missing=()
        command -v debootstrap >/dev/null || missing+=(debootstrap)
        command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
        [ ${#missing[@]} -eq 0 ] && return 0
        log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
                apt-get update >&2
                apt-get install -y --no-install-recommends "${missing[@]}" >&2
        fi
}

main() {
        ensure_tools
        local key tree mirror
        key=$(echo "$SUITE $PACKAGES $SETUP_VERSION" | sha256sum | cut -c1-12)
        tree=$CACHE/$SUITE-$key
        mkdir -p "$CACHE"
        exec 9>"$CACHE/lock"
        flock 9
        if [ -f "$tree/.hostvirt-complete" ]; then
                echo "$tree"
                return 0
        fi
        mirror=$(apt_mirror | head -n1)
        if [ -z "$mirror" ]; then
                log "no Debian mirror found in the apt configuration (set HOSTVIRT_TEST_MIRROR)"
                return 1
        fi
        log "making $tree with debootstrap from $mirror (once; about a minute)"
        rm -rf "$tree.tmp"
        local start=$SECONDS
        if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tree.tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
                tail -n 30 "$CACHE/debootstrap.log" >&2
                log "debootstrap failed (full log: $CACHE/debootstrap.log)"
                return 1
        fi
        echo hostvirt-test >"$tree.tmp/etc/hostname"
        # Each boot gets a fresh machine-id (nspawn makes a transient one).
        : >"$tree.tmp/etc/machine-id"
        # Don't let the container's udev coldplug ("trigger") the host's
        # devices through the writable /sys: it only has to see the network
        # interfaces created inside the container, which send their own events.
        ln -sf /dev/null "$tree.tmp/etc/systemd/system/systemd-udev-trigger.service"
        rm -rf "$tree.tmp/var/cache/apt/archives/"*.deb
        touch "$tree.tmp/.hostvirt-complete"
        mv "$tree.tmp" "$tree"
        log "done in $((SECONDS - start))s: $(du -sh "$tree" | cut -f1)"
        # Trees of older package lists are of no further use.
        local old
        for old in "$CACHE/$SUITE"-*; do
                [ "$old" = "$tree" ] || rm -rf "$old"
        done
        echo "$tree"
}

main "$@"
