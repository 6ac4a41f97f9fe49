#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Boots a real systemd PID 1 (Debian bookworm: systemd 252, libvirt 9, or
# trixie: systemd 257, libvirt 11) in systemd-nspawn with hostvirt installed
# into it by `meson install --destdir`, runs the checks of one scenario inside
# as a unit ordered after multi-user.target, and exits with their result.
#
#   nspawn-boot.sh RELEASE SCENARIO [ARG...]
#
# On this machine's own release the install is of BUILDDIR (or of a prefix=/usr
# build beside it); on another release hostvirt is built with that release's
# toolchain and libraries first (tests/release/build.sh), as its package would be.
#
# SCENARIO names tests/integration/scenarios/SCENARIO/: setup.sh runs here on
# the host and writes the files the scenario overlays onto the tree (config,
# drop-ins, fake sysfs) into the directory it is given; checks.sh runs inside
# the container.  ARGs go to PID 1 (a container's "kernel command line").
#
# Environment: BUILDDIR, SRCDIR (set by meson), HOSTVIRT_TEST_CACHE (default
# /var/cache/hostvirt-tests), HOSTVIRT_TEST_TIMEOUT (seconds, default 300),
# HOSTVIRT_TEST_DESTDIR (use this install tree instead of installing BUILDDIR).
# Results, the console log and the container's journal are kept in
# $BUILDDIR/meson-logs/integration/RELEASE/SCENARIO/.
#
# Exit: 0 all checks passed, 1 a check failed or the boot went wrong,
# 77 cannot run here (not root).
set -euo pipefail

RELEASE=${1:?usage: nspawn-boot.sh RELEASE SCENARIO [ARG...]}
SCENARIO=${2:?usage: nspawn-boot.sh RELEASE SCENARIO [ARG...]}
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$HERE/../.." && pwd)}
BUILDDIR=${BUILDDIR:?BUILDDIR must name a configured meson build directory}
TIMEOUT=${HOSTVIRT_TEST_TIMEOUT:-300}
SCEN=$HERE/scenarios/$SCENARIO

log() { echo "integration[$RELEASE/$SCENARIO]: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
        log "SKIP: needs root (systemd-nspawn, overlayfs, /sys writes)"
        exit 77
fi
[ -f "$SCEN/checks.sh" ] || { log "no such scenario: $SCEN"; exit 1; }

ROOTFS=$(SRCDIR=$SRCDIR "$SRCDIR/tests/lib/rootfs.sh" "$RELEASE" boot)
HOST_RELEASE=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

RESULTDIR=$BUILDDIR/meson-logs/integration/$RELEASE/$SCENARIO
rm -rf "$RESULTDIR"
mkdir -p "$RESULTDIR"
WORK=$(mktemp -d /tmp/hostvirt-integration.XXXXXX)

# nr_hugepages is not namespaced: whatever the container does to the host's
# counts is put back here, even when the container is killed.
HUGEPAGES_BEFORE=$(for f in /sys/kernel/mm/hugepages/*/nr_hugepages \
                            /sys/devices/system/node/node*/hugepages/*/nr_hugepages; do
                           [ -f "$f" ] && echo "$f $(cat "$f")"
                   done)
cleanup() {
        local f v
        while read -r f v; do
                if [ -n "$f" ] && [ "$(cat "$f")" != "$v" ]; then
                        log "putting back $f = $v"
                        echo "$v" >"$f" || log "FAILED to put back $f = $v"
                fi
        done <<<"$HUGEPAGES_BEFORE"
        rm -rf "$WORK"
}
trap cleanup EXIT

# --- hostvirt, installed with prefix /usr like a distribution package -------
#
# The tests' own build directory may have any prefix; the container gets an
# install made with prefix=/usr (helpers in /usr/libexec/hostvirt).  When the
# build directory already has it, it is installed as is; otherwise a second
# build directory next to it is configured once and kept up to date.
install_hostvirt() {
        local destdir=$1 build prefix
        if [ "$RELEASE" != "$HOST_RELEASE" ]; then
                log "building with $RELEASE's toolchain"
                "$SRCDIR/tests/release/build.sh" "$RELEASE" "$destdir"
                return
        fi
        prefix=$(meson introspect --buildoptions "$BUILDDIR" |
                 python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
        if [ "$prefix" = /usr ]; then
                build=$BUILDDIR
        else
                build=$BUILDDIR/integration-prefix-usr
                exec 8>"$BUILDDIR/integration-prefix-usr.lock"
                flock 8
                if [ ! -f "$build/build.ninja" ]; then
                        log "configuring $build (prefix=/usr)"
                        meson setup "$build" "$SRCDIR" --prefix=/usr \
                                -Dintegration=disabled -Dvm=disabled -Dman=disabled >"$RESULTDIR/meson-setup.log" 2>&1 ||
                                { cat "$RESULTDIR/meson-setup.log" >&2; return 1; }
                fi
                ninja -C "$build" >"$RESULTDIR/ninja.log" 2>&1 || { tail -n 40 "$RESULTDIR/ninja.log" >&2; return 1; }
        fi
        meson install -C "$build" --no-rebuild --quiet --destdir "$destdir" >"$RESULTDIR/meson-install.log" 2>&1 ||
                { cat "$RESULTDIR/meson-install.log" >&2; return 1; }
        flock -u 8 2>/dev/null || true
}

LAYER=$WORK/layer
mkdir -p "$LAYER"
if [ -n "${HOSTVIRT_TEST_DESTDIR:-}" ]; then
        # for debugging the harness: an install tree made by hand
        cp -a "$HOSTVIRT_TEST_DESTDIR/." "$LAYER/"
else
        install_hostvirt "$LAYER"
fi
# Debian's tree is merged-/usr: /lib, /bin, /sbin are symlinks into /usr.
# A directory of the same name in an upper overlay layer would hide the
# symlink (and with it /lib/systemd/systemd), so move such files under usr/.
for d in bin sbin lib lib32 lib64 libx32; do
        if [ -L "$ROOTFS/$d" ] && [ -d "$LAYER/$d" ] && [ ! -L "$LAYER/$d" ]; then
                mkdir -p "$LAYER/usr/$d"
                cp -a "$LAYER/$d/." "$LAYER/usr/$d/"
                rm -rf "${LAYER:?}/$d"
        fi
done
(cd "$LAYER" && find . ! -type d | sort) >"$RESULTDIR/installed-files.txt"
log "installed: $(tr '\n' ' ' <"$RESULTDIR/installed-files.txt")"

# --- the harness' own units -----------------------------------------------
#
# hostvirt-test.target is booted instead of the default target: it wants
# multi-user.target and the checks, which are ordered after it.  The checks'
# exit status becomes the container's (SuccessAction=/FailureAction=exit).
U=$LAYER/etc/systemd/system
mkdir -p "$U"
cat >"$U/hostvirt-test.target" <<EOF
[Unit]
Description=hostvirt integration test ($SCENARIO)
Wants=multi-user.target hostvirt-test-checks.service
After=multi-user.target
AllowIsolate=yes
EOF
cat >"$U/hostvirt-test-checks.service" <<EOF
[Unit]
Description=hostvirt integration checks ($SCENARIO)
After=multi-user.target
SuccessAction=exit
FailureAction=exit

[Service]
# exec, not oneshot: the start job ends at once, so the boot can finish
# (systemd-analyze blame needs that) while the checks run.
Type=exec
Environment=SCENARIO=$SCENARIO
ExecStart=/hvtest/checks/run.sh /hvtest/scenarios/$SCENARIO/checks.sh
StandardOutput=journal+console
StandardError=journal+console
# bounded well inside the harness' own timeout: a hung check still ends the
# boot cleanly (and is reported as checks that did not run to the end)
RuntimeMaxSec=$((TIMEOUT - 60))
EOF

# A container has no /dev/kmsg (nspawn hides the host's), so what our
# generator logs at boot would be lost.  The container gets a FIFO there
# instead, read here into kmsg.log: its "kernel log", with what PID 1 and
# the generator wrote to it, in order.  The container's journald only writes
# to it (ReadKMsg=no), or it would compete with our reader.
mkdir -p "$LAYER/etc/systemd/journald.conf.d"
printf '[Journal]\nReadKMsg=no\n' >"$LAYER/etc/systemd/journald.conf.d/hostvirt-test.conf"
mkfifo "$WORK/kmsg"
cat "$WORK/kmsg" >"$RESULTDIR/kmsg.log" &
KMSG_READER=$!
# held open until the container is gone, so the reader sees no end of file
# whenever the writers inside come and go
exec 4>"$WORK/kmsg"

# --- process accounting ------------------------------------------------------
#
# PID 1 is acct-init (built next to this test), which turns on BSD process
# accounting into /hvresult/pacct and then execs systemd: every process of the
# boot is recorded, and boot-execs.py checks afterwards that our units and
# programs cost no process beyond the one exec of each (no fork of ours, no
# program started by ours, none forked by systemd to set up our units).
ACCT_INIT=$BUILDDIR/tests/integration/acct-init
init_cmd=(--boot)
if [ -x "$ACCT_INIT" ]; then
        install -D -m 755 "$ACCT_INIT" "$LAYER/usr/lib/hostvirt-test/acct-init"
        # what --boot does, with the wrapper first: systemd as the command, and its
        # shutdown signal for nspawn's own
        init_cmd=(--capability=CAP_SYS_PACCT --kill-signal=SIGRTMIN+3
                  /usr/lib/hostvirt-test/acct-init /hvresult/pacct /lib/systemd/systemd)
fi

# --- the scenario's files -------------------------------------------------
if [ -x "$SCEN/setup.sh" ]; then
        "$SCEN/setup.sh" "$LAYER" "$RESULTDIR"
fi

# --- boot -----------------------------------------------------------------
#
# In a private mount namespace: a tmpfs on /run/systemd/nspawn (nspawn
# refuses to clean up its state on a /run that is not tmpfs) and the tree as
# an overlay (cached tree below, our layer above, a throw-away upper), so the
# cache is never written.  --register=no --keep-unit: no machined and no
# system bus on the host.  /sys is writable (hugepage counts); the tree masks
# udev's coldplug so the container's udevd never triggers the host's devices.
#
# /run/udev/control exists before PID 1 starts: systemd 252 listens for udev
# events only when it sees that file (or a devtmpfs /dev, which a container
# never has) at startup; without it no .device unit ever appears, and nothing
# can be started on device appearance.  udevd replaces it with its socket.
export SYSTEMD_NSPAWN_API_VFS_WRITABLE=yes
mkdir -p /run/systemd/nspawn
log "booting $ROOTFS with ${*:-no extra arguments}"
start=$SECONDS
rc=0
timeout --signal=TERM --kill-after=15 "$TIMEOUT" \
        unshare -m --propagation private bash -ec '
        W=$1 ROOTFS=$2 SRC=$3 RES=$4 NAME=$5 NINIT=$6
        shift 6
        init=("${@:1:NINIT}")
        shift "$NINIT"
        mount -t tmpfs -o mode=755 tmpfs /run/systemd/nspawn
        mkdir -p "$W/upper" "$W/merged"
        mount -t tmpfs tmpfs "$W/upper"
        mkdir -p "$W/upper/u" "$W/upper/w"
        mkdir -p "$W/run-udev"
        touch "$W/run-udev/control"
        mount -t overlay overlay -o "lowerdir=$W/layer:$ROOTFS,upperdir=$W/upper/u,workdir=$W/upper/w" "$W/merged"
        exec systemd-nspawn -q -D "$W/merged" --register=no --keep-unit \
                --private-network --console=read-only --link-journal=no --machine="$NAME" \
                --bind-ro="$SRC:/hvtest" --bind="$RES:/hvresult" --bind="$W/run-udev:/run/udev" \
                --bind="$W/kmsg:/dev/kmsg" \
                "${init[@]}" systemd.unit=hostvirt-test.target systemd.show_status=0 "$@"
' nspawn-boot "$WORK" "$ROOTFS" "$HERE" "$RESULTDIR" "hostvirt-$RELEASE-$SCENARIO-$$" \
        "${#init_cmd[@]}" "${init_cmd[@]}" "$@" \
        </dev/null >"$RESULTDIR/console.log" 2>&1 || rc=$?
log "container exited with $rc after $((SECONDS - start))s"
exec 4>&-
wait "$KMSG_READER" || true

# --- results ----------------------------------------------------------------
R=$RESULTDIR/results.txt
if [ -f "$R" ]; then
        cat "$R"
fi
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        log "FAIL: timed out after ${TIMEOUT}s; console:"
        tail -n 60 "$RESULTDIR/console.log" >&2
        exit 1
fi
if [ ! -f "$R" ] || ! grep -q '^DONE$' "$R"; then
        log "FAIL: the checks did not run to the end (exit $rc); console:"
        tail -n 60 "$RESULTDIR/console.log" >&2
        exit 1
fi
# The processes of the boot (see "process accounting" above), as a check of its own.
if [ -x "$ACCT_INIT" ]; then
        if [ ! -s "$RESULTDIR/pacct" ]; then
                echo "SKIP boot-execs :: no process accounting ($(grep -a 'acct-init:' "$RESULTDIR/console.log" | head -n 1))" >>"$R"
        elif python3 "$HERE/boot-execs.py" "$RESULTDIR/pacct" >"$RESULTDIR/boot-execs.txt" 2>&1; then
                echo "PASS boot-execs :: $(sed -n 's/^summary: //p' "$RESULTDIR/boot-execs.txt")" >>"$R"
        else
                echo "FAIL boot-execs :: $(sed -n 's/^summary: //p' "$RESULTDIR/boot-execs.txt")" >>"$R"
        fi
        tail -n 1 "$R"
        sed 's/^/    /' "$RESULTDIR/boot-execs.txt" 2>/dev/null || true
fi
npass=$(grep -c '^PASS ' "$R" || true)
nfail=$(grep -c '^FAIL ' "$R" || true)
nskip=$(grep -c '^SKIP ' "$R" || true)
log "$npass passed, $nfail failed, $nskip skipped (details: $RESULTDIR)"
if [ "$nfail" != 0 ] || [ "$rc" != 0 ]; then
        [ "$nfail" != 0 ] || log "FAIL: no check failed, but the container exited with $rc"
        exit 1
fi
exit 0
