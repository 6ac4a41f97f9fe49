#!/bin/bash
# Production code carries no test seams: the programs read no environment variable but the
# documented ones (HOSTVIRT_ROOT, the re-rooting every man page describes; the log level;
# what systemd and the terminal set), and no HOSTVIRT_TEST_* at all.  Tests that need the
# kernel to misbehave get it from tests/faults/fault-inject.so (LD_PRELOAD).
source "$SRCDIR/tests/lib/common.sh"
ALLOWED="HOSTVIRT_ROOT HOSTVIRT_LOG_LEVEL JOURNAL_STREAM SYSTEMD_VIRTUALIZATION TERM NO_COLOR"
cd "$SRCDIR"
files=$(find src generators -name '*.[ch]' | sort)
[ -n "$files" ] || { fail sources-found; finish; }

# the check itself must be able to fail
t=$(mktempdir)
printf 'int f(void) { return getenv("HOSTVIRT_TEST_X") != 0; }\n' > "$t/x.c"

# seams FILE...: the environment variables read (getenv, secure_getenv), one a line
seams() { grep -ohE '(secure_)?getenv\("[^"]*"\)' "$@" | sed -E 's/.*\("([^"]*)"\)/\1/' | sort -u; }
bad() { seams "$@" | grep -vxF -f <(tr ' ' '\n' <<<"$ALLOWED") || true; }
if [ -n "$(bad "$t/x.c")" ]; then pass check-catches-seams; else fail check-catches-seams; fi

# shellcheck disable=SC2086
b=$(bad $files)
if [ -z "$b" ]; then pass only-documented-environment; else fail only-documented-environment "$(echo $b)"; fi
# shellcheck disable=SC2086
m=$(grep -n 'HOSTVIRT_TEST_' $files || true)
if [ -z "$m" ]; then pass no-hostvirt-test-variables; else fail no-hostvirt-test-variables "$m"; fi
finish
