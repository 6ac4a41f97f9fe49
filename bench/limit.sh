#!/bin/bash
# The generator against the physical limit of its run: hvlimit replay (limit.c), a program
# that recreates the generator's output tree from a manifest with the fewest system calls
# (one read of the manifest, then one mkdirat, openat+write+close or symlinkat per entry),
# on tmpfs, in the same run, on (bench/mkconfig-net.sh):
#   example    the shipped conf.d/example.conf            target: generator <= 1.2 x limit
#   ref8       an 8-PF reference host                      target: <= 1.2 x limit
#   pf1000     1000 PFs, 2 [VF]s each, 64 VLANs + bridges  target: <= 1.3 x limit
#   pairs4000  4000 VLAN + bridge pairs                    target: <= 1.5 x limit
#   chain1000  a 1000-deep VLAN chain                      target: <= 1.5 x limit
#   diamond    DIAMOND_LAYERS (24) layers of bridges, each on two VLANs on the layer below:
#              2^24 paths through 72 sections              target: <= 1.5 x limit
# (the last three: the generator linear in sections and edges), and `hostvirt check` and
# `hostvirt plan` on every one: target <= 2 x the generator.  Last, the reference host's
# peak RSS: target <= 2 MiB.
#
# Per scenario: the generator runs once, untimed, into an empty directory: its tree is the
# reference, hvlimit manifest turns it into the manifest, and hvlimit replay's tree from
# that manifest is compared with it (diff -r --no-dereference, and every entry's type, mode
# and symlink target): the limit makes the very same tree, or the benchmark fails.  Then
# hvlimit time times generator, limit, check and plan, interleaved, each run with a fresh
# empty output directory made before the clock starts; every time includes process start
# and exit (each is a separate process, spawned and reaped by the driver).  Prints medians,
# the ratios of the medians, whether each meets its target, the peak RSS of each (from
# more runs, untimed, see limit.c) and the system calls of one run of the generator and
# the limit (strace, untimed).
#
# usage: ninja -C build bench-limit     (or: limit.sh BUILDDIR SRCDIR, after
#        ninja -C BUILDDIR bench/hvlimit)
# BENCH_RUNS=N       runs per command (default 20); a scenario whose generator run takes
#                    longer than BENCH_BUDGET/N seconds gets BENCH_BUDGET s worth of runs
#                    (at least 3, no warm-up runs, one RSS run), which the output says
# BENCH_BUDGET=S     seconds of generator runs per scenario before runs are cut (default 30)
# BENCH_TIMEOUT=S    a run that takes longer is killed and reported "timed out" (default 120)
# DIAMOND_LAYERS=N   the diamond's depth (default 24)
# Installs Debian's `time` (GNU time, /usr/bin/time) when it is missing, as root: the
# reference host's peak RSS is measured with it as well as with the driver's wait4().
set -euo pipefail
BUILDDIR=$(realpath "${1:-${BUILDDIR:?}}") SRCDIR=$(realpath "${2:-${SRCDIR:?}}")
export SRCDIR
GEN=$BUILDDIR/generators/hostvirt-generator CLI=$BUILDDIR/src/cli/hostvirt HVLIMIT=$BUILDDIR/bench/hvlimit
runs=${BENCH_RUNS:-20} budget=${BENCH_BUDGET:-30} timeout_s=${BENCH_TIMEOUT:-120}
export DIAMOND_LAYERS=${DIAMOND_LAYERS:-24}
for p in "$GEN" "$CLI" "$HVLIMIT"; do
        [ -x "$p" ] || { echo "bench/limit.sh: no $p (ninja -C $BUILDDIR bench-limit builds it)" >&2; exit 1; }
done

if [ ! -x /usr/bin/time ]; then
        echo "*** GNU time (/usr/bin/time) is missing: installing Debian's package time (apt-get install time) ***"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends time >/dev/null
fi

# On tmpfs, as at boot (generators write into /run/systemd/generator*): a disk's file
# creation cost would be measured instead of the generator's.
tmp=/dev/shm; [ -w "$tmp" ] || tmp=/tmp
work=$(mktemp -d "$tmp/hostvirt-bench-limit.XXXXXX")
trap 'rm -rf "$work"' EXIT

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict RATIO TARGET: whether a ratio meets its target
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r <= t) print "meets"; else print "MISSES" }'; }
ms_now() { echo $(($(date +%s%N) / 1000000)); }

echo "hostvirt-generator against the limit of its run (hvlimit replay), on tmpfs ($work)"
echo "Every time includes process start and exit: generator, limit, check and plan are each a"
echo "separate process, spawned (posix_spawn) and reaped (wait4) by the driver (hvlimit time);"
echo "each run writes into a fresh empty output directory made before the clock starts."
echo "Medians of BENCH_RUNS=$runs runs after 2 warm-ups, unless a scenario says otherwise;"
echo "a run longer than BENCH_TIMEOUT=${timeout_s}s is killed.  $(nproc) CPUs, $(uname -r)."
echo "Both programs link libc dynamically (the generator also libinih); the limit makes the"
echo "generator's very tree, checked below.  Peak RSS from more runs, untimed (fork and exec)."

summary=()
ref_rss=
# scenario NAME TARGET: one configuration, timed and compared
scenario() {
        local name=$1 target=$2 d=$work/$1
        local ref=$d/ref out=$d/out manifest=$d/manifest rc=0 t0 t1 ref_ms n warmup rss_runs note=
        local -A st=() med=() mn=() mx=() rss=() peak=() cnt=()

        "$SRCDIR/bench/mkconfig-net.sh" "$d" "$name"
        export HOSTVIRT_ROOT=$d/hostvirt
        echo
        echo "=== $name: $(cat "$d"/hostvirt/etc/hostvirt/*.conf | grep -c '^\[') sections in" \
                "$(find "$d/hostvirt/etc/hostvirt" -name "*.conf" | wc -l) file(s)"

        # the reference tree (untimed, but its time sets the number of runs)
        mkdir "$ref"
        t0=$(ms_now)
        timeout "$timeout_s" "$GEN" "$ref" "$ref" "$ref" 2>"$d/gen.err" || rc=$?
        t1=$(ms_now)
        ref_ms=$((t1 - t0))
        if [ $rc = 124 ]; then
                echo "hostvirt-generator: timed out (>${timeout_s} s) on its reference run: no tree, so no limit."
                echo "check and plan, one run each with the same timeout (they load the same configuration):"
                "$HVLIMIT" time 1 0 0 "$timeout_s" "$out" -- \
                        check "$CLI" check \; plan "$CLI" plan > "$d/time"
                while read -r c s a _ _ _ _ _; do
                        case $s in
                        timeout) st[$c]=timeout s="timed out (>${timeout_s} s)" ;;
                        ok) st[$c]="$a ms" s="$a ms" ;;
                        *) st[$c]=$s ;;
                        esac
                        printf '  hostvirt %-6s %s\n' "$c" "$s"
                done < "$d/time"
                echo "(smaller: DIAMOND_LAYERS=N; shorter: BENCH_TIMEOUT=S)"
                summary+=("$(printf '%-10s %12s %9s %6s %6s  %-22s %9s %9s' "$name" "timed out" "n/a" "n/a" "$target" \
                        "timed out (>${timeout_s} s)" "${st[check]}" "${st[plan]}")")
                return 0
        fi
        if [ $rc != 0 ]; then
                echo "bench/limit.sh: hostvirt-generator failed (exit $rc) on $name:" >&2
                cat "$d/gen.err" >&2
                exit 1
        fi
        echo "hostvirt check: $(timeout "$timeout_s" "$CLI" check 2>/dev/null | tail -1)"
        echo "output: $(find "$ref" -mindepth 1 -type d | wc -l) directories," \
                "$(find "$ref" -type f | wc -l) files ($(find "$ref" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }') bytes)," \
                "$(find "$ref" -type l | wc -l) symlinks"

        # the limit's tree is the generator's, or nothing below means anything
        "$HVLIMIT" manifest "$ref" "$manifest"
        mkdir "$d/limit-tree"
        "$HVLIMIT" replay "$manifest" "$d/limit-tree"
        if ! diff -r --no-dereference "$ref" "$d/limit-tree" >"$d/diff" ||
           ! diff <(cd "$ref" && find . -printf '%y %m %p %l\n' | sort) \
                  <(cd "$d/limit-tree" && find . -printf '%y %m %p %l\n' | sort) >>"$d/diff"; then
                echo "bench/limit.sh: the limit's tree differs from the generator's on $name:" >&2
                head -50 "$d/diff" >&2
                exit 1
        fi
        echo "limit's tree = generator's tree: identical (diff -r --no-dereference; types, modes, symlink targets)"
        if command -v strace >/dev/null; then
                rm -rf "$out"; mkdir "$out"
                strace -f -qq -o "$d/strace.gen" "$GEN" "$out" "$out" "$out" 2>/dev/null || true
                rm -rf "$out"; mkdir "$out"
                strace -f -qq -o "$d/strace.limit" "$HVLIMIT" replay "$manifest" "$out"
                echo "system calls of one run (strace, untimed): generator $(wc -l < "$d/strace.gen")," \
                        "limit $(wc -l < "$d/strace.limit")"
        fi

        # fewer runs when one is slow, and say so; as many RSS runs (untimed), or one
        n=$runs warmup=2 rss_runs=$runs
        if [ $((ref_ms * runs)) -gt $((budget * 1000)) ]; then
                n=$((budget * 1000 / (ref_ms > 0 ? ref_ms : 1)))
                [ $n -ge 3 ] || n=3
                [ $n -le "$runs" ] || n=$runs
                warmup=0 rss_runs=1
                note=" (a generator run takes ${ref_ms} ms: $n runs, no warm-up, instead of $runs; 1 RSS run)"
        fi
        "$HVLIMIT" time "$n" "$warmup" "$rss_runs" "$timeout_s" "$out" -- \
                generator "$GEN" "$out" "$out" "$out" \; \
                limit "$HVLIMIT" replay "$manifest" "$out" \; \
                check "$CLI" check \; \
                plan "$CLI" plan > "$d/time"
        while read -r c s a b m r p k; do
                st[$c]=$s med[$c]=$a mn[$c]=$b mx[$c]=$m rss[$c]=$r peak[$c]=$p cnt[$c]=$k
        done < "$d/time"

        echo "timed$note:"
        printf '  %-28s %10s %9s %9s %11s %10s %5s  %s\n' "" "median ms" "min ms" "max ms" "RSS kB med" "RSS kB max" "runs" "status"
        local -A label=([generator]="hostvirt-generator" [limit]="limit (hvlimit replay)" [check]="hostvirt check" [plan]="hostvirt plan")
        for c in generator limit check plan; do
                local s=${st[$c]}
                [ "$s" = timeout ] && s="timed out (>${timeout_s} s)"
                printf '  %-28s %10s %9s %9s %11s %10s %5s  %s\n' "${label[$c]}" "${med[$c]}" "${mn[$c]}" "${mx[$c]}" \
                        "${rss[$c]}" "${peak[$c]}" "${cnt[$c]}" "$s"
        done
        echo "  (RSS: ru_maxrss from wait4, over $rss_runs more run(s) of each, untimed, started with fork and exec)"

        local gl cg pg gmed gmax
        gl=$(ratio "${med[generator]}" "${med[limit]}")
        cg=$(ratio "${med[check]}" "${med[generator]}")
        pg=$(ratio "${med[plan]}" "${med[generator]}")
        # a command with a run that timed out has no ratio
        [ "${st[generator]}" = timeout ] && gl="n/a" cg="n/a" pg="n/a"
        [ "${st[check]}" = timeout ] && cg="n/a"
        [ "${st[plan]}" = timeout ] && pg="n/a"
        echo "generator / limit = $gl   (target <= $target: $(verdict "$gl" "$target"))"
        echo "check / generator = $cg   (target <= 2: $(verdict "$cg" 2))"
        echo "plan / generator  = $pg   (target <= 2: $(verdict "$pg" 2))"
        local gv
        gv=$(verdict "$gl" "$target")
        [ "${st[generator]}" = timeout ] && gv="timed out (>${timeout_s} s)"
        summary+=("$(printf '%-10s %12s %9s %6s %6s  %-22s %9s %9s' "$name" "${med[generator]}" "${med[limit]}" "$gl" \
                "$target" "$gv" "$cg" "$pg")")

        # The RSS target is the reference host's: the driver's RSS runs, and GNU time's as a
        # second opinion; the verdict takes the largest of them all.
        if [ "$name" = ref8 ]; then
                local i kb=()
                for ((i = 0; i < n; i++)); do
                        rm -rf "$out"; mkdir "$out"
                        kb+=("$(/usr/bin/time -f %M "$GEN" "$out" "$out" "$out" 2>&1 >/dev/null | tail -1)")
                done
                read -r gmed gmax < <(printf '%s\n' "${kb[@]}" | sort -n |
                        awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[NR] }')
                [ "${peak[generator]}" -le "$gmax" ] || gmax=${peak[generator]}
                ref_rss="reference host (ref8), hostvirt-generator peak RSS: median ${rss[generator]} kB, largest"
                ref_rss+=" ${peak[generator]} kB over $rss_runs runs (wait4); GNU time %M over $n runs: median $gmed kB;"
                ref_rss+=" largest of all $gmax kB, target <= 2048 kB: $(verdict "$gmax" 2048)"
        fi
}

scenario example 1.2
scenario ref8 1.2
scenario pf1000 1.3
scenario pairs4000 1.5
scenario chain1000 1.5
scenario diamond 1.5

echo
echo "=== summary (medians in ms; ratios of medians; check and plan against the generator, target <= 2)"
printf '%-10s %12s %9s %6s %6s  %-22s %9s %9s\n' scenario generator limit ratio target verdict check/gen plan/gen
printf '%s\n' "${summary[@]}"
echo "$ref_rss"
