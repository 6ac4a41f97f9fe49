# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by bench/boot.sh and bench/directives.sh, with their arguments:
#   bench_boot_setup NAME BUILDDIR SRCDIR
# sets BUILDDIR and SRCDIR (absolute), STAMP (bench/stamp.so as the build made
# it) and OUT (a fresh BUILDDIR/bench-NAME/), after checking that it runs as
# root (systemd-nspawn) and that the stamp library exists.
bench_boot_setup() {
        local name=$1
        BUILDDIR=$(realpath "${2:?usage: $name.sh BUILDDIR SRCDIR}") SRCDIR=$(realpath "${3:?usage: $name.sh BUILDDIR SRCDIR}")
        [ "$(id -u)" = 0 ] || { echo "bench/$name.sh: needs root (systemd-nspawn)" >&2; exit 1; }
        STAMP=$BUILDDIR/bench/hvstamp.so
        [ -f "$STAMP" ] || { echo "bench/$name.sh: no $STAMP (ninja -C $BUILDDIR bench-$name builds it)" >&2; exit 1; }
        OUT=$BUILDDIR/bench-$name
        rm -rf "$OUT"; mkdir -p "$OUT"
}
