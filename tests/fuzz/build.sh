#!/bin/bash
# Builds the libFuzzer targets with clang into OUTDIR (default $BUILDDIR/fuzz):
#   OUTDIR/fuzz-conf, OUTDIR/fuzz-generator
# The project's own build uses gcc, which has no libFuzzer; so the shared code
# (the base, the loader, the emitter and the kinds: the same sources and defines as
# their static libraries, read from `meson introspect` of $BUILDDIR) is compiled again here with
# -fsanitize=fuzzer,address,undefined.  A small build.ninja keeps rebuilds
# incremental.  libinih is the system's (not instrumented): coverage comes from
# our line reader and handler, which see every line inih sees.
# FUZZ_SANITIZERS=undefined leaves ASan out (twice the executions a second, for
# a long run; run.sh --long says which it used).
set -euo pipefail
: "${BUILDDIR:?}" "${SRCDIR:?}"
OUT=${1:-$BUILDDIR/fuzz}
SAN=${FUZZ_SANITIZERS:-address,undefined}
CLANG=${CLANG:-$(command -v clang || command -v clang-14 || true)}
[ -n "$CLANG" ] || { echo "clang is needed for the fuzzers (Debian: clang, libclang-rt-dev)" >&2; exit 77; }
mkdir -p "$OUT"

# The libraries' sources and their -I/-D/-include/-std arguments.
mapfile -t info < <(meson introspect --targets "$BUILDDIR" | python3 -c '
import json, sys
want = ["hostvirt-shared", "hostvirt-conf", "hostvirt-emit", "hostvirt-kinds"]
args, sources, found = [], [], set()
for t in json.load(sys.stdin):
    if t["name"] not in want:
        continue
    found.add(t["name"])
    for s in t["target_sources"]:
        if s.get("language") != "c":  # (meson 1.7 lists the linker there too)
            continue
        it = iter(s["parameters"])
        for a in it:
            if a == "-include":
                a = a + " " + next(it)
            if a.startswith(("-I", "-D", "-std=", "-include")) and a not in args:
                args.append(a)
        sources += s["sources"]
if found == set(want):
    print(" ".join(args))
    print(" ".join(sources))
')
[ ${#info[@]} -eq 2 ] || { echo "cannot find the hostvirt libraries in $BUILDDIR" >&2; exit 1; }
cflags="${info[0]} -I$SRCDIR/tests/fuzz -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter
        -fsanitize=$SAN -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
read -ra shared <<<"${info[1]}"

{
        echo "cflags = $(tr '\n' ' ' <<<"$cflags")"
        echo "rule cc"
        echo "  command = $CLANG -MD -MF \$out.d \$cflags -c \$in -o \$out"
        echo "  depfile = \$out.d"
        echo "  deps = gcc"
        echo "rule link"
        echo "  command = $CLANG -fsanitize=fuzzer,$SAN \$in -o \$out -linih"
        objs=()
        for s in "${shared[@]}" "$SRCDIR/tests/fuzz/fuzz-common.c"; do
                o=obj/$(basename "${s%.c}").o
                echo "build $o: cc $s"
                objs+=("$o")
        done
        for t in fuzz-conf fuzz-generator; do
                echo "build obj/$t.o: cc $SRCDIR/tests/fuzz/$t.c"
                echo "build $t: link obj/$t.o ${objs[*]}"
        done
} > "$OUT/build.ninja.new"
mv "$OUT/build.ninja.new" "$OUT/build.ninja"
ninja -C "$OUT" --quiet >&2
