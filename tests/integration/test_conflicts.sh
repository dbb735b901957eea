#!/bin/bash
# The conflict register (issue 5): an administrator records officer x
# name; intake never seals a case about that name to the officer (they
# get 404, another officer reads it), refuses a case no officer of its
# unit may read, and a later entry drops existing copies where another
# copy remains.  Names are stored nowhere in clear: the register and the
# subjects' index hold keyed hashes only.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 77; }
DB=$STATE/mandate.db
for u in staffer eth1 eth2 omb1; do token "$u"; done
start_daemon
officer eth1 ethics
officer eth2 ethics
officer omb1 ombudsperson

# submit CATEGORY TITLE SUBJECT...: a case as staffer; prints its id.
submit() {
	cat=$1 title=$2
	shift 2
	args=()
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" >"$T/subjects"
		args=(--subjects-file "$T/subjects")
	fi
	printf '%s\nNarrative of %s for the conflict tests.\n' "$title" "$title" |
		as staffer "$MANDATE" submit --category "$cat" "${args[@]}" >"$T/submit.txt"
	sed -nE 's/^Case ([A-Z0-9-]+) received by.*/\1/p' "$T/submit.txt"
}
copies() { sqlite3 "$DB" "SELECT count(*) FROM case_keys WHERE case_id='$1'"; }
get_as() { status_code "$(raw_as "$1" GET "/v1/cases/$2")"; }
narrative_as() {
	as "$1" "$MANDATE" show "$2" --json --key "$T/$1.key" --passphrase-fd 3 3<<<"$PASS" |
		jq -r .content.narrative
}

# --- A conflict registered before intake: the officer is left out.
printf 'Jean-Pierre Dupont\n' >"$T/name1"
expect_status "conflicts add from a file" 0 "$MANDATE" conflicts add --unit ethics --user eth1 --name-file "$T/name1" --json
expect_eq "the entry is new" "true [] []" "$(jq -r '[.created, (.dropped|tojson), (.last_holder|tojson)] | join(" ")' "$T/out")"
a=$(submit misconduct "Abuse Alpha" "JEAN PIERRE   DUPONT")
expect_eq "one key copy: the unconflicted officer's" 1 "$(copies "$a")"
expect_eq "the conflicted officer gets 404" "404 bad_case_id" "$(get_as eth1 "$a")"
expect_eq "the other officer reads it" "Narrative of Abuse Alpha for the conflict tests." "$(narrative_as eth2 "$a")"
expect_eq "the subjects' index has one hash" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM case_subjects WHERE case_id='$a'")"

# --- A later entry drops an existing copy where another one remains.
b=$(submit misconduct "Abuse Bravo" "Maria Lopez")
c=$(submit workplace-dispute "Dispute Charlie" "Maria Lopez")
expect_eq "before the entry, both ethics officers hold a copy" 2 "$(copies "$b")"
printf 'MARÍA  LÓPEZ\n' | "$MANDATE" conflicts add --unit ethics --user eth2 --json >"$T/add2.json"
expect_eq "the later entry drops eth2's copy of the case" "[\"$b\"] []" "$(jq -c '.dropped, .last_holder' "$T/add2.json" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "one copy left" 1 "$(copies "$b")"
expect_eq "eth2 now gets 404" "404 bad_case_id" "$(get_as eth2 "$b")"
expect_eq "eth1 still reads it" "Narrative of Abuse Bravo for the conflict tests." "$(narrative_as eth1 "$b")"
printf 'Maria Lopez\n' | "$MANDATE" conflicts add --unit ombudsperson --user omb1 --json >"$T/add3.json"
expect_eq "the last holder keeps its copy and is told to refer" "[] [\"$c\"]" "$(jq -c '.dropped, .last_holder' "$T/add3.json" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the last copy stays" 1 "$(copies "$c")"
expect_status "eth2 x Dupont: eth2 is the last holder of the first case" 0 "$MANDATE" conflicts add --unit ethics --user eth2 --name-file "$T/name1" --json
expect_eq "it is listed as such" "[] [\"$a\"]" "$(jq -c '.dropped, .last_holder' "$T/out" | tr '\n' ' ' | sed 's/ $//')"
printf 'maria lopez' >"$T/name2"
expect_status "a known entry is answered, not doubled" 0 "$MANDATE" conflicts add --unit ethics --user eth2 --name-file "$T/name2" --json
expect_eq "created is false the second time" false "$(jq -r .created "$T/out")"

# --- Every officer of the unit conflicted: refused, nothing stored.
n=$(sqlite3 "$DB" "SELECT count(*) FROM cases")
printf 'Maria Lopez\nJean-Pierre Dupont\n' >"$T/subjects2"
expect_status "a case no ethics officer may read: exit 75" 75 bash -c \
	"printf 'Abuse Delta\nA narrative.\n' | MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-staffer '$MANDATE' submit --category misconduct --subjects-file '$T/subjects2'"
check "the refusal says why" grep -q "has a registered conflict with a subject of this case; nothing was stored" "$T/err"
expect_eq "nothing stored" "$n" "$(sqlite3 "$DB" "SELECT count(*) FROM cases")"

# --- Refusals.
# (getopt takes --name for --name-file: the operand is a path, never sent.)
expect_status "a name on the command line is read as a file" 65 "$MANDATE" conflicts add --unit ethics --user eth1 --name "Jean-Pierre Dupont"
r=$(raw POST /v1/conflicts '{"unit":"ethics","user":"omb1","name":"X Y"}')
expect_eq "not an officer of that unit: 404" "404 not_found" "$(status_code "$r")"
r=$(raw POST /v1/conflicts '{"unit":"ethics","user":"eth1","name":"--- !"}')
expect_eq "a name without words: 422" "422 bad_field" "$(status_code "$r")"
r=$(raw_as eth1 GET /v1/conflicts)
expect_eq "officers may not read the register" 403 "${r%% *}"

# --- The register lists hashes, never names.
expect_status "conflicts list" 0 "$MANDATE" conflicts list --json
expect_eq "four entries" 4 "$(jq '.conflicts | length' "$T/out")"
expect_eq "no name field, 64-hex hashes" "true" "$(jq '[.conflicts[] | (has("name") | not) and (.name_hash | test("^[0-9a-f]{64}$"))] | all' "$T/out")"
check "the human list has a NAME HASH column" bash -c "'$MANDATE' conflicts list | grep -q 'NAME HASH'"
expect_eq "each registration is audited" 5 "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='conflict.add'")"
expect_eq "the dropped copy is audited" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.conflict' AND case_id='$b' AND json_extract(details, '\$.dropped') = 1")"

# --- No subject name in clear anywhere in the state directory.
stop_daemon
for word in dupont lopez "jean pierre" maria; do
	expect_eq "'$word' is not in the database" 0 "$(cat "$STATE"/* 2>/dev/null | grep -aic -- "$word" || true)"
done
finish
