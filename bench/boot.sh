#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What hostvirt's units cost at boot, on Debian 12 (systemd 252) and 13
# (systemd 257): paired boots of the integration container (systemd-nspawn, a
# real PID 1), the variants in rotation within each round (see
# tests/integration/scenarios/bench/setup.sh):
#   shipped  the units as installed        cut   the same, sandbox cut off
#   off      hostvirt=0                    peer  a hand-written sh -c "echo 4 > ..." unit
# Per unit: the activation (systemd's start job, InactiveExit -> ActiveEnter),
# systemd's setup of the child (fork -> our exec, from bench/stamp.so) and the
# program's own run (exec -> the main process's exit).  Per boot: when sysinit.target and
# network-pre.target were reached and libvirtd's main process started, shipped
# against off.  Medians over the rounds, and ratios.  Not a test.
#
# usage: boot.sh BUILDDIR SRCDIR [ROUNDS]   (ninja -C build bench-boot; ROUNDS default 5,
#        or BENCH_BOOT_ROUNDS).  Needs root.  Raw figures: BUILDDIR/bench-boot/boots.tsv, and
#        what each boot waited for (systemd-analyze critical-chain): RELEASE-VARIANT-ROUND.chain.
set -euo pipefail
. "$(dirname "$0")/lib-boot.sh"
bench_boot_setup boot "${1:-}" "${2:-}"
ROUNDS=${3:-${BENCH_BOOT_ROUNDS:-5}}
TSV=$OUT/boots.tsv
: >"$TSV"
variants=(shipped cut off peer)
for ((round = 1; round <= ROUNDS; round++)); do
        for release in bookworm trixie; do
                for v in "${variants[@]}"; do
                        args=()
                        case $v in off|peer) args=(hostvirt=0) ;; esac
                        res=$BUILDDIR/meson-logs/integration/$release/bench
                        if BENCH_VARIANT=$v BENCH_STAMP=$STAMP BUILDDIR=$BUILDDIR SRCDIR=$SRCDIR \
                                bash "$SRCDIR/tests/integration/nspawn-boot.sh" "$release" bench "${args[@]}" \
                                >"$OUT/$release-$v-$round.log" 2>&1; then
                                sed "s/^/$release\t$v\t$round\t/" "$res/bench.tsv" >>"$TSV"
                                cp "$res/critical-chain.txt" "$OUT/$release-$v-$round.chain" 2>/dev/null || true
                        else
                                echo "round $round, $release, $v: the boot failed (see $OUT/$release-$v-$round.log)" >&2
                        fi
                done
        done
        echo "round $round of $ROUNDS done" >&2
done
python3 - "$TSV" <<'PY'
import collections, statistics, sys
unit = collections.defaultdict(list)   # (release, variant, unit) -> [(act, setup, run)]
mark = collections.defaultdict(dict)   # (release, round) -> {(variant, name): usec}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    release, variant, rnd, kind = f[:4]
    if kind == "unit":
        unit[(release, variant, f[4])].append(tuple(int(x) for x in f[5:9]))
    elif kind == "mark" and f[5].lstrip("-").isdigit() and int(f[5]) > 0:
        mark[(release, rnd)][(variant, f[4])] = int(f[5])
med = lambda xs: statistics.median(xs) if xs else float("nan")
ms = lambda us: f"{us / 1000:7.1f}"
for release in ("bookworm", "trixie"):
    print(f"\n=== {release}: medians in ms over {max([len(v) for k, v in unit.items() if k[0] == release] or [0])} boots")
    print(f"{'unit':32s} {'variant':8s} {'activation':>10s} {'setup':>8s} {'run':>8s} {'starts at':>10s}")
    names = sorted({k[2] for k in unit if k[0] == release})
    for u in names:
        for v in ("shipped", "cut", "peer"):
            xs = unit.get((release, v, u))
            if xs:
                print(f"{u:32s} {v:8s} {ms(med([x[0] for x in xs])):>10s} {ms(med([x[1] for x in xs])):>8s} {ms(med([x[2] for x in xs])):>8s} {ms(med([x[3] for x in xs])):>10s}")
        s, c = unit.get((release, "shipped", u)), unit.get((release, "cut", u))
        if s and c:
            print(f"{'':32s} activation shipped/cut = {med([x[0] for x in s]) / med([x[0] for x in c]):.2f}")
    p = unit.get((release, "peer", "hvpeer-vf-hvpf0.service"))
    s = unit.get((release, "shipped", "interface-vf@hvpf0.service"))
    if p and s:
        print(f"interface-vf@hvpf0 / the hand-written peer: activation {med([x[0] for x in s]) / med([x[0] for x in p]):.2f}")
    for name in ("sysinit.target", "network-pre.target", "libvirtd.service"):
        d = [m[("shipped", name)] - m[("off", name)] for (r, _), m in mark.items()
             if r == release and ("shipped", name) in m and ("off", name) in m]
        dc = [m[("cut", name)] - m[("off", name)] for (r, _), m in mark.items()
              if r == release and ("cut", name) in m and ("off", name) in m]
        if d:
            print(f"{name:20s} shipped - hostvirt=0: {ms(med(d))} ms   cut - hostvirt=0: {ms(med(dc)) if dc else '   n/a'} ms   ({len(d)} pairs)")
PY
