#!/bin/sh
# PID 1 of the test VM after switch_root (see init): run the job, record its
# exit status, dump the kernel log, power off.
#
# usage: guest.sh SRC JOB
#
# The job's output goes to the second serial port, which run.sh streams to
# the host's stdout; the kernel console stays on the first one (console.log).
# Results land next to JOB: "status" (exit code) and "dmesg.log".

src=$1
job=$2
outdir=$(dirname "$job")

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

exec </dev/null >/dev/ttyS1 2>&1
# The host gets raw bytes; do not turn \n into \r\n.
stty -F /dev/ttyS1 -onlcr 2>/dev/null

hostname sessha-vm
ip link set lo up

cd "$src"
echo "sessha-vm: $(uname -r), running $job"
/bin/bash "$job"
rc=$?
# Both on the output stream and in the kernel log (console.log, dmesg.log).
echo "sessha-vm: exit status $rc"
echo "sessha-vm: exit status $rc" >/dev/kmsg

dmesg >"$outdir/dmesg.log"
echo "$rc" >"$outdir/status"
sync
busybox poweroff -f
