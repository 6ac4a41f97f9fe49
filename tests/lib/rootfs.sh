#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Makes (once) and prints the path of a Debian tree the tests run in:
#
#   rootfs.sh RELEASE FLAVOR        RELEASE: bookworm | trixie
#
# FLAVOR
#   boot  what the integration suite boots with systemd-nspawn: systemd, udev,
#         iproute2, the libraries our programs link, the real
#         libvirt-daemon-system (Debian's own libvirtd units), QEMU and virtiofsd
#         (a vhost-user client and server), jq
#   dev   what building and testing hostvirt needs on that release, installed
#         by the project's own tools/deps.sh --test run inside the tree (so
#         deps.sh is tested there too)
#   pkg   a clean build environment as Debian's buildds have it (essential +
#         build-essential) plus `apt-get build-dep` of debian/control, and an
#         unprivileged user "builder" to build as
#   base  the debootstrap --variant=minbase tree itself, as a fresh install of
#         the release has it (the quick-start test starts from it)
#   lint  lintian and hardening-check (devscripts), to check the packages
#         built in pkg, and systemd and udev, so that the package can be
#         installed and run there
#
# Every flavor starts from one debootstrap --variant=minbase tree per release
# (from the Debian mirror this machine's apt uses, same archive for both
# releases), copied, then apt-get installs the flavor's packages inside it.
# Trees are cached under $HOSTVIRT_TEST_CACHE (default
# /var/cache/hostvirt-tests) as FLAVOR-RELEASE-KEY, KEY a hash of what went
# into it (package list or the files that name it): change that and a new tree
# is made and the old one of the same flavor and release removed — one tree
# per release and flavor is kept.  A lock serializes callers; a tree is only
# published (renamed into place) once complete, so a broken debootstrap or
# install is never reused.
set -euo pipefail

RELEASE=${1:?usage: rootfs.sh RELEASE FLAVOR}
FLAVOR=${2:?usage: rootfs.sh RELEASE FLAVOR}
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$HERE/../.." && pwd)}
CACHE=${HOSTVIRT_TEST_CACHE:-/var/cache/hostvirt-tests}
# bump when the setup below changes
SETUP_VERSION=2

log() { echo "rootfs[$FLAVOR-$RELEASE]: $*" >&2; }

case $RELEASE in
bookworm|trixie) ;;
*) log "unknown release $RELEASE (bookworm or trixie)"; exit 1 ;;
esac

BOOT_PACKAGES=(systemd systemd-sysv libpam-systemd dbus udev kmod iproute2 libinih1 libmnl0 libvirt-daemon-system jq
               qemu-system-x86)
# virtiofsd for [Virtiofs]: Debian 12 has QEMU's own, in qemu-system-common (qemu-system-x86 pulls it
# in); Debian 13 has the Rust one as a package of its own
[ "$RELEASE" != trixie ] || BOOT_PACKAGES+=(virtiofsd)

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
        command -v debootstrap >/dev/null && return 0
        log "installing debootstrap"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y --no-install-recommends debootstrap >&2; then
                apt-get update >&2
                apt-get install -y --no-install-recommends debootstrap >&2
        fi
}

# in_tree TREE CMD...: CMD chrooted into TREE, written in place (in-root.sh
# --in-place: /proc, /sys, /dev, the host's resolv.conf, in a private mount
# namespace, so that nothing stays mounted).  No daemon is started by a
# package's maintainer scripts: there is no /run/systemd/system, and
# policy-rc.d refuses.
in_tree() {
        local tree=$1
        shift
        "$HERE/in-root.sh" --in-place --env DEBIAN_FRONTEND=noninteractive "$tree" "$@"
}

apt_install() { # TREE PACKAGE...
        local tree=$1
        shift
        in_tree "$tree" apt-get install -y -q --no-install-recommends "$@"
}

# publish NAME KEY BUILD-FUNCTION: prints $CACHE/NAME-KEY, made by
# BUILD-FUNCTION TMP-TREE if it is not there yet.
publish() {
        local name=$1 key=$2 build=$3 tree old start
        tree=$CACHE/$name-$key
        if [ -f "$tree/.hostvirt-complete" ]; then
                echo "$tree"
                return 0
        fi
        start=$SECONDS
        log "making $tree (once)"
        rm -rf "$tree.tmp"
        # (in the background and waited for, so that errexit holds inside)
        "$build" "$tree.tmp" >"$CACHE/$name.log" 2>&1 &
        wait $! || {
                tail -n 40 "$CACHE/$name.log" >&2
                log "making $name failed (full log: $CACHE/$name.log)"
                rm -rf "$tree.tmp"
                return 1
        }
        rm -f "$tree.tmp/usr/sbin/policy-rc.d"
        rm -rf "$tree.tmp/var/cache/apt/archives/"*.deb
        touch "$tree.tmp/.hostvirt-complete"
        mv "$tree.tmp" "$tree"
        log "done in $((SECONDS - start))s: $(du -sh "$tree" | cut -f1)"
        # one tree per name: older keys are of no further use
        for old in "$CACHE/$name"-*; do
                case $old in "$tree"|*.log) ;; *) rm -rf "$old" ;; esac
        done
        echo "$tree"
}

build_base() {
        local t=$1 mirror
        mirror=$(apt_mirror | head -n1)
        [ -n "$mirror" ] || { echo "no Debian mirror found in the apt configuration (set HOSTVIRT_TEST_MIRROR)"; return 1; }
        echo "debootstrap $RELEASE from $mirror"
        debootstrap --variant=minbase "$RELEASE" "$t" "$mirror"
        echo hostvirt-test >"$t/etc/hostname"
        # each boot or run gets a fresh machine-id
        : >"$t/etc/machine-id"
}

# a copy of the release's base tree, ready for apt-get install
from_base() {
        local t=$1
        cp -a "$BASE" "$t"
        rm -f "$t/.hostvirt-complete"
        printf '#!/bin/sh\nexit 101\n' >"$t/usr/sbin/policy-rc.d"
        chmod 755 "$t/usr/sbin/policy-rc.d"
        in_tree "$t" apt-get update -q
}

build_boot() {
        local t=$1
        from_base "$t"
        apt_install "$t" "${BOOT_PACKAGES[@]}"
        # Don't let the container's udev coldplug ("trigger") the host's devices
        # through the writable /sys: it only has to see the network interfaces
        # created inside the container, which send their own events.
        ln -sf /dev/null "$t/etc/systemd/system/systemd-udev-trigger.service"
}

build_dev() {
        local t=$1
        from_base "$t"
        # the project's own deps.sh, run as a user of that release would run it
        install -D -m 755 "$SRCDIR/tools/deps.sh" "$t/root/deps.sh"
        in_tree "$t" /root/deps.sh --test
        rm -f "$t/root/deps.sh"
}

build_pkg() {
        local t=$1
        from_base "$t"
        apt_install "$t" build-essential
        mkdir -p "$t/root/src/debian"
        cp "$SRCDIR/debian/control" "$t/root/src/debian/control"
        in_tree "$t" apt-get build-dep -y -q --no-install-recommends /root/src
        rm -rf "$t/root/src"
        in_tree "$t" useradd --create-home --shell /bin/bash builder
}

build_lint() {
        local t=$1
        from_base "$t"
        apt_install "$t" lintian devscripts systemd udev
}

main() {
        ensure_tools
        mkdir -p "$CACHE"
        exec 9>"$CACHE/lock"
        flock 9
        # trees of the earlier layout (bookworm-KEY) are of no further use
        rm -rf "$CACHE"/bookworm-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] \
                "$CACHE/debootstrap.log"
        local key
        key=$(echo "$RELEASE base $SETUP_VERSION" | sha256sum | cut -c1-12)
        BASE=$(publish "base-$RELEASE" "$key" build_base)
        case $FLAVOR in
        base) echo "$BASE"; return 0 ;;
        boot) key=$(echo "$RELEASE ${BOOT_PACKAGES[*]} $SETUP_VERSION" | sha256sum | cut -c1-12) ;;
        dev) key=$(cat "$SRCDIR/tools/deps.sh" - <<<"$RELEASE $SETUP_VERSION" | sha256sum | cut -c1-12) ;;
        pkg) key=$(cat "$SRCDIR/debian/control" - <<<"$RELEASE $SETUP_VERSION" | sha256sum | cut -c1-12) ;;
        lint) key=$(echo "$RELEASE lintian devscripts systemd udev $SETUP_VERSION" | sha256sum | cut -c1-12) ;;
        *) log "unknown flavor $FLAVOR (base, boot, dev, pkg or lint)"; exit 1 ;;
        esac
        publish "$FLAVOR-$RELEASE" "$key" "build_$FLAVOR"
}

main "$@"
