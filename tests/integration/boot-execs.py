#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Counts the processes our units and programs cost during a boot.

Input: a BSD process accounting file (acct(2), struct acct_v3: one 64-byte
record per process that ended) written during a boot of the integration
container.  Accounting is per pid namespace, so turned on in the container it
sees the container's processes only, with no audit daemon and no tracing of
PID 1.  nspawn-boot.sh makes one at every boot of the integration suite:
acct-init (acct-init.c) is the container's PID 1, turns accounting on into
/hvresult/pacct and execs systemd (accounting stays on across exec, so the
generators are counted too), and this script's verdict is the check
"boot-execs" of each scenario.

Output: every process whose command is one of ours (hostvirt-*: the generator,
the helpers behind the units, the udev helper), by command, with who started
it (one exec per ExecStart=/ExecStop= run and per generator run is the
least there can be); then the processes systemd forked while setting up our
units (e.g. (sd-userns) for PrivateUsers=), the processes our programs started,
and forks of ours that did not exec: the goal for those three is none.
Exit status 1 when there is any.

usage: boot-execs.py PACCT
"""
import collections
import struct
import sys

AFORK = 0x01
RECORD = struct.Struct("<BBHIIIIIIfHHHHHHHH16s")  # struct acct_v3, 64 bytes


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    for off in range(0, len(data) - RECORD.size + 1, RECORD.size):
        r = RECORD.unpack_from(data, off)
        if r[1] != 3:
            sys.exit(f"{path}: record at {off} is not acct version 3")
        yield {"flag": r[0], "pid": r[6], "ppid": r[7],
               "comm": r[18].split(b"\0", 1)[0].decode("utf-8", "replace")}


def main():
    recs = list(records(sys.argv[1]))
    by_pid = {r["pid"]: r for r in recs}
    ours = [r for r in recs if r["comm"].startswith("hostvirt")]
    our_pids = {r["pid"] for r in ours}

    def parent(r):
        p = by_pid.get(r["ppid"])
        return p["comm"] if p else ("systemd (PID 1)" if r["ppid"] == 1 else f"pid {r['ppid']}")

    print(f"{len(recs)} processes ended during the boot")
    count = collections.Counter((r["comm"], parent(r)) for r in ours)
    print(f"{len(ours)} of them ours (exec of one of our programs):")
    for (comm, par), n in sorted(count.items()):
        print(f"  {n:4d}  {comm:16s} started by {par}")
    # systemd's own helpers, forked by the service's process before it execs our program (it
    # has our pid by then): (sd-userns) for PrivateUsers=, for one.  A cost of the unit's settings.
    children = [r for r in recs if r["ppid"] in our_pids]
    setup = [r for r in children if r["comm"].startswith("(sd-")]
    started = [r for r in children if not r["comm"].startswith("(sd-")]
    forks = [r for r in ours if r["flag"] & AFORK]
    print(f"{len(setup)} forked by systemd while setting up our units (before the exec; goal: 0):")
    for comm, n in sorted(collections.Counter((r["comm"], by_pid[r["ppid"]]["comm"]) for r in setup).items()):
        print(f"  {n:4d}  {comm[0]:16s} for {comm[1]}")
    print(f"{len(started)} started by our programs (goal: 0)")
    for r in started:
        print(f"        {r['comm']:16s} pid {r['pid']}, child of {by_pid[r['ppid']]['comm']}")
    print(f"{len(forks)} forks of ours without exec (goal: 0)")
    print(f"summary: {len(ours)} runs of our programs, each one exec; {len(setup)} forked by systemd for "
          f"our units, {len(started)} started by ours, {len(forks)} forks of ours (goal: 0, 0, 0)")
    return 1 if children or forks else 0


if __name__ == "__main__":
    sys.exit(main())
