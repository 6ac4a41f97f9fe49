#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a command chrooted into a throw-away overlay of a cached tree (from
# tests/lib/rootfs.sh), so the cache is never written:
#
#   in-root.sh [--ro SRC:DST]... [--rw SRC:DST]... [--env NAME=VALUE]... TREE CMD [ARG...]
#   in-root.sh --in-place [...] TREE CMD [ARG...]
#
# --in-place writes the tree itself (rootfs.sh, while it makes one: the tree
# need not be complete yet).
#
# Inside: the tree (lower) under a tmpfs upper layer, a fresh /proc, the
# host's /sys and /dev (hugepages and network namespaces are the real
# kernel's, as on the host), tmpfs on /run (with /run/systemd, as on a
# system booted with systemd), /tmp and /dev/shm, the host's
# resolv.conf, the binds asked for, and a clean environment (PATH, HOME,
# LANG, CI and the --env ones).  All in a private mount namespace: nothing
# stays mounted afterwards.  Exit status: the command's.
set -euo pipefail
binds=() envs=() in_place=no
while [ $# -gt 0 ]; do
        case $1 in
        --in-place) in_place=yes; shift ;;
        --ro) binds+=("ro:$2"); shift 2 ;;
        --rw) binds+=("rw:$2"); shift 2 ;;
        --env) envs+=("$2"); shift 2 ;;
        *) break ;;
        esac
done
TREE=${1:?usage: in-root.sh [--ro SRC:DST]... [--rw SRC:DST]... [--env N=V]... TREE CMD...}
shift
[ $in_place = yes ] || [ -f "$TREE/.hostvirt-complete" ] || { echo "in-root.sh: $TREE is not a complete tree" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "in-root.sh: needs root (mounts, chroot)" >&2; exit 1; }
W=$(mktemp -d /tmp/hostvirt-in-root.XXXXXX)
trap 'rm -rf "$W"' EXIT
envs+=("CI=${CI:-}")
: >"$W/binds"
[ ${#binds[@]} -eq 0 ] || printf '%s\0' "${binds[@]}" >"$W/binds"
printf '%s\0' "${envs[@]}" >"$W/envs"
unshare -m --propagation private bash -ec '
        W=$1 TREE=$2 IN_PLACE=$3; shift 3
        if [ "$IN_PLACE" = yes ]; then
                M=$TREE
        else
                mkdir -p "$W/upper" "$W/merged"
                mount -t tmpfs -o mode=755 tmpfs "$W/upper"
                mkdir -p "$W/upper/u" "$W/upper/w"
                mount -t overlay overlay -o "lowerdir=$TREE,upperdir=$W/upper/u,workdir=$W/upper/w" "$W/merged"
                M=$W/merged
        fi
        mount -t proc proc "$M/proc"
        mount --rbind /sys "$M/sys"
        mount --rbind /dev "$M/dev"
        mount -t tmpfs -o mode=1777 tmpfs "$M/dev/shm"
        mount -t tmpfs -o mode=755 tmpfs "$M/run"
        # as on a system booted with systemd (systemd-analyze verify needs it, also as another user)
        mkdir -m 755 "$M/run/systemd"
        mount -t tmpfs -o mode=1777 tmpfs "$M/tmp"
        [ -f /etc/resolv.conf ] && cp -L /etc/resolv.conf "$M/etc/resolv.conf"
        while IFS= read -r -d "" b; do
                mode=${b%%:*}; b=${b#*:}; src=${b%%:*}; dst=${b#*:}
                if [ -d "$src" ]; then mkdir -p "$M$dst"; else mkdir -p "$(dirname "$M$dst")"; touch "$M$dst"; fi
                mount --rbind "$src" "$M$dst"
                [ "$mode" = ro ] && mount -o remount,bind,ro "$M$dst"
        done <"$W/binds"
        mapfile -d "" -t envs <"$W/envs"
        exec chroot "$M" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                HOME=/root LANG=C.UTF-8 TERM=dumb "${envs[@]}" "$@"
' in-root "$W" "$TREE" "$in_place" "$@"
