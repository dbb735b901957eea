#!/bin/bash
# Listener limits: the connection cap holds newcomers until a connection
# closes, idle connections are closed after the timeout, and oversize
# headers are refused.
. "$(dirname "$0")/lib.sh"

token staff
EXTRA_CONF=$'[daemon]\nmax_connections = 2\ntimeout_seconds = 2\nmax_header_bytes = 2048'
start_daemon
health() { curl -s -m "$1" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/token-staff")" "$URL/v1/health"; }

expect_eq "a request is served" 200 "$(health 2)"

# Two idle connections fill the cap: a third client waits.
exec 5<>"/dev/tcp/127.0.0.1/$PORT"
exec 6<>"/dev/tcp/127.0.0.1/$PORT"
sleep 0.2
expect_eq "a third connection waits at the cap" 000 "$(health 1 || true)"
check "the pause is logged" grep -q "connections open: not accepting more" "$LOG"
exec 5>&- 5<&-
sleep 0.2
expect_eq "served again once one closes" 200 "$(health 2)"

# The idle connection left is closed by the daemon after the timeout.
start=$(date +%s)
if read -r -t 10 _ <&6; then fail "the idle connection sent data"; fi
elapsed=$(( $(date +%s) - start ))
CHECKS=$((CHECKS + 1))
[ "$elapsed" -le 5 ] || fail "idle connection not closed within the timeout (${elapsed}s)"
exec 6>&- 6<&-

# A header larger than max_header_bytes is refused.
big=$(head -c 4000 /dev/zero | tr '\0' 'x')
code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' -H "X-Filler: $big" "$URL/v1/health")
expect_eq "oversize headers refused" 400 "$code"
expect_eq "still serving" 200 "$(health 2)"

# --- Submissions per peer: submit_limit in submit_window_seconds ---------
# A restart with a small limit; each token user and the socket's uid is a
# peer of its own.
stop_daemon
for u in sub1 sub2 sub3; do token "$u"; done
rm -f "$CONF"
EXTRA_CONF=$'[daemon]\nsubmit_limit = 3\nsubmit_window_seconds = 60'
start_daemon
officer eth1 ethics
ncases() { sqlite3 "$STATE/mandate.db" 'select count(*) from cases'; }
# post USER KEY TITLE: a valid submission over TCP (KEY: an Idempotency-Key,
# or -); prints "STATUS CODE RETRY-AFTER".
post() {
	hdr=()
	[ "$2" = - ] || hdr=(-H "Idempotency-Key: $2")
	curl -s -D "$T/post.hdr" -o "$T/post.json" -w '%{http_code}' "${hdr[@]}" \
		-H "Authorization: Bearer $(cat "$T/token-$1")" -H 'Content-Type: application/json' \
		--data-binary "{\"title\":\"$3\",\"narrative\":\"A manager shouts at staff ($3).\",\"category\":\"misconduct\"}" \
		"$URL/v1/cases" >"$T/post.code"
	ra=$(tr -d '\r' <"$T/post.hdr" | sed -n 's/^[Rr]etry-[Aa]fter: //p')
	echo "$(cat "$T/post.code") $(jq -r '.error.code // .replayed // "-"' "$T/post.json") ${ra:--}"
}
key1=limits-key-$RANDOM-000001
expect_eq "sub1: first submission" "201 - -" "$(post sub1 "$key1" One)"
expect_eq "sub1: second" "201 - -" "$(post sub1 - Two)"
expect_eq "sub1: third, the limit" "201 - -" "$(post sub1 - Three)"
before=$(ncases)
got=$(post sub1 - Four)
echo "sub1 fourth submission: $got; cases before $before, after $(ncases)"
expect_eq "sub1: the fourth is refused" "429 too_many_requests" "${got% *}"
ra=${got##* }
CHECKS=$((CHECKS + 1))
[[ "$ra" =~ ^[0-9]+$ ]] && [ "$ra" -ge 1 ] && [ "$ra" -le 60 ] ||
	fail "Retry-After should be 1..60 seconds, got [$ra]"
check "the message says submissions and when to retry" \
	grep -q "too many submissions from you: try again in $ra seconds" "$T/post.json"
expect_eq "the refusal stores nothing" "$before" "$(ncases)"
check "the refusal is logged" grep -q "intake: submission refused: the per-peer limit of 3 in 60 s is reached" "$LOG"
expect_eq "sub1: a replay of a stored submission is still answered" "200 true -" "$(post sub1 "$key1" One)"
expect_eq "the replay stores nothing" "$before" "$(ncases)"
printf 'Five\nA manager shouts at staff (five).\n' >"$T/five.txt"
expect_status "the client exits 75 (EX_TEMPFAIL) at the limit" 75 \
	as sub1 "$MANDATE" submit --category misconduct <"$T/five.txt"
check "the client shows the daemon's message" grep -q "too many submissions" "$T/err"

# Another peer is not affected; its replays and refused bodies do not count.
key2=limits-key-$RANDOM-000002
expect_eq "sub2: first submission" "201 - -" "$(post sub2 "$key2" Alpha)"
expect_eq "sub2: a replay" "200 true -" "$(post sub2 "$key2" Alpha)"
expect_eq "sub2: another replay" "200 true -" "$(post sub2 "$key2" Alpha)"
bad=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $(cat "$T/token-sub2")" \
	-H 'Content-Type: application/json' --data-binary '{"title":"x"}' "$URL/v1/cases" |
	awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}')
expect_eq "sub2: an invalid body is refused, not counted" "422 missing_field" "$(status_code "$bad")"
expect_eq "sub2: second stored" "201 - -" "$(post sub2 - Bravo)"
expect_eq "sub2: third stored" "201 - -" "$(post sub2 - Charlie)"
expect_eq "sub2: the fourth stored one is refused" "429 too_many_requests" "$(post sub2 - Delta | cut -d' ' -f1-2)"

# The Unix socket's peer is its uid; an anonymous submission counts there
# too, and neither the refusal nor anything else in the log names the uid.
for n in 1 2 3; do
	printf 'Sock %s\nFuel is stolen from the depot (%s).\n' "$n" "$n" |
		"$MANDATE" submit --anonymous --category misconduct >/dev/null 2>"$T/sock.err" ||
		fail "socket submission $n: $(cat "$T/sock.err")"
done
got=$(raw POST /v1/cases '{"title":"Sock 4","narrative":"Fuel again.","category":"misconduct","anonymous":true}')
expect_eq "socket: the fourth is refused" "429 too_many_requests" "$(status_code "$got")"
CHECKS=$((CHECKS + 1))
if grep -q "uid:$(id -u)" "$LOG"; then fail "the daemon's log holds the socket peer's key"; fi
CHECKS=$((CHECKS + 1))
if grep 'submission refused' "$LOG" | grep -qwF -e "$(id -un)" -e "$(id -u)" -e sub1 -e sub2; then
	fail "a refusal names its peer"
fi
echo "submission refusals logged: $(grep -c 'submission refused' "$LOG")"
expect_eq "four refusals logged" 4 "$(grep -c 'submission refused' "$LOG")"

# No token, no submission at all.
expect_eq "anonymous TCP peer: 401" "401 unauthenticated" \
	"$(status_code "$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' \
		--data-binary '{"title":"t","narrative":"n"}' "$URL/v1/cases" |
		awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}')")"

# The window passes (the test clock moves on 61 s at a reload): sub1 may
# submit again.
printf '[daemon]\nclock_offset_seconds = 61\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
for _ in $(seq 1 50); do grep -q "config: reloaded" "$LOG" && break; sleep 0.05; done
expect_eq "sub1: a new window" "201 - -" "$(post sub1 - Six)"
finish
