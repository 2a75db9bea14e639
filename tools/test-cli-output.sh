#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What sessha(8) sends and prints, without the module: fake-genl.so stands
# in for the kernel (see fake-genl.c), so this checks the request encoding
# of every command against the UAPI and the exact text and JSON output of
# every show, the error paths (errno, extack in capped and uncapped acks,
# a failing dump) and monitor.
#
#	test-cli-output.sh [PATH-TO-SESSHA [PATH-TO-FAKE-GENL.SO]]
#
# Exit 0 pass, 1 fail (kselftest).

dir=$(dirname "$0")
SESSHA=${1:-$dir/sessha}
FAKE=$(realpath "${2:-$dir/fake-genl.so}")
LOG=$(mktemp)
KEY=$(mktemp)
BATCH=$(mktemp)
NSLOG=$(mktemp)
NS=sessha-cli-test-$$
cleanup()
{
	rm -rf "$LOG" "$KEY" "$KEY a" "$KEY.d" "$KEY.conf" "$BATCH" "$NSLOG"
	[ -e "/run/netns/$NS" ] && ip netns del "$NS"
}
trap cleanup EXIT
# a sanitizer build wants its runtime first; the shim can come second
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
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

# expect RC STDOUT STDERR REQUEST ARGS...: the exit code, both outputs and
# the request line the fake logged ("" for none) must all match
expect()
{
	local want_rc=$1 want_out=$2 want_err=$3 want_req=$4 out err rc req
	local e ok=0

	shift 4
	: >"$LOG"
	e=$(mktemp)
	out=$(LD_PRELOAD=$FAKE FAKE_GENL_LOG=$LOG "$SESSHA" "$@" 2>"$e")
	rc=$?
	err=$(grep -v '^fake-genl:' "$e")
	rm -f "$e"
	req=$(cat "$LOG")
	if [ "$rc" != "$want_rc" ] || [ "$out" != "$want_out" ] ||
	   [ "$err" != "$want_err" ] || [ "$req" != "$want_req" ]; then
		ok=1
		[ "$rc" != "$want_rc" ] && echo "    exit $rc, wanted $want_rc"
		[ "$out" != "$want_out" ] && diff <(echo "$want_out") <(echo "$out") | sed 's/^/    /'
		[ "$err" != "$want_err" ] && echo "    stderr '$err', wanted '$want_err'"
		[ "$req" != "$want_req" ] && echo "    request '$req', wanted '$want_req'"
	fi
	log_test $ok "sessha $*"
}

# json ARGS...: the output must parse as one JSON document
json()
{
	local ok=0

	if command -v python3 >/dev/null; then
		LD_PRELOAD=$FAKE "$SESSHA" "$@" 2>/dev/null |
			python3 -c 'import json, sys; json.load(sys.stdin)' || ok=1
	fi
	log_test $ok "sessha $* (valid JSON)"
}

for f in "$SESSHA" "$FAKE"; do
	if [ ! -e "$f" ]; then
		echo "$f: not built" >&2
		exit 1
	fi
done

# Requests: cmd=N [dump] then type=hex, or type{type=u32,...} for node lists.
# Attribute numbers: NODE_ID 2, NODE_ADDR 3, NODE_LOCAL 4, NODE_STATE 5,
# SERVICE_ID 6, VIP 7, PROTO 8, PORT 9, POLICY 10, NODES 11, BACKUPS 12,
# BACKEND_ID 15, BACKEND_ADDR 16, SYNC_PORT 25, SYNC_ENABLED 26,
# TIMEOUT_TCP 27, _FIN 28, _UDP 29, MAX_SESSIONS 30, SYNC_JOIN 31, KEY 35,
# KEY_ID 36. Commands: KEY_NEW 16, KEY_USE 17, KEY_DEL 18, SYNC_GET 19,
# SERVICE_SET 21, BACKEND_SET 22; BACKEND_WEIGHT 39.

expect 0 "" "" "cmd=1 2=01000000 3=0a000001 4= 5=00" \
	node add id 1 addr 10.0.0.1 local state down
expect 0 "" "" "cmd=1 2=ffffffff 3=20010db8000000000000000000000002" \
	node add addr 2001:db8::2 id 4294967295
expect 0 "" "" "cmd=3 2=03000000 5=01" node set id 3 up
expect 0 "" "" "cmd=3 2=03000000 5=00" node set down id 3
expect 0 "" "" "cmd=2 2=04000000" node del id 4
# several nodes: a request each, in order; each tried, every failure told
expect 0 "" "" "cmd=3 2=02000000 5=00
cmd=3 2=03000000 5=00
cmd=3 2=ffffffff 5=00" node set id 2,3,4294967295 down
expect 1 "" "Error: node 7: No such file or directory" "cmd=3 2=03000000 5=01
cmd=3 2=07000000 5=01
cmd=3 2=04000000 5=01" node set up id 3,7,4
expect 1 "" "Error: node 8 already exists
Error: node 7: No such file or directory" "cmd=3 2=08000000 5=00
cmd=3 2=07000000 5=00" node set id 8,7 down
expect 0 "" "" "cmd=5 6=01000000 7=0a000064 8=06 9=5000 10=00 11{2=1,2=2,2=3}" \
	service add id 1 vip 10.0.0.100 proto tcp port 80 nodes 1,2,3
expect 0 "" "" "cmd=5 6=ffff0000 7=0a000064 8=06 9=bb01 10=00 11{2=3}" \
	service add nodes 3 policy ring port 443 proto tcp vip 10.0.0.100 id 65535
expect 0 "" "" "cmd=5 6=02000000 7=20010db8000000000000000000000100 8=11 9=3500 10=01 11{2=1,2=2,2=3} 12{2=2,2=3,2=1}" \
	service add id 2 vip 2001:db8::100 proto udp port 53 policy pairs 1:2,2:3,3:1
expect 0 "" "" "cmd=6 6=01000000" service del id 1
expect 0 "" "" "cmd=21 6=01000000 11{2=1,2=2,2=3,2=4}" service set id 1 nodes 1,2,3,4
expect 0 "" "" "cmd=21 6=02000000 10=01 11{2=1,2=2} 12{2=2,2=1}" \
	service set id 2 policy pairs 1:2,2:1
expect 0 "" "" "cmd=21 6=01000000 10=00" service set policy ring id 1
expect 0 "" "" "cmd=8 6=01000000 15=02000000 16=0a000101" \
	backend add service 1 id 2 addr 10.0.1.1
expect 0 "" "" "cmd=9 6=01000000 15=02000000" backend del service 1 id 2
expect 0 "" "" "cmd=8 6=01000000 15=03000000 16=0a000103 39=05000000" \
	backend add service 1 id 3 addr 10.0.1.3 weight 5
expect 0 "" "" "cmd=22 6=01000000 15=03000000 39=00000000" \
	backend set service 1 id 3 weight 0
expect 0 "" "" "cmd=22 6=01000000 15=03000000 39=ffff0000" \
	backend set weight 65535 id 3 service 1
expect 0 "" "" "cmd=12 26=00 25=581b 27=0a000000 28=05000000 29=1e000000 30=64000000" \
	config set sync off sync-port 7000 timeout-tcp 10 timeout-tcp-fin 5 timeout-udp 30 max-sessions 100
expect 0 "" "" "cmd=12 26=01" config set sync on
expect 0 "" "" "cmd=12 26=01 30=0a000000 31=00" config set join off max-sessions 10 sync on
expect 0 "" "" "cmd=12 31=01" config set join on
# timeouts: the module's limit, 65535 s, is taken; more is refused unsent
expect 0 "" "" "cmd=12 27=ffff0000 28=01000000 29=ffff0000" \
	config set timeout-tcp 65535 timeout-tcp-fin 1 timeout-udp 65535
expect 2 "" "Error: timeout-udp out of range: 1 to 65535 seconds" "" \
	config set timeout-tcp 900 timeout-udp 65536
expect 0 "" "" "cmd=12 30=ffffffff" config set max-sessions 4294967295

# keys: 64 hex digits from a file or standard input, blanks around them
key_hex=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
echo "$key_hex" >"$KEY"
expect 0 "" "" "cmd=16 36=01 35=$key_hex" sync key add id 1 file "$KEY"
printf ' \t%s\r\n\n' "${key_hex^^}" >"$KEY"
expect 0 "" "" "cmd=16 36=ff 35=$key_hex" sync key add file - id 255 <"$KEY"
printf '%s' "$key_hex" >"$KEY"
expect 0 "" "" "cmd=16 36=02 35=$key_hex" -j sync key add id 2 file "$KEY"
expect 0 "" "" "cmd=17 36=02" sync key use id 2
expect 0 "" "" "cmd=18 36=01" sync key del id 1
expect 0 "" "" "cmd=1 2=01000000 3=0a000001" -j node add id 1 addr 10.0.0.1

# kernel errors
expect 1 "" "Error: node 7: No such file or directory" "cmd=2 2=07000000" node del id 7
expect 1 "" "Error: node 8 already exists" "cmd=1 2=08000000 3=0a000008" \
	node add id 8 addr 10.0.0.8
expect 1 "" "Error: bad service" "cmd=6 6=09000000" service del id 9
expect 1 "" "Error: no such service" "cmd=10 dump 6=94010000" \
	session show service 404
expect 1 "" "Error: no such service" "cmd=10 dump 6=94010000" \
	-j session show service 404
expect 1 "" "Error: no such key" "cmd=17 36=03" sync key use id 3
expect 1 "" "Error: key 4: Device or resource busy" "cmd=18 36=04" sync key del id 4
expect 1 "" "Error: no such key" "cmd=16 36=03 35=$key_hex" \
	sync key add id 3 file "$KEY"

# exit status: 1 for the kernel's refusal (above), 2 for a bad argument,
# 3 without the module; a bad argument is found before the kernel is asked
not_loaded_msg='sessha module not loaded (generic netlink family "sessha" not found)'
not_loaded="Error: $not_loaded_msg"
FAKE_GENL_NOMODULE=1 expect 3 "" "$not_loaded" "" node show
FAKE_GENL_NOMODULE=1 expect 3 "" "$not_loaded" "" -j node add id 1 addr 10.0.0.1
FAKE_GENL_NOMODULE=1 expect 2 "" 'Error: missing "addr"' "" node add id 1
FAKE_GENL_NOMODULE=1 expect 3 "" "$not_loaded" "" node set id 1,2,3 down
expect 2 "" 'Error: unknown keyword "foo"' "" node del id 1 foo

# batch: one process, the lines in order, comments and blank lines skipped
printf '%s\n' '# the cluster' 'node add id 1 addr 10.0.0.1 local' '' \
	'  node set id 3 up	# mark it' \
	'service add id 1 vip 10.0.0.100 proto tcp port 80 nodes 1,2,3' \
	'config set timeout-udp 30' 'node show' >"$BATCH"
batch_req="cmd=1 2=01000000 3=0a000001 4=
cmd=3 2=03000000 5=01
cmd=5 6=01000000 7=0a000064 8=06 9=5000 10=00 11{2=1,2=2,2=3}
cmd=12 29=1e000000
cmd=4 dump"
batch_out="node 1 addr 10.0.0.1 local state up sync joining
node 4294967295 addr 2001:db8::2 state down config mismatch"
expect 0 "$batch_out" "" "$batch_req" -batch "$BATCH"
expect 0 "$batch_out" "" "$batch_req" -b - <"$BATCH"
expect 0 "$batch_out" "" "$batch_req" -force -batch "$BATCH"
# -j: a document per show
printf '%s\n' 'node show' 'config show' >"$BATCH"
expect 0 '[{"id":1,"addr":"10.0.0.1","local":true,"state":"up","sync":"joining"},{"id":4294967295,"addr":"2001:db8::2","local":false,"state":"down","config":"mismatch"}]
{"sync":true,"sync_port":7484,"timeout_tcp":900,"timeout_tcp_fin":60,"timeout_udp":300,"max_sessions":1048576,"join":false}' \
	"" "cmd=4 dump
cmd=13" -j -batch "$BATCH"
# the first failure ends the batch; with -force the rest runs; the exit
# status is the first failure's
printf '%s\n' 'node del id 4' 'node del id 7' 'node add id 5' 'node del id 5' >"$BATCH"
expect 1 "" "Error: line 2: node 7: No such file or directory" \
	"cmd=2 2=04000000
cmd=2 2=07000000" -batch "$BATCH"
expect 1 "" "Error: line 2: node 7: No such file or directory
Error: line 3: missing \"addr\"" "cmd=2 2=04000000
cmd=2 2=07000000
cmd=2 2=05000000" -force -batch "$BATCH"
printf '%s\n' 'node add id 5' 'node del id 7' >"$BATCH"
expect 2 "" "Error: line 1: missing \"addr\"
Error: line 2: node 7: No such file or directory" "cmd=2 2=07000000" \
	-force -b - <"$BATCH"
printf '%s\n' 'service del id 9' 'service del id 2' >"$BATCH"
expect 1 "" "Error: line 1: bad service" "cmd=6 6=09000000" -batch "$BATCH"
FAKE_GENL_NOMODULE=1 expect 3 "" "Error: line 1: $not_loaded_msg" "" -batch "$BATCH"
# a key from a file named in the batch, with blanks in its name
printf '%s' "$key_hex" >"$KEY a"
expect 0 "" "" "cmd=16 36=01 35=$key_hex
cmd=17 36=01" -batch - <<<"sync key add id 1 file \"$KEY a\"
sync key use id 1"

# save: the running configuration as commands, which -batch replays into
# the requests that rebuild what the dumps hold; keys as file paths only
KEYDIR=$KEY.d
mkdir -p "$KEYDIR/key dir"
key2_hex=$(echo "$key_hex" | rev)
echo "$key_hex" >"$KEYDIR/key dir/key-1"
echo "$key2_hex" >"$KEYDIR/key dir/key-2"
save_out="# sessha save: for sessha apply FILE, or sessha -batch FILE
sync key add id 1 file \"$KEYDIR/key dir/key-1\"
sync key add id 2 file \"$KEYDIR/key dir/key-2\"
sync key use id 1
config set sync on sync-port 7484 timeout-tcp 900 timeout-tcp-fin 60 timeout-udp 300 max-sessions 1048576 join off
node add id 1 addr 10.0.0.1 local state up
node add id 4294967295 addr 2001:db8::2 state down
service add id 1 vip 10.0.0.100 proto tcp port 80 policy ring nodes 1,2,3
backend add service 1 id 1 addr 10.0.1.1
backend add service 1 id 2 addr 10.0.1.2 weight 0
service add id 65535 vip 2001:db8::100 proto udp port 53 policy pairs 1:2,2:3,3:1"
save_req="cmd=19
cmd=13
cmd=4 dump
cmd=7 dump"
expect 0 "$save_out" "" "$save_req" save keydir "$KEYDIR/key dir"
LD_PRELOAD=$FAKE "$SESSHA" save keydir "$KEYDIR/key dir" >"$BATCH" 2>/dev/null
expect 0 "" "" "cmd=16 36=01 35=$key_hex
cmd=16 36=02 35=$key2_hex
cmd=17 36=01
cmd=12 26=01 25=3c1d 27=84030000 28=3c000000 29=2c010000 30=00001000 31=00
cmd=1 2=01000000 3=0a000001 4= 5=01
cmd=1 2=ffffffff 3=20010db8000000000000000000000002 5=00
cmd=5 6=01000000 7=0a000064 8=06 9=5000 10=00 11{2=1,2=2,2=3}
cmd=8 6=01000000 15=01000000 16=0a000101
cmd=8 6=01000000 15=02000000 16=0a000102 39=00000000
cmd=5 6=ffff0000 7=20010db8000000000000000000000100 8=11 9=3500 10=01 11{2=1,2=2,2=3} 12{2=2,2=3,2=1}" \
	-batch "$BATCH"
expect 0 "$(echo "$save_out" | sed 's|'"$KEYDIR/key dir"'|/etc/sessha|')" "" "$save_req" save
FAKE_GENL_NOKEYS=1 expect 0 "$(echo "$save_out" | sed '2,4d;1a # no cluster key: sync is unauthenticated')" \
	"" "$save_req" save
# nothing is printed unless every dump succeeded and could be written down
FAKE_GENL_NOMODULE=1 expect 3 "" "$not_loaded" "" save
FAKE_GENL_SCTP=1 expect 1 "" \
	"Error: save: service 65535: protocol 132 or policy 1 unknown to this sessha" \
	"$save_req" save
expect 2 "" 'Error: "save" prints commands, not JSON' "" -j save

# apply: save's output, applied to the state it came from, is a no-op;
# a changed file becomes the fewest commands, in a safe order
CONF=$KEY.conf
LD_PRELOAD=$FAKE "$SESSHA" save keydir "$KEYDIR/key dir" >"$CONF" 2>/dev/null
out=$(LD_PRELOAD=$FAKE "$SESSHA" save keydir "$KEYDIR/key dir" |
      LD_PRELOAD=$FAKE "$SESSHA" apply --dry-run - 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -z "$out" ]
log_test $? "sessha save | sessha apply --dry-run -: nothing, exit 0"
expect 0 "" "" "$save_req" apply --dry-run - <"$CONF"
expect 0 "" "" "$save_req" apply "$CONF"
# apply_diff WANT-OUT WANT-REQ SED-SCRIPT [LINE-TO-ADD]: the plan of save's
# output so edited, then the requests that running it sends after the dumps
apply_diff()
{
	sed "$3" "$CONF" >"$BATCH"
	[ -n "$4" ] && echo "$4" >>"$BATCH"
	expect 0 "$1" "" "$save_req" apply "$BATCH" --dry-run
	expect 0 "" "" "$save_req
$2" apply "$BATCH"
}
apply_diff "backend add service 1 id 3 addr 10.0.1.3 weight 2" \
	"cmd=8 6=01000000 15=03000000 16=0a000103 39=02000000" "" \
	"backend add service 1 id 3 addr 10.0.1.3 weight 2"
apply_diff "backend set service 1 id 2 weight 7" \
	"cmd=22 6=01000000 15=02000000 39=07000000" "s/weight 0$/weight 7/"
# a weight of 1 is add's default, said or not
apply_diff "backend set service 1 id 2 weight 1" \
	"cmd=22 6=01000000 15=02000000 39=01000000" "s/ weight 0$//"
apply_diff "service set id 1 nodes 1,3,2" "cmd=21 6=01000000 11{2=1,2=3,2=2}" \
	"s/nodes 1,2,3$/nodes 1,3,2/"
apply_diff "service set id 65535 policy ring nodes 1,2" \
	"cmd=21 6=ffff0000 10=00 11{2=1,2=2}" "s/policy pairs 1:2,2:3,3:1$/nodes 1,2/"
apply_diff "node del id 4294967295" "cmd=2 2=ffffffff" "/^node add id 4294967295 /d"
apply_diff "config set timeout-udp 30 join on" "cmd=12 29=1e000000 31=01" \
	"s/timeout-udp 300 max-sessions 1048576 join off/timeout-udp 30 join on/"
# a state in the file is for nodes it adds; a node's is the controller's
apply_diff "node add id 2 addr 10.0.0.2 state down" \
	"cmd=1 2=02000000 3=0a000002 5=00" "s/^\(node add id 1 .*state\) up/\1 down/" \
	"node add id 2 addr 10.0.0.2 state down"
# a service removed goes before the nodes it named; a new service is
# added with its backends
apply_diff "service del id 65535
service add id 2 vip 10.0.0.102 proto udp port 53 policy ring nodes 1
backend add service 2 id 1 addr 10.0.2.1
node del id 4294967295" "cmd=6 6=ffff0000
cmd=5 6=02000000 7=0a000066 8=11 9=3500 10=00 11{2=1}
cmd=8 6=02000000 15=01000000 16=0a000201
cmd=2 2=ffffffff" "/ 4294967295 \| 65535 /d" \
	"service add id 2 vip 10.0.0.102 proto udp port 53 nodes 1
backend add service 2 id 1 addr 10.0.2.1"
apply_diff "backend del service 1 id 1
backend add service 1 id 1 addr 10.0.1.9" "cmd=9 6=01000000 15=01000000
cmd=8 6=01000000 15=01000000 16=0a000109" "s/addr 10.0.1.1$/addr 10.0.1.9/"
# what only del and add can change: said so, since a service's drops
# its sessions
apply_diff "# service 1: new vip, proto or port: del and add drops its sessions
service del id 1
service add id 1 vip 10.0.0.100 proto tcp port 8080 policy ring nodes 1,2,3
backend add service 1 id 1 addr 10.0.1.1
backend add service 1 id 2 addr 10.0.1.2 weight 0
# node 1: new address or local flag: del and add
node del id 1
node add id 1 addr 10.0.0.9 local state up" "cmd=6 6=01000000
cmd=5 6=01000000 7=0a000064 8=06 9=901f 10=00 11{2=1,2=2,2=3}
cmd=8 6=01000000 15=01000000 16=0a000101
cmd=8 6=01000000 15=02000000 16=0a000102 39=00000000
cmd=2 2=01000000
cmd=1 2=01000000 3=0a000009 4= 5=01" \
	"s/port 80 /port 8080 /;s/addr 10.0.0.1 /addr 10.0.0.9 /"
# keys: the missing ones added, from files read before anything is sent;
# keys the file lacks are left alone
key5="$KEYDIR/key dir/key-5"
echo "$key2_hex" >"$key5"
apply_diff "sync key add id 5 file \"$key5\"
sync key use id 5
# key 1 is not in the file: left as it is" "cmd=16 36=05 35=$key2_hex
cmd=17 36=05" "/key add id 1 /d;s/use id 1/use id 5/;s|add id 2 file .*|&\nsync key add id 5 file \"$key5\"|"
sed 's|add id 2 file .*|add id 5 file "/nonexistent/key-5"|' "$CONF" >"$BATCH"
expect 2 "" 'Error: cannot read key file "/nonexistent/key-5": No such file or directory' \
	"$save_req" apply --dry-run "$BATCH"
# the kernel's refusal ends the run there, and names the command
sed "/^node add id 4294967295 /d;\$a service add id 9 vip 10.0.0.109 proto tcp port 80 nodes 1" \
	"$CONF" >"$BATCH"
expect 1 "" 'Error: "service add id 9 vip 10.0.0.109 proto tcp port 80 policy ring nodes 1": bad service' \
	"$save_req
cmd=5 6=09000000 7=0a00006d 8=06 9=5000 10=00 11{2=1}" apply "$BATCH"
# a bad line refuses the whole file, with its number, before anything
# is sent; a file is a state, so del, set and show are bad lines
sed 's/nodes 1,2,3$/nodes 1,2/;$a backend add service 1 id 3 addr 10.0.1' "$CONF" >"$BATCH"
expect 2 "" 'Error: line 12: invalid address "10.0.1"' "" apply "$BATCH"
expect 2 "" 'Error: line 12: invalid address "10.0.1"' "" apply --dry-run - <"$BATCH"
apply_bad()
{
	printf '%s\n' "${@:2}" >"$BATCH"
	expect 2 "" "$1" "" apply "$BATCH"
}
apply_bad 'Error: line 3: "node del" is not part of a configuration (apply takes sync key add, sync key use, config set, node add, service add and backend add)' \
	'node add id 3 addr 10.0.0.3' '# a comment' 'node del id 4294967295'
apply_bad 'Error: line 1: "service set" is not part of a configuration (apply takes sync key add, sync key use, config set, node add, service add and backend add)' \
	'service set id 1 nodes 1'
apply_bad 'Error: line 2: "show" is not part of a configuration (apply takes sync key add, sync key use, config set, node add, service add and backend add)' \
	'' 'show'
apply_bad 'Error: line 2: node 3 twice' 'node add id 3 addr 10.0.0.3' 'node add id 3 addr 10.0.0.4'
apply_bad 'Error: line 1: backend 1 of service 5, before a line adds the service' \
	'backend add service 5 id 1 addr 10.0.0.3'
apply_bad 'Error: line 1: key 1 is used before a line adds it' 'sync key use id 1'
apply_bad 'Error: line 1: a key file, not "-": standard input holds no key here' \
	'sync key add id 1 file -'
apply_bad 'Error: line 2: timeout-udp out of range: 1 to 65535 seconds' \
	'config set timeout-udp 30' 'config set timeout-udp 65536'
apply_bad 'Error: line 1: unterminated quote' 'sync key add id 1 file "/etc/k'
FAKE_GENL_NOMODULE=1 expect 3 "" "$not_loaded" "" apply "$CONF"
expect 2 "" 'Error: cannot open "/nonexistent.conf": No such file or directory' "" \
	apply /nonexistent.conf
expect 2 "" 'Error: missing FILE (sessha apply {FILE|-} [--dry-run])' "" apply --dry-run
expect 2 "" 'Error: unknown keyword "--force"' "" apply "$CONF" --force
expect 2 "" 'Error: duplicate keyword "--dry-run"' "" apply --dry-run "$CONF" --dry-run
expect 2 "" 'Error: unknown keyword "b"' "" apply a b
expect 2 "" 'Error: "apply" prints commands, not JSON' "" -j apply "$CONF"

# -V: this program's version and the loaded module's family version
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$dir/../dkms.conf")
cli_version="sessha $version (genl family \"sessha\" version 1)"
expect 0 "$cli_version
module: genl family \"sessha\" version 1" "" "" -V
FAKE_GENL_VERSION=2 expect 0 "$cli_version
module: genl family \"sessha\" version 2" "" "" -Version
FAKE_GENL_NOMODULE=1 expect 0 "$cli_version
module not loaded (no genl family \"sessha\")" "" "" --version

# -n: every netlink socket opens in the named namespace (root and ip only)
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add "$NS" 2>/dev/null; then
	want_ns="net:[$(stat -L -c %i "/run/netns/$NS")]"
	: >"$NSLOG"
	FAKE_GENL_NETNS=$NSLOG expect 0 "" "" "cmd=3 2=03000000 5=01" \
		-n "$NS" node set id 3 up
	[ "$(sort -u "$NSLOG")" = "$want_ns" ]
	log_test $? "sessha -n $NS: the socket is in $want_ns"
	: >"$NSLOG"
	printf '%s\n' 'node del id 4' 'node del id 5' >"$BATCH"
	FAKE_GENL_NETNS=$NSLOG expect 0 "" "" "cmd=2 2=04000000
cmd=2 2=05000000" -netns "$NS" -batch "$BATCH"
	[ "$(sort -u "$NSLOG")" = "$want_ns" ] && [ "$(wc -l <"$NSLOG")" -ge 2 ]
	log_test $? "sessha -netns $NS -batch: every socket is in $want_ns"
	: >"$NSLOG"
	FAKE_GENL_NETNS=$NSLOG expect 0 "" "" "cmd=3 2=03000000 5=01" node set id 3 up
	[ "$(sort -u "$NSLOG")" = "$(readlink /proc/self/ns/net)" ]
	log_test $? "sessha without -n: the socket is in this namespace"
else
	echo "TEST: sessha -n NETNS                                                          [SKIP] (needs root and ip netns)"
fi

# shows
expect 0 "node 1 addr 10.0.0.1 local state up sync joining
node 4294967295 addr 2001:db8::2 state down config mismatch" "" "cmd=4 dump" node show
expect 0 '[{"id":1,"addr":"10.0.0.1","local":true,"state":"up","sync":"joining"},{"id":4294967295,"addr":"2001:db8::2","local":false,"state":"down","config":"mismatch"}]' \
	"" "cmd=4 dump" -j node
expect 0 '[
  {
    "id": 1,
    "addr": "10.0.0.1",
    "local": true,
    "state": "up",
    "sync": "joining"
  },
  {
    "id": 4294967295,
    "addr": "2001:db8::2",
    "local": false,
    "state": "down",
    "config": "mismatch"
  }
]' "" "cmd=4 dump" -p node show

expect 0 "service 1 vip 10.0.0.100 proto tcp port 80 policy ring nodes 1,2,3
	backend 1 addr 10.0.1.1
	backend 2 addr 10.0.1.2 weight 0
service 65535 vip 2001:db8::100 proto udp port 53 policy pairs nodes 1,2,3 backups 2,3,1" \
	"" "cmd=7 dump" service show
expect 0 '[{"id":1,"vip":"10.0.0.100","proto":"tcp","port":80,"policy":"ring","nodes":[1,2,3],"backends":[{"id":1,"addr":"10.0.1.1"},{"id":2,"addr":"10.0.1.2","weight":0}]},{"id":65535,"vip":"2001:db8::100","proto":"udp","port":53,"policy":"pairs","nodes":[1,2,3],"backups":[2,3,1],"backends":[]}]' \
	"" "cmd=7 dump" -j service show

expect 0 "service 1 client 10.0.0.2 cport 40000 backend 1 backend-addr 10.0.1.1 state established role owner owner 1 backup 2 expires 899000ms
service 65535 client 2001:db8::7 cport 65535 backend 2 backend-addr 2001:db8:1::2 state 9 role replica owner 3 backup 0 expires 0ms" \
	"" "cmd=10 dump" session show
expect 0 '[{"service":1,"client":"10.0.0.2","cport":40000,"backend":1,"backend_addr":"10.0.1.1","state":"established","role":"owner","owner":1,"backup":2,"expires_ms":899000},{"service":65535,"client":"2001:db8::7","cport":65535,"backend":2,"backend_addr":"2001:db8:1::2","state":"9","role":"replica","owner":3,"backup":0,"expires_ms":0}]' \
	"" "cmd=10 dump 6=01000000" -j session show service 1

stats_text="fwd_packets 18446744073709551615
served_packets 1
sessions_created 2
sessions_expired 3
sessions_promoted 4
replicas_created 5
replicas_updated 6
replicas_deleted 7
sync_tx_records 8
sync_tx_datagrams 9
sync_rx_records 10
sync_rx_datagrams 11
drop_no_session 12
drop_no_backend 13
drop_no_node 14
drop_table_full 15
drop_nomem 16
drop_xmit 17
drop_malformed 18
sync_tx_errors 19
sync_tx_no_peer 20
sync_rx_short 21
sync_rx_version 22
sync_rx_type 23
sync_rx_length 24
sync_rx_unknown_peer 25
sync_rx_bad_record 26
sync_rx_conflict 27
sync_rx_disabled 28
sync_rx_unauth 29
sync_rx_bad_key 30
sync_rx_bad_mac 31
sync_rx_replay 32
sync_rx_gaps 33
sync_bulk_requests 34
sync_bulk_answers 35
sync_bulk_records 36
sync_bulk_incomplete 37
sync_digests_tx 38
sync_digests_rx 39
sync_digest_mismatches 40
replicas_stale 41
sessions_demoted 42
join_timeouts 43
pmtu_learned 44
sync_tx_send_errors 45
sync_resend_requests 46
sync_resent_records 47
sync_resend_misses 48
sync_config_mismatches 49
stat_50 50
sessions 1234
max_sessions 1048576"
expect 0 "$stats_text" "" "cmd=11" stats
expect 0 "$stats_text" "" "cmd=11" stats show
stats_json=$(echo "$stats_text" | sed 's/^\(.*\) \(.*\)$/"\1":\2/' | paste -sd, -)
expect 0 "{$stats_json}" "" "cmd=11" -j stats show

expect 0 "sync on sync-port 7484 timeout-tcp 900 timeout-tcp-fin 60 timeout-udp 300 max-sessions 1048576 join off" \
	"" "cmd=13" config show
expect 0 '{"sync":true,"sync_port":7484,"timeout_tcp":900,"timeout_tcp_fin":60,"timeout_udp":300,"max_sessions":1048576,"join":false}' \
	"" "cmd=13" -j config

expect 0 "auth hmac-sha256 keys 1 (in use) 2
state ready epoch 1764152831123456789" "" "cmd=19" sync show
expect 0 "auth hmac-sha256 keys 1 (in use) 2
state ready epoch 1764152831123456789" "" "cmd=19" sync
expect 0 '{"auth":true,"state":"ready","epoch":1764152831123456789,"keys":[{"id":1,"in_use":true},{"id":2,"in_use":false}]}' \
	"" "cmd=19" -j sync show
expect 0 '{
  "auth": true,
  "state": "ready",
  "epoch": 1764152831123456789,
  "keys": [
    {
      "id": 1,
      "in_use": true
    },
    {
      "id": 2,
      "in_use": false
    }
  ]
}' "" "cmd=19" -p sync show
# without a key, text has the warning on stdout and on stderr; JSON has
# it as "warning", and stderr stays empty
unauth='WARNING: sync is UNAUTHENTICATED: no cluster key set (sessha sync key add)'
FAKE_GENL_NOKEYS=1 expect 0 "$unauth
state joining epoch 0" "$unauth" "cmd=19" sync show
FAKE_GENL_NOKEYS=1 expect 0 "{\"auth\":false,\"warning\":\"$unauth\",\"state\":\"joining\",\"epoch\":0,\"keys\":[]}" \
	"" "cmd=19" -j sync show
FAKE_GENL_NOKEYS=1 expect 0 "{
  \"auth\": false,
  \"warning\": \"$unauth\",
  \"state\": \"joining\",
  \"epoch\": 0,
  \"keys\": []
}" "" "cmd=19" -p sync
FAKE_GENL_NOKEYS=1 expect 0 "$unauth
state joining epoch 0" "$unauth" "cmd=19" -batch - <<<"sync show"

expect 0 "node 2 state down
takeover from 2 service 1 count 41
promote service 1 client 10.0.0.2 cport 40000 owner 2" "" "" monitor
expect 0 '{"event":"node","id":2,"state":"down"}
{"event":"takeover","from":2,"service":1,"count":41}
{"event":"promote","service":1,"client":"10.0.0.2","cport":40000,"owner":2}' \
	"" "" -j monitor
expect 0 "node 2 state down
takeover from 2 service 1 count 41
promote service 1 client 10.0.0.2 cport 40000 owner 2" "" "" monitor flows

for cmd in "node show" "service show" "session show" "stats show" "config show" \
	   "sync show"; do
	# shellcheck disable=SC2086
	json -j $cmd
	# shellcheck disable=SC2086
	json -p $cmd
done
FAKE_GENL_NOKEYS=1 json -j sync show
FAKE_GENL_NOKEYS=1 json -p sync show

echo "$((tests - fails))/$tests passed"
[ "$fails" -eq 0 ]
