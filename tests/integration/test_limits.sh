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
finish
