#!/bin/bash
# The man pages: scdoc turns every source into a page without a word on stderr (as
# man/meson.build runs it), groff formats each without warnings, and hostvirt(8)
# documents every command and option that hostvirt --help lists.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/cli/lib.sh"
command -v scdoc >/dev/null || { echo "scdoc is needed (tools/deps.sh installs it)"; exit 1; }
M=$(mktempdir)

# page NAME CMD...: CMD writes the page to stdout; scdoc must say nothing
page() {
        local name=$1; shift
        if "$@" > "$M/$name" 2>"$M/$name.err" && [ ! -s "$M/$name.err" ]; then pass "scdoc $name"
        else fail "scdoc $name" "$(cat "$M/$name.err")"; fi
}
for src in "$SRCDIR"/man/*.scd; do
        name=$(basename "$src" .scd)
        # scdoc refuses '@' in a page name: man/meson.build writes it as -AT- and puts it back
        page "$name" bash -c 'set -o pipefail; sed "1s/-AT-/_AT_/" "$1" | scdoc | sed "s/_AT_/@/g"' _ "$src"
done
page hostvirt.conf.5 bash -c 'set -o pipefail; cat "$@" | scdoc' _ "$SRCDIR"/man/hostvirt.conf.5.d/*.scd

if command -v man >/dev/null && command -v groff >/dev/null; then
        # the check itself must be able to fail
        printf '.TH X 8\n.SH NAME\nx\n.NOSUCHMACRO\n' > "$M/broken.man"
        w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$M/broken.man" 2>&1 >/dev/null)
        if [ -n "$w" ]; then pass groff-catches-warnings; else fail groff-catches-warnings; fi
        for p in "$M"/*.[58]; do
                w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$p" 2>&1 >/dev/null)
                if [ -z "$w" ]; then pass "groff $(basename "$p")"; else fail "groff $(basename "$p")" "$w"; fi
        done
else
        skip groff "man or groff is not installed"
fi

# hostvirt(8) names every command and option of --help in its own section
man8=$SRCDIR/man/hostvirt.8.scd
for w in $("$BIN" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p; s/^  *\(-[a-z] \)\?\(--[a-z]*\).*/\2/p'); do
        if grep -q -- "^\*$w\*\|\*$w\*\$\|^\*-[a-z]\*, \*$w\*" "$man8"; then pass "hostvirt.8 documents $w"; else fail "hostvirt.8 documents $w"; fi
done
finish
