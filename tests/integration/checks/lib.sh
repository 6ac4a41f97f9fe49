# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Helpers for the checks that run inside the container.  Every check prints
# one line to the console and to /hvresult/results.txt:
#   PASS name
#   FAIL name :: what went wrong
#   SKIP name :: why it could not run here
#   INFO text
# run.sh turns the FAIL count into the container's exit status.

RESULTS=/hvresult/results.txt
N_FAIL=0

_emit() {
        echo "$*" >>"$RESULTS"
        echo "$*"
}

results_begin() {
        : >"$RESULTS"
        info "scenario ${SCENARIO:-?}: systemd $(systemctl --version | head -n1 | cut -d' ' -f2)," \
             "PID 1 arguments: $(tr '\0' ' ' </proc/1/cmdline)"
        info "system state at the checks: $(systemctl is-system-running 2>&1)"
}

results_end() {
        # Collected for the record whatever happened above.
        journalctl -b --no-pager -o short-monotonic >/hvresult/journal.txt 2>&1 || true
        systemctl list-units --all --no-pager --plain 'interface-vf@*' 'hostvirt-*' '*.mount' \
                'libvirtd*' 'virtqemud*' >/hvresult/units.txt 2>&1 || true
        systemctl --failed --no-pager --plain >>/hvresult/units.txt 2>&1 || true
        ls -lR /run/systemd/generator >/hvresult/generator-output.txt 2>&1 || true
        echo DONE >>"$RESULTS"
        [ "$N_FAIL" -gt 100 ] && N_FAIL=100
        exit "$N_FAIL"
}

info() { _emit "INFO $*"; }
pass() { _emit "PASS $1"; }
skip() { local n=$1; shift; _emit "SKIP $n :: $*"; }
fail() {
        local n=$1; shift
        N_FAIL=$((N_FAIL + 1))
        _emit "FAIL $n :: $*"
}

# check NAME COMMAND...: PASS when the command succeeds; else FAIL with the
# last lines of its output.
check() {
        local name=$1 out
        shift
        if out=$("$@" 2>&1); then
                pass "$name"
        else
                fail "$name" "$(echo "$out" | tail -n 3 | tr '\n' ' ')(command: $*)"
        fi
}

# check_not NAME COMMAND...: PASS when the command fails.
check_not() {
        local name=$1 out
        shift
        if out=$("$@" 2>&1); then
                fail "$name" "succeeded, but should not have: $* :: $(echo "$out" | tail -n 2 | tr '\n' ' ')"
        else
                pass "$name"
        fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
        if [ "$2" = "$3" ]; then
                pass "$1"
        else
                fail "$1" "expected '$2', got '$3'"
        fi
}

# wait_for DEADLINE_SECONDS COMMAND...: retries until the command succeeds.
# A deadline, not a measurement: it only bounds how long a broken system is
# waited for.
wait_for() {
        local deadline=$(( $(date +%s) + $1 ))
        shift
        until "$@" >/dev/null 2>&1; do
                [ "$(date +%s)" -ge "$deadline" ] && return 1
                sleep 0.2
        done
}

unit_prop() { systemctl show -P "$2" "$1"; }

# has_word WORD LIST...: LIST (whitespace separated) contains WORD.
has_word() {
        local w=$1 x
        shift
        # shellcheck disable=SC2048 # split on purpose: LIST is whitespace separated
        for x in $*; do
                [ "$x" = "$w" ] && return 0
        done
        return 1
}

# A unit template from one of our issues is installed in the container.
template_installed() { [ -f "/lib/systemd/system/$1" ] || [ -f "/usr/lib/systemd/system/$1" ]; }

# Boot cost of our units, for the record (systemd-analyze in the container).
record_boot_cost() {
        local pattern='interface-vf@|hostvirt-|hugepages|libvirtd|virtqemud'
        systemd-analyze time 2>&1 | head -n 1 | sed 's/^/INFO analyze: /' | tee -a "$RESULTS"
        systemd-analyze blame --no-pager 2>/dev/null | grep -E "$pattern" | sed 's/^ */INFO blame: /' | tee -a "$RESULTS"
        local u
        for u in "$@"; do
                systemd-analyze critical-chain --no-pager "$u" 2>/dev/null | tail -n +3 |
                        sed "s|^|INFO critical-chain $u: |" | tee -a "$RESULTS"
        done
}
