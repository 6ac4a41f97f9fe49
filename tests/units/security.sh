#!/bin/bash
# Every template unit we ship (the arguments: units/meson.build's installed units;
# without arguments every build/units/*.service), scored by
# `systemd-analyze security --offline=yes`: the exposure must stay at or below
# MAX_EXPOSURE (default 2.0; 0 = locked down, 10 = wide open), and the same unit
# cut off at its "# Sandbox" comment must score above it (the check can fail).
# Prints each score and the settings that still cost points, for whoever
# hardens a unit.
source "$SRCDIR/tests/lib/common.sh"
max=${MAX_EXPOSURE:-2.0}
units=("$@")
[ $# -gt 0 ] || for u in "$UNITS_BUILD_DIR"/*.service; do
        case $(basename "$u") in test-*) continue ;; esac   # the test copies point at the build tree
        units+=("$u")
done
[ ${#units[@]} -gt 0 ] || { fail units "no units in $UNITS_BUILD_DIR"; finish; }

for u in "${units[@]}"; do
        name=$(basename "$u")
        out=$(systemd-analyze security --offline=yes --no-pager "$u" 2>&1) || true
        score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<<"$out")
        if [ -z "$score" ]; then
                echo "$out" | tail -5
                fail "$name" "systemd-analyze security gave no score"
                continue
        fi
        echo "$name: exposure $score"
        # what still costs points (✗ with a weight), largest first
        grep '✗' <<<"$out" | awk '{ w = $NF } w ~ /^[0-9.]+$/ && w > 0 { print "    " w "  " $0 }' |
                sort -rn | cut -c1-140 | sed 's/✗ *//' | head -8
        if awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }'; then pass "$name-$score"; else
                fail "$name" "exposure $score is above $max"; fi

        # The check can fail: the same unit cut off at its "# Sandbox" comment scores above the limit.
        bare=$(mktempdir)/$name
        sed -n '/^# Sandbox/q;p' "$u" > "$bare"
        if ! grep -q '^# Sandbox' "$u"; then
                fail "$name-sandbox-marked" "no '# Sandbox' comment before its sandboxing settings"
        else
                bscore=$(systemd-analyze security --offline=yes --no-pager "$bare" 2>&1 |
                         sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
                if [ -n "$bscore" ] && awk -v s="$bscore" -v m="$max" 'BEGIN { exit !(s > m) }'; then
                        pass "$name-without-sandbox-$bscore-is-refused"
                else
                        fail "$name-without-sandbox" "scored ${bscore:-nothing}, not above $max"
                fi
        fi
done
finish
