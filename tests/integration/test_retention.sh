#!/bin/bash
# Retention and legal hold (issue 6), with a controllable clock: the
# daemon's [daemon] clock_offset_seconds (documented as for tests only)
# moves its clock forward, and the daily purge runs one second after
# start.  Closing a case comes with the case lifecycle (issue 5): until
# then this test closes cases by setting status and closed_at with sqlite3
# while the daemon is stopped.  After the purge, neither the narrative nor
# the content's ciphertext nor any sealed copy of the case key is left in
# the database files; an Ombudsperson case leaves nothing (not even its id),
# an Ethics case a content-free tombstone; a case under legal hold stays;
# every purge and hold is in the audit log, which still verifies.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v xxd >/dev/null || { echo "xxd is needed" >&2; exit 77; }
DB=$STATE/mandate.db
DAY=86400
for u in staff eth1 omb1 leg1 auditor admin; do token "$u"; done
start_daemon
officer eth1 ethics
officer omb1 ombudsperson
officer leg1 legal

q() { sqlite3 "$DB" "$1"; }

# in_files HEX: whether the bytes HEX are anywhere in the database files.
in_files() {
	for f in "$DB" "$DB-wal"; do
		[ -s "$f" ] || continue
		xxd -p "$f" | tr -d '\n' | grep -qi "$1" && return 0
	done
	return 1
}

# submit UNIT-CATEGORY MARKER: a case whose narrative (6 KiB, so that it
# spans overflow pages) carries MARKER; prints its id.
submit() {
	{
		printf 'Case %s\n' "$2"
		for _ in $(seq 1 60); do printf '%s %s padding padding padding padding padding padding padding padding\n' "$2" "$2"; done
	} >"$T/$2.txt"
	as staff "$MANDATE" submit --category "$1" --json <"$T/$2.txt" | jq -r .id
}

m_omb=omb-$RANDOM$RANDOM
m_held=held-$RANDOM$RANDOM
m_eth=eth-$RANDOM$RANDOM
omb=$(submit workplace-dispute "$m_omb")
held=$(submit workplace-dispute "$m_held")
eth=$(submit misconduct "$m_eth")
expect_eq "cases routed" "ombudsperson ombudsperson ethics" \
	"$(for c in "$omb" "$held" "$eth"; do q "SELECT unit FROM cases WHERE id = '$c'"; done | tr '\n' ' ' | sed 's/ $//')"

# start_and_purge: starts the daemon and waits for its first daily purge
# (one second after start).
start_and_purge() {
	n=$(grep -c "retention: daily purge done" "$LOG" || true)
	start_daemon
	for _ in $(seq 1 100); do
		[ "$(grep -c "retention: daily purge done" "$LOG")" -gt "$n" ] && return 0
		sleep 0.05
	done
	fail "the daily purge did not run"
}

# --- Legal hold: who may -------------------------------------------------
expect_status "staff may not hold" 77 as staff "$MANDATE" hold "$held"
expect_status "an officer of another unit may not hold" 77 as eth1 "$MANDATE" hold "$held"
expect_status "Legal Affairs holds" 0 as leg1 "$MANDATE" hold "$held"
expect_status "twice is a conflict" 65 as leg1 "$MANDATE" hold "$held"
check "the conflict says why" grep -q "already under legal hold" "$T/err"
expect_status "an administrator holds" 0 as admin "$MANDATE" hold "$eth"
expect_status "and lifts" 0 as admin "$MANDATE" hold "$eth" --lift
expect_status "lifting what is not held" 65 as admin "$MANDATE" hold "$eth" --lift
expect_status "an unknown case" 66 as leg1 "$MANDATE" hold K7QM-3XRD
expect_eq "hold recorded" 1 "$(q "SELECT hold_since IS NOT NULL FROM cases WHERE id = '$held'")"

# What the purge must destroy: the content's ciphertext and every sealed
# copy of the Ombudsperson case's key.
content=$(q "SELECT hex(substr(content, 1, 48)) FROM case_content WHERE case_id = '$omb'")
content_tail=$(q "SELECT hex(substr(content, -48)) FROM case_content WHERE case_id = '$omb'")
sealed_officer=$(q "SELECT hex(sealed) FROM case_keys WHERE case_id = '$omb'")
sealed_submitter=$(q "SELECT hex(submitter_sealed) FROM cases WHERE id = '$omb'")
eth_sealed=$(q "SELECT hex(sealed) FROM case_keys WHERE case_id = '$eth'")
eth_content=$(q "SELECT hex(substr(content, 1, 48)) FROM case_content WHERE case_id = '$eth'")
stop_daemon
check "before: the ciphertext is in the file" in_files "$content"
check "before: the officer's sealed copy is in the file" in_files "$sealed_officer"

# --- Closure (issue 5's transition, done by hand), then 31 days on ------
now=$(date +%s)
q "UPDATE cases SET status = 'closed', closed_at = $now WHERE id IN ('$omb', '$held', '$eth')"
q "INSERT INTO case_events (case_id, time, status, actor_role) SELECT id, received_at + 3600, 'acknowledged', 'officer' FROM cases WHERE id = '$eth'"
close_secs=$(q "SELECT closed_at - received_at FROM cases WHERE id = '$eth'")
printf '[daemon]\nclock_offset_seconds = %d\n' $((31 * DAY)) >>"$CONF"
start_and_purge
check "the clock offset is warned about" grep -q "clock_offset_seconds = $((31 * DAY)) moves the daemon's clock: for tests only" "$LOG"
check "the purge ran" grep -q "retention: daily purge done, 1 case(s) purged" "$LOG"
as auditor "$MANDATE" stats --json >"$T/stats.json"
expect_eq "stats: medians to acknowledge and to close" "3600 $close_secs" \
	"$(jq -r '.groups[] | select(.key == "ethics") | "\(.median_acknowledge_seconds) \(.median_close_seconds)"' "$T/stats.json")"
expect_eq "stats: the deadline met" "1 0 0 1" \
	"$(jq -r '.compliance[] | select(.unit == "ethics") | "\(.met) \(.missed) \(.pending) \(.rate)"' "$T/stats.json")"
stop_daemon

expect_eq "the Ombudsperson case is gone whole" 0 "$(q "SELECT count(*) FROM cases WHERE id = '$omb'")"
expect_eq "its key copies are gone" 0 "$(q "SELECT count(*) FROM case_keys WHERE case_id = '$omb'")"
expect_eq "its status history is gone" 0 "$(q "SELECT count(*) FROM case_events WHERE case_id = '$omb'")"
expect_eq "the held case stays" "1|1" "$(q "SELECT count(*), count(submitter_sealed) FROM cases WHERE id = '$held'")"
expect_eq "the Ethics case is not due yet" 1 "$(q "SELECT count(*) FROM case_keys WHERE case_id = '$eth'")"
for what in content content_tail sealed_officer sealed_submitter; do
	if in_files "${!what}"; then fail "after purge: $what still in the database files"; fi
done
if grep -qaF "$m_omb" "$DB"*; then fail "after purge: the narrative in the database files"; fi
if grep -qaF "$omb" "$DB"*; then fail "after purge: the Ombudsperson case id in the database files"; fi
CHECKS=$((CHECKS + 6))
expect_eq "one purge entry, shredded" "case.purge|ombudsperson|1|1|1" \
	"$(q "SELECT action, unit, redacted, actor IS NULL, case_id IS NULL FROM audit WHERE action = 'case.purge'")"
expect_eq "no audit entry names the case any more" 0 "$(q "SELECT count(*) FROM audit WHERE case_id = '$omb'")"
expect_eq "its entries keep only their hashes" 2 \
	"$(q "SELECT count(*) FROM audit WHERE redacted = 1 AND actor IS NULL AND details IS NULL AND salt IS NULL")"

# --- The hold lifted; five years on, the Ethics case is due too ----------
start_and_purge # at the same offset: nothing is due, the hold stands
expect_status "Legal Affairs lifts the hold" 0 as leg1 "$MANDATE" hold "$held" --lift
stop_daemon
printf '[daemon]\nclock_offset_seconds = %d\n' $((1826 * DAY)) >>"$CONF"
start_and_purge
check "the nothing-due run purged nothing" grep -q "retention: daily purge done, 0 case(s) purged" "$LOG"
check "the last run took two" grep -q "retention: daily purge done, 2 case(s) purged" "$LOG"
expect_eq "the once-held case is gone" 0 "$(q "SELECT count(*) FROM cases WHERE id = '$held'")"
expect_eq "the Ethics tombstone: metadata, no content, no receipt" \
	"$eth|ethics|misconduct|closed|0||1" \
	"$(q "SELECT id, unit, category, status, (SELECT count(*) FROM case_content WHERE case_id = id), submitter_sealed, purged_at IS NOT NULL FROM cases WHERE id = '$eth'")"
expect_eq "no key copy of the tombstone" 0 "$(q "SELECT count(*) FROM case_keys WHERE case_id = '$eth'")"
expect_eq "its status history stays" 2 "$(q "SELECT count(*) FROM case_events WHERE case_id = '$eth'")"
expect_status "no officer can open it" 66 sh -c "printf '%s\n' '$PASS' | MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-eth1 '$MANDATE' show $eth --key '$T/eth1.key' --passphrase-fd 0"
expect_status "a purged case cannot be held" 65 as leg1 "$MANDATE" hold "$eth"

# The audit log names every hold and purge, and still verifies.
as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
as auditor "$MANDATE" audit export -o "$T/audit.jsonl" >/dev/null
"$MANDATE" audit verify "$T/audit.jsonl" --key "$T/key.json" >"$T/verify.txt"
check "the log verifies after shredding" grep -q "^verified:" "$T/verify.txt"
expect_eq "holds and lifts recorded" "case.hold 2 case.hold-lift 2" \
	"$(jq -r 'select(.action == "case.hold" or .action == "case.hold-lift") | .action' "$T/audit.jsonl" | sort | uniq -c | awk '{print $2, $1}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "purges recorded" 3 "$(grep -c '"action":"case.purge"' "$T/audit.jsonl")"
expect_eq "the Ethics purge in clear, with its tombstone" "system true" \
	"$(jq -r "select(.action == \"case.purge\" and .case_id == \"$eth\") | \"\(.actor) \(.details | fromjson | .tombstone)\"" "$T/audit.jsonl")"
stop_daemon
for what in eth_sealed eth_content; do
	if in_files "${!what}"; then fail "after the tombstone: $what still in the database files"; fi
done
if grep -qaF "$m_eth" "$DB"*; then fail "after the tombstone: the narrative in the database files"; fi
CHECKS=$((CHECKS + 3))

# --- Configuration ------------------------------------------------------
printf '[unit.ombudsperson]\nauditors = counts\ntombstone = yes\n' >"$T/bad.conf"
expect_status "no tombstone for the Ombudsperson" 78 "$MANDATED" -t -c "$T/bad.conf"
check "and says why" grep -q "tombstone = yes is not allowed for a unit with auditors = counts" "$T/err"
printf '[unit.legal]\nretention_days = never\n[unit.ethics]\nretention_days = 0\n' >"$T/bad2.conf"
expect_status "retention_days = 0 is refused (never means never)" 78 "$MANDATED" -t -c "$T/bad2.conf"
finish
