#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs inside the container (hostvirt-test-checks.service, after
# multi-user.target): sources lib.sh and one scenario's checks, writes
# PASS/FAIL/SKIP lines to /hvresult/results.txt, and exits with the number
# of failures (capped), which becomes the container's exit status.
set -uo pipefail

. /hvtest/checks/lib.sh
results_begin
# shellcheck source=/dev/null
. "$1"
results_end
