# Shared by the net suite.  Source it after setting nothing; it gives:
#   NS          a fresh network namespace of this test (deleted at exit)
#   ROOT        the HOSTVIRT_ROOT tree: config in etc/hostvirt, state in run/hostvirt/net
#   conf        reads the config (etc/hostvirt/net.conf) from stdin
#   hv ARGS     runs hostvirt-net ARGS inside NS; output in $HV_OUT, status in $HV_RC
#   nsip ARGS   ip -n NS ARGS
#   jlink DEV FILTER   a jq FILTER applied to `ip -d -j link show DEV`
#   has_flag DEV FLAG / lacks_flag DEV FLAG   DEV's flags (do not) include FLAG (UP, ...)
#   snapshot    every link of NS with the fields start may change, for "nothing changed"
#   expect NAME GOT WANT / expect_ok NAME / expect_fail NAME / expect_out NAME TEXT
#
# Netlink is not re-rooted by HOSTVIRT_ROOT (docs/DESIGN.md, Tests): these tests use the real
# kernel's bridges and veth pairs, in a namespace of their own.
source "$SRCDIR/tests/lib/common.sh"

HELPER=$BUILDDIR/src/net/hostvirt-net
ROOT=$(mktempdir)
mkdir -p "$ROOT/etc/hostvirt"
NS=hvnet-$$-$RANDOM
ip netns add "$NS"
# Delete the namespace at exit, then run common.sh's own exit trap.
_prev_trap=$(trap -p EXIT); _prev_trap=${_prev_trap#"trap -- '"}; _prev_trap=${_prev_trap%"' EXIT"}
trap "ip netns del '$NS' 2>/dev/null || true; $_prev_trap" EXIT

conf() { cat > "$ROOT/etc/hostvirt/net.conf"; }
nsip() { ip -n "$NS" "$@"; }
veth() { nsip link add "$1" type veth peer name "$2"; }
exists() { nsip link show dev "$1" >/dev/null 2>&1; }
jlink() { nsip -d -j link show dev "$1" | jq -r ".[0] | $2"; }
has_flag() { [ "$(jlink "$1" "any(.flags[]; . == \"$2\")")" = true ]; }
lacks_flag() { [ "$(jlink "$1" "any(.flags[]; . == \"$2\")")" = false ]; }
state_file() { echo "$ROOT/run/hostvirt/net/$1"; }
# (Only the admin's UP of the flags: carrier flags follow the kernel's link
# watch, which lags behind by its own schedule.)
snapshot() {
        nsip -d -j link show | jq -cS '[.[] | {ifname, ifindex, mtu, up: any(.flags[]; . == "UP"), address, master,
                kind: .linkinfo.info_kind, stp: .linkinfo.info_data.stp_state,
                fd: .linkinfo.info_data.forward_delay}] | sort_by(.ifname)'
}

HV_OUT=; HV_RC=0
hv() {
        HV_RC=0
        HV_OUT=$(HOSTVIRT_ROOT="$ROOT" ip netns exec "$NS" "$HELPER" "$@" 2>&1) || HV_RC=$?
        printf '$ hostvirt-net %s  (exit %s)\n%s\n' "$*" "$HV_RC" "$HV_OUT" | sed '2,$s/^/  | /'
}

expect() {
        if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}
expect_ok() {
        if [ "$HV_RC" = 0 ]; then pass "$1"; else fail "$1" "exit status $HV_RC"; fi
}
expect_fail() {
        if [ "$HV_RC" = 1 ]; then pass "$1"; else fail "$1" "exit status $HV_RC, expected 1"; fi
}
expect_out() {
        if grep -qF -- "$2" <<<"$HV_OUT"; then pass "$1"; else fail "$1" "output lacks: $2"; fi
}
