# SPDX-License-Identifier: LGPL-2.1-or-later
# Not a test: what each sandbox setting of our templates costs systemd's setup of
# the child, on this systemd.  For every template, transient units (systemd-run)
# run a program that does nothing (bench/stamp.so preloaded: it logs its exec)
# with all of the template's settings after its "# Sandbox" comment ("all"), with
# none ("none"), with all but one key ("-KEY") and with that key alone ("+KEY"),
# REPEAT times each, in rotation; and the alternatives in bench/alternatives.tsv
# ("=CASE": the template's settings with some keys swapped for others).
# Lines in /hvresult/bench.tsv:  TEMPLATE CASE SETUP_US ACTIVATION_US
B=/hvresult/bench.tsv
: >"$B"
check boot-finished systemctl is-system-running --wait
repeat=$(cat /etc/hostvirt-test/bench-repeat)
n=0
run_case() { # TEMPLATE CASE PROPS...
        local t=$1 c=$2 u fork ex start act
        shift 2
        n=$((n + 1)); u=hvbench-$n.service
        if ! systemd-run -q --unit="$u" --service-type=oneshot -p RemainAfterExit=yes \
                -p Environment=LD_PRELOAD=/usr/lib/hostvirt-test/stamp.so "$@" /usr/local/bin/hvbench 2>>/hvresult/bench-errors.txt; then
                echo "$t $c: systemd-run refused" >>/hvresult/bench-errors.txt
                systemctl reset-failed "$u" 2>/dev/null || true
                return 0
        fi
        journalctl --sync 2>/dev/null || true
        fork=$(systemctl show -P ExecMainStartTimestampMonotonic "$u")
        start=$(systemctl show -P InactiveExitTimestampMonotonic "$u")
        act=$(systemctl show -P ActiveEnterTimestampMonotonic "$u")
        ex=$(journalctl -q -o cat -u "$u" | sed -n 's/^hvstamp exec //p' | head -n 1)
        systemctl stop "$u"
        [ -n "$ex" ] && [ "${fork:-0}" -gt 0 ] || { echo "$t $c: no stamp" >>/hvresult/bench-errors.txt; return 0; }
        printf '%s\t%s\t%s\t%s\n' "$t" "$c" $((ex - fork)) $((act - start)) >>"$B"
}
for t in interface-vf@.service hostvirt-hugepages@.service hostvirt-bridge@.service; do
        f=/usr/lib/systemd/system/$t
        # the [Service] settings after "# Sandbox", as systemd-run properties
        mapfile -t all_lines < <(awk '/^# Sandbox/ { s = 1 } /^\[/ { if (s && $0 != "[Service]") exit } s && /^[A-Za-z]+=/' "$f")
        # a setting this systemd does not take for a transient unit is left out (and said)
        lines=()
        for l in "${all_lines[@]}"; do
                n=$((n + 1))
                if systemd-run -q --unit="hvbench-probe-$n.service" --service-type=oneshot -p "$l" /bin/true 2>/dev/null; then
                        lines+=("$l")
                else
                        info "$t: '$l' cannot be set on a transient unit here: left out of every case"
                        printf '%s\t!\t%s\t0\n' "$t" "$l" >>"$B"
                        systemctl reset-failed "hvbench-probe-$n.service" 2>/dev/null || true
                fi
        done
        keys=$(printf '%s\n' "${lines[@]}" | cut -d= -f1 | sort -u)
        info "$t: ${#lines[@]} settings, keys: $(echo $keys)"
        for ((i = 0; i < repeat; i++)); do
                all=(); for l in "${lines[@]}"; do all+=(-p "$l"); done
                run_case "$t" all "${all[@]}"
                run_case "$t" none
                for k in $keys; do
                        props=(); only=()
                        for l in "${lines[@]}"; do
                                if [ "${l%%=*}" = "$k" ]; then only+=(-p "$l"); else props+=(-p "$l"); fi
                        done
                        run_case "$t" "-$k" "${props[@]}"
                        [ ${#only[@]} -eq 0 ] || run_case "$t" "+$k" "${only[@]}"
                done
                # the settings this template chose against (bench/alternatives.tsv)
                while IFS=$'\t' read -r -a f; do
                        [ "${f[0]:-}" = "$t" ] || continue
                        drop=" " add=()
                        for e in "${f[@]:2}"; do
                                case $e in -*) drop+="${e#-} " ;; +*) add+=(-p "${e#+}") ;; esac
                        done
                        props=()
                        for l in "${lines[@]}"; do
                                case $drop in *" ${l%%=*} "*) ;; *) props+=(-p "$l") ;; esac
                        done
                        run_case "$t" "=${f[1]}" "${props[@]}" "${add[@]}"
                done < <(grep -v '^#' /etc/hostvirt-test/alternatives.tsv)
        done
done
check bench-collected test -s "$B"
