#!/bin/bash
# Every bad input of the submission API gets its exact error (status, code,
# field) and changes nothing in the database.
. "$(dirname "$0")/lib.sh"

token eth1
start_daemon
officer eth1 ethics
count() { sqlite3 "$STATE/mandate.db" 'select count(*) from cases'; }
before=$(count)

# bad DESCRIPTION EXPECTED-STATUS EXPECTED-CODE EXPECTED-FIELD BODY
bad() {
	out=$(raw POST /v1/cases "$5")
	status=${out%% *}
	body=${out#* }
	expect_eq "$1: status" "$2" "$status"
	expect_eq "$1: code" "$3" "$(jq -r .error.code <<<"$body" 2>/dev/null)"
	expect_eq "$1: field" "$4" "$(jq -r '.error.field // "-"' <<<"$body" 2>/dev/null)"
}
long=$(head -c 201 /dev/zero | tr '\0' 'a')
big=$(head -c 65537 /dev/zero | tr '\0' 'a')
bad "malformed JSON" 400 bad_json - '{"title": "x", "narrative": '
bad "not an object" 400 bad_json - '["title"]'
bad "duplicate key" 400 bad_json - '{"title":"a","title":"b","narrative":"n"}'
bad "NUL escape" 400 bad_json - '{"title":"a\u0000b","narrative":"n"}'
bad "unknown field" 422 unknown_field colour '{"title":"a","narrative":"n","colour":"red"}'
bad "missing title" 422 missing_field title '{"narrative":"n"}'
bad "missing narrative" 422 missing_field narrative '{"title":"t"}'
bad "title wrong type" 422 wrong_type title '{"title":5,"narrative":"n"}'
bad "narrative wrong type" 422 wrong_type narrative '{"title":"t","narrative":["n"]}'
bad "anonymous wrong type" 422 wrong_type anonymous '{"title":"t","narrative":"n","anonymous":"yes"}'
bad "subjects wrong type" 422 wrong_type subjects '{"title":"t","narrative":"n","subjects":"x"}'
bad "empty title" 422 empty title '{"title":"","narrative":"n"}'
bad "blank narrative" 422 empty narrative '{"title":"t","narrative":"   "}'
bad "title over 200 characters" 422 too_long title "{\"title\":\"$long\",\"narrative\":\"n\"}"
bad "narrative over 64 KiB" 422 too_long narrative "{\"title\":\"t\",\"narrative\":\"$big\"}"
bad "unknown category" 422 unknown_category category '{"title":"t","narrative":"n","category":"gossip"}'
bad "unknown subject office" 422 unknown_unit subject_office '{"title":"t","narrative":"n","subject_office":"finance"}'
bad "bad language tag" 422 bad_field language '{"title":"t","narrative":"n","language":"not a tag"}'
bad "control character in title" 422 bad_field title '{"title":"a\u0007b","narrative":"n"}'
bad "too many subjects" 422 too_long subjects '{"title":"t","narrative":"n","subjects":["1","2","3","4","5","6","7","8","9","10","11"]}'
bad "deep nesting" 400 bad_json - "{\"title\":\"t\",\"narrative\":\"n\",\"subjects\":$(printf '[%.0s' $(seq 40))$(printf ']%.0s' $(seq 40))}"

# Invalid UTF-8 in the body.
printf '{"title":"caf\xe9","narrative":"n"}' >"$T/latin1.json"
out=$(curl -s --unix-socket "$SOCK" -H 'Content-Type: application/json' --data-binary @"$T/latin1.json" -w ' %{http_code}' http://localhost/v1/cases)
expect_eq "invalid UTF-8" "bad_utf8 400" "$(jq -r .error.code <<<"${out% *}") ${out##* }"

# Wrong content type, body too large, wrong method, unknown path.
out=$(curl -s --unix-socket "$SOCK" -H 'Content-Type: text/plain' --data-binary '{"title":"t","narrative":"n"}' -w ' %{http_code}' http://localhost/v1/cases)
expect_eq "wrong content type" "bad_content_type 415" "$(jq -r .error.code <<<"${out% *}") ${out##* }"
head -c 600000 /dev/zero | tr '\0' 'a' | sed 's/^/{"title":"t","narrative":"/; s/$/"}/' >"$T/huge.json"
out=$(curl -s --unix-socket "$SOCK" -H 'Content-Type: application/json' --data-binary @"$T/huge.json" -w ' %{http_code}' http://localhost/v1/cases)
expect_eq "oversize body" "body_too_large 413" "$(jq -r .error.code <<<"${out% *}") ${out##* }"
expect_eq "wrong method" "405" "$(raw DELETE /v1/cases | cut -d' ' -f1)"
expect_eq "unknown path" "404 not_found" "$(status_code "$(raw GET /v1/nothing)")"
expect_eq "unknown case id" "404 bad_case_id" "$(status_code "$(raw GET /v1/cases/ZZZZ-ZZZZ)")"
expect_eq "malformed case id" "404 bad_case_id" "$(status_code "$(raw GET /v1/cases/not-an-id)")"
expect_eq "bad queue limit" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?limit=0')")"
expect_eq "unknown queue parameter" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?colour=red')")"
expect_eq "bad queue cursor" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?after=yesterday')")"
expect_eq "repeated query key" "400 bad_query" "$(status_code "$(raw_as eth1 GET '/v1/queue?limit=1&limit=2')")"

expect_eq "nothing was stored" "$before" "$(count)"
# And a good submission still works afterwards.
expect_eq "a valid case is accepted" 201 "$(raw POST /v1/cases '{"title":"t","narrative":"I saw misconduct."}' | cut -d' ' -f1)"
finish
