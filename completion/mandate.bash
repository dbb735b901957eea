# bash completion for mandate(1)

_mandate_units()
{
	# Unit ids: the first column of 'mandate units' without its header.
	mandate "$@" units 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_mandate()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		COMPREPLY=()
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local global="--json --socket --url --token-file --timeout --help --version"
	local cmds="health submit status reply add consent cases route queue show
		message transition claim assign note refer recuse keys officers
		conflicts units audit stats hold backup help"
	local conn=() cmd="" sub="" i w
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		--socket|--url|--token-file|--timeout)
			conn+=("$w" "${words[i+1]}"); ((i++)); continue ;;
		-*) continue ;;
		esac
		if [[ -z $cmd ]]; then
			cmd=$w
		elif [[ -z $sub ]]; then
			case $cmd in keys|officers|conflicts|audit|cases) sub=$w ;; esac
			break
		fi
	done

	case $prev in
	--socket|--token-file|--key|-o|--output|--file|--attach|--title-file|--subjects-file|\
	--narrative-file|--case-file|--note|--reason|--name-file)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--attachments)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--unit|--to|--subject-office)
		if [[ $prev == --to && $cmd == assign ]]; then return; fi
		COMPREPLY=($(compgen -W "$(_mandate_units "${conn[@]}")" -- "$cur"))
		return ;;
	--category)
		COMPREPLY=($(compgen -W "misconduct fraud retaliation workplace-dispute
			conflict-of-interest data-protection legal" -- "$cur")); return ;;
	--kdf)
		COMPREPLY=($(compgen -W "interactive moderate sensitive" -- "$cur")); return ;;
	--format)
		COMPREPLY=($(compgen -W "jsonl csv" -- "$cur")); return ;;
	--sort)
		COMPREPLY=($(compgen -W "due received" -- "$cur")); return ;;
	--by)
		COMPREPLY=($(compgen -W "unit category status month" -- "$cur")); return ;;
	--ask-consent)
		COMPREPLY=($(compgen -W "refer reveal-identity" -- "$cur")); return ;;
	--url|--timeout|--receipt-fd|--passphrase-fd|--limit|--status|--since|\
	--until|--user|--language|--id|--sealed-hex|--outcome)
		return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		fi
		return
	fi

	local key="--key --passphrase-fd" opts=""
	case $cmd in
	keys)
		case $sub in
		"") COMPREPLY=($(compgen -W "init show try-open" -- "$cur")); return ;;
		init) opts="-o --output --kdf --passphrase-fd --force" ;;
		show) opts="--key" ;;
		try-open) opts="--key --sealed-hex --passphrase-fd" ;;
		esac ;;
	officers)
		case $sub in
		"") COMPREPLY=($(compgen -W "add list remove grant" -- "$cur")); return ;;
		add) opts="--unit --user --key" ;;
		list) opts="--unit" ;;
		remove) opts="--unit --user" ;;
		grant) opts="--user --unit $key" ;;
		esac ;;
	conflicts)
		case $sub in
		"") COMPREPLY=($(compgen -W "add list" -- "$cur")); return ;;
		add) opts="--unit --user --name-file" ;;
		esac ;;
	audit)
		case $sub in
		"") COMPREPLY=($(compgen -W "export verify key" -- "$cur")); return ;;
		export) opts="--since --until --format -o --output" ;;
		verify) opts="--key"; [[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; } ;;
		key) opts="-o --output" ;;
		esac ;;
	cases)
		case $sub in
		"") [[ $cur != -* ]] && { COMPREPLY=($(compgen -W "export" -- "$cur")); return; } ;;
		export) opts="--format -o --output" ;;
		esac ;;
	submit) opts="--category --subject-office --language --anonymous --subjects-file
		--title-file --narrative-file --case-file --attach" ;;
	route) opts="--category --subject-office --language --anonymous --subjects-file
		--title-file --narrative-file --case-file --id" ;;
	status) opts="--receipt-fd" ;;
	reply) opts="--file --receipt-fd" ;;
	add) opts="--file --attach --receipt-fd" ;;
	consent)
		opts="--receipt-fd"
		[[ $cur != -* ]] && COMPREPLY=($(compgen -W "yes no" -- "$cur")) ;;
	queue) opts="--unit --limit --all --status --category --overdue --urgent
		--mine --unassigned --sort" ;;
	show) opts="--attachments $key" ;;
	message) opts="--file --ask-consent --unit $key" ;;
	transition) opts="--outcome --note $key" ;;
	assign) opts="--to" ;;
	note) opts="--file $key" ;;
	refer) opts="--to --reason --keep $key" ;;
	recuse) opts="--reason $key" ;;
	stats) opts="--by" ;;
	hold) opts="--lift" ;;
	backup)
		opts="--force"
		[[ $cur != -* ]] && { COMPREPLY=($(compgen -f -- "$cur")); return; } ;;
	help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --help $global" -- "$cur"))
	fi
}

complete -F _mandate mandate
