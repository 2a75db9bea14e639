#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion of sessha(8), without bash-completion installed:
# _init_completion and _filedir are stood in for (_filedir offers
# "FILES", or "DIRS" with -d), and each case checks what one position
# offers. The options, their values and the objects must be what
# sessha takes.
#
#	test-completion.sh [PATH-TO-COMPLETION]
#
# Exit 0 pass, 1 fail (kselftest).

COMPLETION=${1:-$(dirname "$0")/completion/sessha.bash}
fails=0
tests=0

_init_completion()
{
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
}

_filedir()
{
	if [ "$1" = -d ]; then
		COMPREPLY=(DIRS)
	else
		COMPREPLY=(FILES)
	fi
}

# shellcheck source=completion/sessha.bash
. "$COMPLETION" || exit 1

# offers "EXPECTED" WORD...: completing the last word offers EXPECTED
offers()
{
	local want=$1 got

	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_sessha
	got="${COMPREPLY[*]}"
	tests=$((tests + 1))
	if [ "$got" = "$want" ]; then
		printf "TEST: %-72s [ OK ]\n" "complete '$*'"
	else
		printf "TEST: %-72s [FAIL]\n" "complete '$*'"
		echo "    offered '$got', wanted '$want'"
		fails=$((fails + 1))
	fi
}

ip() { [ "$*" = "netns list" ] && printf 'blue (id: 1)\nred\n'; }

offers "-j -p -h -n -b -V -force -json -pretty -help -netns -batch -Version --json --pretty --help --netns --batch --force --version" \
	sessha -
offers "-netns" sessha -ne
offers "blue red" sessha -n ""
offers "red" sessha -netns r
offers "node service backend session stats config sync monitor save apply help" sessha -n blue ""
offers "FILES -" sessha -batch ""
offers "FILES" sessha -b f
offers "" sessha -batch f ""
offers "-force" sessha -batch f -fo
offers "FILES -" sessha -force -n red -b ""
offers "add del set show help" sessha -jp node ""
offers "id up down" sessha node set ""
offers "up down" sessha node set id 1,2,3 ""
offers "keydir help" sessha save ""
offers "DIRS" sessha save keydir ""
offers "" sessha save keydir /etc/sessha ""
offers "save" sessha help sa
offers "FILES - --dry-run help" sessha apply ""
offers "- --dry-run" sessha apply -
offers "--dry-run" sessha apply - ""
offers "FILES" sessha apply /etc/s
offers "--dry-run" sessha apply --
offers "--dry-run" sessha apply /etc/sessha/sessha.conf ""
offers "" sessha apply /etc/sessha/sessha.conf --dry-run ""
offers "FILES -" sessha -n red apply --dry-run ""
offers "apply" sessha help ap
offers "add set del show help" sessha service ""
offers "id policy nodes" sessha service set ""
offers "add set del help" sessha backend ""
offers "service id weight" sessha backend set ""
offers "" sessha backend set weight ""
offers "sync sync-port timeout-tcp timeout-tcp-fin timeout-udp max-sessions join" \
	sessha config set ""
offers "show help -o" sessha stats ""
offers "-o" sessha -j stats -
offers "prometheus" sessha stats -o ""
offers "prometheus" sessha stats show -o p
offers "" sessha stats -o prometheus ""
offers "-o" sessha stats show ""
offers "" sessha stats show -o prometheus ""
offers "show help" sessha session ""

echo "$((tests - fails))/$tests passed"
[ "$fails" -eq 0 ]
