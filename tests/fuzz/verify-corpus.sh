#!/bin/bash
# verify-corpus.sh DIR...: every fuzz-generator input in DIR (a corpus, the seeds, the
# regressions) is unpacked into a tree, the real generator (the project's gcc build) runs on
# it, and `systemd-analyze verify` loads every unit the output names, as in the golden
# tests: the fuzzer checks what it can in-process, systemd's own parser checks the rest
# (the syntax of each setting, unit names against Where=, dependencies that exist).
# Slow (about 0.3 s an input): for a sample of a corpus after a long run (run.sh --long
# does it on the merged corpus).  Prints each input that fails and exits 1 if any did.
source "$SRCDIR/tests/lib/common.sh"
GEN=$BUILDDIR/generators/hostvirt-generator
F=$BUILDDIR/fuzz
units=$(mktempdir)
for f in "$UNITS_BUILD_DIR"/test-*@.service; do cp "$f" "$units/$(basename "${f#"$UNITS_BUILD_DIR"/test-}")"; done

verify_tree() { # OUT: as tests/generator/run-golden.sh does it
        local v list u
        v=$(mktempdir); cp -a "$1/." "$v/"
        # systemd-analyze verify (252) splits its arguments at ':', so ':' in file names becomes
        # '_' in this copy; in the paths that name mount units too, or their names would not match
        (cd "$v" && find . -depth -name '*:*' -execdir bash -c 'mv "$1" "${1//:/_}"' _ {} \;
         find . -type f \( -name '*.mount' -o -name '*.conf' \) -exec sed -i '/^\(Where\|RequiresMountsFor\)=/s/:/_/g' {} +
         find . -type l -lname '*:*' -exec bash -c 't=$(readlink "$1"); ln -sfn "${t//:/_}" "$1"' _ {} \;)
        list=$(cd "$v" && { find . -type l -printf '%f\n'; find . -mindepth 1 -maxdepth 1 -type d -name '*.d' -printf '%f\n' | sed 's/\.d$//'; find . -maxdepth 1 -type f -printf '%f\n'; } | sort -u)
        [ -n "$list" ] || return 0
        for u in $list; do
                case $u in *@*|*.device) continue ;; esac
                [ -e "$v/$u" ] || [ -e "$units/$u" ] || [ -e "/lib/systemd/system/$u" ] ||
                        printf '[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n' > "$v/$u"
        done
        (cd "$v" && SYSTEMD_UNIT_PATH="$units:$v:" xargs -d '\n' systemd-analyze verify --man=no <<<"$list")
}

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
