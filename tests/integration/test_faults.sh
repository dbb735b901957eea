#!/bin/bash
# Disk faults (issue 7).
#  1. The free-space reserve, set above the free space of the state
#     directory's file system and lowered again with SIGHUP: below it every
#     write (POST, PUT, DELETE) gets 507 storage_full and changes nothing,
#     reads work, writes resume without a restart.
#  2. A failing fsync (and, second round, failing writes to the database),
#     injected by tests/fault/failsync.so (MANDATE_FAULT_LIB, set by ctest)
#     while a trigger file exists: the write in flight gets 503
#     outcome_unknown, the daemon exits with EX_IOERR (74); restarted, a
#     retry with the same Idempotency-Key gives exactly one case, the cases
#     acknowledged before are all there and the audit log verifies.
#  3. A real full disk: the state directory on a 32 MiB tmpfs
#     (needs root: the script re-runs itself in a mount namespace of its
#     own), filled up to below the reserve by a filler file and freed again.
#     Skipped, with a message, where tmpfs cannot be mounted.
if [ -z "${MANDATE_FAULTS_NS:-}" ] && [ "$(id -u)" -eq 0 ] &&
	command -v unshare >/dev/null && unshare -m true 2>/dev/null; then
	export MANDATE_FAULTS_NS=1
	exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
MIB=1048576
SMALL=
for u in staff ig1 auditor admin; do token "$u"; done
EXTRA_CONF=$'[daemon]\nmin_free_bytes = 1048576\nsubmit_limit = 1000'

faults_cleanup() {
	rc=$?
	stop_daemon
	if [ -n "$SMALL" ]; then umount -l "$SMALL" 2>/dev/null || true; fi
	(exit $rc)
	cleanup
}
trap faults_cleanup EXIT

# submit_as_staff: a fraud case with a fresh marker; prints "ID MARKER".
submit_as_staff() {
	m=fault-$RANDOM$RANDOM
	printf 'Invoice %s\nThe supplier billed one delivery twice (%s).\n' "$m" "$m" |
		as staff "$MANDATE" submit --category fraud --json >"$T/sub.json"
	echo "$(jq -r .id "$T/sub.json") $m"
}

# decrypts ID: the officer's view of case ID, in $T/show.txt.
decrypts() {
	printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$1" --key "$T/ig1.key" \
		--passphrase-fd 0 >"$T/show.txt" 2>&1
}

queue_ids() {
	as ig1 "$MANDATE" queue --unit inspector-general --all --limit 200 --json |
		jq -r '.cases[].id' | sort
}

# reload: SIGHUP, then waits for the daemon to log that it reloaded.
reload() {
	n=$(grep -c "config: reloaded" "$LOG" || true)
	kill -HUP "$DAEMON_PID"
	for _ in $(seq 1 100); do
		[ "$(grep -c "config: reloaded" "$LOG" || true)" -gt "$n" ] && return 0
		sleep 0.05
	done
	fail "SIGHUP: no reload logged"
}

set_reserve() {
	sed -i "s/^min_free_bytes = .*/min_free_bytes = $1/" "$CONF"
}

free_bytes() {
	df -B1 --output=avail "$1" | tail -n 1 | tr -d ' '
}

POST_CASE='{"title":"Reserve probe","narrative":"Billed twice.","category":"fraud"}'

# refused_writes WHAT: every kind of write gets 507 storage_full.
refused_writes() {
	r=$(raw POST /v1/cases "$POST_CASE")
	expect_eq "$1: POST /v1/cases refused" "507 storage_full" "$(status_code "$r")"
	expect_eq "$1: the message says why" \
		"the server is low on disk space and keeps its free-space reserve: nothing was changed; reads still work; retry later" \
		"$(jq -r .error.message <<<"${r#* }")"
	expect_eq "$1: POST /v1/officers refused" "507 storage_full" \
		"$(status_code "$(raw POST /v1/officers '{"unit":"legal","user":"leg9","public_key":"x"}')")"
	expect_eq "$1: DELETE refused" "507 storage_full" \
		"$(status_code "$(raw DELETE "/v1/cases/$1/hold")")"
	expect_eq "$1: PUT refused" "507 storage_full" \
		"$(status_code "$(raw PUT /v1/receipt/attachments/0123456789abcdef0123456789abcdef/chunks/0 '{}')")"
	expect_eq "$1: the dry run POST /v1/route, which stores nothing, still answers" \
		"200" "$(raw POST /v1/route "$POST_CASE" | cut -d' ' -f1)"
	expect_status "$1: mandate submit exits 75 (EX_TEMPFAIL)" 75 as staff "$MANDATE" submit --category fraud --case-file - <<<"$POST_CASE"
	check "$1: mandate submit says why" grep -q "low on disk space" "$T/err"
}

# --- 1. The reserve above the free space, then lowered with SIGHUP -------
start_daemon
officer ig1 inspector-general
read -r c1 m1 <<<"$(submit_as_staff)"
read -r c2 m2 <<<"$(submit_as_staff)"
pid=$DAEMON_PID
high=$(($(free_bytes "$STATE") + 1024 * MIB))
echo "faults: reserve raised to $high bytes, $(free_bytes "$STATE") free"
set_reserve "$high"
reload
before=$(queue_ids | tr '\n' ' ')
refused_writes "$c1"
check "the refusal is logged once, naming the reserve" grep -q "storage: .* bytes free on the database's file system, below min_free_bytes = $high" "$LOG"
expect_eq "logged once, not per request" 1 "$(grep -c "below min_free_bytes = $high" "$LOG")"
expect_eq "reads work: health" ok "$("$MANDATE" health --json | jq -r .status)"
expect_eq "reads work: the queue, unchanged" "$before" "$(queue_ids | tr '\n' ' ')"
check "reads work: a case decrypts" decrypts "$c1"
check "the decrypted case is the one submitted" grep -q "$m1" "$T/show.txt"
set_reserve $MIB
reload
read -r c3 _ <<<"$(submit_as_staff)"
check "writes resume after SIGHUP lowers the reserve" test -n "$c3" -a "$c3" != null
expect_eq "without a restart" "$pid" "$DAEMON_PID"
check "the recovery is logged" grep -q "storage: writes accepted again" "$LOG"
expect_eq "three cases, none lost" 3 "$(queue_ids | wc -l)"

# A bad value is refused by name.
sed "s/^min_free_bytes = .*/min_free_bytes = lots/" "$CONF" >"$T/bad.conf"
expect_status "min_free_bytes = lots: mandated -t fails" 78 "$MANDATED" -t -c "$T/bad.conf"
check "the error names the key" grep -q "min_free_bytes: expected a number of bytes" "$T/err"

# --- 2. fsync and write faults ---------------------------------------------
# fault_round WHAT: with the shim loaded (FAULT_WRITES=1: writes fail too),
# a submission, then the disk fails under one with an Idempotency-Key.
fault_round() {
	what=$1
	trigger=$T/fault-trigger
	rm -f "$trigger" "$T/fault.log"
	stop_daemon
	LD_PRELOAD="$MANDATE_FAULT_LIB" MANDATE_FAULT_TRIGGER="$trigger" \
		MANDATE_FAULT_LOG="$T/fault.log" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		MANDATE_FAULT_WRITES="${FAULT_WRITES:-0}" start_daemon
	check "$what: the shim is loaded" grep -q failsync "/proc/$DAEMON_PID/maps"
	read -r ok _ <<<"$(submit_as_staff)"
	check "$what: a submission before the fault" test -n "$ok" -a "$ok" != null
	acked="$acked $ok"

	key=fault-key-$RANDOM$RANDOM$RANDOM
	body=$(printf '{"title":"Invoice %s","narrative":"Billed twice (%s).","category":"fraud"}' "$key" "$key")
	touch "$trigger"
	r=$(curl -s --max-time 30 --unix-socket "$SOCK" -H "Idempotency-Key: $key" \
		-H 'Content-Type: application/json' --data-binary "$body" \
		-w '\n%{http_code}' http://localhost/v1/cases |
		awk 'NR==1{b=$0} NR>1{c=$0} END{print c, b}')
	echo "faults: $what: the submission under the fault got: $r"
	expect_eq "$what: 503 outcome_unknown" "503 outcome_unknown" "$(status_code "$r")"
	check "$what: the fault was met" test -s "$T/fault.log"
	r2=$(raw POST /v1/cases "$POST_CASE")
	echo "faults: $what: a later write got: ${r2:-no answer}"
	check "$what: a later write is not taken" test "${r2%% *}" != 201
	st=
	for _ in $(seq 1 100); do
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		fail "$what: the daemon still runs 5 s after the failed commit"
		stop_daemon
	else
		set +e
		wait "$DAEMON_PID"
		st=$?
		set -e
		DAEMON_PID=
		echo "faults: $what: the daemon exited with status $st"
		expect_eq "$what: exit status EX_IOERR" 74 "$st"
	fi
	check "$what: the cause is logged" grep -qi "i/o error" "$LOG"

	rm -f "$trigger"
	start_daemon
	r=$(curl -s --max-time 30 --unix-socket "$SOCK" -H "Idempotency-Key: $key" \
		-H 'Content-Type: application/json' --data-binary "$body" \
		-w '\n%{http_code}' http://localhost/v1/cases |
		awk 'NR==1{b=$0} NR>1{c=$0} END{print c, b}')
	code=${r%% *}
	echo "faults: $what: the retry with the same key got $code"
	check "$what: the retry is answered 201 or 200 replayed" test "$code" = 201 -o "$code" = 200
	retried=$(jq -r .id <<<"${r#* }")
	acked="$acked $retried"
	n=0
	for id in $(queue_ids); do
		decrypts "$id" && grep -qF "Invoice $key" "$T/show.txt" && n=$((n + 1))
	done
	echo "faults: $what: $n case(s) carry the key's marker"
	expect_eq "$what: exactly one case for the key" 1 "$n"
}

acked="$c1 $c2 $c3"
if [ -n "${MANDATE_FAULT_LIB:-}" ] && [ -f "$MANDATE_FAULT_LIB" ]; then
	fault_round "fsync fails"
	FAULT_WRITES=1 fault_round "writes fail"
	stop_daemon
	start_daemon
	present=$(queue_ids)
	lost=0
	for id in $acked; do
		grep -qx "$id" <<<"$present" || { lost=$((lost + 1)); echo "faults: lost $id" >&2; }
		decrypts "$id" || { lost=$((lost + 1)); echo "faults: $id does not decrypt" >&2; }
	done
	echo "faults: $(wc -w <<<"$acked") acknowledged, $lost lost or unreadable"
	expect_eq "every acknowledged case is there and decrypts" 0 "$lost"
	as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
	as auditor "$MANDATE" audit export -o "$T/audit.jsonl" >/dev/null
	check "the audit export verifies after the faults" \
		"$MANDATE" audit verify "$T/audit.jsonl" --key "$T/key.json"
	stop_daemon
	expect_eq "PRAGMA integrity_check" ok "$(sqlite3 "$STATE/mandate.db" 'PRAGMA integrity_check')"
else
	echo "faults: skipped the fsync faults: MANDATE_FAULT_LIB (tests/fault/failsync.so) is not set"
fi
stop_daemon

# --- 3. A real full disk: tmpfs ----------------------------------------
SMALL=$T/small
mkdir -p "$SMALL"
if [ -n "${MANDATE_FAULTS_NS:-}" ] &&
	mount -t tmpfs -o size=32m,mode=0700 mandate-test "$SMALL" 2>/dev/null; then
	sed -e "s|^state_directory = .*|state_directory = $SMALL|" \
		-e "s/^min_free_bytes = .*/min_free_bytes = $((8 * MIB))/" \
		"$CONF" >"$T/small.conf"
	CONF=$T/small.conf
	start_daemon
	pid=$DAEMON_PID
	officer ig1 inspector-general
	read -r s1 _ <<<"$(submit_as_staff)"
	read -r s2 _ <<<"$(submit_as_staff)"
	before=$(queue_ids | tr '\n' ' ')
	fill=$(($(free_bytes "$SMALL") - 7 * MIB))
	head -c "$fill" /dev/zero >"$SMALL/filler"
	echo "faults: tmpfs: $(free_bytes "$SMALL") bytes free after the filler, reserve $((8 * MIB))"
	sleep 1.2 # the free space is measured once a second
	refused_writes "$s1"
	expect_eq "tmpfs: reads work, the queue is unchanged" "$before" "$(queue_ids | tr '\n' ' ')"
	check "tmpfs: reads work: a case decrypts" decrypts "$s2"
	rm -f "$SMALL/filler"
	sleep 1.2
	read -r s3 _ <<<"$(submit_as_staff)"
	echo "faults: tmpfs: $(free_bytes "$SMALL") bytes free without the filler; submission: $s3"
	check "tmpfs: writes resume once space returns" test -n "$s3" -a "$s3" != null
	expect_eq "tmpfs: without a restart" "$pid" "$DAEMON_PID"
	expect_eq "tmpfs: three cases" 3 "$(queue_ids | wc -l)"
	stop_daemon
	expect_eq "tmpfs: PRAGMA integrity_check" ok "$(sqlite3 "$SMALL/mandate.db" 'PRAGMA integrity_check')"
	umount "$SMALL"
	SMALL=
else
	echo "faults: skipped the tmpfs part: cannot mount a tmpfs here (needs root)"
	SMALL=
fi
expect_eq "no sanitizer report in the daemon's log" "" \
	"$(grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LOG" | head -3)"
finish
