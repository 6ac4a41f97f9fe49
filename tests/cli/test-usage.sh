#!/bin/bash
# hostvirt's command line: every exit status hostvirt(8) documents for usage, --help and
# --version, options before and after the command.
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/cli/lib.sh"
R=$(mktempdir)/root
conf "$R" <<<$'[Hugepages 2M]\nPages = 1'
mkpool "$R" 2048 - 1 1 # as configured: status finds no drift

# st WANT-RC ARGS...: runs hostvirt, passes when the exit status is WANT-RC
st() {
        local want=$1 rc=0; shift
        HOSTVIRT_ROOT=$R "$BIN" "$@" >"$R.out" 2>"$R.err" </dev/null || rc=$?
        if [ "$rc" = "$want" ]; then pass "rc $want: hostvirt $*"; else fail "rc $want: hostvirt $*" "got $rc: $(cat "$R.err")"; fi
}
st 0 --help
grep -q '^Usage: hostvirt' "$R.out" && pass help-text || fail help-text
st 0 status --help
st 0 --version
grep -qx "hostvirt [0-9.]*" "$R.out" && pass version-text || fail version-text "$(cat "$R.out")"
st 2
grep -q '^Usage: hostvirt' "$R.out" && pass no-command-shows-help || fail no-command-shows-help
st 2 frobnicate
grep -qx "Unknown command 'frobnicate'. See 'hostvirt --help'." "$R.err" && pass unknown-command-message || fail unknown-command-message "$(cat "$R.err")"
st 2 --frobnicate check
st 2 plan extra
st 2 status extra
st 2 check --json
grep -qx "Option --json does not apply to 'check'. See 'hostvirt --help'." "$R.err" && pass option-not-applicable-message || fail option-not-applicable-message "$(cat "$R.err")"
st 2 plan --quiet
st 2 status --diff
st 0 check
st 0 check -q
st 0 -q check
st 0 check --quiet /etc/hostvirt/test.conf
st 0 plan
st 0 --json status
st 0 status --json --quiet
# "--" ends the options: a file named like one
printf '[Hugepages 2M]\nPages = 1\n' > "$R/--json"
(cd "$R" && st 0 check -- --json)
st 1 check /etc/hostvirt/none.conf
finish
