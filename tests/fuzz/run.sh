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
# end the minimized generator corpus goes through verify-corpus.sh).
set -euo pipefail
: "${BUILDDIR:?}" "${SRCDIR:?}"
here=$SRCDIR/tests/fuzz
F=$BUILDDIR/fuzz
seconds=${FUZZ_SECONDS:-40}
long=0 runs=10000000
if [ "${1:-}" = --long ]; then long=1; runs=${2:-$runs}; fi

"$here/build.sh" "$F" || exit $?

work=$(mktemp -d /tmp/hostvirt-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
# the targets' scratch directories go here too, so nothing is left behind in /dev/shm
export TMPDIR=$work
mkdir -p "$F/artifacts"
"$here/seeds.sh" "$work/seeds"

rc=0
for t in conf generator; do
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
        else
                corpus=$work/corpus-$t; mkdir -p "$corpus"
                limit=(-max_total_time="$seconds")
        fi
        if "$bin" "${opts[@]}" "${limit[@]}" "$corpus" "$work/seeds/$t" "$here/regressions/$t" > "$work/$t.log" 2>&1; then
                echo "PASS $t-fuzz: $(grep -a 'stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}') runs," \
                     "$(grep -a 'stat::average_exec_per_sec' "$work/$t.log" | awk '{print $2}')/s," \
                     "coverage $(grep -a '^#.*DONE' "$work/$t.log" | sed 's/.*cov: \([0-9]*\).*/\1/')"
        else
                grep -a -A3 'invariant violated\|runtime error\|ERROR:' "$work/$t.log" | cut -c1-300 || true
                grep -a '^Base64:' "$work/$t.log" || true
                echo "FAIL $t-fuzz: a finding, kept in $F/artifacts/ (add a minimized copy to tests/fuzz/regressions/$t/)"
                rc=1
        fi
done
# After a long run: the generator corpus, minimized, through the real generator and
# systemd-analyze verify (what the fuzzer cannot check in-process).
if [ $long = 1 ] && [ $rc = 0 ]; then
        mkdir -p "$work/merged"
        "$F/fuzz-generator" -merge=1 "$work/merged" "$F/corpus-generator" > "$work/merge.log" 2>&1 || true
        echo "verifying $(ls "$work/merged" | wc -l) inputs (the minimized generator corpus) with systemd-analyze"
        bash "$here/verify-corpus.sh" "$work/merged" || rc=1
fi
exit $rc
