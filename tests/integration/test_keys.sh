#!/bin/bash
# Who holds a copy of a case key (issue 5), with the real client and real
# key files: referral (with and without keeping access; out of the
# Ombudsperson only with the submitter's consent), recusal (404 after, out
# of the queue; the last holder's client refers to the recusal alternate
# first; the recused officer cannot open any stored copy even with the
# database file in hand), removal of an officer, and grants to a newcomer.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 77; }
DB=$STATE/mandate.db
for u in staff eth1 eth2 eth3 omb1 ig1 leg1; do token "$u"; done
start_daemon
officer eth1 ethics
officer eth2 ethics
officer omb1 ombudsperson
officer ig1 inspector-general
officer leg1 legal

# officer_do USER ARGS...: passphrase (then any text) on standard input.
officer_do() {
	u=$1
	shift
	as "$u" "$MANDATE" "$@" --key "$T/$u.key" --passphrase-fd 0
}

# reads USER ID: exit status of show (0: the case opens for USER).
reads() {
	printf '%s\n' "$PASS" | officer_do "$1" show "$2" >/dev/null 2>&1
}

submit() {
	printf '%s\nA narrative about %s for the tests.\n' "$2" "$2" |
		as staff "$MANDATE" submit --category "$1" >"$T/submit.txt"
	id=$(sed -nE 's/^Case ([A-Z0-9-]+) received by.*/\1/p' "$T/submit.txt")
	sed -nE 's/^    ([2-9A-Z-]+)$/\1/p' "$T/submit.txt" >"$T/r-$id"
	echo "$id"
}

copies() { sqlite3 "$DB" "SELECT count(*) FROM case_keys WHERE case_id='$1'"; }

# --- The officers of a unit, for sealing -------------------------------
r=$(raw_as eth1 GET /v1/units/legal/officers)
expect_eq "an officer lists a unit's officers with keys" "200 leg1 44" \
	"${r%% *} $(jq -r '.officers[0] | "\(.user) \(.public_key | length)"' <<<"${r#* }")"
r=$(raw_as staff GET /v1/units/legal/officers)
expect_eq "staff may not" "403 forbidden" "$(status_code "$r")"

# --- Referral, dropping access -----------------------------------------
e1=$(submit misconduct "Abuse of authority")
expect_status "eth1 acknowledges" 0 as eth1 "$MANDATE" transition "$e1" acknowledged
printf '%s\nThis is a fraud matter.\n' "$PASS" |
	officer_do eth1 refer "$e1" --to inspector-general --reason - >"$T/refer.txt"
check "refer says where" grep -q "referred to inspector-general" "$T/refer.txt"
expect_eq "the case is at inspector-general, received" "inspector-general received" \
	"$(sqlite3 "$DB" "SELECT unit, status FROM cases WHERE id='$e1'" | tr '|' ' ')"
expect_eq "the history is kept" "received acknowledged received" \
	"$(sqlite3 "$DB" "SELECT status FROM case_events WHERE case_id='$e1' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
check "the target unit's officer reads it" reads ig1 "$e1"
expect_status "the source's officer gets 404" 66 as eth1 "$MANDATE" show "$e1" --key "$T/eth1.key" --passphrase-fd 3 3<<<"$PASS"
expect_eq "one copy left" 1 "$(copies "$e1")"
expect_eq "the referral is audited" '{"from":"ethics","keep":false,"key_copies":1,"reason":true,"to":"inspector-general"}' \
	"$(sqlite3 "$DB" "SELECT details FROM audit WHERE action='case.refer' AND case_id='$e1'" | jq -cS '{from,to,keep,key_copies,reason}')"
expect_eq "the reason is not in clear" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM notes WHERE instr(body, 'fraud matter') > 0")"

# --- Referral, keeping access; an incomplete set is refused ------------
e2=$(submit misconduct "Harassment in meetings")
expect_status "refer with --keep" 0 officer_do eth1 refer "$e2" --to legal --keep <<<"$PASS"
check "legal reads it" reads leg1 "$e2"
check "ethics still reads it" reads eth2 "$e2"
r=$(curl -s -H "Authorization: Bearer $(cat "$T/token-leg1")" -H 'Content-Type: application/json' \
	-X POST --data-binary '{"to":"ethics","keys":[],"keep":true}' -w '\n%{http_code}' "$URL/v1/cases/$e2/refer" |
	awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}')
expect_eq "a referral without every officer's copy: 409" "409 conflict" "$(status_code "$r")"

# --- Out of the Ombudsperson: consent first ----------------------------
o1=$(submit workplace-dispute "A dispute with my team")
expect_status "no consent: refused" 65 officer_do omb1 refer "$o1" --to ethics <<<"$PASS"
check "the refusal says why" grep -q "needs the submitter's consent" "$T/err"
expect_eq "still at the Ombudsperson" ombudsperson "$(sqlite3 "$DB" "SELECT unit FROM cases WHERE id='$o1'")"
printf '%s\nMay we refer your case to the Ethics Office?\n' "$PASS" |
	officer_do omb1 message "$o1" --ask-consent refer --unit ethics --json >"$T/ask.json"
req=$(jq -r .id "$T/ask.json")
expect_status "the submitter says yes" 0 as staff "$MANDATE" consent "$req" yes --receipt-fd 3 3<"$T/r-$o1"
expect_status "with consent: referred" 0 officer_do omb1 refer "$o1" --to ethics <<<"$PASS"
check "ethics reads it" reads eth1 "$o1"

# --- Recusal -------------------------------------------------------------
e3=$(submit misconduct "Discrimination in hiring")
expect_eq "two ethics copies" 2 "$(copies "$e3")"
expect_eq "in eth2's queue" 1 "$(as eth2 "$MANDATE" queue --json | jq --arg id "$e3" '[.cases[] | select(.id == $id)] | length')"
printf '%s\nI know the subject.\n' "$PASS" | officer_do eth2 recuse "$e3" --reason - >/dev/null
expect_eq "eth2's copy is gone" 1 "$(copies "$e3")"
r=$(raw_as eth2 GET "/v1/cases/$e3")
expect_eq "404 to the recused officer" "404 bad_case_id" "$(status_code "$r")"
expect_eq "out of eth2's queue" 0 "$(as eth2 "$MANDATE" queue --json | jq --arg id "$e3" '[.cases[] | select(.id == $id)] | length')"
expect_eq "recusal audited, reason only declared" '{"officer":"eth2","reason":true}' \
	"$(sqlite3 "$DB" "SELECT details FROM audit WHERE action='case.recuse' AND case_id='$e3'" | jq -cS .)"
check "the reason is nowhere in clear" bash -c "! grep -qaF 'know the subject' '$STATE'/mandate.db*"
# The database in hand: no stored copy opens with the recused key.
sqlite3 "$DB" ".backup '$T/copy.db'"
n=0
for hex in $(sqlite3 "$T/copy.db" "SELECT hex(sealed) FROM case_keys WHERE case_id='$e3'"); do
	n=$((n + 1))
	expect_status "copy $n does not open with eth2's key" 77 \
		"$MANDATE" keys try-open --key "$T/eth2.key" --sealed-hex "$hex" --passphrase-fd 3 3<<<"$PASS"
	expect_status "copy $n opens with eth1's key (the check can fail)" 0 \
		"$MANDATE" keys try-open --key "$T/eth1.key" --sealed-hex "$hex" --passphrase-fd 3 3<<<"$PASS"
done
expect_eq "copies tried" 1 "$n"
r=$(curl -s -H "Authorization: Bearer $(cat "$T/token-eth1")" -H 'Content-Type: application/json' \
	-X POST --data-binary '{}' -w '\n%{http_code}' "$URL/v1/cases/$e3/recuse" |
	awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}')
expect_eq "the last holder cannot just leave: 409" "409 last holder: refer first" \
	"${r%% *} $(jq -r .error.message <<<"${r#* }" | cut -c1-24)"
expect_eq "the last holder sees the alternate" inspector-general \
	"$(raw_as eth1 GET "/v1/cases/$e3" | cut -d' ' -f2- | jq -r .recusal_alternate)"
expect_status "the client refers then recuses" 0 officer_do eth1 recuse "$e3" <<<"$PASS"
expect_eq "now at the alternate" inspector-general "$(sqlite3 "$DB" "SELECT unit FROM cases WHERE id='$e3'")"
check "the alternate reads it" reads ig1 "$e3"
expect_eq "eth1 holds no copy" 404 "$(raw_as eth1 GET "/v1/cases/$e3" | cut -d' ' -f1)"

# --- Removing an officer -----------------------------------------------
e4=$(submit misconduct "Gifts from a supplier")
r=$(raw DELETE "/v1/officers?unit=inspector-general&user=ig1")
expect_eq "ig1 is the last holder of cases: 409" "409 conflict" "$(status_code "$r")"
check "the 409 says how many" grep -q "last holder of 2 cases" <<<"$r"
held=$(sqlite3 "$DB" "SELECT count(*) FROM case_keys k JOIN officers o ON o.id = k.officer_id WHERE o.user='eth2'")
expect_status "remove eth2" 0 "$MANDATE" officers remove --unit ethics --user eth2
expect_eq "eth2's copies are gone" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM case_keys k JOIN officers o ON o.id = k.officer_id WHERE o.user='eth2'")"
expect_eq "the removal is audited with the count" "$held" \
	"$(sqlite3 "$DB" "SELECT details FROM audit WHERE action='officer.remove'" | jq .key_copies)"
expect_status "eth2 is no officer any more" 77 as eth2 "$MANDATE" queue

# --- Granting a newcomer -------------------------------------------------
officer eth3 ethics
expect_status "eth3 sees nothing before" 66 as eth3 "$MANDATE" show "$e4" --key "$T/eth3.key" --passphrase-fd 3 3<<<"$PASS"
open=$(sqlite3 "$DB" "SELECT count(*) FROM cases c JOIN case_keys k ON k.case_id=c.id JOIN officers o ON o.id=k.officer_id WHERE o.user='eth1' AND c.unit='ethics' AND c.status<>'closed'")
printf '%s\n' "$PASS" | officer_do eth1 officers grant --user eth3 --json >"$T/grant.json"
expect_eq "every open case granted" "$open" "$(jq .granted "$T/grant.json")"
check "the newcomer reads a unit case" reads eth3 "$e4"
check "and the referred-in one" reads eth3 "$o1"
printf '%s\n' "$PASS" | officer_do eth1 officers grant --user eth3 --json >"$T/grant2.json"
expect_eq "a rerun sends nothing" 0 "$(jq .granted "$T/grant2.json")"
expect_eq "grants are audited per batch" 1 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.grant' AND json_extract(details, '$.key_copies') > 0")"
r=$(raw_as eth1 GET "/v1/officers/grant?user=ig1")
expect_eq "grant to an officer of another unit: 404" "404 not_found" "$(status_code "$r")"

# No case is ever left without a copy.
expect_eq "every case has a copy" 0 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM cases c WHERE purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM case_keys k WHERE k.case_id = c.id)")"
finish
