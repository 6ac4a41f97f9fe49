#!/bin/bash
# Faults: what the helpers do when a sysfs write fails, and when they are killed
# halfway and started again.
#
# Why fake sysfs trees: this machine has no SR-IOV device, and its hugepage pools
# are the host's (tests/vm and tests/hugepages use real ones).  Why a shim
# (fault-inject.so, LD_PRELOAD): a plain file takes every write, and the errors
# that matter here — EBUSY, EINVAL, ENOMEM from a driver — cannot be had from a
# file system (chattr +i gives EPERM, a read-only mount EROFS: tests/vf and
# tests/hugepages use those).  The shim also makes the fake files behave as
# sysfs does (a failed write leaves the old value) and can stop a helper just
# before its N-th write, for SIGKILL.
#
# Checked:
#   - a refused write: exit status 1, a message naming the device, the attribute,
#     the value and the kernel's error, and the tree as it was found (or, where
#     the kernel leaves no way back, a message saying what state it is in);
#   - killed before each of its writes in turn, then started again: the second
#     run succeeds and leaves exactly what an uninterrupted run leaves; stop then
#     gives back what was there before the first start (for the bridge, stop
#     does so also right after the kill, without a second start).
#
# usage: faults.sh FAULT_INJECT_SO   (BUILDDIR, SRCDIR from meson)
source "$SRCDIR/tests/lib/common.sh"
SHIM=$(realpath "$1")
VF=$BUILDDIR/src/vf/hostvirt-vf
HP=$BUILDDIR/src/hugepages/hostvirt-hugepages
NET=$BUILDDIR/src/net/hostvirt-net
unset FAULT_HUGEPAGES_LIMIT JOURNAL_STREAM FAULT_MATCH FAULT_NTH FAULT_ERRNO FAULT_BLOCK FAULT_LOG FAULT_SENDTO_NTH
# under ASan (tests/sanitizers) the runtime must come first in the library list; the shim
# only wraps write/open/sendto and calls on, so its place does not matter
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

# shim ROOT VAR=VALUE... -- CMD...: runs CMD under the shim, HOSTVIRT_ROOT=ROOT; sets $rc and $out
shim() {
        local root=$1; shift
        local envs=()
        while [ "$1" != -- ]; do envs+=("$1"); shift; done
        shift
        rc=0
        out=$(env HOSTVIRT_ROOT="$root" LD_PRELOAD="$SHIM" "${envs[@]}" "$@" 2>&1) || rc=$?
}

# state ROOT: every file of the fake system and its content (sysfs, and what the helpers keep
# in /run), as "PATH=VALUE" lines
state() {
        (cd "$1" && find sys run -type f 2>/dev/null | sort | while read -r f; do
                printf '%s=%s\n' "$f" "$(grep -v '^#' "$f" | tr '\n' ' ')"; done)
}

# ---- the fake systems ----------------------------------------------------------------------------

# A PF eno4 as netdevsim has it (no PCI bus, so no virtfn* links to wait for), with 2 VFs and
# driver autoprobe on, and a config that wants 4 VFs without autoprobe: a full run writes
# sriov_drivers_autoprobe=0, sriov_numvfs=0, sriov_numvfs=4.
vf_root() {
        local r dev
        r=$(mktempdir)
        dev=$r/sys/devices/netdevsim1/net/eno4
        mkdir -p "$dev/device" "$r/sys/class/net" "$r/sys/bus/netdevsim" "$r/etc/hostvirt"
        ln -s ../../devices/netdevsim1/net/eno4 "$r/sys/class/net/eno4"
        ln -s ../../../../bus/netdevsim "$dev/device/subsystem"
        echo 2 > "$dev/device/sriov_numvfs"
        echo 8 > "$dev/device/sriov_totalvfs"
        echo 1 > "$dev/device/sriov_drivers_autoprobe"
        printf '[SR-IOV eno4]\nVirtualFunctions = 4\nDriversAutoprobe = no\n' > "$r/etc/hostvirt/vf.conf"
        echo "$r"
}
VFDEV=sys/devices/netdevsim1/net/eno4/device

# Two NUMA nodes with one 2M page on node 0 (say, from the kernel command line), and a config
# that wants 4 on each: a full run writes node 0, then node 1.
hp_root() {
        local r n
        r=$(mktempdir)
        mkdir -p "$r/sys/kernel/mm/hugepages/hugepages-2048kB" "$r/proc/sys/vm" "$r/etc/hostvirt"
        echo 1 > "$r/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
        for n in 0 1; do
                mkdir -p "$r/sys/devices/system/node/node$n/hugepages/hugepages-2048kB"
                echo $((1 - n)) > "$r/sys/devices/system/node/node$n/hugepages/hugepages-2048kB/nr_hugepages"
        done
        : > "$r/proc/sys/vm/compact_memory"
        printf '[Hugepages 2M]\nNodePages = 0:4 1:4\n' > "$r/etc/hostvirt/hp.conf"
        echo "$r"
}
node() { echo "sys/devices/system/node/node$1/hugepages/hugepages-2048kB/nr_hugepages"; }

expect() { # NAME TEST...
        local n=$1; shift
        if "$@"; then pass "$n"; else fail "$n" "rc=$rc; log: $(tr '\n' '|' <<<"$out")"; fi
}
has() { grep -qF -- "$1" <<<"$out"; }

# ---- the shim itself must be able to fail a write and to stop a helper -------------------------
R=$(vf_root)
shim "$R" FAULT_MATCH=/sriov_numvfs FAULT_ERRNO=EBUSY -- sh -c "echo 3 > $R/$VFDEV/sriov_numvfs"
expect shim-fails-a-write test "$rc" != 0 -a "$(cat "$R/$VFDEV/sriov_numvfs")" = 2
shim "$R" -- sh -c "echo 3 > $R/$VFDEV/sriov_numvfs"
expect shim-writes-like-sysfs test "$rc" = 0 -a "$(cat "$R/$VFDEV/sriov_numvfs")" = 3

# ---- VF helper: refused writes ---------------------------------------------------------------
for err in EBUSY EINVAL ENOMEM; do
        text=$(case $err in EBUSY) echo 'Device or resource busy' ;; EINVAL) echo 'Invalid argument' ;;
                ENOMEM) echo 'Cannot allocate memory' ;; esac)

        # the new count is refused: the old VFs are put back, and autoprobe as found
        R=$(vf_root); before=$(state "$R")
        shim "$R" FAULT_MATCH=/sriov_numvfs FAULT_NTH=2 FAULT_ERRNO=$err -- "$VF" start eno4
        expect "vf-$err-new-count-fails" test "$rc" = 1
        expect "vf-$err-new-count-says-why" has "eno4: writing sriov_numvfs=4 failed: $text"
        expect "vf-$err-new-count-as-found" test "$(state "$R")" = "$before"

        # removing the old VFs is refused: nothing else is tried, all as found
        R=$(vf_root); before=$(state "$R")
        shim "$R" FAULT_MATCH=/sriov_numvfs FAULT_NTH=1 FAULT_ERRNO=$err -- "$VF" start eno4
        expect "vf-$err-removal-fails" test "$rc" = 1
        expect "vf-$err-removal-says-why" has "eno4: writing sriov_numvfs=0 failed: $text"
        expect "vf-$err-removal-as-found" test "$(state "$R")" = "$before"

        # autoprobe is refused: before any VF is touched
        R=$(vf_root); before=$(state "$R")
        shim "$R" FAULT_MATCH=/sriov_drivers_autoprobe FAULT_ERRNO=$err -- "$VF" start eno4
        expect "vf-$err-autoprobe-fails" test "$rc" = 1
        expect "vf-$err-autoprobe-says-why" has "eno4: writing sriov_drivers_autoprobe=0 failed: $text"
        expect "vf-$err-autoprobe-as-found" test "$(state "$R")" = "$before"

        # stop is refused: it says so, and the VFs are still there
        R=$(vf_root); before=$(state "$R")
        shim "$R" FAULT_MATCH=/sriov_numvfs FAULT_ERRNO=$err -- "$VF" stop eno4
        expect "vf-$err-stop-fails" test "$rc" = 1
        expect "vf-$err-stop-says-why" has "eno4: writing sriov_numvfs=0 failed: $text"
        expect "vf-$err-stop-as-found" test "$(state "$R")" = "$before"
done

# Two faults in a row: the new count fails and putting the old VFs back fails too.  There is
# no way back then (the old VFs are gone): the log must say what the PF is left with.
R=$(vf_root)
shim "$R" FAULT_MATCH=/sriov_numvfs FAULT_NTH=2+ FAULT_ERRNO=ENOMEM -- "$VF" start eno4
expect vf-double-fault-fails test "$rc" = 1 -a "$(cat "$R/$VFDEV/sriov_numvfs")" = 0
expect vf-double-fault-says-what-is-left has "eno4: writing sriov_numvfs=2 failed"
expect vf-double-fault-says-no-vfs-left grep -qi "0 VFs\|no VFs\|without VFs" <<<"$out"
expect vf-double-fault-autoprobe-as-found test "$(cat "$R/$VFDEV/sriov_drivers_autoprobe")" = 1

# ---- VF helper: killed before each write, then started again ---------------------------------

# kill_test NAME ROOT_FN CMD...: see the header.  Sets $final to the converged state.
kill_test() {
        local name=$1 mk=$2; shift 2
        local r log n k pid ref ok=1
        r=$($mk); log=$r.log
        shim "$r" FAULT_LOG="$log" -- "$@"
        [ "$rc" = 0 ] || { fail "$name-reference-run" "rc=$rc: $out"; return; }
        ref=$(state "$r"); n=$(wc -l < "$log")
        [ "$n" -gt 1 ] || { fail "$name-reference-run" "only $n writes: $(cat "$log")"; return; }
        for k in $(seq 1 "$n"); do
                r=$($mk)
                HOSTVIRT_ROOT=$r LD_PRELOAD=$SHIM FAULT_NTH=$k FAULT_BLOCK=$r.blocked "$@" > "$r.out" 2>&1 &
                pid=$!
                for _ in $(seq 1000); do [ -e "$r.blocked" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
                if [ ! -e "$r.blocked" ]; then
                        kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
                        fail "$name-killed-before-write-$k" "never reached write $k: $(cat "$r.out")"; ok=0; continue
                fi
                kill -9 "$pid"; wait "$pid" 2>/dev/null || true
                shim "$r" -- "$@"
                if [ "$rc" != 0 ]; then
                        fail "$name-killed-before-write-$k" "the second run failed (rc=$rc): $out"; ok=0
                elif [ "$(state "$r")" != "$ref" ]; then
                        diff <(echo "$ref") <(state "$r") || true
                        fail "$name-killed-before-write-$k" "the second run left another state"; ok=0
                else
                        pass "$name-killed-before-write-$k-of-$n-converges"
                fi
                last_root=$r
        done
        [ $ok = 1 ] || return 1
}

kill_test vf vf_root "$VF" start eno4
# after a killed first run, stop removes the VFs (autoprobe stays as configured: stop leaves it)
shim "$last_root" -- "$VF" stop eno4
expect vf-stop-after-kill test "$rc" = 0 -a "$(cat "$last_root/$VFDEV/sriov_numvfs")" = 0

# ---- hugepages helper: refused writes --------------------------------------------------------
for err in EBUSY EINVAL ENOMEM; do
        text=$(case $err in EBUSY) echo 'Device or resource busy' ;; EINVAL) echo 'Invalid argument' ;;
                ENOMEM) echo 'Cannot allocate memory' ;; esac)
        # node 1 refuses: node 0, already written, is put back; no record is left
        R=$(hp_root); before=$(state "$R")
        shim "$R" FAULT_MATCH=/node1/ FAULT_ERRNO=$err -- "$HP" start 2M
        expect "hp-$err-fails" test "$rc" = 1
        expect "hp-$err-says-why" has "2M: failed to set node 1 to 4 pages ($R/$(node 1)): $text"
        expect "hp-$err-as-found" test "$(state "$R")" = "$before"
done

# a temporary record left by a run killed while writing it is replaced, not trusted
R=$(hp_root); mkdir -p "$R/run/hostvirt/hugepages"; printf 'node0 99\ngarbage' > "$R/run/hostvirt/hugepages/2M.tmp"
shim "$R" -- "$HP" start 2M
expect hp-stale-temporary-record-replaced test "$rc" = 0 -a ! -e "$R/run/hostvirt/hugepages/2M.tmp" -a \
        "$(grep -c '^node' "$R/run/hostvirt/hugepages/2M")" = 2
shim "$R" -- "$HP" stop 2M
expect hp-stale-temporary-record-not-used test "$rc" = 0 -a "$(cat "$R/$(node 0)")" = 1

# ---- hugepages helper: killed before each write, then started again; stop gives back what was
# there before the first start (the record of the first run survives the kill) ---------------
kill_test hp hp_root "$HP" start 2M
shim "$last_root" -- "$HP" stop 2M
expect hp-stop-after-kill-restores-found test "$rc" = 0 -a "$(cat "$last_root/$(node 0)")" = 1 -a \
        "$(cat "$last_root/$(node 1)")" = 0

# ---- net helper: killed before each rtnetlink request, then started again; stop then removes
# the bridge (it was created by hostvirt, even if the run that created it did not finish) ------
# The real kernel's bridge and veth pairs, in network namespaces of this test.
namespaces=()
_prev_trap=$(trap -p EXIT); _prev_trap=${_prev_trap#"trap -- '"}; _prev_trap=${_prev_trap%"' EXIT"}
trap 'for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done; '"$_prev_trap" EXIT
net_root() { # a root with the config, and a namespace with the ports p0 and p1; prints "ROOT NS"
        local r ns
        r=$(mktempdir); ns=hvfault-$$-$RANDOM
        ip netns add "$ns" || return 1
        ip -n "$ns" link add p0 type veth peer name q0
        ip -n "$ns" link add p1 type veth peer name q1
        mkdir -p "$r/etc/hostvirt"
        printf '[Bridge br0]\nPorts = p0 p1\nSTP = no\nForwardDelaySec = 2\nMTU = 1400\nMACAddress = 02:00:00:00:00:b0\n' \
                > "$r/etc/hostvirt/net.conf"
        echo "$r $ns"
}
links() { # NS: the links with what start may change (not ifindex, not the veths' random MACs)
        ip -n "$1" -d -j link show | jq -cS '[.[] | {ifname, mtu, up: any(.flags[]; . == "UP"), master,
                kind: .linkinfo.info_kind, stp: .linkinfo.info_data.stp_state, fd: .linkinfo.info_data.forward_delay,
                address: (if .linkinfo.info_kind == "bridge" then .address else null end)}] | sort_by(.ifname)'
}
net() { # ROOT NS ENV... -- ARGS: hostvirt-net in NS (under the shim); $rc, $out
        local r=$1 ns=$2; shift 2
        local envs=()
        while [ "$1" != -- ]; do envs+=("$1"); shift; done
        shift
        rc=0
        out=$(ip netns exec "$ns" env HOSTVIRT_ROOT="$r" LD_PRELOAD="$SHIM" "${envs[@]}" "$NET" "$@" 2>&1) || rc=$?
}
if ! command -v jq >/dev/null || ! ip netns add "hvfault-probe-$$" 2>/dev/null; then
        skip net-kill "needs root, ip netns and jq"
else
        ip netns del "hvfault-probe-$$"
        read -r r ns < <(net_root); namespaces+=("$ns")
        net "$r" "$ns" FAULT_LOG="$r.log" -- start bridge br0
        n=$(grep -c '^netlink=' "$r.log" || true)
        ref_links=$(links "$ns"); ref_state=$(cat "$r/run/hostvirt/net/br0")
        net "$r" "$ns" -- stop bridge br0
        pristine=$(links "$ns")
        [ "$n" -gt 1 ] || fail net-reference-run "only $n netlink requests; log: $out"
        for k in $(seq 1 "$n"); do
                read -r r ns < <(net_root); namespaces+=("$ns")
                ip netns exec "$ns" env HOSTVIRT_ROOT="$r" LD_PRELOAD="$SHIM" FAULT_SENDTO_NTH=$k \
                        FAULT_BLOCK="$r.blocked" "$NET" start bridge br0 > "$r.out" 2>&1 &
                pid=$!
                for _ in $(seq 1000); do [ -e "$r.blocked" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
                if [ ! -e "$r.blocked" ]; then
                        kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
                        fail "net-killed-before-request-$k" "never reached request $k: $(cat "$r.out")"; continue
                fi
                kill -9 "$pid"; wait "$pid" 2>/dev/null || true
                net "$r" "$ns" -- start bridge br0
                if [ "$rc" != 0 ]; then
                        fail "net-killed-before-request-$k" "the second start failed (rc=$rc): $out"
                elif [ "$(links "$ns")" != "$ref_links" ]; then
                        diff <(echo "$ref_links" | jq .) <(links "$ns" | jq .) || true
                        fail "net-killed-before-request-$k" "the second start left other links"
                elif [ "$(cat "$r/run/hostvirt/net/br0")" != "$ref_state" ]; then
                        diff <(echo "$ref_state") "$r/run/hostvirt/net/br0" || true
                        fail "net-killed-before-request-$k" "the second start recorded another state"
                else
                        pass "net-killed-before-request-$k-of-$n-converges"
                fi
                net "$r" "$ns" -- stop bridge br0
                if [ "$rc" = 0 ] && [ "$(links "$ns")" = "$pristine" ]; then
                        pass "net-killed-before-request-$k-stop-cleans-up"
                else
                        fail "net-killed-before-request-$k-stop-cleans-up" "rc=$rc, links left: $(links "$ns")"
                fi
                ip netns del "$ns"

                # killed, then stopped by hand without a second start: stop alone undoes it all
                read -r r ns < <(net_root); namespaces+=("$ns")
                ip netns exec "$ns" env HOSTVIRT_ROOT="$r" LD_PRELOAD="$SHIM" FAULT_SENDTO_NTH=$k \
                        FAULT_BLOCK="$r.blocked" "$NET" start bridge br0 > "$r.out" 2>&1 &
                pid=$!
                for _ in $(seq 1000); do [ -e "$r.blocked" ] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.01; done
                kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
                net "$r" "$ns" -- stop bridge br0
                if [ "$rc" = 0 ] && [ "$(links "$ns")" = "$pristine" ] && [ ! -e "$r/run/hostvirt/net/br0" ]; then
                        pass "net-killed-before-request-$k-then-stop-cleans-up"
                else
                        fail "net-killed-before-request-$k-then-stop-cleans-up" "rc=$rc, $out; links left: $(links "$ns")"
                fi
                ip netns del "$ns"
        done
fi

finish
