#!/bin/bash
# Builds everything again with AddressSanitizer + UndefinedBehaviorSanitizer (leak
# detection on, any UB report fatal) and runs the unit, generator, helper and netlink
# suites against that build.
set -euo pipefail
B=$BUILDDIR/sanitized
if [ ! -f "$B/build.ninja" ]; then
        meson setup "$B" "$SRCDIR" -Db_sanitize=address,undefined -Db_lundef=false \
                -Dintegration=disabled -Dvm=disabled -Dman=disabled >/dev/null
fi
ninja -C "$B" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98
exec meson test -C "$B" --print-errorlogs --num-processes 1 \
        --no-suite sanitizers --no-suite integration --no-suite vm --no-suite packaging --no-suite fuzz
