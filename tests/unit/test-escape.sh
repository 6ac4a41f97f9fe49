#!/bin/bash
# Our unit-name escaping against the real systemd-escape, over thousands of generated
# names rich in '-', '\', '.', '/', ':', '%', blanks, non-ASCII and control bytes.
source "$SRCDIR/tests/lib/common.sh"
T=$BUILDDIR/tests/unit/escape-tool
d=$(mktempdir)
cmp_mode() {
        local what=$1 flag=$2 gen=$3
        "$T" "$gen" 3000 "$4" > "$d/names"
        # systemd-escape joins its outputs with spaces; escaped names never contain one
        xargs -0 -n 200 systemd-escape $flag -- < "$d/names" 2>/dev/null | tr ' ' '\n' > "$d/theirs"
        "$T" "$what" < "$d/names" > "$d/ours"
        if diff -q "$d/theirs" "$d/ours" >/dev/null; then pass "escape-$what-seed$4 ($(wc -l < "$d/ours") names)"
        else diff "$d/theirs" "$d/ours" | head -5; fail "escape-$what-seed$4"; fi
}
cmp_mode string "" gen 1
cmp_mode string "" gen 42
cmp_mode path --path genpath 7
# the fixed cases the contract names, and the refusals
for n in eno4 eth-1 'a\b' .dot wän0 0000:03:00.0 'a b' '%i' x-y-z ..x; do
        printf '%s\0' "$n" > "$d/one"
        [ "$("$T" string < "$d/one")" = "$(systemd-escape -- "$n")" ] && pass "escape '$n'" || fail "escape '$n'"
done
# Paths with a ".." component are refused by our escaping, whatever systemd-escape does
# with them (252 refuses both; 257 simplifies "/.." to "/" and prints "-"): a mount point
# that climbs is refused by the loader, the escape must never produce a name for it.
for p in /a/../b /.. /a/.. ../a; do
        printf '%s\0' "$p" > "$d/one"
        theirs=$(systemd-escape --path -- "$p" 2>&1) || theirs="refused: $theirs"
        [ "$("$T" path < "$d/one")" = "(refused)" ] && pass "refuse $p (systemd-escape: $theirs)" || fail "refuse $p" "ours: $("$T" path < "$d/one")"
done
finish
