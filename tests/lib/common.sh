# Shared by the shell tests.  Source it; it sets -eu and gives:
#   pass NAME / fail NAME MSG   record a check; finish prints "N passed, N failed" and exits
#   check NAME CMD...           runs CMD, pass/fail by its status
#   mktempdir                   a temp dir removed at exit
set -eu
_npass=0; _nfail=0; _nskip=0
pass() { _npass=$((_npass + 1)); echo "PASS $1"; }
fail() { _nfail=$((_nfail + 1)); echo "FAIL $1${2:+: $2}"; }
skip() { _nskip=$((_nskip + 1)); echo "SKIP $1${2:+: $2}"; }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
# one base directory, removed at exit (mktempdir runs in $(...) subshells, so it cannot
# register anything itself)
_tmpbase=$(mktemp -d /tmp/hostvirt-test.XXXXXX)
trap 'rm -rf "$_tmpbase"' EXIT
mktempdir() { mktemp -d "$_tmpbase/t.XXXXXX"; }
finish() {
        echo "$_npass passed, $_nfail failed${_nskip:+, $_nskip skipped}"
        [ "$_nfail" -eq 0 ]
        exit $?
}
