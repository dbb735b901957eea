#!/bin/bash
# Crash consistency (issue 7): concurrent submitters, each submission with
# its own Idempotency-Key, against a daemon killed with SIGKILL at a random
# moment 20-400 ms after it answers, then restarted, MANDATE_CRASH_CYCLES
# times (200).  A submission counts as acknowledged once a 201, or the 200
# replay of a retry, names its case; a submitter whose request failed
# retries the same key until one does.  Afterwards: every acknowledged case
# is in its unit's queue under the id it was acknowledged with (else lost),
# no key made a second case and no case is unaccounted for (else
# duplicated), a sample of the cases (every case acknowledged by a replay,
# and some more at random) decrypts with the officer's key to the title
# that names its key, PRAGMA integrity_check is ok after a clean stop, and
# the audit export verifies.
#
# Environment: MANDATE_CRASH_CYCLES (default 200; 60 for a sanitizer
# build, whose start-up is slower), MANDATE_CRASH_WORKERS (default 6),
# MANDATE_CRASH_SAMPLE (cases decrypted at random besides the replayed
# ones, default 25; "all" decrypts every case, about 0.1 s each).
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 77; }

default_cycles=200
if ldd "$MANDATED" 2>/dev/null | grep -q libasan; then
	default_cycles=60
	echo "crash: sanitizer build: $default_cycles cycles unless MANDATE_CRASH_CYCLES says otherwise"
fi
CYCLES=${MANDATE_CRASH_CYCLES:-$default_cycles}
WORKERS=${MANDATE_CRASH_WORKERS:-6}
SAMPLE=${MANDATE_CRASH_SAMPLE:-25}
RUN=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
WORKER_PIDS=

for u in ig1 auditor; do token "$u"; done
# Thousands of submissions from one peer: no rate limit here; debug
# logging of every request would only slow the cycles down.
EXTRA_CONF=$'[daemon]\nlog_level = info\nsubmit_limit = 100000\nsubmit_window_seconds = 1'

stop_workers() {
	touch "$T/stop"
	for p in $WORKER_PIDS; do kill "$p" 2>/dev/null || true; done
	WORKER_PIDS=
}
trap 'rc=$?; stop_workers; (exit $rc); cleanup' EXIT

# worker N: submits cases until $T/stop exists, each under a key of its
# own, retrying a key after any failure of the connection or any 5xx
# until a 201 or 200 answers it.  The ledger $T/ledger-N gets one line
# "KEY CASE-ID STATUS RETRIES" per acknowledged key; anything else goes to
# $T/errors-N.
worker() {
	w=$1 n=0
	while [ ! -e "$T/stop" ]; do
		n=$((n + 1))
		key=$(printf 'crash-%s-w%d-%06d' "$RUN" "$w" "$n")
		body=$(printf '{"title":"Invoice %s","narrative":"The supplier billed one delivery twice (%s).","category":"fraud"}' "$key" "$key")
		tries=0
		while :; do
			code=$(curl -s -o "$T/w$w.body" -w '%{http_code}' --max-time 20 \
				--unix-socket "$SOCK" -H "Idempotency-Key: $key" \
				-H 'Content-Type: application/json' --data-binary "$body" \
				http://localhost/v1/cases) || code=000
			case $code in
			200 | 201)
				id=$(jq -r .id "$T/w$w.body" 2>/dev/null) || id=unreadable-reply
				echo "$key $id $code $tries" >>"$T/ledger-$w"
				break
				;;
			000 | 5??)
				tries=$((tries + 1))
				if [ "$tries" -gt 3000 ]; then
					echo "$key gave up after $tries tries" >>"$T/errors-$w"
					return
				fi
				sleep 0.02
				;;
			*)
				echo "$key $code $(head -c 300 "$T/w$w.body")" >>"$T/errors-$w"
				break
				;;
			esac
		done
	done
}

# up: starts the daemon and waits for its health answer, polling fast: the
# cycles are short.
up() {
	"$MANDATED" -f -c "$CONF" 2>>"$LOG" &
	DAEMON_PID=$!
	for _ in $(seq 1 1000); do
		curl -s -o /dev/null --max-time 2 --unix-socket "$SOCK" \
			http://localhost/v1/health && return 0
		if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			wait "$DAEMON_PID" || echo "crash: mandated exited with status $? at start-up (cycle $cycle)" >&2
			DAEMON_PID=
			exit 1
		fi
		sleep 0.01
	done
	echo "crash: mandated did not answer within 10 s (cycle $cycle)" >&2
	exit 1
}

cycle=0
start_daemon
officer ig1 inspector-general
for w in $(seq 1 "$WORKERS"); do
	worker "$w" &
	WORKER_PIDS="$WORKER_PIDS $!"
done

# --- Kill, restart, CYCLES times ----------------------------------------
t0=$(date +%s.%N)
for cycle in $(seq 1 "$CYCLES"); do
	if [ "$cycle" -gt 1 ]; then up; fi
	sleep "$(printf '0.%03d' $((20 + RANDOM % 381)))"
	kill -KILL "$DAEMON_PID" 2>/dev/null || true
	set +e
	wait "$DAEMON_PID" 2>/dev/null
	st=$?
	set -e
	DAEMON_PID=
	if [ "$st" -ne 137 ]; then
		echo "crash: mandated ended by itself with status $st (cycle $cycle)" >&2
		exit 1
	fi
done
cycle=final
up
t1=$(date +%s.%N)
# The workers finish the key in hand, then stop.
touch "$T/stop"
for p in $WORKER_PIDS; do wait "$p" || true; done
WORKER_PIDS=
echo "crash: $CYCLES kill cycles in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s with $WORKERS submitters"

cat "$T"/errors-* 2>/dev/null | head -20 >"$T/errors"
expect_eq "no submitter met an error other than a lost connection or a 5xx" "" "$(cat "$T/errors")"
cat "$T"/ledger-* | sort >"$T/ledger"
A=$(wc -l <"$T/ledger")
replays=$(awk '$3 == 200' "$T/ledger" | wc -l)
retried=$(awk '$4 > 0' "$T/ledger" | wc -l)
echo "crash: $A acknowledged ($replays by a 200 replay of a retry, $retried after a retry)"
check "a fair number of cases were acknowledged (at least one per cycle)" test "$A" -ge "$CYCLES"
check "some keys were retried across a restart" test "$retried" -ge 1
expect_eq "each key acknowledged once" "" "$(cut -d' ' -f1 "$T/ledger" | uniq -d | head -3)"
expect_eq "no case id acknowledged for two keys" "" "$(cut -d' ' -f2 "$T/ledger" | sort | uniq -d | head -3)"

# --- Present, not duplicated --------------------------------------------
as ig1 "$MANDATE" queue --unit inspector-general --all --limit 200 --json |
	jq -r '.cases[].id' | sort >"$T/queue"
Q=$(wc -l <"$T/queue")
cut -d' ' -f2 "$T/ledger" | sort >"$T/acked"
L=$(comm -23 "$T/acked" "$T/queue" | wc -l)
comm -13 "$T/acked" "$T/queue" >"$T/extra"
D=$(wc -l <"$T/extra")
echo "crash: queue holds $Q cases"
# An extra case carries the key it was made under in its title: name it.
while read -r id; do
	printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$id" --key "$T/ig1.key" \
		--passphrase-fd 0 2>&1 | grep -o "crash-$RUN-w[0-9]*-[0-9]*" | head -1 |
		sed "s/^/crash: extra case $id made under key /" >&2 || true
done <"$T/extra"
comm -23 "$T/acked" "$T/queue" | head -5 | sed 's/^/crash: lost case /' >&2

# --- Readable: every replayed case and a random sample ------------------
if [ "$SAMPLE" = all ]; then
	cp "$T/ledger" "$T/sample"
else
	{
		awk '$3 == 200' "$T/ledger"
		awk '$3 == 201' "$T/ledger" | shuf -n "$SAMPLE"
	} | head -n $((SAMPLE + 100)) >"$T/sample"
fi
S=$(wc -l <"$T/sample")
unreadable=0
while read -r key id _; do
	if ! printf '%s\n' "$PASS" | as ig1 "$MANDATE" show "$id" --key "$T/ig1.key" \
		--passphrase-fd 0 >"$T/show.txt" 2>&1 || ! grep -qF "Invoice $key" "$T/show.txt"; then
		unreadable=$((unreadable + 1))
		echo "crash: case $id (key $key) does not decrypt to its title: $(head -c 200 "$T/show.txt")" >&2
	fi
done <"$T/sample"
echo "crash: $S cases decrypted, $unreadable unreadable"
expect_eq "every sampled case decrypts to its own title" 0 "$unreadable"

# --- The audit log verifies ---------------------------------------------
as auditor "$MANDATE" audit key -o "$T/key.json" >/dev/null
as auditor "$MANDATE" audit export -o "$T/audit.jsonl" >/dev/null
set +e
"$MANDATE" audit verify "$T/audit.jsonl" --key "$T/key.json" >"$T/verify.out" 2>&1
vrc=$?
set -e
echo "crash: audit verify: $(head -c 300 "$T/verify.out")"
expect_eq "the audit export verifies after $CYCLES kills" 0 "$vrc"
submits=$(jq -r 'select(.record == "entry" and .action == "case.submit") | .case_id' "$T/audit.jsonl" | sort -u | wc -l)
echo "crash: the audit log records $submits submissions"
expect_eq "one case.submit entry per case" "$Q" "$submits"

# --- The database itself, after a clean stop ----------------------------
stop_daemon
ic=$(sqlite3 "$STATE/mandate.db" 'PRAGMA integrity_check' 2>&1)
echo "crash: integrity_check: $ic"
expect_eq "PRAGMA integrity_check" ok "$ic"

expect_eq "no sanitizer report in the daemon's log" "" \
	"$(grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LOG" | head -3)"
echo "crash: $CYCLES cycles, $A acknowledged, $L lost, $D duplicated"
expect_eq "no acknowledged case lost" 0 "$L"
expect_eq "no case duplicated or unaccounted for" 0 "$D"
finish
