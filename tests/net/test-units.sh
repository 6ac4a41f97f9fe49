#!/bin/bash
# The templates hostvirt-vlan@.service, hostvirt-bridge@.service and hostvirt-bond@.service: they
# load (systemd-analyze verify), and their sandbox keeps what the helper needs
# (their exposure score is tests/units/security.sh's).  Whether the sandbox still lets the helper do its work is shown
# by a real systemd (the integration and VM suites), not here.
source "$SRCDIR/tests/lib/common.sh"
d=$(mktempdir)

for kind in vlan bridge bond; do
        u=hostvirt-$kind@.service
        cp "$UNITS_BUILD_DIR/test-$u" "$d/$u"
        check "$kind-verify" bash -c "cd '$d' && SYSTEMD_UNIT_PATH='$d:' systemd-analyze verify --man=no hostvirt-$kind@x.service"
        check "$kind-only-net-admin" grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN' "$d/$u"
        check "$kind-only-netlink" grep -qx 'RestrictAddressFamilies=AF_NETLINK' "$d/$u"
        check "$kind-before-network-pre" grep -qx 'Before=network-pre.target shutdown.target' "$d/$u"
        check "$kind-wants-network-pre" grep -qx 'Wants=network-pre.target' "$d/$u"
        check "$kind-no-default-deps" grep -qx 'DefaultDependencies=no' "$d/$u"
        # the record directory is tmpfiles.d's (tests/units/tmpfiles.sh), so it survives every stop
        check "$kind-records-writable" grep -qx 'ReadWritePaths=-/run/hostvirt/net' "$d/$u"
        check "$kind-unescaped-instance" grep -qx "ExecStart=:$BUILDDIR/src/net/hostvirt-net start $kind %I" "$d/$u"
        check "$kind-install" grep -qx 'WantedBy=multi-user.target' "$d/$u"
done

finish
