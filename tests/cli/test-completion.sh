#!/bin/bash
# The bash completion (shell-completion/hostvirt), driven as bash drives it: COMP_WORDS and
# COMP_CWORD set, the function called, COMPREPLY read.  Then that every option and command
# hostvirt --help lists is offered, so the two cannot drift apart.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/cli/lib.sh"
source "$SRCDIR/shell-completion/hostvirt"

# comp WANT WORDS...: completes the last word; passes when the sorted replies are WANT
comp() {
        local want=$1; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
        _hostvirt
        local got; got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
        if [ "$got" = "$want" ]; then pass "complete '$*'"; else fail "complete '$*'" "got '$got', want '$want'"; fi
}
comp "check plan status" hostvirt ""
comp "plan" hostvirt p
comp "status" hostvirt -q st
comp "--diff --help --version" hostvirt plan --
comp "--help --json --quiet --version" hostvirt status -
comp "--json" hostvirt status --j
comp "" hostvirt status ""
comp "" hostvirt plan ""

D=$(mktempdir); mkdir -p "$D/etc.d"; touch "$D/a.conf" "$D/b.conf" "$D/notes.txt"
cd "$D"
# with nothing typed, also the files hostvirt reads by default (whatever this host has)
defaults=$(ls -d /etc/hostvirt/*.conf /run/hostvirt/*.conf /usr/local/lib/hostvirt/*.conf /usr/lib/hostvirt/*.conf 2>/dev/null || true)
comp "$(printf '%s\n' a.conf b.conf etc.d $defaults | sort | xargs)" hostvirt check ""
comp "a.conf" hostvirt check a
comp "b.conf" hostvirt --quiet check a.conf b

# every command and option of --help is offered somewhere
help=$("$BIN" --help)
offered=$(for w in "" -; do COMP_WORDS=(hostvirt "$w"); COMP_CWORD=1; _hostvirt; printf '%s\n' "${COMPREPLY[@]}"; done | sort -u | xargs)
for w in $(sed -n 's/^  \([a-z]\+\) .*/\1/p; s/^  *\(-[a-z] \)\?\(--[a-z]*\).*/\2/p' <<<"$help"); do
        if grep -qw -- "$w" <<<"$offered"; then pass "offers $w"; else fail "offers $w" "not in '$offered'"; fi
done
finish
