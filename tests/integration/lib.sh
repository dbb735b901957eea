# Shared by the integration tests: a real mandated on a temporary socket
# and state directory, driven by the real mandate client.
#
# Environment (set by ctest): MANDATED, MANDATE, MANDATE_SOURCE_DIR.
#
# MANDATE_VALGRIND=1 runs the daemon that start_daemon starts under
# valgrind's memcheck (MANDATE_VALGRIND=2: the client too): any error or
# definite leak fails the test, with valgrind's report.  Daemons a test
# starts by hand, and offline runs of "$MANDATED", run without it.
set -eu

: "${MANDATED:?path of mandated}" "${MANDATE:?path of mandate}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mandate-test.XXXXXX")
STATE=$T/state
SOCK=$T/mandated.sock
CONF=$T/mandated.conf
LOG=$T/mandated.log
PASS=correct-horse-battery-staple
DAEMON_PID=
FAILS=0
CHECKS=0
export MANDATE_SOCKET=$SOCK
unset MANDATE_URL MANDATE_TOKEN_FILE MANDATE_KEY || true

VALGRIND=()
MANDATE_PLAIN=$MANDATE
START_TRIES=100
if [ "${MANDATE_VALGRIND:-0}" != 0 ]; then
	command -v valgrind >/dev/null || { echo "MANDATE_VALGRIND: no valgrind" >&2; exit 1; }
	VALGRIND=(valgrind --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --show-leak-kinds=definite
		--track-fds=no -q --log-file="$T/valgrind.%p")
	supp=${MANDATE_SOURCE_DIR:-$(dirname "$0")/../..}/tests/valgrind.supp
	[ -f "$supp" ] && VALGRIND+=(--suppressions="$supp")
	START_TRIES=1200 # a minute
	if [ "$MANDATE_VALGRIND" = 2 ]; then
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${VALGRIND[*]}" "$MANDATE" >"$T/mandate"
		chmod +x "$T/mandate"
		MANDATE=$T/mandate
	fi
fi

# Fails the test for every non-empty valgrind report (the daemon's, and
# under MANDATE_VALGRIND=2 the client's), printing it; reports are
# checked once.
valgrind_reports() {
	local f
	for f in "$T"/valgrind.*; do
		[ -e "$f" ] || continue
		if [ -s "$f" ]; then
			fail "valgrind: $(basename "$f"):"
			cat "$f" >&2
		fi
		mv "$f" "$T/checked-${f##*/}"
	done
}

cleanup() {
	rc=$?
	stop_daemon
	[ ${#VALGRIND[@]} -eq 0 ] || valgrind_reports
	if [ "$FAILS" -eq 0 ] && [ "$rc" -eq 0 ]; then
		rm -rf "$T"
	else
		echo "kept $T; daemon log:" >&2
		tail -n 20 "$LOG" >&2 2>/dev/null || true
	fi
	# A failure found here (valgrind's), after finish: the test fails.
	if [ "$FAILS" -ne 0 ] && [ "$rc" -eq 0 ]; then exit 1; fi
}
trap cleanup EXIT

fail() {
	FAILS=$((FAILS + 1))
	echo "FAIL: $*" >&2
}

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
	CHECKS=$((CHECKS + 1))
	desc=$1
	shift
	"$@" || fail "$desc"
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
	CHECKS=$((CHECKS + 1))
	[ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
}

# expect_status DESCRIPTION STATUS COMMAND...: the exit status must be STATUS.
expect_status() {
	CHECKS=$((CHECKS + 1))
	desc=$1 want=$2
	shift 2
	set +e
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	set -e
	[ "$got" = "$want" ] || fail "$desc: exit $got, expected $want: $(cat "$T/err")"
}

# A free TCP port on the loopback interface, below the kernel's range of
# ephemeral ports so that no client connection can be holding it.
free_port() {
	for _ in $(seq 1 50); do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 12000))
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }
	done
	echo 0
}

PORT=$(free_port)
URL=http://127.0.0.1:$PORT

# token USER: creates a bearer token for USER (file $T/token-USER).
token() {
	t=$T/token-$1
	(umask 077; od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$t")
	echo "$1 = $("$MANDATED" --hash-token <"$t")" >>"$T/tokens.conf"
}

write_conf() {
	{
		echo "[daemon]"
		echo "state_directory = $STATE"
		echo "socket = $SOCK"
		echo "listen_tcp = 127.0.0.1:$PORT"
		echo "log_level = debug"
		if [ "$(id -u)" -eq 0 ]; then echo "allow_root = yes"; fi
		echo "[roles]"
		echo "auditor_users = auditor"
		echo "admin_users = admin"
		echo "[tokens]"
		cat "$T/tokens.conf"
		if [ -n "${EXTRA_CONF:-}" ]; then printf '%s\n' "$EXTRA_CONF"; fi
	} >"$CONF"
}

start_daemon() {
	[ -f "$CONF" ] || write_conf
	for attempt in 1 2 3 4 5; do
		"${VALGRIND[@]}" "$MANDATED" -f -c "$CONF" 2>>"$LOG" &
		DAEMON_PID=$!
		for _ in $(seq 1 "$START_TRIES"); do
			"$MANDATE_PLAIN" health >/dev/null 2>&1 && return 0
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.05
		done
		wait "$DAEMON_PID" 2>/dev/null || true
		DAEMON_PID=
		# Another test took the port between the probe and the bind:
		# draw another one.
		tail -n 1 "$LOG" | grep -q "Address already in use" || break
		PORT=$(free_port)
		URL=http://127.0.0.1:$PORT
		sed -i "s/^listen_tcp = .*/listen_tcp = 127.0.0.1:$PORT/" "$CONF"
	done
	echo "mandated did not start:" >&2
	cat "$LOG" >&2
	exit 1
}

stop_daemon() {
	local st=0
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null || st=$?
	if [ ${#VALGRIND[@]} -gt 0 ]; then
		[ "$st" -ne 99 ] || fail "valgrind: the daemon exited 99 (memcheck errors)"
		valgrind_reports
	fi
	DAEMON_PID=
}

# as USER COMMAND...: runs the client as USER over TCP with their token.
as() {
	u=$1
	shift
	MANDATE_URL=$URL MANDATE_TOKEN_FILE=$T/token-$u "$@"
}

# officer USER UNIT: a key pair for USER, enrolled in UNIT by the admin.
officer() {
	key=$T/$1.key
	[ -f "$key" ] || printf '%s\n' "$PASS" |
		"$MANDATE" keys init -o "$key" --kdf interactive --passphrase-fd 0 >/dev/null
	"$MANDATE" officers add --unit "$2" --user "$1" --key "$key.pub" >/dev/null
}

# raw METHOD PATH [BODY]: curl on the Unix socket; prints "STATUS BODY".
raw() {
	if [ $# -ge 3 ]; then
		curl -s --unix-socket "$SOCK" -X "$1" -H 'Content-Type: application/json' \
			--data-binary "$3" -w '\n%{http_code}' "http://localhost$2"
	else
		curl -s --unix-socket "$SOCK" -X "$1" -w '\n%{http_code}' "http://localhost$2"
	fi | awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}'
}

# raw_as USER METHOD PATH: curl over TCP with USER's token; prints
# "STATUS BODY".
raw_as() {
	curl -s -H "Authorization: Bearer $(cat "$T/token-$1")" -X "$2" \
		-w '\n%{http_code}' "$URL$3" |
		awk 'NR==1{body=$0} NR>1{code=$0} END{print code, body}'
}

# status_code "STATUS BODY": "STATUS CODE" with the error code of the body.
status_code() {
	echo "${1%% *} $(jq -r .error.code <<<"${1#* }" 2>/dev/null)"
}

finish() {
	echo "$CHECKS checks, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
