#!/bin/bash
# Lifecycle: SIGHUP reloads the configuration or keeps the old one,
# SIGTERM stops cleanly, socket activation, refusing root, and refusing a
# database from a newer schema.
. "$(dirname "$0")/lib.sh"

token staff
start_daemon

# An invalid configuration on SIGHUP: logged, old one kept.
cp "$CONF" "$T/good.conf"
printf '[daemon]\nmax_connections = lots\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
for _ in $(seq 1 50); do grep -q "reload failed" "$LOG" && break; sleep 0.05; done
check "invalid reload is logged" grep -q "config: reload failed, keeping the running configuration and rules: $CONF:" "$LOG"
expect_status "still serving after a bad reload" 0 "$MANDATE" health

# Valid rules that send everything to legal, swapped in on SIGHUP.
cat >"$T/legal.rules" <<'RULES'
recusal legal-alternate
	unit legal
	alternate ethics
recusal ethics-alternate
	unit ethics
	alternate legal
recusal ombudsperson-alternate
	unit ombudsperson
	alternate ethics
recusal inspector-general-alternate
	unit inspector-general
	alternate ethics
rule everything-to-legal
	route legal
RULES
cp "$T/good.conf" "$CONF"
sed -i "s|^\[daemon\]|[daemon]\nrules = $T/legal.rules|" "$CONF"
kill -HUP "$DAEMON_PID"
for _ in $(seq 1 50); do grep -q "config: reloaded" "$LOG" && break; sleep 0.05; done
printf 'Fraud\nSomeone embezzled funds.\n' >"$T/case.txt"
"$MANDATE" route --json <"$T/case.txt" >"$T/route.json"
expect_eq "new rules in force after SIGHUP" "legal everything-to-legal" "$(jq -r '"\(.unit) \(.rule)"' "$T/route.json")"

# SIGTERM: clean stop, exit status 0.
kill -TERM "$DAEMON_PID"
set +e
wait "$DAEMON_PID"
status=$?
set -e
DAEMON_PID=
expect_eq "SIGTERM exits 0" 0 "$status"
check "stop is logged" grep -q "stopped" "$LOG"

# Socket activation: systemd hands over the listening socket.
if command -v systemd-socket-activate >/dev/null; then
	rm -f "$SOCK"
	cp "$T/good.conf" "$CONF"
	systemd-socket-activate -l "$SOCK" "$MANDATED" -f -c "$CONF" 2>>"$LOG" &
	DAEMON_PID=$!
	for _ in $(seq 1 100); do "$MANDATE" health >/dev/null 2>&1 && break; sleep 0.05; done
	expect_status "serves on an activated socket" 0 "$MANDATE" health
	check "activation is logged" grep -q "socket(s) from systemd" "$LOG"
	stop_daemon

	# A second socket named "metrics" (mandated-metrics.socket) serves
	# GET /metrics alone; the configured TCP addresses are not opened.
	rm -f "$SOCK"
	MPORT=$(free_port)
	systemd-socket-activate -l "$SOCK" -l "127.0.0.1:$MPORT" \
		--fdname=mandated:metrics "$MANDATED" -f -c "$CONF" 2>>"$LOG" &
	DAEMON_PID=$!
	for _ in $(seq 1 100); do "$MANDATE" health >/dev/null 2>&1 && break; sleep 0.05; done
	expect_status "serves the Unix socket beside the metrics one" 0 "$MANDATE" health
	check "1 of 2 activated sockets is for metrics" \
		grep -q "2 socket(s) from systemd, 1 of them for GET /metrics" "$LOG"
	check "listen_tcp is said not to be opened" \
		grep -q "not opened under socket activation" "$LOG"
	expect_eq "GET /metrics on the named socket" 200 \
		"$(curl -s -o "$T/m" -w '%{http_code}' "http://127.0.0.1:$MPORT/metrics")"
	check "it is the exposition" grep -q "^mandate_build_info" "$T/m"
	expect_eq "nothing else on the named socket" 404 \
		"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/v1/health")"
	stop_daemon
fi

# A database from a newer schema is refused with a clear message.
sqlite3 "$STATE/mandate.db" 'PRAGMA user_version = 99'
expect_status "newer schema refused" 70 "$MANDATED" -f -c "$CONF"
check "message names both versions" grep -q "schema version 99, newer than the" "$T/err"

# Root is refused unless allowed.
if [ "$(id -u)" -eq 0 ]; then
	grep -v '^allow_root' "$CONF" >"$T/noroot.conf"
	expect_status "root refused" 70 "$MANDATED" -f -c "$T/noroot.conf"
	check "root refusal explained" grep -q "refusing to run as root" "$T/err"
fi
finish
