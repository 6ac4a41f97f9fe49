#!/bin/bash
# hostvirt check and status on what br_netfilter does to a bridge's traffic, read from the
# real kernel: the sysctls net.bridge.bridge-nf-call-* of this test's own network namespace
# (they are per namespace) and the bridge's own nf_call_* flags, on a real bridge there.
# No HOSTVIRT_ROOT: check and status read the namespace's /proc/sys and /sys (ip netns exec
# mounts its sysfs).  check gets the config as a file argument; status, which reads the
# config directories only, runs in a private mount namespace of its own with a tmpfs on /run
# holding /run/hostvirt/net.conf (and a tmpfs over /etc/hostvirt if this host has one).
source "$SRCDIR/tests/net/lib.sh"
CLI=$BUILDDIR/src/cli/hostvirt

if ! ip netns exec "$NS" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
        # Loading br_netfilter would change how every bridge of this host forwards: not done here.
        echo "SKIP: this kernel has no br_netfilter loaded (no /proc/sys/net/bridge); the fake-root" \
             "cases of the cli suite check that nothing is reported then"
        exit 77
fi

conf <<'EOF2'
[Bridge br20]
Ports = p0
EOF2
veth p0 q0
hv start bridge br20
expect_ok bridge-started

nf() { ip netns exec "$NS" sh -c "echo $2 > /proc/sys/net/bridge/bridge-nf-call-$1"; }
OUT=; ERR=; RC=0
hvcheck() {
        RC=0
        OUT=$(cd "$ROOT/etc/hostvirt" && ip netns exec "$NS" "$CLI" check net.conf 2>/tmp/hv-nf-err.$$) || RC=$?
        ERR=$(cat /tmp/hv-nf-err.$$); rm -f /tmp/hv-nf-err.$$
        printf '$ hostvirt check net.conf  (exit %s)\n%s\n%s\n' "$RC" "$OUT" "$ERR" | sed '2,$s/^/  | /'
}
netfilter_item() {
        ip netns exec "$NS" unshare -m --propagation private sh -c "mount -t tmpfs tmpfs /run &&
                mkdir /run/hostvirt && cp '$ROOT/etc/hostvirt/net.conf' /run/hostvirt/ &&
                { [ ! -d /etc/hostvirt ] || mount -t tmpfs tmpfs /etc/hostvirt; } && exec '$CLI' status --json" |
                jq -r '.objects[] | select(.kind == "bridge" and .name == "br20") | .settings.netfilter.actual'
}
W="net.conf:1: warning: [Bridge br20]: the traffic it bridges passes the host's"

# every hook off: nothing to say
nf iptables 0; nf ip6tables 0; nf arptables 0
hvcheck
expect off-exit "$RC" 0
expect off-no-warning "$(grep -c "passes the host's" <<<"$ERR")" 0
expect off-status "$(netfilter_item)" none

# the global IPv4 switch, as br_netfilter sets it by default (and Docker wants it)
nf iptables 1
hvcheck
expect on-warning "$(grep -F "$W iptables rules (br_netfilter: net.bridge.bridge-nf-call-iptables=1); a FORWARD policy that drops takes its guests off the network: see hostvirt.conf(5), BRIDGES AND THE FIREWALL" <<<"$ERR" | wc -l)" 1
expect on-exit "$RC" 0
expect on-status "$(netfilter_item)" iptables

# the bridge's own flag adds it for this bridge alone, while the global switch is off
nf iptables 0
nsip link set br20 type bridge nf_call_ip6tables 1
nf arptables 1
hvcheck
expect own-flag-warning "$(grep -cF "$W ip6tables and arptables rules (br_netfilter: br20's nf_call_ip6tables=1, net.bridge.bridge-nf-call-arptables=1)" <<<"$ERR")" 1
expect own-flag-status "$(netfilter_item)" "ip6tables arptables"

# all three, as a fresh namespace has them with br_netfilter loaded
nf iptables 1; nf ip6tables 1
hvcheck
expect all-warning "$(grep -cF "$W iptables, ip6tables and arptables rules (br_netfilter: net.bridge.bridge-nf-call-iptables=1, net.bridge.bridge-nf-call-ip6tables=1, net.bridge.bridge-nf-call-arptables=1)" <<<"$ERR")" 1
expect all-status "$(netfilter_item)" "iptables ip6tables arptables"

hv stop bridge br20
expect_ok bridge-stopped
finish
