#!/bin/bash
# Builds the libFuzzer targets with clang into OUTDIR (default $BUILDDIR/fuzz):
#   OUTDIR/fuzz-conf, OUTDIR/fuzz-generator
# The project's own build uses gcc, which has no libFuzzer; so the shared code
# (src/shared, the same sources and defines as libhostvirt-shared, read from
# `meson introspect` of $BUILDDIR) is compiled again here with
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

# The shared library's sources and its -I/-D/-include/-std arguments.
mapfile -t info < <(meson introspect --targets "$BUILDDIR" | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["name"] != "hostvirt-shared":
        continue
    for s in t["target_sources"]:
        if s.get("language") != "c":  # (meson 1.7 lists the linker there too)
            continue
        args, it = [], iter(s["parameters"])
        for a in it:
            if a == "-include":
                args += [a, next(it)]
            elif a.startswith(("-I", "-D", "-std=")):
                args.append(a)
        print(" ".join(args))
        print(" ".join(s["sources"]))
')
[ ${#info[@]} -eq 2 ] || { echo "cannot find hostvirt-shared in $BUILDDIR" >&2; exit 1; }
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
