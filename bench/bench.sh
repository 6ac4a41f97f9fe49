#!/bin/bash
# The generator's cost at boot, against a process that does nothing (/bin/true) and
# against netplan's generator on an equivalent YAML, measured in the same run, on:
#   example  the shipped conf.d/example.conf (netplan: its VFs, VLAN and bridge)
#   1000     a host with 1000 SR-IOV PFs of 8 VFs each
# Then the processes our units cost during a boot of the integration container, on
# Debian 12 and 13, and last bench-boot's paired boots (boot.sh).
# netplan is timed twice: its systemd generator binary (/usr/libexec/netplan/generate,
# what runs at boot, like ours) and the `netplan generate` command.
# Prints hyperfine's table, then the ratios of the medians, then each
# generator's peak RSS.  Every run writes into an empty output
# directory (hyperfine --prepare, not timed): our generator refuses to overwrite.
#
# usage: ninja -C build bench     (or: bench.sh BUILDDIR SRCDIR)
# Installs Debian's netplan.io when it is missing (as root); without hyperfine it
# times a plain loop.  BENCH_RUNS=N sets the runs per command (default 30).
set -euo pipefail
BUILDDIR=$(realpath "${1:-${BUILDDIR:?}}") SRCDIR=$(realpath "${2:-${SRCDIR:?}}")
export SRCDIR
GEN=$BUILDDIR/generators/hostvirt-generator
runs=${BENCH_RUNS:-30}
NP_GEN=/usr/libexec/netplan/generate
[ -x "$NP_GEN" ] || NP_GEN=/lib/netplan/generate

if ! command -v netplan >/dev/null || [ ! -x "$NP_GEN" ]; then
        echo "netplan.io is missing: installing it (apt-get install netplan.io)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends netplan.io >/dev/null
        NP_GEN=/usr/libexec/netplan/generate
fi

# On tmpfs, as at boot (generators write into /run/systemd/generator*): a disk's file
# creation cost would be measured instead of the generator's.
tmp=/dev/shm; [ -w "$tmp" ] || tmp=/tmp
work=$(mktemp -d "$tmp/hostvirt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median, over $runs runs, of one command in milliseconds (for the loop without hyperfine)
loop_median() { # PREPARE CMD...
        local prep=$1; shift
        local t=() i a b
        for ((i = 0; i < runs + 2; i++)); do
                "$prep"
                a=$(date +%s%N); "$@" >/dev/null 2>&1 || true; b=$(date +%s%N)
                [ $i -lt 2 ] || t+=($(((b - a) / 1000)))   # two warm-up runs
        done
        printf '%s\n' "${t[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] / 1000 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

for scenario in example 1000; do
        d=$work/$scenario
        "$SRCDIR/bench/mkconfig.sh" "$d" "$scenario"
        out=$d/out
        export HOSTVIRT_ROOT=$d/hostvirt
        # an empty output directory for every run (not timed)
        prep=$d/prepare
        printf '#!/bin/sh\nrm -rf "%s" "%s" && mkdir "%s"\n' "$out" "$d/netplan/run" "$out" > "$prep"
        chmod +x "$prep"
        echo
        echo "=== $scenario: $(grep -c '^\[' "$d/hostvirt/etc/hostvirt/pfs.conf") sections"

        names=(hostvirt-generator true netplan-generator "netplan generate")
        cmds=("$GEN $out" "/bin/true" "$NP_GEN --root-dir $d/netplan" "netplan generate --root-dir $d/netplan")
        declare -A ms=()
        if command -v hyperfine >/dev/null; then
                args=()
                for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
                hyperfine -N --warmup 2 --runs "$runs" --prepare "$prep" --style basic \
                        --export-json "$d/result.json" "${args[@]}"
                while IFS=$'\t' read -r n m; do ms[$n]=$m; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], r["median"] * 1000, sep="\t")' "$d/result.json")
        else
                for i in "${!names[@]}"; do
                        read -ra c <<<"${cmds[$i]}"
                        ms[${names[$i]}]=$(loop_median "$prep" "${c[@]}")
                        printf '%-20s median %8.3f ms (%d runs)\n' "${names[$i]}" "${ms[${names[$i]}]}" "$runs"
                done
        fi
        h=${ms[hostvirt-generator]}
        printf 'ratios of medians: hostvirt-generator / true = %s, / netplan-generator = %s, / netplan generate = %s\n' \
                "$(ratio "$h" "${ms[true]}")" "$(ratio "$h" "${ms[netplan-generator]}")" \
                "$(ratio "$h" "${ms["netplan generate"]}")"

        # peak RSS: GNU time's maximum resident set size of the finished process
        for i in 0 2 3; do
                "$prep"
                read -ra c <<<"${cmds[$i]}"
                if [ -x /usr/bin/time ]; then
                        /usr/bin/time -o "$d/time" -f "peak RSS ${names[$i]}: %M kB" "${c[@]}" >/dev/null 2>&1 || true
                        cat "$d/time"
                fi
        done
        unset ms
done

# Processes at boot: the integration suite's boot scenario under process accounting
# (tests/integration/acct-init.c, boot-execs.py), a real systemd in systemd-nspawn: 252 on
# bookworm, 257 on trixie.  Needs root, and the acct-init the build makes.
for release in bookworm trixie; do
        echo
        echo "=== processes during a boot of the integration container ($release, scenario boot)"
        if [ "$(id -u)" = 0 ] && [ -x "$BUILDDIR/tests/integration/acct-init" ]; then
                rm -f "$BUILDDIR/meson-logs/integration/$release/boot/boot-execs.txt"
                BUILDDIR=$BUILDDIR bash "$SRCDIR/tests/integration/nspawn-boot.sh" "$release" boot >/dev/null 2>&1 || true
                cat "$BUILDDIR/meson-logs/integration/$release/boot/boot-execs.txt" 2>/dev/null ||
                        echo "(no process accounting record: see $BUILDDIR/meson-logs/integration/$release/boot/)"
        else
                echo "(skipped: needs root and a build with the integration suite)"
        fi
done

# The units' cost at boot, in paired boots (boot.sh, also `ninja -C build bench-boot`):
# each unit's activation split into systemd's setup and our run, against the units with
# their sandbox cut, hostvirt=0 and a hand-written peer unit; BENCH_BOOT_ROUNDS (5).
echo
echo "=== the units at boot: paired boots (bench/boot.sh)"
if [ "$(id -u)" = 0 ] && [ -f "$BUILDDIR/bench/hvstamp.so" ]; then
        bash "$SRCDIR/bench/boot.sh" "$BUILDDIR" "$SRCDIR" || echo "(bench/boot.sh failed: see $BUILDDIR/bench-boot/)"
else
        echo "(skipped: needs root and $BUILDDIR/bench/hvstamp.so)"
fi
