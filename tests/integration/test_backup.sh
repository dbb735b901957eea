#!/bin/bash
# Backup and restore (issue 9): `mandate backup` while a background loop
# keeps submitting cases; the file (mode 600, manifest line + database
# whose BLAKE2b-256 the manifest states); no overwrite without --force;
# administrators only, and an audit entry "backup" by the administrator.
# `mandated --restore`: refused while the daemon runs, refused for a
# tampered database (hash), a tampered manifest (signature), a cut-short
# file and keys that are not the backup's, each refusal changing nothing;
# restored into a fresh state directory and in place (the replaced
# database kept aside), with every case acknowledged before the backup
# there, the audit log verifying, and the daemon serving on it.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v b2sum >/dev/null || { echo "b2sum is needed" >&2; exit 77; }
DB=$STATE/mandate.db
LOADERS="l1 l2 l3 l4"
for u in staff ig1 eth1 omb1 leg1 auditor admin $LOADERS; do token "$u"; done
EXTRA_CONF=$'[daemon]\naudit_sign_every = 5'
start_daemon
officer ig1 inspector-general
officer eth1 ethics
officer omb1 ombudsperson
officer leg1 legal

# restore [ARGS...]: mandated --restore, exit status in $rrc, output in
# $T/restore.out and $T/restore.err.
restore() {
	set +e
	"$MANDATED" --restore "$@" -c "$CONF" >"$T/restore.out" 2>"$T/restore.err"
	rrc=$?
	set -e
}

# manifest FILE: the manifest line; dbpart FILE OUT: the database after it.
manifest() { head -n 1 "$1"; }
dbpart() { tail -c +$(($(head -n 1 "$1" | wc -c) + 1)) "$1" >"$2"; }

# --- A backup under load ---------------------------------------------
# Each loader submits up to 25 cases (under the per-peer submission
# limit) and logs the id of each acknowledged one.
printf 'Fuel invoices\nFuel billed for trips never made.\n' >"$T/case.txt"
: >"$T/acks"
loader() {
	for i in $(seq 1 25); do
		[ -f "$T/stop" ] && return 0
		id=$(as "$1" "$MANDATE" submit --category fraud --json <"$T/case.txt" 2>/dev/null |
			jq -r .id) || continue
		[ -n "$id" ] && [ "$id" != null ] && echo "$id" >>"$T/acks"
	done
}
pids=
for u in $LOADERS; do
	loader "$u" &
	pids="$pids $!"
done
for _ in $(seq 1 200); do
	[ "$(wc -l <"$T/acks")" -ge 12 ] && break
	sleep 0.05
done
cp "$T/acks" "$T/acks.before"
as admin "$MANDATE" backup "$T/b1.bak" --json >"$T/b1.json"
cp "$T/acks" "$T/acks.after"
for _ in $(seq 1 200); do
	[ "$(wc -l <"$T/acks")" -ge $(($(wc -l <"$T/acks.after") + 3)) ] && break
	sleep 0.05
done
touch "$T/stop"
# shellcheck disable=SC2086
wait $pids || true
before=$(wc -l <"$T/acks.before")
during=$(($(wc -l <"$T/acks.after") - before))
total=$(wc -l <"$T/acks")
echo "acknowledged: $before before the backup, $during while it ran, $total in all"
check "cases were acknowledged before the backup" test "$before" -ge 12
check "and after it: the daemon kept serving" test "$total" -gt "$((before + during))"

# --- The file ------------------------------------------------------------
expect_eq "backup file is mode 600" 600 "$(stat -c %a "$T/b1.bak")"
check "no .partial left" test ! -e "$T/b1.bak.partial"
manifest "$T/b1.bak" >"$T/b1.manifest"
expect_eq "manifest format" "mandate-backup 1" \
	"$(jq -r '"\(.format) \(.version)"' "$T/b1.manifest")"
schema=$(jq -r .schema_version "$T/b1.manifest")
latest=$(find "$MANDATE_SOURCE_DIR/schema" -name '[0-9]*.sql' | wc -l)
expect_eq "schema version is the newest" "$latest" "$schema"
as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
expect_eq "signed by the audit key" "$(jq -r .fingerprint "$T/key.json")" \
	"$(jq -r .fingerprint "$T/b1.manifest")"
dbpart "$T/b1.bak" "$T/b1.db"
size=$(stat -c %s "$T/b1.db")
echo "database: $size bytes; manifest says $(jq -r .database_size "$T/b1.manifest")"
expect_eq "database size as stated" "$(jq -r .database_size "$T/b1.manifest")" "$size"
expect_eq "database BLAKE2b-256 as stated (b2sum)" \
	"$(jq -r .database_blake2b "$T/b1.manifest")" \
	"$(b2sum -l 256 "$T/b1.db" | cut -d' ' -f1)"
expect_eq "the snapshot passes integrity_check" ok \
	"$(sqlite3 "$T/b1.db" 'PRAGMA integrity_check')"
head_seq=$(jq -r .audit_seq "$T/b1.manifest")
expect_eq "the manifest's audit head is the snapshot's last entry" \
	"$head_seq $(jq -r .audit_hash "$T/b1.manifest")" \
	"$(sqlite3 "$T/b1.db" 'SELECT seq, lower(hex(hash)) FROM audit ORDER BY seq DESC LIMIT 1' | tr '|' ' ')"
ncases=$(sqlite3 "$T/b1.db" 'SELECT count(*) FROM cases')
nsubmits=$(sqlite3 "$T/b1.db" "SELECT count(*) FROM audit WHERE action = 'case.submit'")
echo "snapshot: $ncases cases, $nsubmits case.submit entries, audit head $head_seq"
expect_eq "the snapshot is consistent: a case for each submit entry" "$nsubmits" "$ncases"
missing=0
while read -r id; do
	[ "$(sqlite3 "$T/b1.db" "SELECT count(*) FROM cases WHERE id = '$id'")" = 1 ] ||
		missing=$((missing + 1))
done <"$T/acks.before"
expect_eq "every case acknowledged before the backup is in it" 0 "$missing"
expect_eq "--json names the file" "$T/b1.bak" "$(jq -r .file "$T/b1.json")"

# --- Refusals while the daemon runs -------------------------------------
cp -p "$T/b1.bak" "$T/b2.bak"
sum=$(b2sum <"$T/b2.bak")
expect_status "no overwrite without --force" 73 as admin "$MANDATE" backup "$T/b2.bak"
check "  and it says so" grep -q "exists: use --force" "$T/err"
expect_eq "  the file is untouched" "$sum" "$(b2sum <"$T/b2.bak")"
check "--force replaces it" as admin "$MANDATE" backup "$T/b2.bak" --force
check "  with a newer backup" test "$sum" != "$(b2sum <"$T/b2.bak")"
for u in staff ig1 auditor; do
	expect_eq "$u may not start a backup" "403 forbidden" \
		"$(status_code "$(raw_as "$u" POST /v1/backup)")"
	expect_eq "$u may not collect one" "403 forbidden" \
		"$(status_code "$(raw_as "$u" GET /v1/backup/0123456789abcdef0123456789abcdef)")"
done
expect_status "staff cannot run mandate backup" 77 as staff "$MANDATE" backup "$T/x.bak"
check "  and leaves no file" test ! -e "$T/x.bak" -a ! -e "$T/x.bak.partial"
expect_eq "an unknown job" "404 not_found" \
	"$(status_code "$(raw_as admin GET /v1/backup/0123456789abcdef0123456789abcdef)")"
job=$(raw_as admin POST /v1/backup)
expect_eq "a job starts with 202" 202 "${job%% *}"
jobid=$(jq -r .id <<<"${job#* }")
for _ in $(seq 1 100); do
	[ "$(raw_as admin GET "/v1/backup/$jobid" | cut -d' ' -f1)" = 202 ] || break
	sleep 0.05
done
expect_eq "a collected job is gone" "404 not_found" \
	"$(status_code "$(raw_as admin GET "/v1/backup/$jobid")")"
as auditor "$MANDATE" audit export -o "$T/audit1.jsonl" >/dev/null
expect_eq "each backup is in the audit log, by the administrator" \
	"admin administrator 3" \
	"$(jq -r 'select(.action == "backup") | "\(.actor) \(.role)"' "$T/audit1.jsonl" |
		sort | uniq -c | awk '{print $2, $3, $1}')"
restore "$T/b1.bak"
expect_eq "restore while the daemon runs is refused" 75 "$rrc"
check "  naming the running daemon" grep -q "mandated is running" "$T/restore.err"

# --- Tampered files, refused with nothing changed -------------------------
stop_daemon
live=$(b2sum "$DB")
mlen=$(head -n 1 "$T/b1.bak" | wc -c)
cp "$T/b1.bak" "$T/flip-db.bak"
printf '\xff' | dd of="$T/flip-db.bak" bs=1 seek=$((mlen + 3000)) conv=notrunc status=none
restore "$T/flip-db.bak"
expect_eq "a byte flipped in the database: refused" 65 "$rrc"
check "  by its hash" grep -q "hash does not match" "$T/restore.err"
sed '1s/"schema_version":[0-9]*/"schema_version":99/' "$T/b1.bak" >"$T/newer.bak"
restore "$T/newer.bak"
expect_eq "a manifest edited to claim a newer schema: refused" 65 "$rrc"
check "  by its signature" grep -q "signature does not verify" "$T/restore.err"
sed '1s/"audit_seq":\([0-9]*\)/"audit_seq":1\1/' "$T/b1.bak" >"$T/seq.bak"
restore "$T/seq.bak"
expect_eq "a manifest with another audit head: refused" 65 "$rrc"
check "  by its signature" grep -q "signature does not verify" "$T/restore.err"
head -c $((mlen + size / 2)) "$T/b1.bak" >"$T/short.bak"
restore "$T/short.bak"
expect_eq "a cut-short backup: refused" 65 "$rrc"
check "  as cut short" grep -q "cut short" "$T/restore.err"
printf 'hello\n' >"$T/junk.bak"
restore "$T/junk.bak"
expect_eq "not a backup: refused" 65 "$rrc"
cat "$T/restore.err"
expect_eq "the refusals changed nothing" "$live" "$(b2sum "$DB")"
check "  and moved nothing aside" test -z "$(find "$STATE" -name '*.replaced-*' -o -name '*.restore-*')"

# --- Into a fresh state directory ----------------------------------------
OLDSTATE=$STATE
STATE=$T/state2
mkdir -m 700 "$STATE"
write_conf
# The keys of another daemon: refused.
(umask 077; head -c 32 /dev/urandom >"$STATE/audit-signing.key"; head -c 32 /dev/urandom >"$STATE/index.key")
restore "$T/b1.bak"
expect_eq "another daemon's keys: refused" 65 "$rrc"
check "  naming both keys" grep -q "signed by audit key $(jq -r .fingerprint "$T/b1.manifest"), and this state directory's audit key is" "$T/restore.err"
rm "$STATE/audit-signing.key" "$STATE/index.key"
restore "$T/b1.bak"
expect_eq "no keys at all: refused" 65 "$rrc"
check "  naming the files to copy" grep -q "audit-signing.key, index.key" "$T/restore.err"
cp -p "$OLDSTATE/audit-signing.key" "$OLDSTATE/index.key" "$STATE/"
restore "$T/b1.bak"
expect_eq "restore into a fresh state directory" 0 "$rrc"
cat "$T/restore.out"
check "  says there was nothing to replace" grep -q "no database to replace" "$T/restore.out"
check "  verified the audit chain" grep -q "audit log: entries 1 to $head_seq verified" "$T/restore.out"
heads=$(sqlite3 "$T/b1.db" 'SELECT count(*) FROM audit_heads')
check "  and its $heads signed heads" grep -q ", $heads signed heads verified" "$T/restore.out"
check "  of which there are some" test "$heads" -gt 0
expect_eq "  the restored database is mode 600" 600 "$(stat -c %a "$STATE/mandate.db")"
check "  and no temporary file is left" test -z "$(find "$STATE" -name '*.restore-*')"
start_daemon
missing=0
while read -r id; do
	[ "$(raw_as auditor GET "/v1/cases/$id" | cut -d' ' -f1)" = 200 ] || missing=$((missing + 1))
done <"$T/acks.before"
expect_eq "every case acknowledged before the backup is served" 0 "$missing"
first=$(head -n 1 "$T/acks.before")
printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$first" --key "$T/ig1.key" --passphrase-fd 0 >"$T/show.out"
check "  and its officer reads it" grep -q "Fuel billed for trips never made" "$T/show.out"
check "new submissions work" as staff "$MANDATE" submit --category fraud --json <"$T/case.txt" >/dev/null
as auditor "$MANDATE" audit export -o "$T/audit2.jsonl" >/dev/null
check "the restored log verifies with the audit key" \
	"$MANDATE" audit verify "$T/audit2.jsonl" --key "$T/key.json"
stop_daemon

# --- In place, the replaced database kept aside ---------------------------
STATE=$OLDSTATE
write_conf
restore "$T/b1.bak"
expect_eq "restore in place" 0 "$rrc"
cat "$T/restore.out"
aside=$(find "$STATE" -name 'mandate.db.replaced-*' ! -name '*-wal' ! -name '*-shm')
check "the replaced database is kept aside" test -n "$aside" -a -f "$aside"
check "  and the restore names it" grep -q "the database it replaced is now $aside" "$T/restore.out"
expect_eq "  it is the database as it was" "${live%% *}" "$(b2sum "$aside" | cut -d' ' -f1)"
expect_eq "  with every case acknowledged" "$total" \
	"$(sqlite3 "$aside" 'SELECT count(*) FROM cases')"
start_daemon
expect_eq "the restored database holds the snapshot's cases" "$ncases" \
	"$(sqlite3 "$DB" 'SELECT count(*) FROM cases')"
as auditor "$MANDATE" audit export -o "$T/audit3.jsonl" >/dev/null
check "its log verifies" "$MANDATE" audit verify "$T/audit3.jsonl" --key "$T/key.json"
expect_eq "the log goes on from the backup's head" "$((head_seq + 1))" \
	"$(jq -r 'select(.record == "entry" and .action == "daemon.start") | .seq' "$T/audit3.jsonl" |
		awk -v h="$head_seq" '$1 > h {print; exit}')"
finish
