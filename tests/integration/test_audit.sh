#!/bin/bash
# The audit log end to end (issue 6): every action leaves an entry, the
# anonymous submission's names nobody, Ombudsperson entries are redacted
# to their hashes in the export, exports (JSON lines, CSV, --since, a log
# longer than one batch) verify offline, and each of the five tamper
# classes (a changed byte, a removed entry, a reordered entry, a
# truncated tail, a forged signature) is caught and the first broken
# entry named; auditors get 403 on every content endpoint; the signing
# key is 0600 and its fingerprint logged; the case log and statistics
# show the Ombudsperson only as suppressed counts.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
DB=$STATE/mandate.db
for u in staff eth1 omb1 ig1 leg1 auditor admin; do token "$u"; done
EXTRA_CONF=$'[daemon]\naudit_sign_every = 7'
start_daemon
officer eth1 ethics
officer omb1 ombudsperson
officer ig1 inspector-general
officer leg1 legal

# verify FILE [ARGS...]: mandate audit verify, its exit status in $vrc and
# its message in $T/verify.err.
verify() {
	set +e
	"$MANDATE" audit verify "$@" >"$T/verify.out" 2>"$T/verify.err"
	vrc=$?
	set -e
}

# seq_of FILE ACTION: the seq of the first entry of FILE with ACTION.
seq_of() {
	jq -r --arg a "$2" 'select(.record == "entry" and .action == $a) | .seq' "$1" | head -1
}

# --- Actions, each one an entry -----------------------------------------
marker=marker-$RANDOM$RANDOM
printf 'Fuel invoices\nFuel billed for trips never made (%s).\n' "$marker" >"$T/fraud.txt"
as staff "$MANDATE" submit --category fraud --json <"$T/fraud.txt" >"$T/s1.json"
fraud=$(jq -r .id "$T/s1.json")
printf 'Harassment\nMy manager shouts at me daily (%s).\n' "$marker" >"$T/anon.txt"
as staff "$MANDATE" submit --category misconduct --anonymous --json <"$T/anon.txt" >"$T/s2.json"
anon=$(jq -r .id "$T/s2.json")
printf 'Tension\nI would like mediation with a colleague (%s).\n' "$marker" >"$T/omb.txt"
as staff "$MANDATE" submit --category workplace-dispute --json <"$T/omb.txt" >"$T/s3.json"
omb=$(jq -r .id "$T/s3.json")
expect_eq "the Ombudsperson case went there" ombudsperson "$(jq -r .unit "$T/s3.json")"

printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$fraud" --key "$T/ig1.key" --passphrase-fd 0 >/dev/null
printf '%s\n' "$PASS" | as omb1 "$MANDATE" show "$omb" --key "$T/omb1.key" --passphrase-fd 0 >/dev/null
as omb1 "$MANDATE" queue >/dev/null
expect_eq "auditor reads metadata" 200 "$(raw_as auditor GET "/v1/cases/$fraud" | cut -d' ' -f1)"

# --- Auditors: 403 on every content endpoint ---------------------------
for req in "GET /v1/cases/$fraud/content" "GET /v1/cases/$omb/content" \
	"GET /v1/cases/$fraud/attachments/0123456789abcdef0123456789abcdef/chunks/0" \
	"POST /v1/cases/$fraud/messages" "GET /v1/queue"; do
	expect_eq "auditor refused: $req" "403 forbidden" \
		"$(status_code "$(raw_as auditor ${req% *} "${req#* }")")"
done
for u in staff eth1 admin; do
	expect_eq "$u may not export the audit log" "403 forbidden" \
		"$(status_code "$(raw_as "$u" GET /v1/audit/export)")"
	expect_eq "$u may not export the case log" "403 forbidden" \
		"$(status_code "$(raw_as "$u" GET /v1/audit/cases)")"
	expect_eq "$u may not read statistics" "403 forbidden" \
		"$(status_code "$(raw_as "$u" GET /v1/stats)")"
done
expect_status "staff cannot run audit export" 77 as staff "$MANDATE" audit export
expect_eq "staff may not read the audit key" "403 forbidden" \
	"$(status_code "$(raw_as staff GET /v1/audit/key)")"
expect_eq "bad time refused" "400 bad_query" \
	"$(status_code "$(raw_as auditor GET '/v1/audit/export?since=yesterday')")"

# --- The signing key: 0600, fingerprint logged and served --------------
expect_eq "signing key is mode 600" 600 "$(stat -c %a "$STATE/audit-signing.key")"
as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
fp=$(jq -r .fingerprint "$T/key.json")
check "fingerprint logged at start-up" grep -q "audit: signing key fingerprint $fp" "$LOG"
expect_eq "administrators read the key too" "$fp" "$(as admin "$MANDATE" audit key --json | jq -r .fingerprint)"

# --- Export and verify ---------------------------------------------------
as auditor "$MANDATE" audit export -o "$T/full.jsonl" >/dev/null
expect_eq "export file is mode 600" 600 "$(stat -c %a "$T/full.jsonl")"
verify "$T/full.jsonl" --key "$T/key.json"
expect_eq "the export verifies" 0 "$vrc"
check "verification names the key" grep -q "by key $fp" "$T/verify.out"
expect_eq "header, then entries from 1" "header 1" "$(head -1 "$T/full.jsonl" | jq -r '"\(.record) \(.first_seq)"')"
expect_eq "the last record is the seal" seal "$(tail -1 "$T/full.jsonl" | jq -r .record)"
check "periodic signed heads are inside" test "$(grep -c '"record":"head"' "$T/full.jsonl")" -ge 1
for a in daemon.start officer.enrol case.submit case.read-content case.read queue.list audit.export; do
	check "an entry for $a" grep -q "\"action\":\"$a\"" "$T/full.jsonl"
done
if grep -q "$marker" "$T/full.jsonl"; then fail "case content in the audit log"; fi
CHECKS=$((CHECKS + 1))

# The anonymous submission names nobody.
jq -c "select(.case_id == \"$anon\" and .action == \"case.submit\")" "$T/full.jsonl" >"$T/anon-entry.json"
expect_eq "the anonymous submission's actor" anonymous "$(jq -r .actor "$T/anon-entry.json")"
if grep -q staff "$T/anon-entry.json"; then fail "the anonymous entry names its submitter"; fi
expect_eq "its time is to the minute" 00 "$(jq -r '.time[17:19]' "$T/anon-entry.json")"
expect_eq "the confidential one names no user either (auditors never see submitters)" submitter \
	"$(jq -r "select(.case_id == \"$fraud\" and .action == \"case.submit\") | .actor" "$T/full.jsonl")"

# Ombudsperson entries: hashes in place of case, actor, details; a day.
jq -c 'select(.unit == "ombudsperson")' "$T/full.jsonl" >"$T/omb.jsonl"
check "Ombudsperson entries exported" test -s "$T/omb.jsonl"
expect_eq "all redacted" true "$(jq -s 'all(.redacted == true)' "$T/omb.jsonl")"
expect_eq "no clear fields" false "$(jq -s 'any(has("actor") or has("case_id") or has("details") or has("time"))' "$T/omb.jsonl")"
expect_eq "hashes and a day" true "$(jq -s 'all((.case_hash | length) == 64 and (.actor_hash | length) == 64 and (.day | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))' "$T/omb.jsonl")"
if grep -q "$omb" "$T/full.jsonl"; then fail "the Ombudsperson case id is in the export"; fi
if grep -q '"omb1"' "$T/full.jsonl"; then fail "the Ombudsperson officer is named in the export"; fi
CHECKS=$((CHECKS + 2))

# CSV verifies too, as do exports cut by time.
as auditor "$MANDATE" audit export --format csv -o "$T/full.csv" >/dev/null
verify "$T/full.csv" --key "$T/key.json"
expect_eq "the CSV export verifies" 0 "$vrc"
expect_eq "CSV header row" record,seq,time "$(head -1 "$T/full.csv" | cut -d, -f1-3)"
sleep 1.1
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
expect_eq "auditor reads metadata again" 200 "$(raw_as auditor GET "/v1/cases/$fraud" | cut -d' ' -f1)"
as auditor "$MANDATE" audit export --since "$since" -o "$T/since.jsonl" >/dev/null
first=$(head -1 "$T/since.jsonl" | jq .first_seq)
check "a --since export starts mid-chain" test "$first" -gt 1
expect_eq "it carries the previous entry's hash" \
	"$(sqlite3 "$DB" "SELECT lower(hex(hash)) FROM audit WHERE seq = $((first - 1))")" \
	"$(head -1 "$T/since.jsonl" | jq -r .prev_hash)"
verify "$T/since.jsonl" --key "$T/key.json"
expect_eq "the --since export verifies" 0 "$vrc"
as auditor "$MANDATE" audit export --until "$since" -o "$T/until.jsonl" >/dev/null
verify "$T/until.jsonl" --key "$T/key.json"
expect_eq "an --until export verifies" 0 "$vrc"
expect_eq "it ends before the bound" "$((first - 1))" "$(tail -1 "$T/until.jsonl" | jq .seq)"

# Verification without --key: whole, but says whose key it trusted.
verify "$T/full.jsonl"
expect_eq "verifies with the export's own key" 0 "$vrc"
check "and warns about it" grep -q "key inside the export" "$T/verify.out"
other_key=$(head -c 32 /dev/urandom | base64)
verify "$T/full.jsonl" --key "$other_key"
expect_eq "another daemon's key: refused" 65 "$vrc"

# --- The five tamper classes, on the real export ----------------------
n=$(seq_of "$T/full.jsonl" case.read-content)
sed "/\"seq\":$n,/s/case.read-content/case.read-cOntent/" "$T/full.jsonl" >"$T/t1.jsonl"
verify "$T/t1.jsonl" --key "$T/key.json"
expect_eq "changed byte: refused" 65 "$vrc"
check "changed byte: entry $n named" grep -q "entry $n: its hash does not match" "$T/verify.err"

grep -v "\"record\":\"entry\",\"seq\":5," "$T/full.jsonl" >"$T/t2.jsonl"
verify "$T/t2.jsonl" --key "$T/key.json"
expect_eq "removed entry: refused" 65 "$vrc"
check "removed entry: entry 5 named" grep -q "entry 5: not where it belongs" "$T/verify.err"

awk '/"record":"entry","seq":6,/ {held = $0; next}
	{print} /"record":"entry","seq":7,/ {print held}' "$T/full.jsonl" >"$T/t3.jsonl"
check "reordered file has every line" test "$(wc -l <"$T/t3.jsonl")" = "$(wc -l <"$T/full.jsonl")"
verify "$T/t3.jsonl" --key "$T/key.json"
expect_eq "reordered entry: refused" 65 "$vrc"
check "reordered entry: entry 6 named" grep -q "entry 6: not where it belongs" "$T/verify.err"

last=$(tail -1 "$T/full.jsonl" | jq .seq)
head -n -3 "$T/full.jsonl" >"$T/t4.jsonl"
verify "$T/t4.jsonl" --key "$T/key.json"
expect_eq "truncated tail: refused" 65 "$vrc"
check "truncated tail: said so" grep -q "without its signed seal: the tail is missing" "$T/verify.err"
head -c -40 "$T/full.jsonl" >"$T/t4b.jsonl"
verify "$T/t4b.jsonl" --key "$T/key.json"
expect_eq "cut mid-line: refused" 65 "$vrc"
check "cut mid-line: said so" grep -q "cut off after entry $last" "$T/verify.err"

sig=$(tail -1 "$T/full.jsonl" | jq -r .signature)
if [ "${sig:10:1}" = 0 ]; then d=1; else d=0; fi
forged=${sig:0:10}$d${sig:11}
sed "s/$sig/$forged/" "$T/full.jsonl" >"$T/t5.jsonl"
check "the forged file differs" sh -c "! cmp -s '$T/full.jsonl' '$T/t5.jsonl'"
verify "$T/t5.jsonl" --key "$T/key.json"
expect_eq "forged signature: refused" 65 "$vrc"
check "forged signature: entry $last named" grep -q "signed head of entry $last: its signature does not verify" "$T/verify.err"
as auditor "$MANDATE" --json audit verify "$T/t2.jsonl" --key "$T/key.json" >"$T/v.json" || true
expect_eq "--json names the entry" "false 5" "$(jq -r '"\(.ok) \(.broken.seq)"' "$T/v.json")"

# The same classes in CSV: a changed byte.
n=$(awk -F, '$1 == "entry" && $8 == "case.submit" {print $2; exit}' "$T/full.csv")
sed "/^entry,$n,/s/case.submit/case.sUbmit/" "$T/full.csv" >"$T/t1.csv"
verify "$T/t1.csv" --key "$T/key.json"
check "CSV changed byte: entry $n named" grep -q "entry $n: its hash does not match" "$T/verify.err"

# --- Longer than one batch: streamed, still whole -----------------------
for _ in $(seq 1 300); do
	curl -s -o /dev/null -H "Authorization: Bearer $(cat "$T/token-auditor")" "$URL/v1/cases/$fraud"
done
as auditor "$MANDATE" audit export -o "$T/big.jsonl" >/dev/null
check "over 300 entries" test "$(grep -c '"record":"entry"' "$T/big.jsonl")" -gt 300
verify "$T/big.jsonl" --key "$T/key.json"
expect_eq "the long export verifies" 0 "$vrc"
check "its heads every 7 entries" test "$(grep -c '"record":"head"' "$T/big.jsonl")" -ge 40

# --- Reload, stop and start are entries; the chain survives restarts ----
kill -HUP "$DAEMON_PID"
for _ in $(seq 1 50); do grep -q "config: reloaded" "$LOG" && break; sleep 0.05; done
stop_daemon
start_daemon
as auditor "$MANDATE" audit export -o "$T/after.jsonl" >/dev/null
verify "$T/after.jsonl" --key "$T/key.json"
expect_eq "verifies across a restart" 0 "$vrc"
for a in config.reload daemon.stop; do
	check "an entry for $a" grep -q "\"action\":\"$a\"" "$T/after.jsonl"
done
expect_eq "two starts" 2 "$(grep -c '"action":"daemon.start"' "$T/after.jsonl")"
stop_seq=$(seq_of "$T/after.jsonl" daemon.stop)
check "the head is signed at stop" grep -q "\"record\":\"head\",\"from_seq\":1,\"seq\":$stop_seq," "$T/after.jsonl"
check "the log cannot be deleted from" sh -c "! sqlite3 '$DB' 'DELETE FROM audit WHERE seq = 1' 2>/dev/null"

# --- The case log and statistics -----------------------------------------
as auditor "$MANDATE" cases export -o "$T/cases.jsonl" >/dev/null
expect_eq "the case log lists the other cases" "$(printf '%s\n' "$anon" "$fraud" | sort | tr '\n' ' ')" \
	"$(jq -r 'select(.record == "case") | .id' "$T/cases.jsonl" | sort | tr '\n' ' ')"
check "fraud case: status history" test "$(jq -r "select(.id == \"$fraud\") | .events[0].status + \" \" + .events[0].actor_role" "$T/cases.jsonl")" = "received submitter"
expect_eq "fraud case: deadline pending" pending "$(jq -r "select(.id == \"$fraud\") | .acknowledge" "$T/cases.jsonl")"
if grep -q "$omb" "$T/cases.jsonl"; then fail "the Ombudsperson case is listed one by one"; fi
CHECKS=$((CHECKS + 1))
expect_eq "the Ombudsperson as a suppressed count" "ombudsperson true null" \
	"$(jq -r 'select(.record == "counts") | "\(.unit) \(.suppressed) \(.count)"' "$T/cases.jsonl")"
expect_eq "the case log ends with its count" "end 2" "$(tail -1 "$T/cases.jsonl" | jq -r '"\(.record) \(.cases)"')"
as auditor "$MANDATE" cases export --format csv -o "$T/cases.csv" >/dev/null
check "CSV case log" grep -q "^case,$fraud,inspector-general,fraud,received" "$T/cases.csv"
as auditor "$MANDATE" stats --json >"$T/stats.json"
expect_eq "stats by unit" 1 "$(jq '.groups[] | select(.key == "inspector-general") | .count' "$T/stats.json")"
expect_eq "median time to acknowledge is null without data" null \
	"$(jq '.groups[] | select(.key == "inspector-general") | .median_acknowledge_seconds' "$T/stats.json")"
expect_eq "the Ombudsperson suppressed" "true null" \
	"$(jq -r '.groups[] | select(.key == "ombudsperson") | "\(.suppressed) \(.count)"' "$T/stats.json")"
expect_eq "deadline compliance per unit" "0 0 1" \
	"$(jq -r '.compliance[] | select(.unit == "inspector-general") | "\(.met) \(.missed) \(.pending)"' "$T/stats.json")"
as auditor "$MANDATE" stats --by category >"$T/stats.txt"
check "stats by category, as a table" grep -q "^fraud" "$T/stats.txt"
expect_status "stats --by bad" 64 as auditor "$MANDATE" stats --by colour
finish
