#!/bin/bash
# GET /metrics: the Prometheus text exposition, for administrators on the
# usual listeners and for anyone on metrics_listen (which serves nothing
# else).  Cases submitted to two units are counted by unit and category,
# also after a restart; the format is checked line by line (and by promtool
# when it is installed); no case id, receipt, user name or word of a case
# appears in a scrape.
. "$(dirname "$0")/lib.sh"

users="admin auditor staff-wren staff-osei eth-kowalski oig-haddad"
for u in $users; do token "$u"; done
# The metrics port is drawn like the main one; a clash between the probe
# and the bind is rare enough not to need start_daemon's retries.
MPORT=$(free_port)
while [ "$MPORT" = "$PORT" ]; do MPORT=$(free_port); done
MURL=http://127.0.0.1:$MPORT
EXTRA_CONF=$(printf '[daemon]\nmetrics_listen = 127.0.0.1:%s' "$MPORT")
start_daemon
officer eth-kowalski ethics
officer oig-haddad inspector-general

# scrape_as USER FILE: GET /metrics over TCP with USER's token; the body in
# FILE, the headers in FILE.hdr; prints the status.
scrape_as() {
	curl -s -D "$2.hdr" -o "$2" -w '%{http_code}' \
		-H "Authorization: Bearer $(cat "$T/token-$1")" "$URL/metrics"
}
# mscrape PATH FILE [CURL ARGS]: PATH on the metrics address, no token.
mscrape() {
	p=$1 f=$2
	shift 2
	curl -s -D "$f.hdr" -o "$f" -w '%{http_code}' "$@" "$MURL$p"
}
content_type() { tr -d '\r' <"$1.hdr" | sed -n 's/^[Cc]ontent-[Tt]ype: //p'; }
# sample FILE LINE-PREFIX: the value of the sample line starting so.
sample() { awk -v k="$2" '{ s = $0; sub(/ [^ ]*$/, "", s); if (s == k) { print $NF; exit } }' "$1"; }

# check_exposition FILE: the text format, version 0.0.4, strictly: only
# HELP, TYPE and sample lines; names and labels as the format allows; each
# family's HELP and TYPE before its samples, which are contiguous; and
# every histogram's buckets in increasing le with counts that never fall,
# ending at le="+Inf" equal to its _count.
check_exposition() {
	local f=$1 line name lbl fam bad=0 n=0 nsample=0 nhist=0
	local re_name='[a-zA-Z_:][a-zA-Z0-9_:]*'
	local re_lname='[a-zA-Z_][a-zA-Z0-9_]*'
	local re_lval='"([^"\\]|\\["\\n])*"'
	local re_label="$re_lname=$re_lval"
	local re_value='(-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]Inf|NaN)'
	local re_sample="^($re_name)(\\{($re_label(,$re_label)*)?\\})? $re_value\$"
	local -A help=() type=() done=()
	local current=
	[ -s "$f" ] && [ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
		{ echo "exposition: empty, or no final newline" >&2; return 1; }
	while IFS= read -r line; do
		n=$((n + 1))
		if [[ $line =~ ^#\ HELP\ ($re_name)\ (.*)$ ]]; then
			name=${BASH_REMATCH[1]}
			[ -z "${help[$name]:-}" ] || { echo "line $n: second HELP for $name" >&2; bad=1; }
			[ -z "${type[$name]:-}" ] || { echo "line $n: HELP after TYPE for $name" >&2; bad=1; }
			help[$name]=1
		elif [[ $line =~ ^#\ TYPE\ ($re_name)\ (counter|gauge|histogram|summary|untyped)$ ]]; then
			name=${BASH_REMATCH[1]}
			[ -n "${help[$name]:-}" ] || { echo "line $n: TYPE before HELP for $name" >&2; bad=1; }
			[ -z "${type[$name]:-}" ] || { echo "line $n: second TYPE for $name" >&2; bad=1; }
			type[$name]=${BASH_REMATCH[2]}
			[ "${BASH_REMATCH[2]}" = histogram ] && nhist=$((nhist + 1))
		elif [[ $line =~ $re_sample ]]; then
			name=${BASH_REMATCH[1]}
			fam=$name
			if [ -z "${type[$name]:-}" ]; then
				for s in _bucket _sum _count; do
					if [ "${name%"$s"}" != "$name" ] && [ "${type[${name%"$s"}]:-}" = histogram ]; then
						fam=${name%"$s"}
					fi
				done
			fi
			[ -n "${type[$fam]:-}" ] || { echo "line $n: sample before its HELP and TYPE: $line" >&2; bad=1; }
			if [ "$fam" != "$current" ]; then
				[ -z "${done[$fam]:-}" ] || { echo "line $n: $fam's samples are not together" >&2; bad=1; }
				[ -z "$current" ] || done[$current]=1
				current=$fam
			fi
			nsample=$((nsample + 1))
		else
			echo "line $n: not HELP, TYPE or a sample: [$line]" >&2
			bad=1
		fi
	done <"$f"
	# Histograms: per series (labels but le), le rising, counts not
	# falling, +Inf last and equal to _count.
	awk '
	function key(s) { sub(/,?le="[^"]*"/, "", s); sub(/_bucket\{/, "{", s); sub(/\{\}/, "", s); return s }
	/^[^#].*_bucket\{/ {
		v = $NF; s = $0; sub(/ [^ ]*$/, "", s)
		match(s, /le="[^"]*"/); le = substr(s, RSTART + 4, RLENGTH - 5)
		k = key(s)
		lev = (le == "+Inf") ? 1e308 : le + 0
		if (k in last && (lev <= last[k] || v + 0 < cnt[k])) { print "histogram " k ": le=" le " breaks the order" > "/dev/stderr"; bad = 1 }
		if (k in inf) { print "histogram " k ": bucket after +Inf" > "/dev/stderr"; bad = 1 }
		last[k] = lev; cnt[k] = v + 0
		if (le == "+Inf") inf[k] = v
		next
	}
	/^[^#].*_count(\{| )/ {
		s = $0; sub(/ [^ ]*$/, "", s); sub(/_count/, "", s)
		counts[s] = $NF
	}
	END {
		nk = 0
		for (k in last) {
			nk++
			if (!(k in inf)) { print "histogram " k ": no +Inf bucket" > "/dev/stderr"; bad = 1 }
			else if (!(k in counts) || counts[k] != inf[k]) { print "histogram " k ": +Inf " inf[k] " != _count " counts[k] > "/dev/stderr"; bad = 1 }
		}
		print nk " histogram series checked"
		exit bad
	}' "$f" || bad=1
	echo "exposition $f: $n lines, $nsample samples, ${#type[@]} families ($nhist histograms)"
	[ "$bad" -eq 0 ]
}

# --- submissions to two units ---------------------------------------------
marker="quokka-$RANDOM-ledger"
declare -A want=()
ids=() receipts=()
# submit USER CATEGORY TITLE NARRATIVE: counts the case under the unit it
# was routed to (from the answer) and the category sent.
submit() {
	printf '%s %s\n%s %s\n' "$3" "$marker" "$4" "$marker" >"$T/case.txt"
	if [ "$2" = none ]; then
		as "$1" "$MANDATE" submit --json <"$T/case.txt" >"$T/submit.json"
	else
		as "$1" "$MANDATE" submit --category "$2" --json <"$T/case.txt" >"$T/submit.json"
	fi
	unit=$(jq -r .unit "$T/submit.json")
	ids+=("$(jq -r .id "$T/submit.json")")
	r=$(jq -r '.receipt // empty' "$T/submit.json")
	[ -z "$r" ] || receipts+=("$r")
	want[$unit/$2]=$((${want[$unit/$2]:-0} + 1))
	echo "submitted ${ids[-1]}: $2 -> $unit"
}
submit staff-wren misconduct "Shouting in meetings" "My supervisor shouts at the team every week."
submit staff-wren misconduct "Demeaning remarks" "A manager makes demeaning remarks about staff."
submit staff-osei fraud "Fuel invoices" "The assistant bills fuel for trips that never happened."
submit staff-osei fraud "Ghost vendor" "Payments go to a vendor that does not exist, a kickback scheme."
submit staff-osei none "Harassment at work" "A colleague sexually harasses me at the office."
expect_eq "misconduct went to ethics" 2 "${want[ethics/misconduct]:-0}"
expect_eq "fraud went to the inspector general" 2 "${want[inspector-general/fraud]:-0}"
expect_eq "no category, harassment: ethics" 1 "${want[ethics/none]:-0}"
# A request on a path with a case id: counted under its template.
curl -s -o /dev/null -H "Authorization: Bearer $(cat "$T/token-auditor")" "$URL/v1/cases/${ids[0]}"

# --- as administrator over TCP ---------------------------------------------
expect_eq "admin scrape over TCP" 200 "$(scrape_as admin "$T/m1")"
expect_eq "content type of the text format" "text/plain; version=0.0.4; charset=utf-8" "$(content_type "$T/m1")"
check "the admin scrape is well-formed" check_exposition "$T/m1"
if command -v promtool >/dev/null 2>&1; then
	check "promtool accepts the admin scrape" promtool check metrics <"$T/m1"
else
	echo "promtool not installed: the format checked by this script only"
fi
for key in "${!want[@]}"; do
	unit=${key%/*} cat=${key#*/}
	got=$(sample "$T/m1" "mandate_cases{unit=\"$unit\",category=\"$cat\"}")
	echo "mandate_cases $unit/$cat: submitted ${want[$key]}, scraped $got"
	expect_eq "cases of $unit/$cat" "${want[$key]}" "$got"
done
total=$(grep '^mandate_cases{' "$T/m1" | awk '{s += $NF} END {print s}')
expect_eq "no other case counted" "${#ids[@]}" "$total"
open=$(grep '^mandate_cases_open{' "$T/m1" | awk '{s += $NF} END {print s}')
expect_eq "open cases in all" "${#ids[@]}" "$open"
expect_eq "open ethics cases" "$(( ${want[ethics/misconduct]:-0} + ${want[ethics/none]:-0} ))" \
	"$(sample "$T/m1" 'mandate_cases_open{unit="ethics",status="received"}')"
expect_eq "nothing overdue yet" 0 "$(grep '^mandate_cases_overdue{' "$T/m1" | awk '{s += $NF} END {print s}')"
expect_eq "ethics officers" 1 "$(sample "$T/m1" 'mandate_officers{unit="ethics"}')"
expect_eq "legal officers" 0 "$(sample "$T/m1" 'mandate_officers{unit="legal"}')"
expect_eq "audit entries as in the database" "$(sqlite3 "$STATE/mandate.db" 'select max(seq) from audit')" \
	"$(sample "$T/m1" mandate_audit_entries)"
expect_eq "database size as in the database" \
	"$(sqlite3 "$STATE/mandate.db" 'select page_count * page_size from pragma_page_count(), pragma_page_size()')" \
	"$(sample "$T/m1" mandate_database_size_bytes)"
expect_eq "build info" 1 "$(sample "$T/m1" 'mandate_build_info{version="'"$("$MANDATED" --version | awk 'NR==1{print $2}')"'",api="1"}')"
expect_eq "submissions answered 201" "${#ids[@]}" \
	"$(sample "$T/m1" 'mandate_http_requests_total{method="POST",route="/v1/cases",code="201"}')"
expect_eq "their latencies in one histogram" "${#ids[@]}" \
	"$(sample "$T/m1" 'mandate_http_request_duration_seconds_count{method="POST",route="/v1/cases",status="2xx"}')"
check "a path with a case id is counted under its template" \
	grep -q '^mandate_http_requests_total{method="GET",route="/v1/cases/{id}",code="200"} 1$' "$T/m1"
start1=$(sample "$T/m1" process_start_time_seconds)
now=$(date +%s)
CHECKS=$((CHECKS + 1))
[ "$start1" -le "$now" ] && [ "$start1" -ge $((now - 600)) ] ||
	fail "process_start_time_seconds $start1 is not a recent start (now $now)"

# --- nothing that names a case or a person ---------------------------------
leaks=0
for s in "${ids[@]}" "${receipts[@]}" $users "$marker" Shouting supervisor harass kickback vendor; do
	if grep -qiF -- "$s" "$T/m1"; then
		echo "the scrape names [$s]" >&2
		leaks=$((leaks + 1))
	fi
done
echo "searched the scrape for ${#ids[@]} case ids, ${#receipts[@]} receipts, $(wc -w <<<"$users") users and 6 words: $leaks found"
expect_eq "no case id, receipt, user name or case word in the scrape" 0 "$leaks"

# --- who may scrape ---------------------------------------------------------
expect_eq "staff may not" "403 forbidden" "$(status_code "$(raw_as staff-wren GET /metrics)")"
expect_eq "an auditor may not" "403 forbidden" "$(status_code "$(raw_as auditor GET /metrics)")"
expect_eq "an officer may not" "403 forbidden" "$(status_code "$(raw_as eth-kowalski GET /metrics)")"
expect_eq "no token: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")"
expect_eq "POST /metrics: 405" "405 method_not_allowed" "$(status_code "$(curl -s -X POST -w '\n%{http_code}' \
	-H "Authorization: Bearer $(cat "$T/token-admin")" "$URL/metrics" | awk 'NR==1{b=$0} NR>1{c=$0} END{print c, b}')")"
expect_eq "a query parameter is refused" "400 bad_query" "$(status_code "$(raw_as admin GET '/metrics?x=1')")"
# The daemon's own uid is the administrator on the Unix socket.
code=$(curl -s -o "$T/m-sock" -w '%{http_code}' --unix-socket "$SOCK" http://localhost/metrics)
expect_eq "the daemon's uid on the socket" 200 "$code"

# --- the metrics address: /metrics only, no authentication -----------------
expect_eq "metrics_listen serves /metrics" 200 "$(mscrape /metrics "$T/m2")"
expect_eq "metrics_listen content type" "text/plain; version=0.0.4; charset=utf-8" "$(content_type "$T/m2")"
check "the metrics_listen scrape is well-formed" check_exposition "$T/m2"
expect_eq "same case counts there" "$(grep '^mandate_cases' "$T/m1")" "$(grep '^mandate_cases' "$T/m2")"
for p in /v1/health /v1/cases "/v1/cases/${ids[0]}" /v1/units /metrics/ /; do
	got=$(mscrape "$p" "$T/m-other" -H "Authorization: Bearer $(cat "$T/token-admin")")
	expect_eq "metrics_listen: $p is not there" "404 not_found" "$got $(jq -r .error.code "$T/m-other")"
done
expect_eq "metrics_listen: POST /metrics" 405 "$(mscrape /metrics "$T/m-other" -X POST)"
expect_eq "metrics_listen: POST /v1/cases" 404 "$(mscrape /v1/cases "$T/m-other" -X POST \
	-H 'Content-Type: application/json' --data-binary '{"title":"x","narrative":"y"}')"
expect_eq "nothing was submitted through it" "${#ids[@]}" "$(sqlite3 "$STATE/mandate.db" 'select count(*) from cases')"
mscrape /metrics "$T/m4" >/dev/null
expect_eq "its six GET 404s are counted with no route" 6 \
	"$(sample "$T/m4" 'mandate_http_requests_total{method="GET",route="none",code="404"}')"

# --- a restart: the case counts come from the database ---------------------
stop_daemon
sleep 1
start_daemon
expect_eq "admin scrape after a restart" 200 "$(scrape_as admin "$T/m3")"
check "the scrape after a restart is well-formed" check_exposition "$T/m3"
expect_eq "case counts survive a restart" "$(grep '^mandate_cases{' "$T/m1")" "$(grep '^mandate_cases{' "$T/m3")"
start3=$(sample "$T/m3" process_start_time_seconds)
echo "process_start_time_seconds: $start1 then $start3"
CHECKS=$((CHECKS + 1))
[ "$start3" -gt "$start1" ] || fail "the start time did not move at the restart ($start1, $start3)"
scrape_as admin "$T/m5" >/dev/null
expect_eq "request counts start again at the restart" 1 \
	"$(sample "$T/m5" 'mandate_http_requests_total{method="GET",route="/metrics",code="200"}')"

# --- configuration ---------------------------------------------------------
printf '[daemon]\nmetrics_listen = localhost\n' >"$T/bad.conf"
expect_status "metrics_listen without a port is refused" 78 "$MANDATED" -t -c "$T/bad.conf"
check "the error names the key" grep -q "metrics_listen: expected host:port" "$T/err"

finish
