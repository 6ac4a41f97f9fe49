#!/bin/bash
# The generator's promises (hostvirt-generator(8)), checked on the
# binary and on a run over the shipped example config:
#  - it links libc and libinih only;
#  - under strace: no fork/clone/exec of anything, no socket (no netlink, no IPC), and
#    every file it opens for writing is in its output directory (or /dev/kmsg).
source "$SRCDIR/tests/lib/common.sh"
GEN=$BUILDDIR/generators/hostvirt-generator

needed=$(readelf -d "$GEN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
case "$needed" in
        "libc.so.6 libinih.so.1 "|"libinih.so.1 libc.so.6 ") pass "links-libc-and-libinih-only ($needed)" ;;
        *)
                # sanitizer builds add their runtimes
                extra=$(tr ' ' '\n' <<<"$needed" | grep -v -E '^(libc\.so\.6|libinih\.so\.1|libasan\.so\..*|libubsan\.so\..*|libm\.so\.6|libgcc_s\.so\.1|libstdc\+\+\.so\..*|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|)$' || true)
                [ -z "$extra" ] && pass "links-libc-and-libinih-only (+ sanitizer runtimes)" || fail links-libc-and-libinih-only "NEEDED: $needed"
                ;;
esac

# Without strace nothing below can be observed: that is a failure, never a pass.
if ! command -v strace >/dev/null; then
        fail syscalls "strace is not installed (Debian package strace): no fork, socket and write checks can run"
        finish
fi
root=$(mktempdir); out=$(mktempdir)
mkdir -p "$root/etc/hostvirt" && cp "$SRCDIR"/conf.d/*.conf "$root/etc/hostvirt/"
log=$(mktempdir)/strace
rc=0
HOSTVIRT_ROOT=$root ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -qq -e signal=none -o "$log" "$GEN" "$out" 2>/dev/null || rc=$?
[ -n "$(ls -A "$out")" ] && pass "emits-units-for-example (rc=$rc)" || fail emits-units-for-example "no output, rc=$rc"
# the trace must show the run (the generator's own execve and exit_group), or every
# check below would pass on an empty log
if ! grep -qE "^[0-9]+ +execve\(\"$GEN\"" "$log" 2>/dev/null || ! grep -qE '^[0-9]+ +exit_group\(' "$log"; then
        fail strace-saw-the-run "no execve and exit of $GEN in the trace (strace rc=$rc): $(head -c 300 "$log" 2>/dev/null)"
        finish
fi

bad=$(grep -E '^[0-9]+ +(fork|vfork|clone|clone3|execve|execveat)\(' "$log" | tail -n +2 || true)
[ -z "$bad" ] && pass no-fork-or-exec || fail no-fork-or-exec "$bad"
bad=$(grep -E '^[0-9]+ +(socket|socketpair|connect|bind|sendmsg|sendto)\(' "$log" || true)
[ -z "$bad" ] && pass no-sockets || fail no-sockets "$bad"
# opens for writing or creating: only below the output directory, or /dev/kmsg
bad=$(grep -E '^[0-9]+ +(openat|open|creat)\(.*(O_WRONLY|O_RDWR|O_CREAT)' "$log" | grep -v -F "\"$out/" | grep -v '"/dev/kmsg"' || true)
# openat(dirfd, "relative", ...) relative to the output dir fd: resolve the dir fd
outfd=$(grep -E "openat\(AT_FDCWD, \"$out\", .*O_DIRECTORY" "$log" | sed -n 's/.*= \([0-9]*\)$/\1/p' | head -1)
[ -n "$outfd" ] && bad=$(grep -v -E "openat\($outfd," <<<"$bad" || true)
[ -z "$bad" ] && pass writes-only-output-dir || fail writes-only-output-dir "$bad"
bad=$(grep -E '^[0-9]+ +(mkdir|mkdirat|symlink|symlinkat|unlink|unlinkat|rename|renameat2?|chmod|fchmodat|mount|truncate)\(' "$log" | grep -v -F "\"$out" | grep -v -E "(\(|, )(${outfd:-none}), " || true)
[ -z "$bad" ] && pass changes-only-output-dir || fail changes-only-output-dir "$bad"
# and it did create things through the output directory's fd (the check above is not vacuous)
grep -qE "(openat|symlinkat|mkdirat)\(${outfd:-none}, " "$log" && pass observed-output-writes || fail observed-output-writes "no writes seen via the output dir fd"
finish
