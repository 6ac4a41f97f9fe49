#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What each sandbox setting of hostvirt's templates costs systemd's setup of a
# unit's process (fork to exec), on Debian 12 (systemd 252) and 13 (systemd
# 257): one boot of the integration container per release, in which transient
# units run a program that does nothing with all of a template's sandbox
# settings, with none, with all but one key and with one key alone, in
# rotation (see tests/integration/scenarios/bench-directives/checks.sh).
# Prints, per template, the medians of "all" and "none", what each key costs
# alone against "none", and what leaving it out saves against "all" (the mount
# namespace that most keys imply is shared: alone each pays for it, left out
# none saves it), and the settings each template chose against (bench/alternatives.tsv)
# against "all".  Not a test.
#
# usage: directives.sh BUILDDIR SRCDIR [REPEAT]   (ninja -C build bench-directives;
#        REPEAT default 5, or BENCH_REPEAT).  Needs root.  Raw: BUILDDIR/bench-directives/.
set -euo pipefail
. "$(dirname "$0")/lib-boot.sh"
bench_boot_setup directives "${1:-}" "${2:-}"
REPEAT=${3:-${BENCH_REPEAT:-5}}
for release in bookworm trixie; do
        res=$BUILDDIR/meson-logs/integration/$release/bench-directives
        BENCH_STAMP=$STAMP BENCH_REPEAT=$REPEAT BUILDDIR=$BUILDDIR SRCDIR=$SRCDIR HOSTVIRT_TEST_TIMEOUT=900 \
                bash "$SRCDIR/tests/integration/nspawn-boot.sh" "$release" bench-directives >"$OUT/$release.log" 2>&1 ||
                echo "$release: the boot did not end cleanly (see $OUT/$release.log)" >&2
        cp "$res/bench.tsv" "$OUT/$release.tsv" 2>/dev/null || : >"$OUT/$release.tsv"
        cp "$res/bench-errors.txt" "$OUT/$release-errors.txt" 2>/dev/null || true
done
python3 - "$OUT" <<'PY'
import collections, statistics, sys
out = sys.argv[1]
left_out = {}
for release in ("bookworm", "trixie"):
    d = collections.defaultdict(list)
    for line in open(f"{out}/{release}.tsv"):
        t, c, setup, act = line.rstrip("\n").split("\t")
        if c == "!":
            left_out.setdefault(release, []).append(f"{t} {setup}")
            continue
        d[(t, c)].append(int(setup))
    print(f"\n=== {release}: systemd's setup of the process (fork -> exec), medians in ms")
    for t in sorted({k[0] for k in d}):
        a, n = d.get((t, "all")), d.get((t, "none"))
        if not a:
            continue
        ma = statistics.median(a)
        print(f"{t}: all {ma / 1000:.1f}, none {statistics.median(n) / 1000 if n else float('nan'):.1f} ({len(a)} runs each)")
        mn = statistics.median(n) if n else 0
        alone = sorted(((statistics.median(v) - mn, c[1:]) for (tt, c), v in d.items()
                        if tt == t and c.startswith("+")), reverse=True)
        print("  one key alone costs (against none): " + ", ".join(f"{k} {s / 1000:+.1f}" for s, k in alone))
        saves = sorted(((ma - statistics.median(v), c[1:]) for (tt, c), v in d.items()
                        if tt == t and c.startswith("-")), reverse=True)
        print("  leaving one key out saves (against all): " + ", ".join(f"{k} {s / 1000:+.1f}" for s, k in saves))
        for (tt, c), v in sorted(d.items()):
            if tt == t and c.startswith("="):
                print(f"  instead, {c[1:]} (bench/alternatives.tsv): {statistics.median(v) / 1000:.1f}, "
                      f"{(statistics.median(v) - ma) / 1000:+.1f} against all")
    for x in left_out.get(release, []):
        print(f"  not settable on a transient unit, left out of every case: {x}")
PY
