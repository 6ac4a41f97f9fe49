# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container (sourced by checks/run.sh).  setup.sh configured the shares
# share0 (/srv/vm-share, writable) and docs (/srv/vm-docs, read-only, SocketGroup=root,
# SocketMode=0600).  The client is a real vhost-user one: QEMU with a vhost-user-fs-pci
# device on shared memory (TCG, no guest OS: the device's handshake with virtiofsd runs
# when QEMU builds the machine).

GEN=/run/systemd/generator
S=/run/hostvirt/virtiofs
svc() { echo "hostvirt-virtiofsd@$1.service"; }
unit_prop() { systemctl show -P "$2" "$1"; }

check boot-finished systemctl is-system-running --wait
check generator-socket test -L "$GEN/sockets.target.wants/hostvirt-virtiofsd@share0.socket"
check generator-service test -L "$GEN/multi-user.target.wants/$(svc share0)"
check generator-libvirtd-orders grep -qx "After=$(svc share0)" "$GEN/libvirtd.service.d/50-hostvirt.conf"

for t in share0 docs; do
        check "$t-socket-active" test "$(unit_prop "hostvirt-virtiofsd@$t.socket" ActiveState)" = active
        check "$t-daemon-active" test "$(unit_prop "$(svc $t)" ActiveState)" = active
done
virtiofsd=$(readlink -f "/proc/$(unit_prop "$(svc share0)" MainPID)/exe" 2>/dev/null || true)
info "share0's daemon: ${virtiofsd:-none}: $(tr '\0' ' ' < "/proc/$(unit_prop "$(svc share0)" MainPID)/cmdline" 2>/dev/null)"
check daemon-is-virtiofsd test "$(basename "${virtiofsd:-none}")" = virtiofsd

check_eq share0-socket-owner-mode "root kvm 660 socket" "$(stat -c '%U %G %a %F' "$S/share0.sock")"
check_eq docs-socket-owner-mode "root root 600 socket" "$(stat -c '%U %G %a %F' "$S/docs.sock")"

# ReadOnly=yes: the share is read-only in the daemon's mount namespace, whatever virtiofsd does;
# a writable share is writable there
check_not docs-read-only-for-daemon nsenter -t "$(unit_prop "$(svc docs)" MainPID)" -m touch /srv/vm-docs/written
check share0-writable-for-daemon nsenter -t "$(unit_prop "$(svc share0)" MainPID)" -m touch /srv/vm-share/written
check_not daemon-sees-no-rest-writable nsenter -t "$(unit_prop "$(svc share0)" MainPID)" -m touch /srv/written

# up at boot before libvirtd (libvirtd's drop-in: After=), with the share's mounts before it
lv=$(unit_prop libvirtd.service ExecMainStartTimestampMonotonic)
vs=$(unit_prop "$(svc share0)" ActiveEnterTimestampMonotonic)
info "libvirtd started at $lv us, share0's daemon active at $vs us"
check daemon-before-libvirtd test "$vs" -gt 0 -a "$lv" -gt "$vs"
check share0-requires-mounts-for sh -c "systemctl show -P RequiresMountsFor $(svc share0) | grep -qw /srv/vm-share"

# the status and check commands
hostvirt status --json >/hvresult/status.json 2>/hvresult/status.err || true
check_eq status-share0 '["ok",0]' "$(jq -c '.objects[] | select(.kind == "virtiofs" and .name == "share0") | [.state, .settings.clients.actual]' /hvresult/status.json)"
check_eq check-clean 0 "$(hostvirt check >/hvresult/check.txt 2>&1; echo $?)"

# a real vhost-user client: QEMU, its memory shared (memfd), a vhost-user-fs-pci device on
# the socket; held paused (-S) while the checks look
client() {
        qemu-system-x86_64 -M q35 -accel tcg -m 128M -nodefaults -display none -monitor none -serial none -S \
                -object memory-backend-memfd,id=mem,size=128M,share=on -numa node,memdev=mem \
                -chardev socket,id=vfs,path="$S/$1.sock" -device vhost-user-fs-pci,chardev=vfs,tag="$1" \
                >"/hvresult/qemu-$1.log" 2>&1 &
        QEMU=$!
}
connected() { [ "$(awk -v p="$S/$1.sock" '$6 == "03" && $8 == p' /proc/net/unix | wc -l)" -ge 1 ]; }

if ! command -v qemu-system-x86_64 >/dev/null; then
        skip vhost-user-handshake "qemu-system-x86_64 is not installed in this image"
else
        pid0=$(unit_prop "$(svc share0)" MainPID)
        client share0
        check vhost-user-connected wait_for 30 connected share0
        sleep 2
        check qemu-still-running kill -0 "$QEMU"
        info "qemu: $(tail -n 3 /hvresult/qemu-share0.log | tr '\n' ' ')"
        check_eq status-client-connected 1 "$(hostvirt status --json 2>/dev/null | jq -c '.objects[] | select(.kind == "virtiofs" and .name == "share0") | .settings.clients.actual')"
        journalctl -b -o cat -u "$(svc share0)" >/hvresult/share0-daemon.log
        kill "$QEMU"; wait "$QEMU" 2>/dev/null || true
        # virtiofsd exits with its client; the unit starts it again for the next one
        back() { local p; p=$(unit_prop "$(svc share0)" MainPID); [ "$(unit_prop "$(svc share0)" ActiveState)" = active ] && [ "$p" != 0 ] && [ "$p" != "$pid0" ]; }
        check daemon-back-after-client wait_for 30 back
        check socket-still-there test -S "$S/share0.sock"
        client share0
        check second-client-connected wait_for 30 connected share0
        kill "$QEMU"; wait "$QEMU" 2>/dev/null || true
fi
# a libvirt domain with the share (<filesystem type='mount'> on the socket: libvirt leaves
# virtiofsd to us), started by the real libvirtd
if ! command -v virsh >/dev/null || ! command -v qemu-system-x86_64 >/dev/null; then
        skip libvirt-domain "virsh or qemu-system-x86_64 is not installed in this image"
else
        virsh -c qemu:///system define /etc/hostvirt-test/vfs-guest.xml >/hvresult/virsh-define.txt 2>&1
        if virsh -c qemu:///system start hvvfs >/hvresult/virsh-start.txt 2>&1; then
                pass libvirt-domain-starts
                check libvirt-domain-connected wait_for 30 connected share0
                virsh -c qemu:///system destroy hvvfs >/dev/null 2>&1
                check daemon-back-after-domain wait_for 30 sh -c "[ \"\$(systemctl show -P ActiveState $(svc share0))\" = active ]"
        else
                fail libvirt-domain-starts "$(tail -n 3 /hvresult/virsh-start.txt | tr '\n' ' ')"
        fi
        cp /var/log/libvirt/qemu/hvvfs.log /hvresult/ 2>/dev/null || true
        virsh -c qemu:///system undefine hvvfs >/dev/null 2>&1 || true
fi
journalctl -b -o cat -u "$(svc share0)" -u "$(svc docs)" >/hvresult/daemons.log 2>&1 || true

# a share whose directory is gone: the daemon's start fails with the reason, nothing else
printf '[Virtiofs gone]\nSharedDir = /srv/vm-gone\n' >/etc/hostvirt/70-gone.conf
systemctl daemon-reload
systemctl start hostvirt-virtiofsd@gone.service 2>/dev/null || true
check_eq missing-dir-fails failed "$(unit_prop "$(svc gone)" ActiveState)"
check missing-dir-says-why sh -c "journalctl -b -o cat -u $(svc gone) | grep -F 'SharedDir=/srv/vm-gone: No such file or directory'"
check other-share-unaffected test "$(unit_prop "$(svc share0)" ActiveState)" = active
