#!/bin/bash
# Regenerates expected/, expected.stderr and expected.rc of the given cases from the
# current generator, the template directory written as @UNITDIR@ (tests/lib/unitdir.sh).
# Review every change with `git diff` before committing it.
# usage: BUILDDIR=build tests/config/bless.sh tests/config/GROUP/NN-name...
set -eu
BUILDDIR=$(realpath "${BUILDDIR:-build}")
GEN=$BUILDDIR/generators/hostvirt-generator
source "$(dirname "$0")/../lib/unitdir.sh"
for c in "$@"; do
        c=$(realpath "$c"); t=$(mktemp -d); root=$t/root
        if [ -d "$c/input" ]; then cp -a "$c/input" "$root"; else mkdir -p "$root"; fi
        [ -x "$c/prepare" ] && (cd "$root" && "$c/prepare")
        envs=(); [ -f "$c/env" ] && mapfile -t envs < "$c/env"
        mkdir "$t/out"; dirs=("$t/out"); [ "$(cat "$c/args" 2>/dev/null)" = three ] && { mkdir "$t/e" "$t/l"; dirs+=("$t/e" "$t/l"); }
        rc=0; env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "${envs[@]}" "$GEN" "${dirs[@]}" 2> "$t/stderr" || rc=$?
        rm -rf "$c/expected" "$c/expected.stderr" "$c/expected.rc"
        [ -z "$(ls -A "$t/out")" ] || { placeholder_tree "$t/out"; cp -a "$t/out" "$c/expected"; }
        [ -s "$t/stderr" ] && cp "$t/stderr" "$c/expected.stderr"
        [ "$rc" = 0 ] || echo "$rc" > "$c/expected.rc"
        rm -rf "$t"; echo "blessed $(basename "$c") (rc=$rc)"
done
