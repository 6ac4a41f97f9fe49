#!/bin/bash
# The templates hostvirt-vlan@.service and hostvirt-bridge@.service: they
# load (systemd-analyze verify), their sandbox keeps the exposure at 2.0 or
# below (systemd-analyze security scores 0..10 and takes the threshold as
# 0..100), and the check can fail: the same unit without its sandbox is
# refused.  Whether the sandbox still lets the helper do its work is shown
# by a real systemd (the integration and VM suites), not here.
source "$SRCDIR/tests/lib/common.sh"
d=$(mktempdir)
score() { systemd-analyze security --offline=yes --threshold=20 "$1" 2>&1 | grep 'Overall exposure' || true; }

for kind in vlan bridge; do
        u=hostvirt-$kind@.service
        cp "$UNITS_BUILD_DIR/test-$u" "$d/$u"
        check "$kind-verify" bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no hostvirt-$kind@x.service"

        if systemd-analyze security --offline=yes --threshold=20 "$d/$u" >/dev/null 2>&1; then
                pass "$kind-exposure<=2.0 ($(score "$d/$u"))"
        else
                fail "$kind-exposure" "above 2.0: $(score "$d/$u")"
        fi
        mkdir -p "$d/bare"
        sed -n '/^# Sandbox/q;p' "$d/$u" > "$d/bare/$u"
        if systemd-analyze security --offline=yes --threshold=20 "$d/bare/$u" >/dev/null 2>&1; then
                fail "$kind-exposure-check-can-fail" "an unsandboxed unit passed: $(score "$d/bare/$u")"
        else
                pass "$kind-exposure-check-can-fail"
        fi

        check "$kind-only-net-admin" grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN' "$d/$u"
        check "$kind-only-netlink" grep -qx 'RestrictAddressFamilies=AF_NETLINK' "$d/$u"
        check "$kind-before-network-pre" grep -qx 'Before=network-pre.target shutdown.target' "$d/$u"
        check "$kind-wants-network-pre" grep -qx 'Wants=network-pre.target' "$d/$u"
        check "$kind-no-default-deps" grep -qx 'DefaultDependencies=no' "$d/$u"
        check "$kind-state-survives-stop" grep -qx 'RuntimeDirectoryPreserve=yes' "$d/$u"
        check "$kind-unescaped-instance" grep -qx "ExecStart=:$BUILDDIR/src/net/hostvirt-net start $kind %I" "$d/$u"
        check "$kind-install" grep -qx 'WantedBy=multi-user.target' "$d/$u"
done

finish
