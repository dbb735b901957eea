#!/bin/bash
# The foundation end to end: a submitted case reaches its unit's queue, can
# be read only with an enrolled officer's key, is stored encrypted, and
# survives a restart; other roles and unknown ids are refused.
. "$(dirname "$0")/lib.sh"

for u in staff eth1 ig1 leg1 auditor admin; do token $u; done
start_daemon
officer eth1 ethics
officer ig1 inspector-general
officer leg1 legal

narrative="The logistics assistant bills fuel for trips that never happened; zebra-$RANDOM-marker."
marker=${narrative##*; }
printf 'Fuel invoices\n%s\n' "$narrative" >"$T/case.txt"

as staff "$MANDATE" submit --category fraud --json <"$T/case.txt" >"$T/submit.json"
id=$(jq -r .id "$T/submit.json")
check "case id has the readable shape" grep -Eq '^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$' <<<"$id"
expect_eq "routed to the inspector general" inspector-general "$(jq -r .unit "$T/submit.json")"
expect_eq "status received" received "$(jq -r .status "$T/submit.json")"
check "due date given" jq -e '.due_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' "$T/submit.json"

as ig1 "$MANDATE" queue --json >"$T/queue.json"
expect_eq "in the unit's queue" "$id" "$(jq -r '.cases[0].id' "$T/queue.json")"
as eth1 "$MANDATE" queue --json >"$T/queue-eth.json"
expect_eq "not in another unit's queue" 0 "$(jq '.cases | length' "$T/queue-eth.json")"

printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$id" --key "$T/ig1.key" --passphrase-fd 0 >"$T/show.txt"
check "officer reads the narrative" grep -qF "$narrative" "$T/show.txt"
printf 'wrong\n' | as ig1 "$MANDATE" show "$id" --key "$T/ig1.key" --passphrase-fd 0 >/dev/null 2>&1 &&
	fail "a wrong passphrase opened the key"

expect_status "another unit's officer gets 404" 66 sh -c \
	"printf '%s\n' '$PASS' | MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-eth1 '$MANDATE' show $id --key '$T/eth1.key' --passphrase-fd 0"
expect_status "staff cannot read the case" 66 as staff "$MANDATE" show "$id" --key "$T/eth1.key" --passphrase-fd 0
expect_eq "auditor sees metadata" inspector-general \
	"$(curl -s -H "Authorization: Bearer $(cat "$T/token-auditor")" "$URL/v1/cases/$id" | jq -r .unit)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/token-auditor")" "$URL/v1/cases/$id/content")
expect_eq "auditor gets 403 on content" 403 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/token-eth1")" "$URL/v1/cases/$id/content")
expect_eq "other unit's officer gets 404 on content" 404 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/health")
expect_eq "TCP without a token gets 401" 401 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer not-a-token" "$URL/v1/health")
expect_eq "TCP with a bad token gets 401" 401 "$code"

# Nothing readable in the database files.
check "database exists" test -s "$STATE/mandate.db"
if grep -qaF "$marker" "$STATE"/mandate.db*; then fail "narrative found in the database in plaintext"; fi
if grep -qaF "Fuel invoices" "$STATE"/mandate.db*; then fail "title found in the database in plaintext"; fi
CHECKS=$((CHECKS + 2))

# A unit with no officer refuses, and stores nothing.
before=$(sqlite3 "$STATE/mandate.db" 'select count(*) from cases')
printf 'Tension\nI would like mediation with a colleague.\n' >"$T/omb.txt"
expect_status "unit without officers refuses (503)" 75 as staff "$MANDATE" submit --category workplace-dispute <"$T/omb.txt"
check "error names the condition" grep -q "no enrolled officer" "$T/err"
expect_eq "nothing stored" "$before" "$(sqlite3 "$STATE/mandate.db" 'select count(*) from cases')"

# Roles.
expect_status "staff cannot enrol officers" 77 as staff "$MANDATE" officers add --unit ethics --user x --key "$T/eth1.key.pub"
expect_status "staff has no queue" 77 as staff "$MANDATE" queue
as admin "$MANDATE" units --json >"$T/units.json"
expect_eq "units list with officer counts" "ethics:1 ombudsperson:0 inspector-general:1 legal:1" \
	"$(jq -r '[.units[] | "\(.id):\(.officers)"] | join(" ")' "$T/units.json")"

# Restart keeps everything.
stop_daemon
start_daemon
as ig1 "$MANDATE" queue --json >"$T/queue2.json"
expect_eq "case still queued after restart" "$id" "$(jq -r '.cases[0].id' "$T/queue2.json")"
printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$id" --key "$T/ig1.key" --passphrase-fd 0 >"$T/show2.txt"
check "still readable after restart" grep -qF "$narrative" "$T/show2.txt"
check "no secret in the log" sh -c "! grep -qF '$marker' '$LOG' && ! grep -qF '$PASS' '$LOG'"
finish
