#!/bin/bash
# Submitters (issue 4), with the real client: receipts (shape, proof,
# wrong ones refused and rate-limited, never in the database), anonymous
# submissions that leave no trace of who sent them, confidential ones
# listed for their submitter, the two-way thread, consent, attachments at
# the size limit and one byte over, and a retry after a timeout that makes
# one case.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
DB=$STATE/mandate.db
WHISTLE=whistle-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
for u in staff other guesser eth1 ig1 auditor "$WHISTLE"; do token "$u"; done
EXTRA_CONF=$'[daemon]\nattachment_max_bytes = 300000'
start_daemon
officer eth1 ethics
officer ig1 inspector-general

RECEIPT_RE='^[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){4}$'

# with_receipt FILE USER ARGS...: mandate ARGS as USER, the receipt in FILE
# on descriptor 3.
with_receipt() {
	f=$1 u=$2
	shift 2
	as "$u" "$MANDATE" "$@" --receipt-fd 3 3<"$f"
}

# officer_do USER ARGS...: mandate ARGS as officer USER, passphrase (and
# then any message text) on standard input.
officer_do() {
	u=$1
	shift
	as "$u" "$MANDATE" "$@" --key "$T/$u.key" --passphrase-fd 0
}

# A well-formed receipt that belongs to no case.
random_receipt() {
	tr -dc '23456789ABCDEFGHJKLMNPQRSTUVWXYZ' </dev/urandom | head -c 25 |
		sed -E 's/(.{5})(.{5})(.{5})(.{5})(.{5})/\1-\2-\3-\4-\5/'
}

count() { sqlite3 "$DB" "$1"; }

# --- A confidential case: the receipt, printed once -------------------
printf 'Abuse of authority\nMy supervisor threatens staff who disagree in meetings.\n' >"$T/case1.txt"
as staff "$MANDATE" submit --category misconduct <"$T/case1.txt" >"$T/submit1.txt"
id1=$(sed -nE 's/^Case ([A-Z0-9-]+) received by.*/\1/p' "$T/submit1.txt")
receipt1=$(sed -nE 's/^    ([2-9A-Z-]+)$/\1/p' "$T/submit1.txt")
check "submit prints a receipt of five groups of five" grep -Eq "$RECEIPT_RE" <<<"$receipt1"
check "submit says the receipt is shown once" grep -q "shown this once" "$T/submit1.txt"
expect_eq "the receipt is printed once" 1 "$(grep -c "$receipt1" "$T/submit1.txt")"
(umask 077; printf '%s\n' "$receipt1" >"$T/r1")

with_receipt "$T/r1" staff status --json >"$T/status1.json"
expect_eq "status finds the case by its receipt" "$id1 ethics received" \
	"$(jq -r '"\(.id) \(.unit) \(.status)"' "$T/status1.json")"
expect_eq "status gives the due date" true "$(jq '.due_at | test("^[0-9]{4}-")' "$T/status1.json")"
expect_eq "status hands no key back" false "$(jq 'has("sealed_key")' "$T/status1.json")"
with_receipt "$T/r1" staff status >"$T/status1.txt"
check "human status shows unit and status" grep -Eq '^Unit: +ethics$' "$T/status1.txt"
# Typed in lower case with spaces, on the first line of standard input.
tr 'A-Z-' 'a-z ' <"$T/r1" | as staff setsid -w "$MANDATE" status --json >"$T/status1b.json"
expect_eq "receipt read from standard input, any case and spacing" "$id1" "$(jq -r .id "$T/status1b.json")"
expect_status "a receipt is never an argument" 64 as staff "$MANDATE" status "$receipt1"

# --- Wrong receipts: refused, then rate-limited per peer ---------------
random_receipt >"$T/wrong"
expect_status "a wrong receipt is refused (77)" 77 with_receipt "$T/wrong" staff status
check "the refusal says so" grep -q "no case answers to this receipt" "$T/err"
printf 'not-a-receipt\n' >"$T/junk"
expect_status "a malformed receipt is refused locally (65)" 65 with_receipt "$T/junk" staff status

printf 'Stolen laptops\nLaptops vanish from the store room every month.\n' >"$T/case2.txt"
as guesser "$MANDATE" submit --json --category fraud <"$T/case2.txt" >"$T/submit2.json"
(umask 077; jq -r .receipt "$T/submit2.json" >"$T/r2")
check "--json carries the receipt" grep -Eq "$RECEIPT_RE" "$T/r2"
for i in $(seq 1 10); do
	random_receipt >"$T/wrong"
	expect_status "wrong receipt $i refused" 77 with_receipt "$T/wrong" guesser status
done
expect_status "after 10 wrong receipts even the right one waits (75)" 75 with_receipt "$T/r2" guesser status
check "the wait is explained" grep -q "too many wrong receipts" "$T/err"
(umask 077; printf 'X-Mandate-Receipt: %s\n' "$(cat "$T/r2")" >"$T/r2.header")
ra=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $(cat "$T/token-guesser")" \
	-H @"$T/r2.header" "$URL/v1/receipt" |
	tr -d '\r' | sed -n 's/^Retry-After: //Ip')
check "the 429 says when to retry (Retry-After: $ra)" \
	test -n "$ra" -a "${ra:-0}" -gt 0
expect_status "another peer is not held back" 0 with_receipt "$T/r1" staff status

# --- Anonymous: no trace of the submitter -------------------------------
printf 'Kickbacks\nA procurement officer takes kickbacks from a supplier.\n' >"$T/case3.txt"
as "$WHISTLE" "$MANDATE" submit --json --anonymous --category fraud <"$T/case3.txt" >"$T/submit3.json"
id3=$(jq -r .id "$T/submit3.json")
(umask 077; jq -r .receipt "$T/submit3.json" >"$T/r3")
printf 'I have the invoices.\n' >"$T/reply3.txt"
expect_status "the anonymous submitter replies" 0 with_receipt "$T/r3" "$WHISTLE" reply --file "$T/reply3.txt"
expect_status "the anonymous submitter follows the case" 0 with_receipt "$T/r3" "$WHISTLE" status
expect_eq "anonymous: no submitter tag" 1 "$(count "select submitter_tag is null from cases where id = '$id3'")"
expect_eq "anonymous: received_at to the minute" 0 "$(count "select received_at % 60 from cases where id = '$id3'")"
expect_eq "anonymous: messages to the minute" 0 "$(count "select coalesce(sum(created_at % 60), 0) from messages where case_id = '$id3'")"
head -c 1000 /dev/urandom >"$T/anon-evidence.bin"
expect_status "the anonymous submitter attaches a file" 0 with_receipt "$T/r3" "$WHISTLE" add --attach "$T/anon-evidence.bin"
expect_eq "anonymous: attachments to the minute" "1 0" "$(count "select count(*), coalesce(sum(created_at % 60), 0) from attachments where case_id = '$id3'" | tr '|' ' ')"
CHECKS=$((CHECKS + 2))
if grep -qaF "$WHISTLE" "$STATE"/mandate.db*; then fail "the anonymous submitter's name is in the database"; fi
if grep -qaF "$WHISTLE" "$LOG"; then fail "the anonymous submitter's name is in the daemon's log"; fi
as "$WHISTLE" "$MANDATE" cases --json >"$T/cases-whistle.json"
expect_eq "an anonymous case is nobody's" 0 "$(jq '.cases | length' "$T/cases-whistle.json")"
printf '%s\n' "$PASS" | officer_do ig1 show "$id3" >"$T/show3.txt"
check "the officer sees an anonymous submitter" grep -Eq '^Submitted by: +anonymous$' "$T/show3.txt"
check "the officer reads the anonymous reply" grep -q "I have the invoices." "$T/show3.txt"
printf '%s\n' "$PASS" | officer_do ig1 show "$id3" --json >"$T/show3.json"
expect_eq "the anonymous case's content holds no submitter" null "$(jq -c '.content.submitter' "$T/show3.json")"
as auditor "$MANDATE" audit export -o "$T/audit.jsonl"
check "the audit export was written" test -s "$T/audit.jsonl"
if grep -qF "$WHISTLE" "$T/audit.jsonl"; then fail "the anonymous submitter's name is in the audit export"; fi
expect_eq "the anonymous submission's actor in the audit log" anonymous \
	"$(jq -r "select(.case_id == \"$id3\" and .action == \"case.submit\") | .actor" "$T/audit.jsonl")"
# Over the Unix socket too: neither the uid nor the login name is kept.
printf 'Anonymous by socket\nSomeone is stealing fuel.\n' | "$MANDATE" submit --anonymous --json >"$T/submit-sock.json"
id_sock=$(jq -r .id "$T/submit-sock.json")
printf '%s\n' "$PASS" | officer_do ig1 show "$id_sock" --json >"$T/show-sock.json"
expect_eq "socket submission: no submitter in the content" null "$(jq -c '.content.submitter' "$T/show-sock.json")"
expect_eq "socket submission: no blind index" 1 "$(count "select submitter_tag is null from cases where id = '$id_sock'")"
login=$(id -un)
if grep -q "by $login\b.*$id_sock\|$id_sock.*$login" "$LOG"; then fail "the daemon's log ties the socket submission to $login"; fi

# --- Confidential: listed for its submitter, named to the officer -------
as staff "$MANDATE" cases --json >"$T/cases-staff.json"
expect_eq "mandate cases lists the submitter's case" "$id1" "$(jq -r '.cases[].id' "$T/cases-staff.json")"
as other "$MANDATE" cases --json >"$T/cases-other.json"
expect_eq "and not another user's" 0 "$(jq '.cases | length' "$T/cases-other.json")"
as staff "$MANDATE" cases >"$T/cases-staff.txt"
check "human cases list" grep -q "^$id1 " "$T/cases-staff.txt"
printf '%s\n' "$PASS" | officer_do eth1 show "$id1" >"$T/show1.txt"
check "the officer sees who submitted it" grep -Eq '^Submitted by: +staff$' "$T/show1.txt"

# --- The thread, both ways ----------------------------------------------
printf '%s\nThank you. Could you tell us the dates of the meetings?\n' "$PASS" |
	officer_do eth1 message "$id1" >"$T/msg1.txt"
check "the officer's message is sent" grep -q "Message sent" "$T/msg1.txt"
with_receipt "$T/r1" staff status --json >"$T/status2.json"
expect_eq "the submitter reads it, marked new" "true|Thank you. Could you tell us the dates of the meetings?" \
	"$(jq -r '.messages[] | select(.author_role == "officer") | "\(.new)|\(.text)"' "$T/status2.json")"
with_receipt "$T/r1" staff status --json >"$T/status3.json"
expect_eq "not new the second time" false \
	"$(jq -r '.messages[] | select(.author_role == "officer") | .new' "$T/status3.json")"
printf '%s\nAnd who else attended?\n' "$PASS" | officer_do eth1 message "$id1" >/dev/null
printf 'The meetings were on 3 and 10 March.\n' >"$T/reply1.txt"
expect_status "the submitter replies" 0 with_receipt "$T/r1" staff reply --file "$T/reply1.txt"
with_receipt "$T/r1" staff status --json >"$T/status4.json"
expect_eq "replying does not count as reading: still new for status" true \
	"$(jq -r '.messages[] | select(.text == "And who else attended?") | .new' "$T/status4.json")"
printf 'He also copied HR on a threatening e-mail.\n' >"$T/add1.txt"
expect_status "the submitter adds to the narrative" 0 with_receipt "$T/r1" staff add --file "$T/add1.txt"
# Receipt and text together on standard input.
{ cat "$T/r1"; printf 'One more thing: a witness.\n'; } | as staff setsid -w "$MANDATE" reply >/dev/null
CHECKS=$((CHECKS + 1))
printf '%s\n' "$PASS" | officer_do eth1 show "$id1" --json >"$T/show1.json"
expect_eq "the officer reads the thread in order" \
	"officer:message:Thank you. Could you tell us the dates of the meetings?|officer:message:And who else attended?|submitter:message:The meetings were on 3 and 10 March.|submitter:addition:He also copied HR on a threatening e-mail.|submitter:message:One more thing: a witness." \
	"$(jq -r '[.messages[] | "\(.author_role):\(.kind):\(.text)"] | join("|")' "$T/show1.json")"
expect_eq "the officer's name is on their message" eth1 "$(jq -r '.messages[0].author' "$T/show1.json")"
if grep -qaF "dates of the meetings" "$STATE"/mandate.db* || grep -qaF "threatening e-mail" "$STATE"/mandate.db*; then
	fail "a message is in the database in plaintext"
fi
CHECKS=$((CHECKS + 1))

# --- Consent ------------------------------------------------------------
printf '%s\nMay we refer your case to the Inspector General?\n' "$PASS" |
	officer_do eth1 message "$id1" --ask-consent refer --unit inspector-general --json >"$T/ask.json"
req=$(jq -r .id "$T/ask.json")
with_receipt "$T/r1" staff status --json >"$T/status4.json"
expect_eq "the submitter sees the request" "$req refer inspector-general null" \
	"$(jq -r '.consents[0] | "\(.request) \(.purpose) \(.unit) \(.answer)"' "$T/status4.json")"
with_receipt "$T/r1" staff status >"$T/status4.txt"
check "human status says how to answer" grep -q "mandate consent $req yes|no" "$T/status4.txt"
expect_status "the submitter consents" 0 with_receipt "$T/r1" staff consent "$req" yes
printf '%s\n' "$PASS" | officer_do eth1 show "$id1" --json >"$T/show2.json"
expect_eq "the officer sees the answer" yes "$(jq -r '.consents[0].answer' "$T/show2.json")"
expect_status "a second answer is a conflict (65)" 65 with_receipt "$T/r1" staff consent "$req" no
check "the conflict is explained" grep -q "answered already" "$T/err"
expect_status "an unknown request (66)" 66 with_receipt "$T/r1" staff consent "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" yes

# --- Attachments: at the limit, one byte over ---------------------------
head -c 300000 /dev/urandom >"$T/evidence.bin"
printf 'minutes of the meeting\n' >"$T/.minutes.txt"
: >"$T/empty.txt"
printf 'Falsified timesheets\nTimesheets are signed for absent staff; scans attached.\n' >"$T/case4.txt"
as staff "$MANDATE" submit --json --category fraud --attach "$T/evidence.bin" \
	--attach "$T/.minutes.txt" --attach "$T/empty.txt" <"$T/case4.txt" >"$T/submit4.json"
id4=$(jq -r .id "$T/submit4.json")
(umask 077; jq -r .receipt "$T/submit4.json" >"$T/r4")
expect_eq "three files attached at submission" "evidence.bin .minutes.txt empty.txt" \
	"$(jq -r '[.attachments[].name] | join(" ")' "$T/submit4.json")"
expect_eq "a file of the limit takes two chunks" 2 \
	"$(count "select chunks from attachments where case_id = '$id4' and size = 300000")"
printf '%s\n' "$PASS" | officer_do ig1 show "$id4" --attachments "$T/dl" >"$T/show4.txt"
check "the attachment at the limit round-trips byte for byte" cmp "$T/evidence.bin" "$T/dl/evidence.bin"
check "a leading dot is not kept" cmp "$T/.minutes.txt" "$T/dl/minutes.txt"
check "an empty file round-trips" cmp "$T/empty.txt" "$T/dl/empty.txt"
expect_eq "saved with mode 0600" 600 "$(stat -c %a "$T/dl/evidence.bin")"
check "the officer's listing names the file" grep -q "evidence.bin *300000" "$T/show4.txt"
printf '%s\n' "$PASS" | officer_do ig1 show "$id4" --attachments "$T/dl" >/dev/null
check "a second download never replaces the first" cmp "$T/evidence.bin" "$T/dl/evidence (2).bin"
if grep -qaF "evidence.bin" "$STATE"/mandate.db*; then fail "an attachment's name is in the database"; fi
CHECKS=$((CHECKS + 1))

head -c 300001 /dev/urandom >"$T/over.bin"
before=$(count "select count(*) from attachments")
expect_status "one byte over the limit is refused (413: 65)" 65 with_receipt "$T/r4" staff add --attach "$T/over.bin"
check "the refusal names the limit" grep -q "the file has 300001 bytes; at most 300000 are allowed per file" "$T/err"
expect_eq "nothing stored for it" "$before" "$(count "select count(*) from attachments")"
head -c 1000 /dev/urandom >"$T/later.bin"
expect_status "mandate add --attach adds a file" 0 with_receipt "$T/r4" staff add --attach "$T/later.bin"
with_receipt "$T/r4" staff status --json >"$T/status5.json"
expect_eq "the submitter sees four attachments" ".minutes.txt empty.txt evidence.bin later.bin" \
	"$(jq -r '[.attachments[].name] | sort | join(" ")' "$T/status5.json")"

# --- Receipts are nowhere on disk ---------------------------------------
for f in r1 r2 r3 r4; do
	r=$(cat "$T/$f")
	for form in "$r" "${r//-/}"; do
		CHECKS=$((CHECKS + 1))
		if grep -qaiF "$form" "$STATE"/mandate.db* "$LOG"; then fail "receipt $f is stored ($form)"; fi
	done
done
expect_eq "lookup and verifier are 32-byte hashes" 5 \
	"$(count "select count(*) from cases where length(receipt_lookup) = 32 and length(receipt_verifier) = 32")"

# --- A retry after a timeout makes one case ------------------------------
before=$(count "select count(*) from cases")
printf 'Duplicate payments\nThe same invoice was paid twice to one supplier.\n' >"$T/case5.txt"
kill -STOP "$DAEMON_PID"
as staff "$MANDATE" --timeout 1 submit --json --category fraud <"$T/case5.txt" >"$T/submit5.json" 2>"$T/submit5.err" &
client=$!
sleep 1.5
kill -CONT "$DAEMON_PID"
set +e
wait "$client"
status=$?
set -e
expect_eq "the client exits 0 after retrying" 0 "$status"
check "the client said it was trying again" grep -q "trying again" "$T/submit5.err"
expect_eq "exactly one new case" $((before + 1)) "$(count "select count(*) from cases")"
id5=$(jq -r .id "$T/submit5.json")
check "the daemon answered the repeat with the first case" grep -q "retry of case $id5 answered again" "$LOG"
check "the receipt of the retried submission works" sh -c \
	"jq -r .receipt '$T/submit5.json' | MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-staff '$MANDATE' status --receipt-fd 0 >/dev/null"

for c in status reply add consent cases message; do
	expect_status "$c --help" 0 "$MANDATE" "$c" --help
done
finish
