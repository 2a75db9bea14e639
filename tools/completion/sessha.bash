# SPDX-License-Identifier: GPL-2.0
# bash completion for sessha(8)
# shellcheck disable=SC2207  # COMPREPLY=($(compgen ...)) is the idiom

# apply {FILE|-} [--dry-run], in either order: what is not there yet
_sessha_apply()
{
	local w file="" dry="" more=""

	for w in "${words[@]:$1+1:cword-$1-1}"; do
		if [[ $w == --dry-run ]]; then dry=1; else file=1; fi
	done
	[[ $file ]] || more+=" -"
	[[ $dry ]] || more+=" --dry-run"
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$more" -- "$cur"))
	elif [[ -z $file ]]; then
		# a configuration file, or "-" for standard input
		_filedir
		[[ $cur ]] || COMPREPLY+=($(compgen -W "$more"))
		[[ $cur || $dry ]] || COMPREPLY+=(help)
	else
		COMPREPLY=($(compgen -W "$more" -- "$cur"))
	fi
}

_sessha()
{
	local cur prev words cword
	_init_completion || return

	local i obj="" obj_i=0 cmd="" objects="node service backend session stats config sync monitor save apply help"

	local options="-j -p -h -n -b -V -force -json -pretty -help -netns -batch -Version
		--json --pretty --help --netns --batch --force --version"
	local batch=""

	# the values of the options that take one
	case "$prev" in
	-n|-netns|--netns)
		COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
		return ;;
	-b|-batch|--batch)
		# a file of commands, or "-" for standard input
		_filedir
		[[ $cur ]] || COMPREPLY+=(-)
		return ;;
	esac

	# the object and command are the first two words that are neither
	# options nor their values; "sync key" takes a third: cmd is then
	# "key add", "key use", ...
	for ((i = 1; i < cword; i++)); do
		case "${words[i]}" in
		-n|-netns|--netns) i=$((i + 1)); continue ;;
		-b|-batch|--batch) batch=1; i=$((i + 1)); continue ;;
		# after the object, -o is stats' and takes a value
		-o) [[ $obj ]] && i=$((i + 1)); continue ;;
		-*) continue ;;
		esac
		if [[ -z $obj ]]; then
			obj=${words[i]}
			obj_i=$i
		elif [[ -z $cmd ]]; then
			cmd=${words[i]}
			[[ "$obj $cmd" == "sync key" ]] || break
		else
			cmd+=" ${words[i]}"
			break
		fi
	done

	# a batch has its commands in its file: only options may follow
	if [[ $batch ]]; then
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$options" -- "$cur"))
		return
	fi
	if [[ -z $obj ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$options" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$objects" -- "$cur"))
		fi
		return
	fi

	if [[ $obj == stats && $prev == -o ]]; then
		COMPREPLY=($(compgen -W "prometheus" -- "$cur"))
		return
	fi
	if [[ $obj == apply ]]; then
		_sessha_apply "$obj_i"
		return
	fi
	if [[ -z $cmd ]]; then
		case "$obj" in
		node) COMPREPLY=($(compgen -W "add del set show help" -- "$cur")) ;;
		service) COMPREPLY=($(compgen -W "add set del show help" -- "$cur")) ;;
		backend) COMPREPLY=($(compgen -W "add set del help" -- "$cur")) ;;
		session) COMPREPLY=($(compgen -W "show help" -- "$cur")) ;;
		# "stats -o prometheus" is "stats show -o prometheus"; once
		# -o is there, nothing else may follow
		stats)
			[[ " ${words[*]:1:cword-1} " == *" -o "* ]] ||
				COMPREPLY=($(compgen -W "show help -o" -- "$cur")) ;;
		config) COMPREPLY=($(compgen -W "set show help" -- "$cur")) ;;
		sync) COMPREPLY=($(compgen -W "key show help" -- "$cur")) ;;
		monitor) COMPREPLY=($(compgen -W "flows help" -- "$cur")) ;;
		save) COMPREPLY=($(compgen -W "keydir help" -- "$cur")) ;;
		help) COMPREPLY=($(compgen -W "${objects% help}" -- "$cur")) ;;
		esac
		return
	fi
	if [[ "$obj $cmd" == "sync key" ]]; then
		COMPREPLY=($(compgen -W "add use del" -- "$cur"))
		return
	fi

	# values of keywords
	case "$prev" in
	state) COMPREPLY=($(compgen -W "up down" -- "$cur")); return ;;
	proto) COMPREPLY=($(compgen -W "tcp udp" -- "$cur")); return ;;
	policy) COMPREPLY=($(compgen -W "ring pairs" -- "$cur")); return ;;
	sync|join) COMPREPLY=($(compgen -W "on off" -- "$cur")); return ;;
	file)
		# a key file, or "-" for standard input
		_filedir
		[[ $cur ]] || COMPREPLY+=(-)
		return ;;
	keydir) _filedir -d; return ;;
	id|addr|vip|port|nodes|pairs|service|weight|sync-port|timeout-*|max-sessions)
		return ;;
	esac

	local kws=""
	case "$obj $cmd" in
	"node add") kws="id addr local state" ;;
	"node del") kws="id" ;;
	"node set") kws="id up down" ;;
	"service add") kws="id vip proto port policy nodes" ;;
	"service set") kws="id policy nodes" ;;
	"service del") kws="id" ;;
	"backend add") kws="service id addr weight" ;;
	"backend set") kws="service id weight" ;;
	"backend del") kws="service id" ;;
	"session show") kws="service" ;;
	"stats show") kws="-o" ;;
	"config set") kws="sync sync-port timeout-tcp timeout-tcp-fin timeout-udp max-sessions join" ;;
	"sync key add") kws="id file" ;;
	"sync key use"|"sync key del") kws="id" ;;
	esac
	# offer each keyword once
	local kw used=" ${words[*]:1:cword-1} " left=""
	for kw in $kws; do
		[[ $used == *" $kw "* ]] || left+=" $kw"
	done
	COMPREPLY=($(compgen -W "$left" -- "$cur"))
}
complete -F _sessha sessha
