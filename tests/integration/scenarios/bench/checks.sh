# SPDX-License-Identifier: LGPL-2.1-or-later
# Not a test: bench/boot.sh's measurements of one boot (see setup.sh), as lines
#   unit NAME ACTIVATION_US SETUP_US RUN_US START_US   (setup: fork to exec, from
#        bench/stamp.so; run: exec to the main process's exit; start: the start job)
#   mark NAME USEC   (when a target was reached, libvirtd's main process started)
# all times after PID 1's start
# in /hvresult/bench.tsv.
B=/hvresult/bench.tsv
: >"$B"
check boot-finished systemctl is-system-running --wait
info "bench variant $(cat /etc/hostvirt-test/bench-variant)"
# the first exec stamp of a unit's program in this boot (its start)
stamp_exec() { journalctl -b -q -o cat -u "$1" | sed -n "s/^hvstamp exec //p" | head -n 1; }
# every time relative to PID 1's start (CLOCK_MONOTONIC is the host's, shared by containers)
t0=$(systemctl show -P UserspaceTimestampMonotonic)
for u in interface-vf@hvpf0.service interface-vf@hvpf1.service hostvirt-hugepages@2M.service \
         hostvirt-bridge@hvbr0.service hvpeer-vf-hvpf0.service; do
        [ "$(unit_prop "$u" ActiveState)" = active ] || continue
        fork=$(unit_prop "$u" ExecMainStartTimestampMonotonic)
        end=$(unit_prop "$u" ExecMainExitTimestampMonotonic)
        start=$(unit_prop "$u" InactiveExitTimestampMonotonic)
        act=$(unit_prop "$u" ActiveEnterTimestampMonotonic)
        ex=$(stamp_exec "$u")
        if [ -n "$ex" ] && [ "${fork:-0}" -gt 0 ] && [ "${end:-0}" -gt 0 ] && [ "$ex" -ge "$fork" ] && [ "$end" -ge "$ex" ]; then
                printf 'unit\t%s\t%s\t%s\t%s\t%s\n' "$u" $((act - start)) $((ex - fork)) $((end - ex)) $((start - t0)) >>"$B"
        else
                fail "stamps-$u" "no consistent fork/exec/exit times (fork $fork, exec ${ex:-none}, exit $end)"
        fi
done
for t in sysinit.target network-pre.target basic.target; do
        printf 'mark\t%s\t%s\n' "$t" $(($(unit_prop "$t" ActiveEnterTimestampMonotonic) - t0)) >>"$B"
done
printf 'mark\tlibvirtd.service\t%s\n' $(($(unit_prop libvirtd.service ExecMainStartTimestampMonotonic) - t0)) >>"$B"
check bench-collected test -s "$B"
# what each boot waited for (bench/boot.sh keeps one per boot)
systemd-analyze critical-chain --no-pager sysinit.target libvirtd.service >/hvresult/critical-chain.txt 2>&1 || true
