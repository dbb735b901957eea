#!/bin/bash
# Officers' work (issue 5), with the real client and real key files: each
# unit's lifecycle end to end, every refused transition (409 with the
# allowed states), closing with an outcome, assignment, internal notes
# that the submitter never sees, and lifecycle configuration errors.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 77; }
DB=$STATE/mandate.db
for u in staff eth1 eth2 omb1 ig1 leg1 other; do token "$u"; done
start_daemon
officer eth1 ethics
officer eth2 ethics
officer omb1 ombudsperson
officer ig1 inspector-general
officer leg1 legal
officer other legal

officer_do() {
	u=$1
	shift
	as "$u" "$MANDATE" "$@" --key "$T/$u.key" --passphrase-fd 0
}

# submit CATEGORY TITLE: a case as staff; prints its id (receipt in $T/r-ID).
submit() {
	printf '%s\nA narrative about %s for the tests.\n' "$2" "$2" |
		as staff "$MANDATE" submit --category "$1" >"$T/submit.txt"
	id=$(sed -nE 's/^Case ([A-Z0-9-]+) received by.*/\1/p' "$T/submit.txt")
	sed -nE 's/^    ([2-9A-Z-]+)$/\1/p' "$T/submit.txt" >"$T/r-$id"
	echo "$id"
}

# transition USER ID STATE [ARGS...]: "STATUS CODE allowed" via curl.
post_as() {
	curl -s -H "Authorization: Bearer $(cat "$T/token-$1")" \
		-H 'Content-Type: application/json' -X POST --data-binary "$3" \
		-w '\n%{http_code}' "$URL$2" |
		awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}'
}

# --- Ethics: received > acknowledged > assessment > investigation > closed
e1=$(submit misconduct "Abuse of authority")
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"closed","outcome":"withdrawn"}')
expect_eq "received cannot close in ethics: 409" "409 conflict" "$(status_code "$r")"
expect_eq "the 409 names the allowed states" '["acknowledged"]' "$(jq -c .allowed <<<"${r#* }")"
expect_status "the client refuses it too, exit 65" 65 as eth1 "$MANDATE" transition "$e1" assessment
check "the client's message names the allowed state" grep -q "allowed: acknowledged" "$T/err"
expect_status "acknowledge" 0 as eth1 "$MANDATE" transition "$e1" acknowledged
expect_eq "status is acknowledged" acknowledged "$(sqlite3 "$DB" "SELECT status FROM cases WHERE id='$e1'")"
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"acknowledged"}')
expect_eq "acknowledged again: 409 with the next states" \
	'409 ["assessment","awaiting-information"]' "${r%% *} $(jq -c .allowed <<<"${r#* }")"
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"no-such-state"}')
expect_eq "an unknown state: 409" "409 conflict" "$(status_code "$r")"
printf '%s\nWitness list to follow.\n' "$PASS" |
	officer_do eth1 transition "$e1" assessment --note - >/dev/null
expect_eq "assessment, with a note" assessment "$(sqlite3 "$DB" "SELECT status FROM cases WHERE id='$e1'")"
expect_status "investigation" 0 as eth1 "$MANDATE" transition "$e1" investigation
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"closed"}')
expect_eq "closing without an outcome: 422" "422 missing_field" "$(status_code "$r")"
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"closed","outcome":"maybe"}')
expect_eq "closing with an outcome not of the unit: 422" "422 bad_field" "$(status_code "$r")"
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"investigation","outcome":"withdrawn"}')
expect_eq "an outcome without closing: 409 first (not allowed)" "409" "${r%% *}"
expect_status "close with an outcome" 0 as eth1 "$MANDATE" transition "$e1" closed --outcome substantiated
expect_eq "closed, outcome and closed_at recorded" "closed substantiated 1" \
	"$(sqlite3 "$DB" "SELECT status, outcome, closed_at IS NOT NULL FROM cases WHERE id='$e1'" | tr '|' ' ')"
expect_eq "the history has every status" "received acknowledged assessment investigation closed" \
	"$(sqlite3 "$DB" "SELECT status FROM case_events WHERE case_id='$e1' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "every transition is audited" 4 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.transition' AND case_id='$e1'")"
r=$(post_as eth1 "/v1/cases/$e1/transition" '{"to":"received"}')
expect_eq "closed is final: 409 with no allowed state" '409 []' "${r%% *} $(jq -c .allowed <<<"${r#* }")"
r=$(post_as ig1 "/v1/cases/$e1/transition" '{"to":"closed","outcome":"withdrawn"}')
expect_eq "an officer without a copy: 404" "404 bad_case_id" "$(status_code "$r")"

# --- Ombudsperson: received > in-conversation > closed (no investigation)
o1=$(submit workplace-dispute "A dispute with my team")
r=$(post_as omb1 "/v1/cases/$o1/transition" '{"to":"investigation"}')
expect_eq "no investigation at the Ombudsperson: 409" \
	'409 ["in-conversation","closed"]' "${r%% *} $(jq -c .allowed <<<"${r#* }")"
expect_status "in conversation" 0 as omb1 "$MANDATE" transition "$o1" in-conversation
r=$(post_as omb1 "/v1/cases/$o1/transition" '{"to":"acknowledged"}')
expect_eq "in-conversation only closes" '409 ["closed"]' "${r%% *} $(jq -c .allowed <<<"${r#* }")"
expect_status "closed resolved" 0 as omb1 "$MANDATE" transition "$o1" closed --outcome resolved

# --- Legal: received > acknowledged > in-review > closed
l1=$(submit data-protection "Personal data leaked")
r=$(post_as leg1 "/v1/cases/$l1/transition" '{"to":"in-review"}')
expect_eq "legal: review before acknowledging: 409" '409 ["acknowledged"]' "${r%% *} $(jq -c .allowed <<<"${r#* }")"
for s in acknowledged in-review; do
	expect_status "legal: $s" 0 as leg1 "$MANDATE" transition "$l1" "$s"
done
expect_status "legal: closed" 0 as leg1 "$MANDATE" transition "$l1" closed --outcome advice-given

# --- Inspector General: the ethics lifecycle, through advice-given
i1=$(submit fraud "Kickbacks on contracts")
for s in acknowledged assessment advice-given; do
	expect_status "ig: $s" 0 as ig1 "$MANDATE" transition "$i1" "$s"
done
expect_status "ig: closed" 0 as ig1 "$MANDATE" transition "$i1" closed --outcome advice-given

# --- Assignment ----------------------------------------------------------
e2=$(submit misconduct "Harassment in meetings")
expect_status "claim" 0 as eth1 "$MANDATE" claim "$e2"
expect_eq "claimed by eth1" eth1 "$(sqlite3 "$DB" "SELECT assignee FROM cases WHERE id='$e2'")"
expect_status "assign to eth2" 0 as eth1 "$MANDATE" assign "$e2" --to eth2
expect_eq "assigned to eth2" eth2 "$(sqlite3 "$DB" "SELECT assignee FROM cases WHERE id='$e2'")"
expect_status "assign to an officer of another unit: 65" 65 as eth1 "$MANDATE" assign "$e2" --to ig1
expect_status "assign to nobody known: 65" 65 as eth1 "$MANDATE" assign "$e2" --to nobody
expect_status "assign as an officer without a copy: 66" 66 as ig1 "$MANDATE" assign "$e2" --to ig1
expect_eq "assignments are audited" 2 "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.assign' AND case_id='$e2'")"
expect_eq "the metadata names the assignee" eth2 "$(as eth1 "$MANDATE" show "$e2" --json --key "$T/eth1.key" --passphrase-fd 3 3<<<"$PASS" | jq -r .case.assignee)"

# --- Internal notes ------------------------------------------------------
printf '%s\nCalled the witness: credible, consistent.\n' "$PASS" |
	officer_do eth2 note "$e2" >/dev/null
expect_eq "the note is stored encrypted" 0 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE instr(body, 'witness') > 0")"
expect_eq "one note" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE case_id='$e2'")"
as eth1 "$MANDATE" show "$e2" --key "$T/eth1.key" --passphrase-fd 3 3<<<"$PASS" >"$T/show.txt"
check "show prints the note to another officer" grep -q "Called the witness: credible, consistent." "$T/show.txt"
check "show marks notes internal" grep -q "Internal notes (never shown to the submitter)" "$T/show.txt"
as staff "$MANDATE" status --json --receipt-fd 3 3<"$T/r-$e2" >"$T/status.json"
expect_eq "the receipt holder sees no notes" false "$(jq 'has("notes")' "$T/status.json")"
check "nor the note's text" bash -c "! grep -q witness '$T/status.json'"
as eth1 "$MANDATE" show "$e1" --json --key "$T/eth1.key" --passphrase-fd 3 3<<<"$PASS" >"$T/show1.json"
expect_eq "the transition's note decrypts" "Witness list to follow." "$(jq -r '.notes[0].text' "$T/show1.json")"
expect_eq "notes are audited" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.note' AND case_id='$e2'")"

# --- Queue: filters, sort (urgent first, then due), pagination --------
u1=$(submit misconduct "He threatened to kill me")
expect_eq "the threat is urgent" 1 "$(sqlite3 "$DB" "SELECT urgent FROM cases WHERE id='$u1'")"
as eth1 "$MANDATE" queue --json >"$T/q.json"
expect_eq "urgent first" "$u1" "$(jq -r '.cases[0].id' "$T/q.json")"
expect_eq "eth1 sees its three cases" 3 "$(jq '.cases | length' "$T/q.json")"
expect_eq "--status closed" "$e1" "$(as eth1 "$MANDATE" queue --json --status closed | jq -r '[.cases[].id] | join(" ")')"
expect_eq "--mine (eth2)" "$e2" "$(as eth2 "$MANDATE" queue --json --mine | jq -r '[.cases[].id] | join(" ")')"
expect_eq "--mine (eth1): none" 0 "$(as eth1 "$MANDATE" queue --json --mine | jq '.cases | length')"
expect_eq "--unassigned" "$u1 $e1" "$(as eth1 "$MANDATE" queue --json --unassigned | jq -r '[.cases[].id] | join(" ")')"
expect_eq "--urgent" "$u1" "$(as eth1 "$MANDATE" queue --json --urgent | jq -r '[.cases[].id] | join(" ")')"
expect_eq "--category fraud: none here" 0 "$(as eth1 "$MANDATE" queue --json --category fraud | jq '.cases | length')"
expect_eq "--overdue: none yet" 0 "$(as eth1 "$MANDATE" queue --json --overdue | jq '.cases | length')"
# Newest first; cases received in the same second come in id order.
by_received=$(sqlite3 "$STATE/mandate.db" "select group_concat(id, ' ') from (select id from cases where id in ('$u1', '$e2', '$e1') order by received_at desc, id desc)")
expect_eq "--sort received: newest first" "$by_received" "$(as eth1 "$MANDATE" queue --json --sort received | jq -r '[.cases[].id] | join(" ")')"
expect_eq "pages of one, followed to the end, same order" "$(jq -r '[.cases[].id] | join(" ")' "$T/q.json")" \
	"$(as eth1 "$MANDATE" queue --json --limit 1 --all | jq -r '[.cases[].id] | join(" ")')"
expect_eq "pages of one, by received" "$by_received" \
	"$(as eth1 "$MANDATE" queue --json --limit 1 --all --sort received | jq -r '[.cases[].id] | join(" ")')"
expect_eq "a bad sort: 400" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?sort=colour')")"
expect_eq "a cursor of the other sort: 400" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?sort=received&after=d.0.1.ABCD-2345')")"
as eth1 "$MANDATE" queue >"$T/q.txt"
check "the table flags the urgent case" grep -Eq "^$u1 .*urgent" "$T/q.txt"

# --- Lifecycle configuration is checked at load -------------------------
bad() {
	printf '[unit.ethics]\n%s\n' "$1" >"$T/bad.conf"
	set +e
	"$MANDATED" -t -c "$T/bad.conf" >"$T/out" 2>"$T/err"
	set -e
	grep -q "$2" "$T/err" || fail "config: $1: expected [$2], got [$(cat "$T/err")]"
	CHECKS=$((CHECKS + 1))
}
bad 'transitions = received>acknowledged, acknowledged>closed, limbo>closed' \
	"bad.conf:2: unit ethics: transitions: state 'limbo' is unreachable from 'received'"
bad 'transitions = received>acknowledged, acknowledged>stuck, acknowledged>closed' \
	"bad.conf:2: unit ethics: transitions: state 'stuck' has no path to 'closed'"
bad 'transitions = received>acknowledged' "bad.conf:2: unit ethics: transitions: the lifecycle must lead"
bad $'transitions = received>closed\npause_states = waiting' "bad.conf:2: unit ethics: pause_states: unknown state 'waiting'"
bad 'transitions = received>closed, closed>received' "bad.conf:2: unit ethics: transitions: 'closed' is final"
bad 'transitions = received=>closed' "bad.conf:2: unit ethics: transitions: transition 'received=>closed'"
printf '[unit.ethics]\ntransitions = received>triage, triage>closed\noutcomes = done\n[unit.ombudsperson]\nauditors = counts\n[unit.inspector-general]\nname = OIG\n[unit.legal]\nname = OLA\n' >"$T/good.conf"
expect_status "a custom lifecycle loads" 0 "$MANDATED" -t -c "$T/good.conf"

finish
