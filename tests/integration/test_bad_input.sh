#!/bin/bash
# The bad-input catalogue: every class of bad input a client can send gets
# its exact refusal (HTTP status, error code, field) and changes nothing.
# One table below, one named row per variant, grouped into classes; after
# the whole catalogue the database is the same to the byte (a digest of
# its dump, the row counts of every table and the length of the audit
# chain, taken with the daemon running) and the daemon still answers.
#
# Each row's command prints "STATUS CODE FIELD": the HTTP status (or
# "closed" when the connection ended without a reply), the error code of
# a JSON error body and its field ("-" for none; evhttp's own pages for
# requests it refuses before the daemon sees them carry no code).
. "$(dirname "$0")/lib.sh"

token eth1
token staff
token auditor
# A short timeout for the slow client; enough wrong receipts allowed for
# the receipt rows, with the rate limit as a row of its own.
EXTRA_CONF=$'[daemon]\ntimeout_seconds = 2\nreceipt_failures = 12'
start_daemon
officer eth1 ethics
DB=$STATE/mandate.db

# --- Sending requests ---------------------------------------------------

# scf, "STATUS BODY" on stdin: prints "STATUS CODE FIELD".
scf() {
	local out status body
	out=$(cat)
	status=${out%% *}
	body=${out#"$status"}
	body=${body# }
	[ -n "$status" ] || status=closed
	if [ -z "$body" ]; then
		echo "$status - -"
		return
	fi
	printf '%s %s %s\n' "$status" \
		"$(jq -r '.error.code // "-"' <<<"$body" 2>/dev/null || echo -)" \
		"$(jq -r '.error.field // "-"' <<<"$body" 2>/dev/null || echo -)" |
		sed 's/  */ /g; s/ $/ -/'
}

# sock METHOD PATH [CURL-ARGS...]: a request on the Unix socket (as the
# daemon's own user: administrator and staff).
sock() {
	local m=$1 p=$2
	shift 2
	curl -s --path-as-is --unix-socket "$SOCK" -X "$m" "$@" \
		-w '\n%{http_code}' "http://localhost$p" |
		awk '{a[NR]=$0} END{body=""; for(i=1;i<NR;i++) body=body a[i]; print a[NR], body}' | scf
}

# json METHOD PATH BODY [CURL-ARGS...]: BODY as application/json.
json() {
	local m=$1 p=$2 b=$3
	shift 3
	printf '%s' "$b" >"$T/body"
	sock "$m" "$p" -H 'Content-Type: application/json' --data-binary @"$T/body" "$@"
}

# bytes METHOD PATH PRINTF-FORMAT: a body of raw bytes (printf escapes).
bytes() {
	# shellcheck disable=SC2059
	printf "$3" >"$T/body"
	sock "$1" "$2" -H 'Content-Type: application/json' --data-binary @"$T/body"
}

# tcp_as USER METHOD PATH [CURL-ARGS...]: over TCP with USER's token.
tcp_as() {
	local u=$1 m=$2 p=$3
	shift 3
	curl -s --path-as-is -X "$m" -H "Authorization: Bearer $(cat "$T/token-$u")" "$@" \
		-w '\n%{http_code}' "$URL$p" |
		awk '{a[NR]=$0} END{body=""; for(i=1;i<NR;i++) body=body a[i]; print a[NR], body}' | scf
}

# wire FILE: the bytes of FILE, as they are, to the TCP listener; the
# first reply parsed, or "closed" when the daemon closes without one.
wire() {
	local reply status
	exec 7<>"/dev/tcp/127.0.0.1/$PORT"
	cat "$1" >&7 2>/dev/null || true
	reply=$(timeout 10 cat <&7 2>/dev/null | tr -d '\r' | head -c 65536 || true)
	exec 7>&- 7<&-
	status=$(sed -n '1s/^HTTP\/1\.[01] \([0-9]*\).*/\1/p' <<<"$reply")
	printf '%s %s\n' "$status" "$(awk 'f{printf "%s", $0} /^$/{f=1}' <<<"$reply")" | scf
}

# req_file FILE USER REQUEST-LINE [HEADER...]: writes an HTTP request
# (no body) with USER's token and Connection: close.
req_file() {
	local f=$1 u=$2 line=$3
	shift 3
	{
		printf '%s\r\nHost: localhost\r\nConnection: close\r\n' "$line"
		[ "$u" = - ] || printf 'Authorization: Bearer %s\r\n' "$(cat "$T/token-$u")"
		for h in "$@"; do printf '%s\r\n' "$h"; done
	} >"$f"
}

# wire_req USER REQUEST-LINE [HEADER...] [-- BODY-PRINTF]: builds and sends.
wire_req() {
	local u=$1 line=$2 body=
	shift 2
	local hs=()
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then body=$2; break; fi
		hs+=("$1")
		shift
	done
	req_file "$T/wire" "$u" "$line" "${hs[@]}"
	# shellcheck disable=SC2059
	{ printf '\r\n'; printf "$body"; } >>"$T/wire"
	wire "$T/wire"
}

# --- The state that must not change -------------------------------------

tables=$(sqlite3 "$DB" "select name from sqlite_master where type = 'table' order by name")
db_state() {
	local t
	printf 'dump %s;' "$(sqlite3 "$DB" .dump | sha256sum | cut -c1-16)"
	for t in $tables; do printf ' %s=%s' "$t" "$(sqlite3 "$DB" "select count(*) from \"$t\"")"; done
	printf '; audit chain %s\n' "$(sqlite3 "$DB" 'select count(*) || "/" || coalesce(max(seq), 0) from audit')"
}
before=$(db_state)
echo "before: $before"

# --- The catalogue ------------------------------------------------------

CLASSES=()
declare -A class_ok class_rows
ROWS=0
ROWS_OK=0

# row CLASS VARIANT EXPECTED COMMAND...: runs COMMAND, which prints
# "STATUS CODE FIELD", and compares it with EXPECTED.
row() {
	local class=$1 variant=$2 want=$3 got
	shift 3
	if [ -z "${class_rows[$class]:-}" ]; then
		CLASSES+=("$class")
		class_rows[$class]=0
		class_ok[$class]=0
	fi
	got=$("$@" 2>"$T/row.err" || echo "error")
	# Figures a row's command prints of its own (the slow client's).
	grep '^    ' "$T/row.err" || true
	ROWS=$((ROWS + 1))
	class_rows[$class]=$((class_rows[$class] + 1))
	if [ "$got" = "$want" ]; then
		ROWS_OK=$((ROWS_OK + 1))
		class_ok[$class]=$((class_ok[$class] + 1))
		printf '  ok    %-26s %-44s %s\n' "$class" "$variant" "$got"
	else
		printf '  FAIL  %-26s %-44s %s (expected %s)\n' "$class" "$variant" "$got" "$want"
	fi
	expect_eq "$class: $variant" "$want" "$got"
}

T_OK='"title":"t","narrative":"n"'
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }
# repeat STRING N: STRING N times.
repeat() { local i s=; for ((i = 0; i < $2; i++)); do s+=$1; done; printf '%s' "$s"; }

row "malformed JSON" "cut short after a colon" "400 bad_json -" json POST /v1/cases '{"title": "x", "narrative": '
row "malformed JSON" "bare words as keys" "400 bad_json -" json POST /v1/cases '{title:"t",narrative:"n"}'
row "malformed JSON" "trailing garbage" "400 bad_json -" json POST /v1/cases "{$T_OK} x"
row "malformed JSON" "trailing comma" "400 bad_json -" json POST /v1/cases "{$T_OK,}"
row "malformed JSON" "single quotes" "400 bad_json -" json POST /v1/cases "{'title':'t','narrative':'n'}"
row "malformed JSON" "an array, not an object" "400 bad_json -" json POST /v1/cases '["title"]'
row "malformed JSON" "a bare string" "400 bad_json -" json POST /v1/cases '"title"'
row "malformed JSON" "null" "400 bad_json -" json POST /v1/cases 'null'
row "malformed JSON" "two objects" "400 bad_json -" json POST /v1/cases "{$T_OK}{$T_OK}"

row "truncated JSON" "no closing brace" "400 bad_json -" json POST /v1/cases "{$T_OK"
row "truncated JSON" "inside a key" "400 bad_json -" json POST /v1/cases '{"title":"t","narr'
row "truncated JSON" "after a backslash" "400 bad_json -" json POST /v1/cases '{"title":"t","narrative":"n\'
row "truncated JSON" "inside a \\u escape" "400 bad_json -" json POST /v1/cases '{"title":"t","narrative":"\u00'
row "truncated JSON" "dry run, inside an array" "400 bad_json -" json POST /v1/route '{"title":"t","narrative":"n","subjects":["a",'

row "empty body" "nothing at all" "400 bad_json -" json POST /v1/cases ''
row "empty body" "only white space" "400 bad_json -" json POST /v1/cases $'  \n\t '
row "empty body" "dry run, nothing" "400 bad_json -" json POST /v1/route ''

row "duplicate keys" "title twice" "400 bad_json -" json POST /v1/cases '{"title":"a","title":"b","narrative":"n"}'
row "duplicate keys" "same value twice" "400 bad_json -" json POST /v1/cases "{$T_OK,\"narrative\":\"n\"}"
row "duplicate keys" "dry run, category twice" "400 bad_json -" json POST /v1/route "{$T_OK,\"category\":\"fraud\",\"category\":\"legal\"}"
row "duplicate keys" "officer enrolment" "400 bad_json -" json POST /v1/officers '{"unit":"ethics","unit":"legal","user":"x","public_key":"AA=="}'

row "unknown fields" "colour" "422 unknown_field colour" json POST /v1/cases "{$T_OK,\"colour\":\"red\"}"
row "unknown fields" "case-folded known name" "422 unknown_field Title" json POST /v1/cases "{$T_OK,\"Title\":\"t\"}"
row "unknown fields" "empty key" "422 unknown_field -" json POST /v1/cases "{$T_OK,\"\":1}"
row "unknown fields" "id outside the dry run" "422 unknown_field id" json POST /v1/cases "{$T_OK,\"id\":\"x\"}"
row "unknown fields" "officer enrolment" "422 unknown_field colour" json POST /v1/officers '{"unit":"ethics","user":"x","public_key":"AA==","colour":1}'

row "wrong types" "number for string (title)" "422 wrong_type title" json POST /v1/cases '{"title":5,"narrative":"n"}'
row "wrong types" "array for string (narrative)" "422 wrong_type narrative" json POST /v1/cases '{"title":"t","narrative":["n"]}'
row "wrong types" "string for bool (anonymous)" "422 wrong_type anonymous" json POST /v1/cases "{$T_OK,\"anonymous\":\"yes\"}"
row "wrong types" "number for bool (anonymous)" "422 wrong_type anonymous" json POST /v1/cases "{$T_OK,\"anonymous\":1}"
row "wrong types" "object for array (subjects)" "422 wrong_type subjects" json POST /v1/cases "{$T_OK,\"subjects\":{}}"
row "wrong types" "number in array (subjects)" "422 wrong_type subjects" json POST /v1/cases "{$T_OK,\"subjects\":[1]}"
row "wrong types" "bool for string (category)" "422 wrong_type category" json POST /v1/cases "{$T_OK,\"category\":true}"
row "wrong types" "object for string (language)" "422 wrong_type language" json POST /v1/cases "{$T_OK,\"language\":{}}"

deep_arr=$(repeat '[' 10000)$(repeat ']' 10000)
deep_obj=$(repeat '{"a":' 10000)1$(repeat '}' 10000)
row "deep nesting" "10000 [" "400 bad_json -" json POST /v1/cases "$deep_arr"
row "deep nesting" "10000 [ unclosed" "400 bad_json -" json POST /v1/cases "$(repeat '[' 10000)"
row "deep nesting" "10000 {\"a\": in a field" "400 bad_json -" json POST /v1/cases "{$T_OK,\"subjects\":$deep_obj}"
row "deep nesting" "40 [ in subjects" "400 bad_json -" json POST /v1/cases "{$T_OK,\"subjects\":$(repeat '[' 40)$(repeat ']' 40)}"

row "invalid UTF-8" "Latin-1 byte" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"caf\xe9","narrative":"n"}'
row "invalid UTF-8" "overlong slash (C0 AF)" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\xc0\xaf","narrative":"n"}'
row "invalid UTF-8" "overlong NUL (E0 80 80)" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\xe0\x80\x80","narrative":"n"}'
row "invalid UTF-8" "encoded surrogate (ED A0 80)" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\xed\xa0\x80","narrative":"n"}'
row "invalid UTF-8" "truncated sequence (E2 82)" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"t","narrative":"\xe2\x82"}'
row "invalid UTF-8" "truncated at the end" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"t","narrative":"n"}\xf0\x9f'
row "invalid UTF-8" "lone continuation byte" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\x80","narrative":"n"}'
row "invalid UTF-8" "beyond U+10FFFF (F4 90)" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\xf4\x90\x80\x80","narrative":"n"}'
row "invalid UTF-8" "FE FF bytes" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"\xfe\xff","narrative":"n"}'
row "invalid UTF-8" "in a key" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"t","narrative":"n","\xff":1}'

row "NUL bytes" "\\u0000 escape in title" "400 bad_json -" json POST /v1/cases '{"title":"a\u0000b","narrative":"n"}'
row "NUL bytes" "\\u0000 escape in narrative" "400 bad_json -" json POST /v1/cases '{"title":"t","narrative":"n\u0000"}'
row "NUL bytes" "\\u0000 escape in a key" "400 bad_json -" json POST /v1/cases "{$T_OK,\"a\\u0000\":1}"
row "NUL bytes" "raw NUL in a string" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"a\0b","narrative":"n"}'
row "NUL bytes" "raw NUL after the object" "400 bad_utf8 -" bytes POST /v1/cases '{"title":"t","narrative":"n"}\0'

long=$(rep a 201)
row "overlong strings" "title of 201 characters" "422 too_long title" json POST /v1/cases "{\"title\":\"$long\",\"narrative\":\"n\"}"
row "overlong strings" "title of 201 two-byte characters" "422 too_long title" json POST /v1/cases "{\"title\":\"$(repeat 'é' 201)\",\"narrative\":\"n\"}"
row "overlong strings" "narrative of 64 KiB + 1" "422 too_long narrative" json POST /v1/cases "{\"title\":\"t\",\"narrative\":\"$(rep a 65537)\"}"
row "overlong strings" "a subject of 201 characters" "422 too_long subjects" json POST /v1/cases "{$T_OK,\"subjects\":[\"$long\"]}"
row "overlong strings" "eleven subjects" "422 too_long subjects" json POST /v1/cases "{$T_OK,\"subjects\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}"
row "overlong strings" "language tag of 300 characters" "422 too_long language" json POST /v1/cases "{$T_OK,\"language\":\"$(rep a 300)\"}"

# Over the route's limit (in the daemon) and over max_body_bytes (in evhttp,
# which answers with its own page), with a length and chunked.
{ printf '{"title":"t","narrative":"'; rep a 600000; printf '"}'; } >"$T/big600k.json"
{ printf '{"title":"t","narrative":"'; rep a 1100000; printf '"}'; } >"$T/big1m.json"
row "oversize body" "over the route's limit" "413 body_too_large -" sock POST /v1/cases -H 'Content-Type: application/json' --data-binary @"$T/big600k.json"
row "oversize body" "over max_body_bytes, Content-Length" "413 - -" sock POST /v1/cases -H 'Content-Type: application/json' --data-binary @"$T/big1m.json"
row "oversize body" "over max_body_bytes, chunked" "413 - -" sock POST /v1/cases -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big1m.json"
row "oversize body" "Content-Length over max_body_bytes, no body" "413 - -" \
	wire_req staff "POST /v1/cases HTTP/1.1" "Content-Type: application/json" "Content-Length: 99999999999"
row "oversize body" "a body on a GET" "400 bad_json -" sock GET /v1/health -H 'Content-Type: application/json' --data-binary '{}'

row "length and chunked" "Content-Length and Transfer-Encoding" "400 - -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Content-Length: 29" "Transfer-Encoding: chunked" -- '1d\r\n{"title":"t","narrative":"n"}\r\n0\r\n\r\n'
row "length and chunked" "two different Content-Lengths" "400 - -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Content-Length: 29" "Content-Length: 5" -- '{"title":"t","narrative":"n"}'
row "length and chunked" "negative Content-Length" "400 - -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Content-Length: -1" -- '{}'
row "length and chunked" "Content-Length not a number" "400 - -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Content-Length: 2x" -- '{}'
# evhttp answers a chunk it cannot read as it does a body too large.
row "length and chunked" "bad chunk size" "413 - -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Transfer-Encoding: chunked" -- 'zz\r\n{}\r\n0\r\n\r\n'
# evhttp reads no body under a coding it does not know: "no JSON".
row "length and chunked" "Transfer-Encoding gzip" "400 bad_json -" \
	wire_req staff "POST /v1/route HTTP/1.1" "Content-Type: application/json" "Transfer-Encoding: gzip" -- '{}'

row "bad Content-Type" "text/plain" "415 bad_content_type -" sock POST /v1/cases -H 'Content-Type: text/plain' --data-binary "{$T_OK}"
row "bad Content-Type" "none" "415 bad_content_type -" sock POST /v1/cases -H 'Content-Type:' --data-binary "{$T_OK}"
row "bad Content-Type" "form (curl's default)" "415 bad_content_type -" sock POST /v1/cases --data-binary "{$T_OK}"
row "bad Content-Type" "application/jsonx" "415 bad_content_type -" sock POST /v1/cases -H 'Content-Type: application/jsonx' --data-binary "{$T_OK}"
row "bad Content-Type" "multipart" "415 bad_content_type -" sock POST /v1/cases -F "f=x"

flood=()
for i in $(seq 1 600); do flood+=("X-Flood-$i: $i"); done
row "header flood" "600 headers" "400 - -" wire_req staff "GET /v1/health HTTP/1.1" "${flood[@]}"
row "header flood" "one header of 10 KB" "400 - -" wire_req staff "GET /v1/health HTTP/1.1" "X-Filler: $(rep x 10000)"
row "header flood" "a header without a colon" "400 - -" wire_req staff "GET /v1/health HTTP/1.1" "Broken header"
row "header flood" "request line of 10 KB" "400 - -" wire_req staff "GET /v1/$(rep a 10000) HTTP/1.1"

# slow CLIENT: the request line, then a header trickled slower than the
# 2 s timeout: the daemon closes the connection without a reply, and
# serves another client meanwhile.  Prints "closed - -" and the figures.
slowloris() {
	local start mid end reply served
	exec 8<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'GET /v1/health HTTP/1.1\r\nHost: localhost\r\n' >&8
	sleep 1
	printf 'Authorization: Bearer ' >&8
	start=$(date +%s%N)
	served=$(tcp_as staff GET /v1/health)
	mid=$(date +%s%N)
	reply=$(timeout 15 cat <&8 | head -c 100 || true)
	end=$(date +%s%N)
	exec 8>&- 8<&-
	echo "    slow client: another client served in $(((mid - start) / 1000000)) ms ($served)," \
		"connection closed $(((end - start) / 1000000)) ms after the last byte, ${#reply} bytes of reply" >&2
	[ "$served" = "200 - -" ] || { echo "not served meanwhile"; return; }
	[ $(((end - start) / 1000000)) -ge 1500 ] && [ $(((end - start) / 1000000)) -le 12000 ] ||
		{ echo "closed at the wrong time"; return; }
	[ -z "$reply" ] && echo "closed - -" || echo "replied"
}
# and a client that sends nothing at all.
silent() {
	local start end reply
	exec 8<>"/dev/tcp/127.0.0.1/$PORT"
	start=$(date +%s%N)
	reply=$(timeout 15 cat <&8 | head -c 100 || true)
	end=$(date +%s%N)
	exec 8>&- 8<&-
	echo "    silent client: closed after $(((end - start) / 1000000)) ms" >&2
	[ $(((end - start) / 1000000)) -ge 1500 ] && [ $(((end - start) / 1000000)) -le 12000 ] ||
		{ echo "closed at the wrong time"; return; }
	[ -z "$reply" ] && echo "closed - -" || echo "replied"
}
row "slow client" "header trickled past the timeout" "closed - -" slowloris
row "slow client" "connects and says nothing" "closed - -" silent

row "bad paths" "/v1/../etc" "404 not_found -" sock GET /v1/../etc
row "bad paths" "/v1/cases/../health" "404 not_found -" sock GET /v1/cases/../health
row "bad paths" "//" "404 not_found -" sock GET //
row "bad paths" "//v1//health" "404 not_found -" sock GET //v1//health
row "bad paths" "trailing slash" "404 not_found -" sock GET /v1/health/
row "bad paths" "percent-encoded slash" "404 not_found -" sock GET /v1/cases%2Fx
row "bad paths" "percent-encoded NUL" "404 not_found -" sock GET /v1/health%00
row "bad paths" "broken percent escape" "404 not_found -" sock GET /v1/%zz
row "bad paths" "overlong path (4000)" "404 not_found -" sock GET "/v1/$(rep a 4000)"
row "bad paths" "case id segment of 100" "404 not_found -" sock GET "/v1/cases/$(rep A 100)"
row "bad paths" "path without a slash" "404 not_found -" wire_req staff "GET v1/health HTTP/1.1"
row "bad paths" "control byte in the path" "404 not_found -" wire_req staff "$(printf 'GET /v1/he\001alth HTTP/1.1')"

row "bad methods" "DELETE /v1/cases" "405 method_not_allowed -" sock DELETE /v1/cases
row "bad methods" "PUT /v1/health" "405 method_not_allowed -" sock PUT /v1/health
row "bad methods" "PATCH /v1/cases" "405 method_not_allowed -" sock PATCH /v1/cases
row "bad methods" "OPTIONS /v1/health" "405 method_not_allowed -" sock OPTIONS /v1/health
# Methods evhttp does not know get its own 501.
row "bad methods" "made-up method" "501 - -" wire_req staff "BREW /v1/health HTTP/1.1"
row "bad methods" "lower-case get" "501 - -" wire_req staff "get /v1/health HTTP/1.1"
row "bad methods" "TRACE" "501 - -" wire_req staff "TRACE /v1/health HTTP/1.1"
row "bad methods" "HTTP/9.9" "400 - -" wire_req staff "GET /v1/health HTTP/9.9"

row "bad case ids" "too short" "404 bad_case_id -" sock GET /v1/cases/ABCD-EFG
row "bad case ids" "too long" "404 bad_case_id -" sock GET /v1/cases/ABCD-EFGHJ
row "bad case ids" "no dash" "404 bad_case_id -" sock GET /v1/cases/ABCDEFGHJ
row "bad case ids" "lower case" "404 bad_case_id -" sock GET /v1/cases/abcd-efgh
row "bad case ids" "outside the alphabet (0, O, 1, I)" "404 bad_case_id -" sock GET /v1/cases/0O1I-ABCD
row "bad case ids" "valid-looking, absent" "404 bad_case_id -" sock GET /v1/cases/ZZZZ-ZZZZ
row "bad case ids" "absent, as an officer" "404 bad_case_id -" tcp_as eth1 GET /v1/cases/ZZZZ-ZZZZ
row "bad case ids" "absent, as an auditor" "404 bad_case_id -" tcp_as auditor GET /v1/cases/ZZZZ-ZZZZ
row "bad case ids" "absent, its content" "404 bad_case_id -" tcp_as eth1 GET /v1/cases/ZZZZ-ZZZZ/content
row "bad case ids" "absent, a message" "404 bad_case_id -" tcp_as eth1 POST /v1/cases/ZZZZ-ZZZZ/messages -H 'Content-Type: application/json' --data-binary '{"id":"AAAAAAAAAAAAAAAAAAAAAA","kind":"message","body":"AA=="}'

b64() { head -c "$1" /dev/urandom | base64 -w0; }
row "bad receipts" "none" "401 bad_receipt receipt" sock GET /v1/receipt
row "bad receipts" "no dot" "401 bad_receipt receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: $(b64 64)"
row "bad receipts" "halves of 16 bytes" "401 bad_receipt receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: $(b64 16).$(b64 16)"
row "bad receipts" "outside base64" "401 bad_receipt receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: !!!!.????"
row "bad receipts" "overlong (300)" "401 bad_receipt receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: $(rep A 150).$(rep A 150)"
row "bad receipts" "valid shape, no such case" "401 bad_receipt receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: $(b64 32).$(b64 32)"
row "bad receipts" "valid shape, posting a message" "401 bad_receipt receipt" sock POST /v1/receipt/messages -H "X-Mandate-Receipt: $(b64 32).$(b64 32)" -H 'Content-Type: application/json' --data-binary '{"id":"x","kind":"message","body":"AA=="}'
# receipt_failures = 12: the rows above made 7 failures; 5 more, then wait.
for _ in 1 2 3 4 5; do sock GET /v1/receipt -H "X-Mandate-Receipt: $(b64 32).$(b64 32)" >/dev/null; done
row "bad receipts" "guessing: the 13th wrong receipt" "429 too_many_requests receipt" sock GET /v1/receipt -H "X-Mandate-Receipt: $(b64 32).$(b64 32)"
row "bad receipts" "guessing: another peer is not held" "401 bad_receipt receipt" tcp_as staff GET /v1/receipt -H "X-Mandate-Receipt: $(b64 32).$(b64 32)"

row "bad tokens" "no Authorization" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1"
row "bad tokens" "wrong token" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Bearer $(rep 0 48)"
row "bad tokens" "empty Authorization" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization:"
row "bad tokens" "Bearer and nothing" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Bearer "
row "bad tokens" "Basic scheme" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Basic $(printf 'staff:x' | base64)"
row "bad tokens" "right token, no scheme" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: $(cat "$T/token-staff")"
row "bad tokens" "right token plus a byte" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Bearer $(cat "$T/token-staff")x"
row "bad tokens" "right token, cut short" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Bearer $(head -c 40 "$T/token-staff")"
row "bad tokens" "token of 4000 bytes" "401 unauthenticated -" wire_req - "GET /v1/health HTTP/1.1" "Authorization: Bearer $(rep z 4000)"
row "bad tokens" "a submission without a token" "401 unauthenticated -" wire_req - "POST /v1/cases HTTP/1.1" "Content-Type: application/json" "Content-Length: 29" -- '{"title":"t","narrative":"n"}'

row "bad query parameters" "limit=0" "400 bad_query limit" tcp_as eth1 GET '/v1/queue?limit=0'
row "bad query parameters" "limit=abc" "400 bad_query limit" tcp_as eth1 GET '/v1/queue?limit=abc'
row "bad query parameters" "limit=2^64" "400 bad_query limit" tcp_as eth1 GET '/v1/queue?limit=18446744073709551616'
row "bad query parameters" "limit=-1" "400 bad_query limit" tcp_as eth1 GET '/v1/queue?limit=-1'
row "bad query parameters" "unknown parameter" "400 bad_query colour" tcp_as eth1 GET '/v1/queue?colour=red'
row "bad query parameters" "repeated key" "400 bad_query -" tcp_as eth1 GET '/v1/queue?limit=1&limit=2'
row "bad query parameters" "nine parameters" "400 bad_query -" tcp_as eth1 GET '/v1/queue?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9'
row "bad query parameters" "bad cursor" "400 bad_query after" tcp_as eth1 GET '/v1/queue?after=yesterday'
row "bad query parameters" "a query where none is taken" "400 bad_query x" tcp_as eth1 GET '/v1/health?x=1'
row "bad query parameters" "a query on a submission" "400 bad_query unit" tcp_as eth1 POST '/v1/cases?unit=legal' -H 'Content-Type: application/json' --data-binary '{"title":"t","narrative":"n"}'
# Names and values that are not UTF-8 once decoded once crashed the
# daemon (the name became the error's field; found by fuzz_http).
row "bad query parameters" "name %FF (names are not decoded)" "400 bad_query %FF" tcp_as auditor GET '/v1/audit/cases?%FF=1'
row "bad query parameters" "name not UTF-8, raw byte" "400 bad_query -" tcp_as eth1 GET "/v1/queue?$(printf '\xff')=1"
row "bad query parameters" "value not UTF-8 (%C0%AF)" "400 bad_query -" tcp_as eth1 GET '/v1/queue?unit=%C0%AF'
row "bad query parameters" "NUL in a value (%00)" "400 bad_query -" tcp_as eth1 GET '/v1/queue?unit=eth%00ics'
row "bad query parameters" "broken percent escape" "400 bad_query limit" tcp_as eth1 GET '/v1/queue?limit=%zz'
row "bad query parameters" "unknown sort" "400 bad_query sort" tcp_as eth1 GET '/v1/queue?sort=colour'
row "bad query parameters" "audit export since garbage" "400 bad_query since" tcp_as auditor GET '/v1/audit/export?since=yesterday'
row "bad query parameters" "audit export unknown format" "400 bad_query format" tcp_as auditor GET '/v1/audit/export?format=xml'
row "bad query parameters" "stats by nothing known" "400 bad_query by" tcp_as auditor GET '/v1/stats?by=colour'

row "bad Idempotency-Key" "15 characters" "422 bad_field Idempotency-Key" json POST /v1/cases "{$T_OK}" -H "Idempotency-Key: $(rep k 15)"
row "bad Idempotency-Key" "129 characters" "422 bad_field Idempotency-Key" json POST /v1/cases "{$T_OK}" -H "Idempotency-Key: $(rep k 129)"
row "bad Idempotency-Key" "empty" "422 bad_field Idempotency-Key" json POST /v1/cases "{$T_OK}" -H "Idempotency-Key;"
row "bad Idempotency-Key" "good key, bad body" "422 unknown_field colour" json POST /v1/cases "{$T_OK,\"colour\":1}" -H "Idempotency-Key: $(rep k 32)"

row "unknown category or unit" "category gossip" "422 unknown_category category" json POST /v1/cases "{$T_OK,\"category\":\"gossip\"}"
row "unknown category or unit" "category in capitals" "422 unknown_category category" json POST /v1/cases "{$T_OK,\"category\":\"FRAUD\"}"
row "unknown category or unit" "subject office finance" "422 unknown_unit subject_office" json POST /v1/cases "{$T_OK,\"subject_office\":\"finance\"}"
row "unknown category or unit" "dry run, unit finance" "422 unknown_unit subject_office" json POST /v1/route "{$T_OK,\"subject_office\":\"finance\"}"
row "unknown category or unit" "enrol in unit finance" "422 unknown_unit unit" json POST /v1/officers '{"unit":"finance","user":"x","public_key":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}'
row "unknown category or unit" "queue of unit finance" "403 forbidden unit" tcp_as eth1 GET '/v1/queue?unit=finance'
row "unknown category or unit" "officers of unit finance" "422 unknown_unit unit" tcp_as eth1 GET /v1/units/finance/officers

row "number overflow" "1e400 for a bool" "400 bad_json -" json POST /v1/cases "{$T_OK,\"anonymous\":1e400}"
row "number overflow" "2^64 for a bool" "400 bad_json -" json POST /v1/cases "{$T_OK,\"anonymous\":18446744073709551616}"
row "number overflow" "-1e400" "400 bad_json -" json POST /v1/cases "{$T_OK,\"anonymous\":-1e400}"
row "number overflow" "2^63 for a string" "422 wrong_type title" json POST /v1/cases '{"title":9223372036854775807,"narrative":"n"}'
row "number overflow" "NaN" "400 bad_json -" json POST /v1/cases "{$T_OK,\"anonymous\":NaN}"
row "number overflow" "leading zeros" "400 bad_json -" json POST /v1/cases "{$T_OK,\"anonymous\":007}"

row "invalid JSON escapes" "\\x" "400 bad_json -" json POST /v1/cases '{"title":"\x41","narrative":"n"}'
row "invalid JSON escapes" "\\u with 2 digits" "400 bad_json -" json POST /v1/cases '{"title":"\u41","narrative":"n"}'
row "invalid JSON escapes" "\\u with non-hex" "400 bad_json -" json POST /v1/cases '{"title":"\u00zz","narrative":"n"}'
row "invalid JSON escapes" "lone high surrogate" "400 bad_json -" json POST /v1/cases '{"title":"\ud800","narrative":"n"}'
row "invalid JSON escapes" "lone low surrogate" "400 bad_json -" json POST /v1/cases '{"title":"\udc00","narrative":"n"}'
row "invalid JSON escapes" "surrogates reversed" "400 bad_json -" json POST /v1/cases '{"title":"\udc00\ud800","narrative":"n"}'
row "invalid JSON escapes" "single quote escaped" "400 bad_json -" json POST /v1/cases "{\"title\":\"\\'\",\"narrative\":\"n\"}"
row "invalid JSON escapes" "raw tab in a string" "400 bad_json -" json POST /v1/cases $'{"title":"a\tb","narrative":"n"}'

row "empty or blank values" "empty title" "422 empty title" json POST /v1/cases '{"title":"","narrative":"n"}'
row "empty or blank values" "blank narrative" "422 empty narrative" json POST /v1/cases '{"title":"t","narrative":"   "}'
row "empty or blank values" "missing title" "422 missing_field title" json POST /v1/cases '{"narrative":"n"}'
row "empty or blank values" "missing narrative" "422 missing_field narrative" json POST /v1/cases '{"title":"t"}'
row "empty or blank values" "empty object" "422 missing_field title" json POST /v1/cases '{}'
row "empty or blank values" "null title (null is absent)" "422 missing_field title" json POST /v1/cases '{"title":null,"narrative":"n"}'
row "empty or blank values" "empty category" "422 empty category" json POST /v1/cases "{$T_OK,\"category\":\"\"}"

row "control characters" "BEL in the title" "422 bad_field title" json POST /v1/cases '{"title":"a\u0007b","narrative":"n"}'
row "control characters" "escape in a subject" "422 bad_field subjects" json POST /v1/cases "{$T_OK,\"subjects\":[\"a\\u001bb\"]}"
row "control characters" "bad language tag" "422 bad_field language" json POST /v1/cases "{$T_OK,\"language\":\"not a tag\"}"

row "wrong role" "staff enrols an officer" "403 forbidden -" tcp_as staff POST /v1/officers -H 'Content-Type: application/json' --data-binary '{"unit":"ethics","user":"x","public_key":"AA=="}'
row "wrong role" "staff reads the queue" "403 forbidden -" tcp_as staff GET /v1/queue
row "wrong role" "officer exports the audit log" "403 forbidden -" tcp_as eth1 GET /v1/audit/export
row "wrong role" "auditor lists officers" "403 forbidden -" tcp_as auditor GET '/v1/officers?unit=ethics'

row "garbage on the wire" "binary noise" "400 - -" wire_req - "$(printf '\001\002\003\004 \005\006 \007')"
# A TLS ClientHello's first bytes, and a request line with nothing after.
printf '\026\003\001\000\245\001\000\000\241\003\003' >"$T/tls"
printf 'GET /v1/health HTTP/1.1\r\n' >"$T/half"
row "garbage on the wire" "TLS hello on plain HTTP" "closed - -" wire "$T/tls"
row "garbage on the wire" "request line only, then silence" "closed - -" wire "$T/half"

# --- Nothing changed, and the daemon still serves ------------------------

after=$(db_state)
echo "after:  $after"
expect_eq "database unchanged by the catalogue" "$before" "$after"
unchanged=no
[ "$before" = "$after" ] && unchanged=yes
expect_eq "the daemon still answers health" "200 - -" "$(sock GET /v1/health)"
check "the daemon is still running" kill -0 "$DAEMON_PID"
check "no internal error was logged" bash -c "! grep -q ' 500 ' '$LOG'"

passed_classes=0
for c in "${CLASSES[@]}"; do
	[ "${class_ok[$c]}" = "${class_rows[$c]}" ] && passed_classes=$((passed_classes + 1))
done
echo "bad input rows: $ROWS, $ROWS_OK passed"
echo "bad input: ${#CLASSES[@]} classes, $passed_classes passed; database unchanged: $unchanged"
CHECKS=$((CHECKS + 1))
[ "${#CLASSES[@]}" -ge 25 ] || fail "only ${#CLASSES[@]} classes in the catalogue"

# A good submission still works, and the digest sees it: the proof above
# is not blind.
expect_eq "a valid case is accepted" "201 - -" "$(json POST /v1/cases '{"title":"t","narrative":"I saw misconduct."}')"
check "the digest sees a stored case" test "$before" != "$(db_state)"

# An HTTP/1.0 client of a streamed reply: the end of the reply closes the
# connection, whose close callback once ended the stream a second time
# (a double free found by fuzz_http).
for i in 1 2 3; do
	code=$(curl -s --http1.0 -o "$T/export10" -w '%{http_code}' \
		-H "Authorization: Bearer $(cat "$T/token-auditor")" "$URL/v1/audit/export" || true)
	expect_eq "HTTP/1.0 audit export $i" 200 "$code"
done
echo "HTTP/1.0 export: $(wc -l <"$T/export10") lines"
check "the export is whole" grep -q '"record":"seal"' "$T/export10"
expect_eq "the daemon survives HTTP/1.0 streams" "200 - -" "$(sock GET /v1/health)"
finish
