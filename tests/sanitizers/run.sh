#!/bin/bash
# Builds everything again with AddressSanitizer + UndefinedBehaviorSanitizer (leak
# detection on, any UB report fatal) and runs the unit, generator, helper and netlink
# suites against that build.
set -euo pipefail
B=$BUILDDIR/sanitized
mkdir -p "$B"
if [ ! -f "$B/build.ninja" ]; then
        meson setup "$B" "$SRCDIR" -Db_sanitize=address,undefined -Db_lundef=false \
                -Dintegration=disabled -Dvm=disabled -Dman=disabled >"$B.setup.log" 2>&1 ||
                { tail -n 40 "$B.setup.log"; echo "FAIL: meson setup of the sanitized build"; exit 1; }
fi
# ninja prints its errors on stdout: kept, and shown when the build fails
ninja -C "$B" >"$B.ninja.log" 2>&1 || { tail -n 40 "$B.ninja.log"; echo "FAIL: the sanitized build"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98
exec meson test -C "$B" --print-errorlogs --num-processes 1 \
        --no-suite sanitizers --no-suite integration --no-suite vm --no-suite packaging --no-suite fuzz
