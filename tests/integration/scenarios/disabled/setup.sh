#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The configuration of the boot scenario; PID 1 gets hostvirt=0.
exec "$(dirname "$0")/../boot/setup.sh" "$@"
