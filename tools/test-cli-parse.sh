#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Argument parsing of sessha(8), no kernel needed: every bad vector must
# exit 2 (bad argument), print nothing on stdout and exactly the expected
# "Error: " line on stderr; a crash (exit >= 128) fails. Help must exit 0.
# Where the module is not loaded, every command that needs it must say so,
# and exit 3.
#
#	test-cli-parse.sh [PATH-TO-SESSHA]
#
# Exit 0 pass, 1 fail (kselftest).

SESSHA=${1:-$(dirname "$0")/sessha}
TIMEOUT=$(command -v timeout >/dev/null && echo "timeout 10")
NOT_LOADED_MSG='sessha module not loaded (generic netlink family "sessha" not found)'
NOT_LOADED="Error: $NOT_LOADED_MSG"
fails=0
tests=0

log_test()
{
	local rc=$1 name=$2

	tests=$((tests + 1))
	if [ "$rc" -eq 0 ]; then
		printf "TEST: %-72s [ OK ]\n" "$name"
	else
		printf "TEST: %-72s [FAIL]\n" "$name"
		fails=$((fails + 1))
	fi
}

# run ARGS...: sets rc, out, err
run()
{
	local o e

	o=$(mktemp) e=$(mktemp)
	$TIMEOUT "$SESSHA" "$@" >"$o" 2>"$e"
	rc=$?
	out=$(cat "$o") err=$(cat "$e")
	rm -f "$o" "$e"
}

# bad_rc EXIT-STATUS EXPECTED-STDERR ARGS...
bad_rc()
{
	local want_rc=$1 want=$2 ok=0

	shift 2
	run "$@"
	if [ "$rc" -ne "$want_rc" ] || [ -n "$out" ] || [ "$err" != "$want" ]; then
		ok=1
		echo "    sessha $*"
		echo "    exit $rc (wanted $want_rc), stdout '$out'"
		echo "    stderr '$err'"
		echo "    wanted '$want'"
	fi
	log_test $ok "sessha $*"
}

# bad EXPECTED-STDERR ARGS...: a bad argument
bad()
{
	bad_rc 2 "$@"
}

# good ARGS...: exit 0, usage on stdout, nothing on stderr
help()
{
	local ok=0

	run "$@"
	if [ "$rc" -ne 0 ] || [ -n "$err" ] || [[ "$out" != Usage:* ]]; then
		ok=1
		echo "    exit $rc, stderr '$err'"
	fi
	log_test $ok "sessha $* (help)"
}

if [ ! -x "$SESSHA" ]; then
	echo "$SESSHA: not built" >&2
	exit 1
fi

SVC=(service add id 1 vip 10.0.0.100 proto tcp port 80)

# key files: good, short, not hex, long, with a blank inside, empty
KEYS=$(mktemp -d)
trap 'rm -rf "$KEYS"' EXIT
HEX=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
echo "$HEX" >"$KEYS/good"
echo "${HEX:2}" >"$KEYS/short"
echo "${HEX:1}g" >"$KEYS/nothex"
echo "${HEX}00" >"$KEYS/long"
echo "${HEX:0:32} ${HEX:32}" >"$KEYS/blank"
: >"$KEYS/empty"
head -c 5000 /dev/zero | tr '\0' 0 >"$KEYS/huge"
WANT64='want 64 hex digits (32 bytes)'

# dispatcher and options
bad 'Error: missing object (try "sessha help")'
bad 'Error: missing object (try "sessha help")' -j
bad 'Error: unknown object "nodes" (try "sessha help")' nodes show
bad 'Error: unknown option "-x" (try "sessha help")' -x node show
bad 'Error: unknown option "--jsonx" (try "sessha help")' --jsonx node show
bad 'Error: unknown command "sh" for "node" (try "sessha node help")' node sh
bad 'Error: missing command for "backend" (try "sessha backend help")' backend
bad 'Error: unknown object "foo" (try "sessha help")' help foo
bad 'Error: unknown keyword "x"' node help x

# options
bad 'Error: missing value for option "-n"' -n
bad 'Error: missing value for option "-netns"' -j -netns
bad 'Error: missing value for option "-b"' -b
bad 'Error: missing value for option "-batch"' -batch
bad 'Error: unknown option "-jn" (try "sessha help")' -jn x node show
bad 'Error: unknown option "-forc" (try "sessha help")' -forc -batch -
bad 'Error: cannot open network namespace "sessha-no-such-ns": No such file or directory' \
	-n sessha-no-such-ns node show
bad 'Error: invalid network namespace name "../../proc/1/ns/net"' \
	-n ../../proc/1/ns/net node show
bad 'Error: invalid network namespace name ".."' -netns .. node show
bad 'Error: invalid network namespace name ""' -n "" node show
bad 'Error: "-force" goes with "-batch"' -force node show
bad 'Error: "-batch" takes its commands from the file, not "node"' -batch - node show
bad 'Error: "-V" takes no command, not "node"' -V node show
bad 'Error: "-V" and "-batch" are mutually exclusive' -V -batch -
# a bad option is found before the namespace is entered
bad 'Error: "-force" goes with "-batch"' -n sessha-no-such-ns -force node show

# batch: bad lines, found before the kernel is asked; each error names its
# line; the first bad line ends the batch unless -force; the exit status is
# that of the first line that failed
BATCH=$KEYS/batch
bad "Error: cannot open batch file \"$KEYS/missing\": No such file or directory" \
	-batch "$KEYS/missing"
bad "Error: cannot read batch file \"$KEYS\": Is a directory" -batch "$KEYS"
printf '%s\n' 'node add id 1' 'nodes show' >"$BATCH"
bad 'Error: line 1: missing "addr"' -batch "$BATCH"
bad 'Error: line 1: missing "addr"' -b - <"$BATCH"
bad 'Error: line 1: missing "addr"
Error: line 2: unknown object "nodes" (try "sessha help")' -force -batch "$BATCH"
printf '%s\n' '# comment' '' '  	' 'node del # comment' \
	'node add id 1 addr "10.0.0.1 local"' >"$BATCH"
bad 'Error: line 4: missing "id"
Error: line 5: invalid address "10.0.0.1 local"' -force -b "$BATCH"
printf '%s\n' '# a "quote' 'node add id 1 addr "10.0.0.1' >"$BATCH"
bad 'Error: line 2: unterminated quote' -batch "$BATCH"
printf 'node add%s\n' "$(printf ' id 1%.0s' {1..32})" >"$BATCH"
bad 'Error: line 1: too many words (at most 64)' -batch "$BATCH"
printf '%s\n' 'node add id 1 addr ""' -j >"$BATCH"
bad 'Error: line 1: invalid address ""
Error: line 2: unknown object "-j" (try "sessha help")' -force -batch "$BATCH"
bad 'Error: line 1: cannot read the key on standard input: it is the batch' \
	-batch - <<<"sync key add id 1 file -"
bad 'Error: line 1: unknown object "x" (try "sessha help")' -batch - <<<"help x"
run -batch - <<<"# nothing but a comment"
[ "$rc" -eq 0 ] && [ -z "$out$err" ]
log_test $? "sessha -batch - (comments only)"
run -batch - <<<"help node"
[ "$rc" -eq 0 ] && [ -z "$err" ] && [[ "$out" == Usage:* ]]
log_test $? "sessha -batch - (help node)"
run -batch /dev/null
[ "$rc" -eq 0 ] && [ -z "$out$err" ]
log_test $? "sessha -batch /dev/null"
# garbage: NUL bytes, control characters, a line far longer than any
# buffer; a bad argument, never a crash
{ printf x; head -c 8192 /dev/urandom; printf '\n%070000d\n' 0; } >"$BATCH"
run -force -batch "$BATCH"
[ "$rc" -eq 2 ] && [ -z "$out" ] && [[ "$err" == "Error: line 1: "* ]]
log_test $? "sessha -force -batch (random bytes, a 70000-byte word)"

# node
bad 'Error: missing "id"' node add
bad 'Error: missing "addr"' node add id 1
bad 'Error: missing value for "id"' node add id
bad 'Error: id out of range' node add id 0 addr 10.0.0.1
bad 'Error: id out of range' node add id 4294967296 addr 10.0.0.1
bad 'Error: id out of range' node add id 99999999999999999999999 addr 10.0.0.1
bad 'Error: invalid id "-1"' node add id -1 addr 10.0.0.1
bad 'Error: invalid id "+1"' node add id +1 addr 10.0.0.1
bad 'Error: invalid id " 1"' node add id " 1" addr 10.0.0.1
bad 'Error: invalid id "1x"' node add id 1x addr 10.0.0.1
bad 'Error: invalid id "0x1"' node add id 0x1 addr 10.0.0.1
bad 'Error: invalid id ""' node add id "" addr 10.0.0.1
bad 'Error: invalid address "1.2.3"' node add id 1 addr 1.2.3
bad 'Error: invalid address "10.0.0.256"' node add id 1 addr 10.0.0.256
bad 'Error: invalid address "fe80::1%eth0"' node add id 1 addr fe80::1%eth0
bad 'Error: invalid address ""' node add id 1 addr ""
bad 'Error: invalid state "sideways"' node add id 1 addr 10.0.0.1 state sideways
bad 'Error: duplicate keyword "id"' node add id 1 id 2 addr 10.0.0.1
bad 'Error: duplicate keyword "local"' node add id 1 addr 10.0.0.1 local local
bad 'Error: unknown keyword "i"' node add i 1 addr 10.0.0.1
bad 'Error: unknown keyword "foo"' node add id 1 addr 10.0.0.1 foo
bad 'Error: missing "id"' node del
bad 'Error: unknown keyword "addr"' node del id 1 addr 10.0.0.1
bad 'Error: missing "up" or "down"' node set id 1
bad 'Error: "up" and "down" are mutually exclusive' node set id 1 up down
bad 'Error: unknown keyword "state"' node set id 1 state up
bad 'Error: missing value for "id"' node set id
bad 'Error: missing "id"' node set up
bad 'Error: invalid node list "1,,2"' node set id 1,,2 up
bad 'Error: invalid node list "1,2,"' node set id 1,2, down
bad 'Error: invalid node list ""' node set id "" down
bad 'Error: invalid node list "1:2"' node set id 1:2 down
bad 'Error: node id out of range' node set id 1,0 up
bad 'Error: node id out of range' node set id 4294967296 up
bad 'Error: invalid node id "x"' node set id 1,x up
bad 'Error: invalid node id " 2"' node set id "1, 2" up
bad 'Error: duplicate keyword "id"' node set id 1,2 id 3 up
bad 'Error: too many nodes (at most 256)' node set id "$(seq -s, 1 257)" down
bad 'Error: missing "up" or "down"' node set id 1,2,3
bad 'Error: unknown keyword "all"' node show all

# service
bad 'Error: duplicate keyword "id"' "${SVC[@]}" nodes 1 id 70000
bad 'Error: id out of range' service add id 65536 vip 10.0.0.100 proto tcp port 80 nodes 1
bad 'Error: invalid proto "sctp"' service add id 1 vip 10.0.0.100 proto sctp port 80 nodes 1
bad 'Error: invalid proto "TCP"' service add id 1 vip 10.0.0.100 proto TCP port 80 nodes 1
bad 'Error: port out of range' service add id 1 vip 10.0.0.100 proto tcp port 0 nodes 1
bad 'Error: port out of range' service add id 1 vip 10.0.0.100 proto tcp port 65536 nodes 1
bad 'Error: invalid address "10.0.0"' service add id 1 vip 10.0.0 proto tcp port 80 nodes 1
bad 'Error: missing "nodes"' "${SVC[@]}"
bad 'Error: missing "nodes"' "${SVC[@]}" policy ring
bad 'Error: missing "vip"' service add id 1 proto tcp port 80 nodes 1
bad 'Error: invalid node list "1,,2"' "${SVC[@]}" nodes 1,,2
bad 'Error: invalid node list "1,2,"' "${SVC[@]}" nodes 1,2,
bad 'Error: invalid node list ",1"' "${SVC[@]}" nodes ,1
bad 'Error: invalid node list "1:2"' "${SVC[@]}" nodes 1:2
bad 'Error: node id out of range' "${SVC[@]}" nodes 1,0
bad 'Error: invalid node id "two"' "${SVC[@]}" nodes 1,two
bad 'Error: invalid policy "mesh"' "${SVC[@]}" policy mesh nodes 1
bad 'Error: missing value for "policy pairs"' "${SVC[@]}" policy pairs
bad 'Error: invalid node pair list "1,2"' "${SVC[@]}" policy pairs 1,2
bad 'Error: invalid node pair list "1:2,3"' "${SVC[@]}" policy pairs 1:2,3
bad 'Error: invalid node id "2:3"' "${SVC[@]}" policy pairs 1:2:3
bad 'Error: node id out of range' "${SVC[@]}" policy pairs 1:0
bad 'Error: "nodes" does not go with policy pairs (use "policy pairs ID:BACKUP,...")' \
	"${SVC[@]}" policy pairs 1:2,2:1 nodes 1,2
bad 'Error: duplicate keyword "nodes"' "${SVC[@]}" nodes 1 nodes 2
bad 'Error: missing "id"' service set nodes 1,2
bad 'Error: missing "policy" or "nodes"' service set id 1
bad 'Error: unknown keyword "vip"' service set id 1 vip 10.0.0.100 nodes 1
bad 'Error: "nodes" does not go with policy pairs (use "policy pairs ID:BACKUP,...")' service set id 1 policy pairs 1:2,2:1 nodes 1,2
bad 'Error: id out of range' service set id 0 nodes 1
bad 'Error: missing "id"' service del
bad 'Error: unknown keyword "vip"' service del id 1 vip 10.0.0.100

# backend
bad 'Error: missing "addr"' backend add service 1 id 1
bad 'Error: missing "service"' backend add id 1 addr 10.0.1.1
bad 'Error: id out of range' backend add service 1 id 65536 addr 10.0.1.1
bad 'Error: service out of range' backend add service 0 id 1 addr 10.0.1.1
bad 'Error: invalid address "10.0.1.1/24"' backend add service 1 id 1 addr 10.0.1.1/24
bad 'Error: unknown keyword "addr"' backend del service 1 id 1 addr 10.0.1.1
bad 'Error: weight out of range' backend add service 1 id 1 addr 10.0.1.1 weight 65536
bad 'Error: invalid weight "-1"' backend add service 1 id 1 addr 10.0.1.1 weight -1
bad 'Error: missing "weight"' backend set service 1 id 1
bad 'Error: unknown keyword "addr"' backend set service 1 id 1 weight 2 addr 10.0.1.1
bad 'Error: unknown keyword "weight"' backend del service 1 id 1 weight 0
bad 'Error: missing "service"' backend set id 1 weight 0

# session, stats, config, monitor
bad 'Error: invalid service "x"' session show service x
bad 'Error: missing value for "service"' session show service
bad 'Error: unknown keyword "id"' session show id 1
bad 'Error: unknown keyword "extra"' stats show extra
bad 'Error: unknown command "reset" for "stats" (try "sessha stats help")' stats reset
bad 'Error: unknown output format "xml" for "-o" (try "prometheus")' stats -o xml
bad 'Error: unknown output format "Prometheus" for "-o" (try "prometheus")' \
	stats show -o Prometheus
bad 'Error: missing value for "-o"' stats -o
bad 'Error: duplicate keyword "-o"' stats show -o prometheus -o prometheus
bad 'Error: "-o" and "-j" are mutually exclusive' -j stats show -o prometheus
bad 'Error: "-o" and "-j" are mutually exclusive' -p stats -o prometheus
bad 'Error: unknown keyword "show"' stats -o prometheus show
bad 'Error: unknown keyword "-x"' stats -x
bad 'Error: unknown option "-o" (try "sessha help")' -o prometheus stats
bad 'Error: nothing to set (try "sessha config help")' config set
bad 'Error: invalid sync "maybe"' config set sync maybe
bad 'Error: sync-port out of range' config set sync-port 0
bad 'Error: timeout-tcp out of range: 1 to 65535 seconds' config set timeout-tcp 4294967296
bad 'Error: timeout-tcp out of range: 1 to 65535 seconds' config set timeout-tcp 65536
bad 'Error: timeout-tcp-fin out of range: 1 to 65535 seconds' config set timeout-tcp-fin 4294967295
bad 'Error: timeout-udp out of range: 1 to 65535 seconds' config set timeout-udp 0
bad 'Error: timeout-udp out of range: 1 to 65535 seconds' \
	config set timeout-udp 99999999999999999999999
bad 'Error: invalid timeout-tcp "-1"' config set timeout-tcp -1
bad 'Error: invalid timeout-tcp "0x10"' config set timeout-tcp 0x10
bad 'Error: max-sessions out of range' config set max-sessions 4294967296
bad 'Error: invalid timeout-udp "5s"' config set timeout-udp 5s
bad 'Error: duplicate keyword "sync"' config set sync on sync off
bad 'Error: unknown keyword "timeout"' config set timeout 5
bad 'Error: unknown keyword "now"' monitor now
bad 'Error: unknown keyword "all"' save all
bad 'Error: missing value for "keydir"' save keydir
bad 'Error: invalid keydir ""' save keydir ""
bad 'Error: invalid keydir "/etc/"x"' save keydir '/etc/"x'
bad 'Error: duplicate keyword "keydir"' save keydir /a keydir /b
bad 'Error: "save" prints commands, not JSON' -p save
bad 'Error: duplicate keyword "flows"' monitor flows flows
bad 'Error: invalid join "yes"' config set join yes
bad 'Error: duplicate keyword "join"' config set join on join on

# sync
bad 'Error: unknown command "status" for "sync" (try "sessha sync help")' sync status
bad 'Error: unknown command "keys" for "sync" (try "sessha sync help")' sync keys add id 1 file -
bad 'Error: missing command for "sync key" (try "sessha sync help")' sync key
bad 'Error: unknown command "set" for "sync key" (try "sessha sync help")' sync key set id 1
bad 'Error: unknown command "help" for "sync key" (try "sessha sync help")' sync key help
bad 'Error: unknown keyword "now"' sync show now
bad 'Error: missing "id"' sync key add file "$KEYS/good"
bad 'Error: missing "file"' sync key add id 1
bad 'Error: missing value for "file"' sync key add id 1 file
bad 'Error: id out of range' sync key add id 0 file "$KEYS/good"
bad 'Error: id out of range' sync key add id 256 file "$KEYS/good"
bad 'Error: invalid id "0x1"' sync key add id 0x1 file "$KEYS/good"
bad 'Error: duplicate keyword "file"' sync key add id 1 file "$KEYS/good" file -
bad 'Error: unknown keyword "key"' sync key add id 1 key "$HEX"
bad "Error: cannot read key file \"$KEYS/missing\": No such file or directory" \
	sync key add id 1 file "$KEYS/missing"
bad "Error: cannot read key file \"$KEYS\": Is a directory" sync key add id 1 file "$KEYS"
bad "Error: invalid key in key file \"$KEYS/short\": $WANT64" sync key add id 1 file "$KEYS/short"
bad "Error: invalid key in key file \"$KEYS/long\": $WANT64" sync key add id 1 file "$KEYS/long"
bad "Error: invalid key in key file \"$KEYS/empty\": $WANT64" sync key add id 1 file "$KEYS/empty"
bad "Error: invalid key in key file \"$KEYS/huge\": $WANT64" sync key add id 1 file "$KEYS/huge"
bad "Error: invalid key in key file \"$KEYS/nothex\": not hex" sync key add id 1 file "$KEYS/nothex"
bad "Error: invalid key in key file \"$KEYS/blank\": not hex" sync key add id 1 file "$KEYS/blank"
bad "Error: invalid key in standard input: $WANT64" sync key add id 1 file - <"$KEYS/short"
bad "Error: invalid key in standard input: not hex" sync key add id 1 file - <"$KEYS/nothex"
bad "Error: invalid key in standard input: $WANT64" sync key add id 1 file - </dev/null
# a usage error is found before the key is read
bad 'Error: id out of range' sync key add file "$KEYS/short" id 256
bad 'Error: missing "id"' sync key use
bad 'Error: id out of range' sync key use id 0
bad 'Error: id out of range' sync key del id 256
bad 'Error: unknown keyword "file"' sync key use id 1 file "$KEYS/good"
bad 'Error: unknown keyword "file"' sync key del id 1 file "$KEYS/good"

help help
help -h
help --help
help -j help
help help node
for o in node service backend session stats config sync monitor save; do
	help $o help
done

# Without the module, every command that needs it says so, and only that.
if [ ! -e /sys/module/sessha ]; then
	for cmd in "node show" "node add id 1 addr 10.0.0.1 local state down" \
		   "node set id 1 up" "node set id 1,2 down" "node del id 1" "node" \
		   "service add id 1 vip 2001:db8::1 proto udp port 53 nodes 1,2" \
		   "service add id 1 vip 10.0.0.100 proto tcp port 80 policy pairs 1:2,2:1" \
		   "service set id 1 nodes 1,2,3,4" \
		   "service del id 1" "service show" \
		   "backend add service 1 id 1 addr 10.0.1.1" \
		   "backend set service 1 id 1 weight 0" \
		   "backend del service 1 id 1" "session show service 1" \
		   "session show" "stats" "stats show" "config show" \
		   "config set sync off sync-port 7000 max-sessions 10 join off" \
		   "config set timeout-tcp 65535 timeout-udp 1" \
		   "sync show" "sync" "sync key add id 1 file $KEYS/good" \
		   "sync key use id 255" "sync key del id 1" "monitor" "monitor flows"; do
		# shellcheck disable=SC2086
		bad_rc 3 "$NOT_LOADED" -j $cmd
	done
	bad_rc 3 "$NOT_LOADED" sync key add id 1 file - <"$KEYS/good"
	bad_rc 3 "$NOT_LOADED" save
	bad_rc 3 "$NOT_LOADED" stats -o prometheus
	bad_rc 3 "$NOT_LOADED" save keydir /etc/sessha
	printf '%s\n' '# comment' 'node show' 'node add id 1' >"$BATCH"
	bad_rc 3 "Error: line 2: $NOT_LOADED_MSG" -batch "$BATCH"
	bad_rc 3 "Error: line 2: $NOT_LOADED_MSG
Error: line 3: missing \"addr\"" -force -batch "$BATCH"
	run -V
	[ "$rc" -eq 0 ] && [ -z "$err" ] &&
		[ "${out#*$'\n'}" = 'module not loaded (no genl family "sessha")' ]
	log_test $? "sessha -V (module not loaded)"
fi

echo "$((tests - fails))/$tests passed"
[ "$fails" -eq 0 ]
