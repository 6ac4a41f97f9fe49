#!/bin/bash
# Golden generator tests.
#
# Each tests/generator/NN-name/ holds:
#   input/           the tree HOSTVIRT_ROOT points at (etc/hostvirt/*.conf, proc/cmdline, sys/...)
#   expected/        the generator's output tree (absent: no output at all)
#   expected.stderr  exact diagnostics (absent: none)
#   expected.rc      exit status (absent: 0)
#   env              optional KEY=VALUE lines for the generator's environment
#   args             optional: "three" to call the generator with three directories
#   prepare          optional script run in a copy of input/ first (for what git cannot
#                    store: file modes, NUL bytes, symlink loops)
# expected/ names the template directory as @UNITDIR@ (see tests/lib/unitdir.sh).
# Compared: sorted file list with types, file contents, symlink targets (diff -r
# --no-dereference), stderr and exit status.  Then `systemd-analyze verify` loads
# every unit the output names, with the template units built for the tests (their
# helpers exist in the build tree) and stand-ins for libvirt's services.
#
# usage: run-golden.sh [CASE...]   (default: every NN-* directory)
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/lib/unitdir.sh"
GEN=$BUILDDIR/generators/hostvirt-generator
here=$SRCDIR/tests/generator
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$here"/[0-9][0-9]-*/)

verify_tree() { "$SRCDIR/tools/verify-units.sh" "$1" "$UNITS_BUILD_DIR"; }

# The verifier itself must be able to fail: a drop-in requiring a unit that does not exist.
broken=$(mktempdir); mkdir -p "$broken/interface-vf@x.service.d"
printf '[Unit]\nRequires=hostvirt-no-such-unit.service\n' > "$broken/interface-vf@x.service.d/50-hostvirt.conf"
if verify_tree "$broken" >/dev/null 2>&1; then fail verify-catches-errors "systemd-analyze verify accepted a broken unit"; else pass verify-catches-errors; fi

for c in "${cases[@]}"; do
        c=$(realpath "$c"); name=$(basename "$c")
        out=$(mktempdir)/out; mkdir "$out"
        envs=(); [ -f "$c/env" ] && mapfile -t envs < "$c/env"
        dirs=("$out"); [ "$(cat "$c/args" 2>/dev/null)" = three ] && { mkdir "$out.early" "$out.late"; dirs=("$out" "$out.early" "$out.late"); }
        # (git keeps no empty directories: an input/ that prepare fills may be absent)
        root=$(mktempdir)/root; if [ -d "$c/input" ]; then cp -a "$c/input" "$root"; else mkdir -p "$root"; fi
        [ -x "$c/prepare" ] && (cd "$root" && "$c/prepare")
        rc=0
        env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "${envs[@]}" "$GEN" "${dirs[@]}" 2> "$out.stderr" || rc=$?
        ok=1
        want_rc=$(cat "$c/expected.rc" 2>/dev/null || echo 0)
        [ "$rc" = "$want_rc" ] || { fail "$name" "exit status $rc, expected $want_rc"; ok=0; }
        if ! diff -u "${c}/expected.stderr" "$out.stderr" >/dev/null 2>&1; then
                if [ -f "$c/expected.stderr" ] || [ -s "$out.stderr" ]; then
                        diff -u "$c/expected.stderr" "$out.stderr" 2>/dev/null || diff -u /dev/null "$out.stderr" || true
                        fail "$name" "stderr differs"; ok=0
                fi
        fi
        exp=$(mktempdir)/expected
        if [ -d "$c/expected" ]; then expected_tree "$c/expected" "$exp"; else mkdir "$exp"; fi
        if ! diff -u <(cd "$exp" && find . -mindepth 1 -printf '%y %P\n' | sort) <(cd "$out" && find . -mindepth 1 -printf '%y %P\n' | sort); then
                fail "$name" "file list differs"; ok=0
        elif ! diff -r --no-dereference -u "$exp" "$out"; then
                fail "$name" "contents differ"; ok=0
        fi
        for d in "${dirs[@]:1}"; do [ -z "$(ls -A "$d")" ] || { fail "$name" "wrote into $d"; ok=0; }; done
        if [ $ok = 1 ]; then
                if verify_out=$(verify_tree "$out" 2>&1); then pass "$name"; else echo "$verify_out"; fail "$name" "systemd-analyze verify failed"; fi
        fi
done
finish
