#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Not a test: the boot of bench/directives.sh.  hostvirt is installed but not
# configured; the checks start transient units with our templates' sandbox
# settings, one setting left out at a time (see checks.sh).
. "$(dirname "$0")/../lib-setup.sh"
install -D -m 644 "${BENCH_STAMP:?BENCH_STAMP: the path of stamp.so}" "$LAYER/usr/lib/hostvirt-test/stamp.so"
install -D -m 755 /bin/true "$LAYER/usr/local/bin/hvbench"
echo "${BENCH_REPEAT:-5}" >"$T/bench-repeat"
install -m 644 "$(dirname "$0")/../../../../bench/alternatives.tsv" "$T/alternatives.tsv"
