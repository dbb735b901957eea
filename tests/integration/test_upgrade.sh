#!/bin/bash
# Upgrade from the first released schema (issue 9): the current daemon
# starts on a database written by the daemon of schema 1, migrates it to
# the newest schema in that one start-up, and goes on: the old cases are
# listed and readable by their officer with the key made for the
# fixture, new actions work, and the audit log verifies.
#
# The fixture (tests/fixtures/schema1/) was made with the real old
# binary.  schema/0001-init.sql came in with commit e6a616c, whose tree
# builds no daemon (the rules it links came in with 2350ffc), so the
# daemon of 2350ffc was used: the last commit whose schema/ holds only
# 0001-init.sql, unchanged since e6a616c.  Built from `git archive
# 2350ffc` in a directory outside the checkout, it ran with a state
# directory of its own; an officer key was made with `mandate keys init
# --kdf interactive` (passphrase "fixture-passphrase": officer.key and
# officer.key.pub here) and enrolled, with curl on the old daemon's
# socket, as user "olivia" in ethics and inspector-general (POST
# /v1/officers); three cases were submitted with curl (POST /v1/cases:
# their replies are cases.jsonl); the daemon was stopped with SIGTERM,
# which checkpoints the WAL, and mandate.db copied.  The schema-1 daemon
# kept no other state file and had no audit log: the chain starts at the
# first start-up after the migration, and that chain is what is checked.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
FIX=$MANDATE_SOURCE_DIR/tests/fixtures/schema1
DB=$STATE/mandate.db
FIXPASS=fixture-passphrase
latest=$(find "$MANDATE_SOURCE_DIR/schema" -name '[0-9]*.sql' | wc -l)

mkdir -m 700 "$STATE"
cp "$FIX/mandate.db" "$DB"
chmod 600 "$DB"
cp "$FIX/officer.key" "$T/olivia.key"
cp "$FIX/officer.key.pub" "$T/olivia.key.pub"
chmod 600 "$T/olivia.key"
expect_eq "the fixture is at schema 1" 1 "$(sqlite3 "$DB" 'PRAGMA user_version')"
expect_eq "the schema-1 database has no audit log" 0 \
	"$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'")"
ncases=$(wc -l <"$FIX/cases.jsonl")
expect_eq "the fixture's cases are in it" "$ncases" "$(sqlite3 "$DB" 'SELECT count(*) FROM cases')"

for u in olivia staff auditor admin; do token "$u"; done
EXTRA_CONF=$'[daemon]\naudit_sign_every = 3'
start_daemon
echo "migrated to schema $(sqlite3 "$DB" 'PRAGMA user_version') of $latest"
expect_eq "migrated to the newest schema" "$latest" "$(sqlite3 "$DB" 'PRAGMA user_version')"
expect_eq "in this one start-up" 1 "$(grep -c 'starting: libevent' "$LOG")"
check "which the log reports" grep -q "db: $DB (schema $latest)" "$LOG"

# --- The old cases ---------------------------------------------------------
nth=0
while read -r line; do
	id=$(jq -r .id <<<"$line")
	unit=$(jq -r .unit <<<"$line")
	got=$(raw_as olivia GET "/v1/cases/$id")
	expect_eq "case $id is served" 200 "${got%% *}"
	expect_eq "  in its unit, received" "$unit received" \
		"$(jq -r '"\(.unit) \(.status)"' <<<"${got#* }")"
	as olivia "$MANDATE" queue --unit "$unit" --all --json >"$T/queue.json"
	expect_eq "  listed in the $unit queue" 1 \
		"$(jq --arg id "$id" '[.. | objects | select(.id? == $id)] | length' "$T/queue.json")"
	nth=$((nth + 1))
	printf '%s\n' "$FIXPASS" |
		as olivia "$MANDATE" show "$id" --key "$T/olivia.key" --passphrase-fd 0 >"$T/show.out"
	# The narratives end "(fixture case one)", "... two)", "... three)".
	check "  and read by olivia with the fixture's key" \
		grep -q "(fixture case $(echo one two three | cut -d' ' -f$nth))" "$T/show.out"
done <"$FIX/cases.jsonl"
fraud=$(jq -r 'select(.category == "fraud") | .id' "$FIX/cases.jsonl")
printf '%s\n' "$FIXPASS" |
	as olivia "$MANDATE" show "$fraud" --key "$T/olivia.key" --passphrase-fd 0 >"$T/show.out"
check "the fraud case's narrative is the one submitted" \
	grep -q "Fuel was billed for field trips that never took place" "$T/show.out"

# --- New actions -----------------------------------------------------------
check "olivia claims an old case" as olivia "$MANDATE" claim "$fraud"
expect_eq "  it is hers" olivia "$(raw_as olivia GET "/v1/cases/$fraud" | cut -d' ' -f2- | jq -r .assignee)"
printf 'Favouritism\nMy manager gives the best assignments to friends.\n' >"$T/new.txt"
as staff "$MANDATE" submit --category misconduct --json <"$T/new.txt" >"$T/new.json"
new=$(jq -r .id "$T/new.json")
expect_eq "a new case goes to ethics" ethics "$(jq -r .unit "$T/new.json")"
printf '%s\n' "$FIXPASS" |
	as olivia "$MANDATE" show "$new" --key "$T/olivia.key" --passphrase-fd 0 >"$T/show.out"
check "  and olivia reads it" grep -q "best assignments to friends" "$T/show.out"

# --- The audit log, begun at the migration -----------------------------------
as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
as auditor "$MANDATE" audit export -o "$T/audit.jsonl" >/dev/null
expect_eq "the chain starts at this start-up" "1 daemon.start" \
	"$(jq -r 'select(.record == "entry") | "\(.seq) \(.action)"' "$T/audit.jsonl" | head -n 1)"
check "the export verifies with the audit key" \
	"$MANDATE" audit verify "$T/audit.jsonl" --key "$T/key.json"
expect_eq "the old cases' actions since are in it" "case.read case.read-content" \
	"$(jq -r --arg id "$fraud" 'select(.record == "entry" and .case_id == $id) | .action' "$T/audit.jsonl" |
		sort -u | grep '^case.read' | tr '\n' ' ' | sed 's/ $//')"

# --- A second start: nothing left to migrate ------------------------------------
stop_daemon
start_daemon
expect_eq "a second start finds the newest schema" 2 "$(grep -c "db: $DB (schema $latest)" "$LOG")"
as auditor "$MANDATE" audit export -o "$T/audit2.jsonl" >/dev/null
check "and the log still verifies" "$MANDATE" audit verify "$T/audit2.jsonl" --key "$T/key.json"
finish
