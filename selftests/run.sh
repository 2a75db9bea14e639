#!/bin/bash
# Run the sessha selftests: every executable selftests/NN-*.sh, in order.
#
# usage: selftests/run.sh
#
# Environment:
#   SESSHA_KO     the module to test (default: kmod/sessha.ko); tests load it
#   SESSHA        the CLI (default: tools/sessha)
#   TESTS         run only these: "01 03" or "02-failover" (prefixes)
#   TEST_TIMEOUT  seconds per test (default 300)
#   SERIAL        if set, a test's family variants run one after the
#                 other instead of side by side
#
# Tests follow kselftest: exit 0 pass, 1 fail, 4 skip; they run from
# selftests/ with the variables above exported. A test's output is shown
# only when it fails; all of it is kept in build/tests/KVER/NAME.log.
#
# After the tests, sessha is unloaded if a test left it loaded, and the
# kernel log since the start of the run is checked for BUG, WARNING, Oops
# and slab leaks (tools/vm/kernel-log-check). Either problem fails the
# extra "kernel-log" test. The last line is "N passed, N failed, N skipped";
# the exit status is non-zero if anything failed.
set -u

readonly TESTDIR=$(cd "$(dirname "$0")" && pwd)
readonly SRC=$(dirname "$TESTDIR")
readonly LOGDIR=$SRC/build/tests/$(uname -r)
readonly MARK="sessha-selftests: start $$"

export SESSHA_KO=${SESSHA_KO:-$SRC/kmod/sessha.ko}
export SESSHA=${SESSHA:-$SRC/tools/sessha}
TESTS=${TESTS:-}
TEST_TIMEOUT=${TEST_TIMEOUT:-300}

passed=0
failed=0
skipped=0

# TEST: line for one result, counted, and recorded with its duration.
report() {
	local name=$1 result=$2 secs=$3

	case $result in
	OK) passed=$((passed + 1)); result=" OK " ;;
	FAIL) failed=$((failed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	esac
	printf 'TEST: %-50s [%s]\n' "$name" "$result"
	printf '%-50s %-4s %4d s\n' "$name" "${result// /}" "$secs" >>"$LOGDIR/summary.log"
}

# Show the end of a failed test's log, indented so that its own TEST:
# lines do not read as ours.
show_log() {
	local log=$1 lines

	lines=$(wc -l <"$log")
	[ "$lines" -le 200 ] || echo "    [... $((lines - 200)) lines; all in $log]"
	tail -n 200 "$log" | sed 's/^/    /'
}

selected() {
	local name=$1 want

	[ -n "$TESTS" ] || return 0
	for want in $TESTS; do
		case $name in "$want"*) return 0 ;; esac
	done
	return 1
}

# The address-family variants a test runs in: its "# variants: ..." line
# (lib.sh's SESSHA_FAMILY values), IPv4 alone without one.
variants() {
	local v

	v=$(sed -n 's/^# variants: *//p' "$1" | head -n 1)
	echo "${v:-4}"
}

test_name() {
	local file=$1 family=$2 name

	name=$(basename "$file" .sh)
	[ "$family" = 4 ] || name=$name-$family
	echo "$name"
}

# One variant of a test, its log in $LOGDIR/NAME.log and "rc seconds" in
# $LOGDIR/NAME.rc for collect_test.
launch_test() {
	local file=$1 family=$2 name rc start

	name=$(test_name "$file" "$family")
	start=$SECONDS
	(cd "$TESTDIR" && SESSHA_FAMILY=$family \
		timeout -k 10 "$TEST_TIMEOUT" "./${file##*/}") \
		>"$LOGDIR/$name.log" 2>&1 </dev/null
	rc=$?
	echo "$rc $((SECONDS - start))" >"$LOGDIR/$name.rc"
}

collect_test() {
	local file=$1 family=$2 name rc secs log

	name=$(test_name "$file" "$family")
	log=$LOGDIR/$name.log
	read -r rc secs <"$LOGDIR/$name.rc" || rc=1 secs=0
	rm -f "$LOGDIR/$name.rc"
	case $rc in
	0) report "$name" OK "$secs" ;;
	4) report "$name" SKIP "$secs" ;;
	*)
		[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] ||
			echo "(timed out after $TEST_TIMEOUT s)" >>"$log"
		report "$name" FAIL "$secs"
		show_log "$log"
		;;
	esac
}

# A test's variants run side by side: each has namespaces of its own and
# the same module parameters, and most of a test's time is waiting for
# timers (digests, the client's interval), not CPU. They run one after
# the other with SERIAL=1, or if the test has a "# serial: WHY" line (it
# unloads the module, say).
run_test() {
	local file=$1 family serial=${SERIAL:-}

	grep -q '^# serial:' "$file" && serial=1
	for family in $(variants "$file"); do
		if [ -n "$serial" ]; then
			launch_test "$file" "$family"
		else
			launch_test "$file" "$family" &
		fi
	done
	wait
	for family in $(variants "$file"); do
		collect_test "$file" "$family"
	done
}

# The kernel's side of the run: sessha unloads cleanly and nothing in the
# kernel log since our mark looks like a bug.
check_kernel() {
	local log=$LOGDIR/kernel-log.log ok=1

	: >"$log"
	if grep -qw '^sessha' /proc/modules && ! rmmod sessha >>"$log" 2>&1; then
		echo "rmmod sessha failed; a reference was leaked" >>"$log"
		ok=0
	fi
	# Only what the kernel logged since main() wrote the mark, unless the
	# mark got lost (ring buffer wrapped): then all of it.
	dmesg >"$LOGDIR/dmesg.log"
	if grep -q "$MARK\$" "$LOGDIR/dmesg.log"; then
		sed -i -n "/$MARK\$/,\$p" "$LOGDIR/dmesg.log"
	fi
	"$SRC/tools/vm/kernel-log-check" "$LOGDIR/dmesg.log" >>"$log" || ok=0
	if [ "$ok" = 1 ]; then
		report kernel-log OK 0
	else
		report kernel-log FAIL 0
		show_log "$log"
	fi
}

main() {
	local file

	mkdir -p "$LOGDIR"
	rm -f "$LOGDIR"/*.log
	echo "$MARK" >/dev/kmsg
	echo "# sessha selftests on $(uname -r); logs in $LOGDIR"

	for file in "$TESTDIR"/[0-9][0-9]-*.sh; do
		[ -x "$file" ] || continue
		selected "$(basename "$file")" || continue
		run_test "$file"
	done
	check_kernel

	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" = 0 ]
}

main "$@"
