#!/bin/bash
# Writes the seed corpora: OUTDIR/conf (one config file per seed) and
# OUTDIR/generator (whole trees in fuzz-generator's "#@D NAME" format), from
# the example config and every config case (tests/config).
# Trees whose bytes git cannot hold (a case's `prepare`) are seeded without it.
set -euo pipefail
: "${SRCDIR:?}"
OUT=$1
mkdir -p "$OUT/conf" "$OUT/generator"
dirs=(etc/hostvirt run/hostvirt usr/local/lib/hostvirt usr/lib/hostvirt)

n=0
for f in "$SRCDIR"/conf.d/*.conf "$SRCDIR"/tests/config/*/*/input/*/hostvirt/*.conf \
         "$SRCDIR"/tests/config/*/*/input/usr/*/hostvirt/*.conf "$SRCDIR"/tests/config/*/*/input/usr/local/lib/hostvirt/*.conf; do
        [ -f "$f" ] && [ ! -L "$f" ] || continue
        n=$((n + 1)); cp "$f" "$OUT/conf/seed-$n"
done

pack() { # INPUT-TREE
        local in=$1 d i f
        for i in "${!dirs[@]}"; do
                d=$in/${dirs[$i]}
                [ -d "$d" ] || continue
                for f in "$d"/*.conf; do
                        [ -e "$f" ] || [ -L "$f" ] || continue
                        if [ "$(readlink "$f")" = /dev/null ]; then
                                printf '#@%d %s\n' $((i + 4)) "$(basename "$f")"
                        elif [ -f "$f" ]; then
                                printf '#@%d %s\n' "$i" "$(basename "$f")"
                                cat "$f"
                                tail -c1 "$f" | od -An -tx1 | grep -q 0a || echo
                        fi
                done
        done
        if [ -f "$in/proc/cmdline" ]; then printf '#@c\n'; cat "$in/proc/cmdline"; fi
}
n=0
for c in "$SRCDIR"/tests/config/*/[0-9]*/input; do
        [ -d "$c" ] || continue
        n=$((n + 1)); pack "$c" > "$OUT/generator/seed-$n"
done
cp "$SRCDIR"/conf.d/example.conf "$OUT/generator/seed-example"
