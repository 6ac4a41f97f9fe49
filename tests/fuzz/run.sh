#!/bin/bash
# The fuzz suite: builds the libFuzzer targets with clang (build.sh), replays
# every regression input and every seed (they must all pass), then fuzzes
# each target for FUZZ_SECONDS (default 40) from the seeds.  Any crash,
# sanitizer report or invariant violation fails the test; the input is kept in
# $BUILDDIR/fuzz/artifacts/ and printed in base64.
#
# A long run, by hand:  tests/fuzz/run.sh --long [RUNS]   (default 10 million runs
# of fuzz-conf, then as many of fuzz-generator; the corpora stay in
# $BUILDDIR/fuzz/corpus-*, so that a second long run goes on from the first; at the
# end the minimized generator corpus goes through verify-corpus.sh).  For a long run:
#   FUZZ_TARGETS="conf generator"   which targets, in this order
#   FUZZ_JOBS=N                     N processes at once (libFuzzer's -fork=N)
#   FUZZ_SANITIZERS=undefined       without ASan: twice as fast (build.sh); the
#                                   binaries and corpora then live in $BUILDDIR/fuzz-undefined
set -euo pipefail
: "${BUILDDIR:?}" "${SRCDIR:?}"
here=$SRCDIR/tests/fuzz
F=$BUILDDIR/fuzz${FUZZ_SANITIZERS:+-${FUZZ_SANITIZERS//,/-}}
seconds=${FUZZ_SECONDS:-40}
long=0 runs=10000000
if [ "${1:-}" = --long ]; then long=1; runs=${2:-$runs}; fi
read -ra targets <<<"${FUZZ_TARGETS:-conf generator}"

"$here/build.sh" "$F" || exit $?

# On tmpfs when there is one: fuzz-generator writes a config tree and reads the units back for
# every input, which costs twice the time on a disk.
work=$(mktemp -d -p /dev/shm hostvirt-fuzz.XXXXXX 2>/dev/null || mktemp -d /tmp/hostvirt-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
# the targets' scratch directories go here too, so nothing is left behind
export TMPDIR=$work
mkdir -p "$F/artifacts"
"$here/seeds.sh" "$work/seeds"

rc=0
for t in "${targets[@]}"; do
        bin=$F/fuzz-$t
        opts=(-dict="$here/hostvirt.dict" -max_len=2048 -artifact_prefix="$F/artifacts/$t-" -print_final_stats=1)

        # the regressions and the seeds, once each
        if ! "$bin" "${opts[@]}" -runs=0 "$here/regressions/$t" "$work/seeds/$t" > "$work/$t-replay.log" 2>&1; then
                grep -a -A3 'invariant violated\|runtime error\|ERROR:' "$work/$t-replay.log" | cut -c1-300 || true
                echo "FAIL $t-replay: a regression or seed input fails (see above)"
                rc=1
                continue
        fi
        echo "PASS $t-replay: $(ls "$here/regressions/$t" | wc -l) regression inputs, $(ls "$work/seeds/$t" | wc -l) seeds"

        if [ $long = 1 ]; then
                corpus=$F/corpus-$t; mkdir -p "$corpus"
                limit=(-runs="$runs")
                [ "${FUZZ_JOBS:-1}" -le 1 ] || limit+=(-fork="$FUZZ_JOBS")
        else
                corpus=$work/corpus-$t; mkdir -p "$corpus"
                limit=(-max_total_time="$seconds")
        fi
        t0=$(date +%s)
        if "$bin" "${opts[@]}" "${limit[@]}" "$corpus" "$work/seeds/$t" "$here/regressions/$t" > "$work/$t.log" 2>&1; then
                # (-fork prints no final stats: the last status line has the count)
                n=$(awk '/stat::number_of_executed_units/ { print $2 }' "$work/$t.log")
                [ -n "$n" ] || n=$(sed -n 's/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$work/$t.log" | tail -n 1)
                [ -n "$n" ] || n=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$work/$t.log" | tail -n 1)
                n=${n:-0}
                secs=$(( $(date +%s) - t0 )); [ "$secs" -gt 0 ] || secs=1
                echo "PASS $t-fuzz: $n runs in $secs s ($((n / secs))/s), coverage" \
                     "$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' "$work/$t.log" | tail -n 1)" \
                     "(sanitizers: ${FUZZ_SANITIZERS:-address,undefined}${FUZZ_JOBS:+, $FUZZ_JOBS jobs})"
                [ $long = 0 ] || cp "$work/$t.log" "$F/$t-long.log"
        else
                grep -a -A3 'invariant violated\|runtime error\|ERROR:' "$work/$t.log" | cut -c1-300 || true
                grep -a '^Base64:' "$work/$t.log" || true
                echo "FAIL $t-fuzz: a finding, kept in $F/artifacts/ (add a minimized copy to tests/fuzz/regressions/$t/)"
                rc=1
        fi
done
# After a long run: the generator corpus, minimized, through the real generator and
# systemd-analyze verify (what the fuzzer cannot check in-process).
if [ $long = 1 ] && [ $rc = 0 ] && [[ " ${targets[*]} " == *" generator "* ]]; then
        mkdir -p "$work/merged"
        "$F/fuzz-generator" -merge=1 "$work/merged" "$F/corpus-generator" > "$work/merge.log" 2>&1 || true
        echo "verifying $(ls "$work/merged" | wc -l) inputs (the minimized generator corpus) with systemd-analyze"
        FUZZ_DIR=$F bash "$here/verify-corpus.sh" "$work/merged" || rc=1
fi
exit $rc
