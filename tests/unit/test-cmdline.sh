#!/bin/bash
# The rescue switch hostvirt= on the kernel command line, through the generator itself on
# fake roots (HOSTVIRT_ROOT: proc/cmdline, or proc/1/cmdline in a container).  It must never
# fail open: every occurrence counts, the last valid boolean wins, and an invalid or empty
# value (or a bare "hostvirt") is ignored with a warning, so it cannot undo an earlier off.
#
# usage: test-cmdline.sh   (BUILDDIR, SRCDIR from meson)
source "$SRCDIR/tests/lib/common.sh"
GEN=$BUILDDIR/generators/hostvirt-generator

# gen CMDLINE [--container ARG...]: runs the generator on a root whose /proc/cmdline is
# CMDLINE (and with --container, as in a container whose PID 1 has the arguments ARG...);
# sets $rc, $err and $n (the number of files and links it wrote)
gen() {
        local r envs=(-u SYSTEMD_VIRTUALIZATION)
        r=$(mktempdir)
        mkdir -p "$r/etc/hostvirt" "$r/proc/1" "$r/out"
        printf '[SR-IOV eno4]\nVirtualFunctions = 2\n' > "$r/etc/hostvirt/sriov.conf"
        printf '%s\n' "$1" > "$r/proc/cmdline"
        if [ "${2:-}" = --container ]; then
                printf '%s\0' /lib/systemd/systemd "${@:3}" > "$r/proc/1/cmdline"
                envs=(SYSTEMD_VIRTUALIZATION=container:systemd-nspawn)
        fi
        rc=0
        err=$(env "${envs[@]}" HOSTVIRT_ROOT="$r" "$GEN" "$r/out" 2>&1) || rc=$?
        n=$(find "$r/out" -mindepth 1 ! -type d | wc -l)
}

# the generator must write something for this config at all, or "nothing" proves nothing
gen ""
if [ "$rc" = 0 ] && [ "$n" -gt 0 ] && [ -z "$err" ]; then pass enabled-writes-units; else fail enabled-writes-units "rc=$rc n=$n: $err"; fi

# off CMDLINE [WARNING]: nothing generated, exit 0, the "Disabled" line, and WARNING (if given)
off() {
        local name="off: $1"
        gen "$1"
        if [ "$rc" = 0 ] && [ "$n" = 0 ] && grep -q '^Disabled by hostvirt=0' <<<"$err"; then pass "$name"
        else fail "$name" "rc=$rc, $n files written: $err"; fi
        if [ -n "${2:-}" ]; then
                if grep -qF -- "$2" <<<"$err"; then pass "$name: warns"; else fail "$name: warns" "no '$2' in: $err"; fi
        fi
}
# on CMDLINE [WARNING]: units generated, and WARNING (if given), or no message at all
on() {
        local name="on: $1"
        gen "$1"
        if [ "$rc" = 0 ] && [ "$n" -gt 0 ]; then pass "$name"; else fail "$name" "rc=$rc, $n files written: $err"; fi
        if [ -n "${2:-}" ]; then
                if grep -qF -- "$2" <<<"$err"; then pass "$name: warns"; else fail "$name: warns" "no '$2' in: $err"; fi
        elif [ -n "$err" ]; then fail "$name: quiet" "$err"; fi
}

# --- a false value, alone or followed by anything that is not a valid boolean ---
off "hostvirt=0"
off "quiet hostvirt=off splash"
off "hostvirt=0 hostvirt=garbage" "Ignoring invalid 'hostvirt=garbage' on the kernel command line: the earlier 'hostvirt=0' stays in force."
off "hostvirt=0 hostvirt=" "Ignoring invalid 'hostvirt=' on the kernel command line: the earlier 'hostvirt=0' stays in force."
off "hostvirt=no hostvirt" "Ignoring invalid 'hostvirt' on the kernel command line: the earlier 'hostvirt=no' stays in force."
off 'hostvirt=false hostvirt=""' "Ignoring invalid 'hostvirt='"
off "hostvirt=off hostvirt=garbage hostvirt= hostvirt=2"
off "hostvirt=1 hostvirt=0 hostvirt=yess"
off '"hostvirt=0" hostvirt="yes please"'
off "hostvirt=OFF hostvirt=-1"
# a later valid false wins over an earlier true, with or without junk around it
off "hostvirt=yes hostvirt=0"
off "hostvirt=garbage hostvirt=0"

# --- the last valid value wins (systemd's rule for its own switches) ---
on "hostvirt=off hostvirt=yes"
on "hostvirt=0 hostvirt=garbage hostvirt=1" "Ignoring invalid 'hostvirt=garbage'"
# --- an invalid value alone is ignored, as if absent, with a warning ---
on "hostvirt=garbage" "Ignoring invalid 'hostvirt=garbage' on the kernel command line (expected"
on "hostvirt=" "Ignoring invalid 'hostvirt='"
# --- other keys are not ours ---
on "hostvirtx=0 xhostvirt=0 hostvirt.foo=0"

# --- in a container: PID 1's arguments, not the host's /proc/cmdline ---
c_off() { # PID 1's ARGS...
        gen "" --container "$@"
        if [ "$rc" = 0 ] && [ "$n" = 0 ] && grep -q '^Disabled by hostvirt=0' <<<"$err"; then pass "container off: $*"
        else fail "container off: $*" "rc=$rc, $n files: $err"; fi
}
c_off hostvirt=0
c_off hostvirt=0 hostvirt=garbage
c_off hostvirt=0 hostvirt=
c_off systemd.unit=multi-user.target hostvirt=off hostvirt
# (an argument of PID 1 may hold blanks: it is one word, and no boolean)
c_off hostvirt=no "hostvirt=yes please"
gen "hostvirt=0" --container hostvirt=0 hostvirt=1
if [ "$rc" = 0 ] && [ "$n" -gt 0 ]; then pass "container on: last valid wins"; else fail "container on: last valid wins" "$err"; fi
gen "hostvirt=0 hostvirt=garbage" --container systemd.unit=multi-user.target
if [ "$rc" = 0 ] && [ "$n" -gt 0 ] && [ -z "$err" ]; then pass "container on: the host's cmdline is not read"
else fail "container on: the host's cmdline is not read" "rc=$rc n=$n: $err"; fi
finish
