#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds this source tree with another Debian release's toolchain and
# libraries, inside that release's cached dev tree (tests/lib/rootfs.sh
# RELEASE dev), and optionally installs it:
#
#   build.sh RELEASE [DESTDIR]
#
# The build directory is kept in $BUILDDIR/release-RELEASE/build (bound at
# /build inside; the source read-only at /src), so later runs only rebuild
# what changed; it is made anew when the tree changes.  With DESTDIR: `meson
# install --destdir` into it, prefix /usr, as a distribution package of that
# release would lay it out.  Logs: $BUILDDIR/release-RELEASE/*.log.
set -euo pipefail
RELEASE=${1:?usage: build.sh RELEASE [DESTDIR]}
DESTDIR=${2:-}
: "${SRCDIR:?}" "${BUILDDIR:?}"
W=$BUILDDIR/release-$RELEASE
mkdir -p "$W/build"
exec 7>"$W/lock"
flock 7
TREE=$(SRCDIR=$SRCDIR "$SRCDIR/tests/lib/rootfs.sh" "$RELEASE" dev)
if [ "$(cat "$W/tree" 2>/dev/null)" != "$TREE" ]; then
        rm -rf "$W/build"; mkdir -p "$W/build"
        echo "$TREE" >"$W/tree"
fi
binds=(--ro "$SRCDIR:/src" --rw "$W/build:/build" --rw "$W:/logs")
if [ -n "$DESTDIR" ]; then mkdir -p "$DESTDIR"; binds+=(--rw "$DESTDIR:/dest"); fi
"$SRCDIR/tests/lib/in-root.sh" "${binds[@]}" "$TREE" bash -ec '
        if [ ! -f /build/build.ninja ]; then
                meson setup /build /src --prefix=/usr -Dintegration=disabled -Dvm=disabled -Dpackaging=disabled \
                        -Dreleases=disabled >/logs/meson-setup.log 2>&1 || { tail -n 30 /logs/meson-setup.log; exit 1; }
        fi
        ninja -C /build >/logs/ninja.log 2>&1 || { tail -n 40 /logs/ninja.log; exit 1; }
        if [ -d /dest ]; then
                meson install -C /build --no-rebuild --quiet --destdir /dest >/logs/meson-install.log 2>&1 ||
                        { tail -n 30 /logs/meson-install.log; exit 1; }
        fi
'
