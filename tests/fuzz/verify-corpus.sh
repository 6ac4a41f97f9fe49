#!/bin/bash
# verify-corpus.sh DIR...: every fuzz-generator input in DIR (a corpus, the seeds, the
# regressions) is unpacked into a tree, the real generator (the project's gcc build) runs on
# it, and `systemd-analyze verify` loads every unit the output names (tools/verify-units.sh,
# as in the golden tests): the fuzzer checks what it can in-process, systemd's own parser checks the rest
# (the syntax of each setting, unit names against Where=, dependencies that exist).
# Slow (about 0.3 s an input): for a sample of a corpus after a long run (run.sh --long
# does it on the merged corpus).  Prints each input that fails and exits 1 if any did.
source "$SRCDIR/tests/lib/common.sh"
GEN=$BUILDDIR/generators/hostvirt-generator
# the fuzz-generator that unpacks the inputs (run.sh says which build it used), and the
# templates to verify against (set by meson; by hand, the build's own)
F=${FUZZ_DIR:-$BUILDDIR/fuzz}
UNITS_BUILD_DIR=${UNITS_BUILD_DIR:-$BUILDDIR/units}
verify_tree() { "$SRCDIR/tools/verify-units.sh" "$1" "$UNITS_BUILD_DIR"; }

n=0
for d in "$@"; do
        for input in "$d"/*; do
                [ -f "$input" ] || continue
                n=$((n + 1))
                root=$(mktempdir); out=$(mktempdir)
                FUZZ_UNPACK=$root TMPDIR=$root/.. "$F/fuzz-generator" -runs=1 "$input" >/dev/null 2>&1 ||
                        { fail "$(basename "$input")" "cannot unpack"; continue; }
                env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "$GEN" "$out" 2>/dev/null || true
                if msg=$(verify_tree "$out" 2>&1) && [ -z "$msg" ]; then
                        _npass=$((_npass + 1))
                else
                        echo "$msg" | head -5
                        fail "$(basename "$input")" "systemd-analyze verify: see above ($input)"
                fi
                rm -rf "$root" "$out"
        done
done
echo "$n inputs verified"
finish
