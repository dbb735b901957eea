#!/bin/bash
# Secrets never reach a log: a whole scenario at log_level = debug
# (confidential and anonymous submissions with attachments, officer keys
# with passphrases, reads, the thread both ways, consent, a note, a
# referral, the conflict register, a wrong receipt, the audit export, a
# backup when the client has it), then every secret the run used is looked
# for in the daemon's log, the client's standard error and the audit
# export: receipts, passphrases, bearer tokens, officers' secret keys as
# stored, unique markers in every piece of case content, the anonymous
# submitter's login.  Every client command line of the run is recorded and
# searched too: secrets travel in files and descriptors, never in argv
# (the name of a file to attach excepted: it is a path, like any other).
. "$(dirname "$0")/lib.sh"

ERR=$T/client.err  # every client's standard error
ARGV=$T/argv.log   # every client command line
: >"$ERR"
: >"$ARGV"
mkdir -m 700 "$T/in" "$T/dl" "$T/dl2"

# run USER ARGS...: the client as USER (TCP with their token; "-": the Unix
# socket, where the test's uid is an administrator).  Its argv is recorded,
# its standard error collected.
run() {
	local u=$1
	shift
	printf 'mandate %s\n' "$*" >>"$ARGV"
	if [ "$u" = - ]; then
		"$MANDATE" "$@" 2>>"$ERR"
	else
		MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-$u "$MANDATE" "$@" 2>>"$ERR"
	fi
}
# ok DESCRIPTION USER ARGS...: run must succeed.
ok() {
	local desc=$1
	shift
	CHECKS=$((CHECKS + 1))
	run "$@" || fail "$desc (exit $?)"
}
rand() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
# marker NAME: a unique word, kept in $T/in/marker-NAME and printed.
marker() {
	printf 'zq%s%s' "$1" "$(rand 6)" | tee "$T/in/marker-$1"
}

WHISTLE=whistle$(rand 4)
for u in staff "$WHISTLE" eth1 ola1 auditor admin; do token "$u"; done
start_daemon

# --- Officers: key files behind passphrases, enrolled by the admin -------
for o in eth1:ethics ola1:legal; do
	u=${o%%:*}
	(umask 077; printf 'pass %s %s\n' "$u" "$(rand 12)" >"$T/in/pass-$u")
	ok "keys init for $u" - keys init -o "$T/$u.key" --kdf interactive --passphrase-fd 3 3<"$T/in/pass-$u" >/dev/null
	ok "enrol $u" - officers add --unit "${o#*:}" --user "$u" --key "$T/$u.key.pub" >/dev/null
done
# officer USER ARGS...: the client as an officer, with key and passphrase.
officer_run() {
	local u=$1
	shift
	ok "$u: $1" "$u" "$@" --key "$T/$u.key" --passphrase-fd 3 3<"$T/in/pass-$u"
}

# --- Submissions ------------------------------------------------------------
jq -n --arg t "Title $(marker title1)" \
	--arg n "Narrative $(marker narrative1): my supervisor shouts at staff." \
	--arg s "Mr $(marker subject1)" \
	'{title: $t, narrative: $n, category: "misconduct", subjects: [$s]}' >"$T/in/case1.json"
printf 'evidence %s\n' "$(marker attachment1)" >"$T/in/att-$(marker attname1).txt"
ok "confidential submission" staff submit --json --case-file "$T/in/case1.json" \
	--attach "$T/in/att-$(cat "$T/in/marker-attname1").txt" >"$T/submit1.json"
id1=$(jq -r .id "$T/submit1.json")
(umask 077; jq -r .receipt "$T/submit1.json" >"$T/in/receipt1")

printf 'Title %s\n' "$(marker title2)" >"$T/in/title2.txt"
printf 'Narrative %s: the director insults the drivers.\n' "$(marker narrative2)" >"$T/in/narrative2.txt"
printf 'invoice %s\n' "$(marker attachment2)" >"$T/in/att2.pdf"
ok "anonymous submission" "$WHISTLE" submit --json --anonymous --category misconduct \
	--title-file "$T/in/title2.txt" --narrative-file "$T/in/narrative2.txt" \
	--attach "$T/in/att2.pdf" >"$T/submit2.json"
id2=$(jq -r .id "$T/submit2.json")
(umask 077; jq -r .receipt "$T/submit2.json" >"$T/in/receipt2")
echo "cases $id1 (confidential) and $id2 (anonymous)"

# --- Officers read and write --------------------------------------------------
ok "queue" eth1 queue --json >/dev/null
officer_run eth1 show "$id1" --attachments "$T/dl" >"$T/show1.txt"
check "the officer reads the narrative (the scenario works)" grep -qF "$(cat "$T/in/marker-narrative1")" "$T/show1.txt"
check "and the attachment" grep -qrF "$(cat "$T/in/marker-attachment1")" "$T/dl"
officer_run eth1 show "$id2" --attachments "$T/dl2" >"$T/show2.txt"
check "the officer reads the anonymous narrative" grep -qF "$(cat "$T/in/marker-narrative2")" "$T/show2.txt"
printf 'Message %s: when did it start?\n' "$(marker message)" >"$T/in/message.txt"
officer_run eth1 message "$id1" --file "$T/in/message.txt" >/dev/null
printf 'Note %s: seen the manager.\n' "$(marker note)" >"$T/in/note.txt"
officer_run eth1 note "$id1" --file "$T/in/note.txt" >/dev/null
ok "claim" eth1 claim "$id1" >/dev/null
ok "transition" eth1 transition "$id1" acknowledged >/dev/null
printf 'Consent %s: may we refer your case?\n' "$(marker consent)" >"$T/in/consent.txt"
officer_run eth1 message "$id1" --ask-consent refer --unit legal --file "$T/in/consent.txt" --json >"$T/ask.json"
req=$(jq -r .id "$T/ask.json")
printf 'Message %s to the anonymous submitter.\n' "$(marker message2)" >"$T/in/message2.txt"
officer_run eth1 message "$id2" --file "$T/in/message2.txt" >/dev/null

# --- Submitters follow their cases with the receipt -------------------------
ok "status" staff status --json --receipt-fd 3 3<"$T/in/receipt1" >"$T/status1.json"
check "the submitter reads the officer's message" grep -qF "$(cat "$T/in/marker-message")" "$T/status1.json"
printf 'Reply %s: since March.\n' "$(marker reply)" >"$T/in/reply.txt"
ok "reply" staff reply --file "$T/in/reply.txt" --receipt-fd 3 3<"$T/in/receipt1" >/dev/null
printf 'Addition %s: a witness.\n' "$(marker addition)" >"$T/in/addition.txt"
printf 'more %s\n' "$(marker attachment3)" >"$T/in/more.txt"
ok "add" staff add --file "$T/in/addition.txt" --attach "$T/in/more.txt" --receipt-fd 3 3<"$T/in/receipt1" >/dev/null
ok "consent" staff consent "$req" yes --receipt-fd 3 3<"$T/in/receipt1" >/dev/null
ok "anonymous status" "$WHISTLE" status --receipt-fd 3 3<"$T/in/receipt2" >/dev/null
printf 'Reply %s from the whistleblower.\n' "$(marker reply2)" >"$T/in/reply2.txt"
ok "anonymous reply" "$WHISTLE" reply --file "$T/in/reply2.txt" --receipt-fd 3 3<"$T/in/receipt2" >/dev/null
ok "cases" staff cases --json >/dev/null
# A wrong receipt: refused, and no more written down than a right one.
(umask 077; tr -dc '23456789ABCDEFGHJKLMNPQRSTUVWXYZ' </dev/urandom | head -c 25 |
	sed -E 's/(.{5})(.{5})(.{5})(.{5})(.{5})/\1-\2-\3-\4-\5/' >"$T/in/receipt-wrong")
expect_status "a wrong receipt is refused" 77 run staff status --receipt-fd 3 3<"$T/in/receipt-wrong"

# --- Referral, the conflict register, audit, backup -----------------------
printf 'Reason %s: outside our mandate.\n' "$(marker reason)" >"$T/in/reason.txt"
officer_run eth1 refer "$id1" --to legal --reason "$T/in/reason.txt" >/dev/null
officer_run ola1 show "$id1" >"$T/show3.txt"
check "legal reads the referred case" grep -qF "$(cat "$T/in/marker-reply")" "$T/show3.txt"
printf 'Ms %s\n' "$(marker conflict)" >"$T/in/conflict.txt"
ok "conflict register" - conflicts add --unit legal --user ola1 --name-file "$T/in/conflict.txt" >/dev/null
ok "audit export" auditor audit export -o "$T/audit.jsonl" >/dev/null
ok "stats" auditor stats >/dev/null
if "$MANDATE" help 2>&1 | grep -q '^  backup '; then
	ok "backup" - backup "$T/backup.mbk" >/dev/null
	echo "a backup was made"
fi
kill -HUP "$DAEMON_PID"
for _ in $(seq 1 50); do grep -q "config: reloaded" "$LOG" && break; sleep 0.05; done
stop_daemon

# --- The search -------------------------------------------------------------
# Every secret of the run, one a line, with its name.
{
	for f in "$T"/in/marker-*; do printf '%s %s\n' "marker-${f##*-}" "$(cat "$f")"; done
	for f in "$T"/in/pass-*; do printf '%s %s\n' "passphrase-${f##*-}" "$(cat "$f")"; done
	for f in "$T"/token-*; do printf '%s %s\n' "token-${f##*-}" "$(cat "$f")"; done
	for f in "$T"/in/receipt*; do
		printf '%s %s\n' "${f##*/}" "$(cat "$f")"
		printf '%s %s\n' "${f##*/}-ungrouped" "$(tr -d '-' <"$f")"
	done
	for u in eth1 ola1; do
		sk=$(sed -n 's/^secret: //p' "$T/$u.key")
		printf '%s %s\n' "secret-key-$u" "$sk"
		printf '%s %s\n' "secret-key-$u-hex" "$(base64 -d <<<"$sk" | od -An -tx1 | tr -d ' \n')"
	done
	printf '%s %s\n' anonymous-submitter "$WHISTLE"
} >"$T/secrets"
expect_eq "every kind of secret is on the list" 37 "$(wc -l <"$T/secrets")"
check "each secret is at least 8 characters" awk 'length($0) - length($1) - 1 < 8 { exit 1 }' "$T/secrets"
cat "$LOG" "$ERR" "$T/audit.jsonl" >"$T/logs"
# The search works: what may be logged is found (a case id), and debug
# lines are there.
check "control: the case id is in the daemon's log" grep -qF "$id1" "$T/logs"
check "control: the log is at debug level" grep -q "http: GET /v1/receipt " "$LOG"

found=0
while read -r name secret; do
	for src in "$LOG:daemon log" "$ERR:client stderr" "$T/audit.jsonl:audit export" "$ARGV:client argv"; do
		# A file to attach is named on the command line, as any file
		# is: its name is a secret of the logs, not of argv.
		[ "$name/${src#*:}" != "marker-attname1/client argv" ] || continue
		if grep -qiF -- "$secret" "${src%%:*}"; then
			found=$((found + 1))
			echo "FOUND: $name in the ${src#*:}: $(grep -iF -- "$secret" "${src%%:*}" | head -n 1 | cut -c1-200)" >&2
		fi
	done
done <"$T/secrets"
nsecrets=$(wc -l <"$T/secrets")
echo "secrets: $nsecrets secrets checked against $(wc -l <"$T/logs") log lines, $found found"
echo "argv: $(wc -l <"$ARGV") client command lines checked"
CHECKS=$((CHECKS + 1))
[ "$found" -eq 0 ] || fail "$found secrets found in logs, errors or argv (listed above)"
finish
