#!/bin/bash
# Deadlines and escalation (issue 5): the daemon's timer marks each case
# once at 80 % and at 100 % of its stage, escalates an urgent case at
# once, and runs the escalation command once per threshold with only the
# case id, unit, state, threshold and days overdue in its environment;
# the Ombudsperson's cases are marked but their alerts never leave the
# unit.  The clock is moved with [daemon] clock_offset_seconds.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 77; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 77; }
DB=$STATE/mandate.db
RUNS=$T/runs
mkdir -p "$RUNS"
# The escalation command: one file per run holding its environment.
cat >"$T/escalate.sh" <<SCRIPT
#!/bin/sh
/usr/bin/env >"\$(mktemp "$RUNS/run.XXXXXX")"
SCRIPT
chmod 755 "$T/escalate.sh"
EXTRA_CONF="[daemon]
escalation_command = $T/escalate.sh"
for u in staffer eth1 omb1; do token "$u"; done
start_daemon
officer eth1 ethics
officer omb1 ombudsperson

# submit CATEGORY TITLE NARRATIVE: a case as staffer; prints its id.
submit() {
	printf '%s\n%s\n' "$2" "$3" |
		as staffer "$MANDATE" submit --category "$1" >"$T/submit.txt"
	sed -nE 's/^Case ([A-Z0-9-]+) received by.*/\1/p' "$T/submit.txt"
}

# runs_of ID [THRESHOLD]: how many runs the command made for a case.
runs_of() {
	if [ $# -ge 2 ]; then
		grep -lx "MANDATE_CASE_ID=$1" "$RUNS"/run.* 2>/dev/null |
			xargs -r grep -lx "MANDATE_THRESHOLD=$2" | wc -l
	else
		grep -lx "MANDATE_CASE_ID=$1" "$RUNS"/run.* 2>/dev/null | wc -l
	fi
}

marks() { sqlite3 "$DB" "SELECT escalated FROM cases WHERE id='$1'"; }

# wait_marks ID BITS: until the case has those bits (the timer runs at start).
wait_marks() {
	for _ in $(seq 1 100); do
		[ $(($(marks "$1") & $2)) -eq "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# restart_at OFFSET: the daemon again, its clock moved by OFFSET seconds.
restart_at() {
	stop_daemon
	sed -i '/^clock_offset_seconds/d' "$CONF"
	printf '[daemon]\nclock_offset_seconds = %d\n' "$1" >>"$CONF"
	start_daemon
}

a=$(submit misconduct "Secret Title Alpha" "Narrative Zulu about a manager's abuse of authority.")
o=$(submit workplace-dispute "Quiet Title Omega" "Narrative Yankee about a workload dispute.")
u=$(submit misconduct "Title Urgent Kilo" "My manager came to my office and he threatened to kill me.")
expect_eq "the urgent case is flagged" 1 "$(sqlite3 "$DB" "SELECT urgent FROM cases WHERE id='$u'")"
expect_eq "the ombudsperson case is the ombudsperson's" ombudsperson "$(sqlite3 "$DB" "SELECT unit FROM cases WHERE id='$o'")"

# --- At start: only the urgent case is escalated, at once.
restart_at 0
check "the urgent case is escalated at start" wait_marks "$u" 1
sleep 0.3
expect_eq "one urgent run" 1 "$(runs_of "$u" urgent)"
expect_eq "nothing for the ordinary case yet" "0 0" "$(runs_of "$a") $(marks "$a")"
r=$(raw_as eth1 GET "/v1/queue?unit=ethics")
expect_eq "the urgent case sorts first" "$u" "$(jq -r '.cases[0].id' <<<"${r#* }")"

# --- 90 % of the ordinary case's stage: the warning.
read -r start due <<<"$(sqlite3 -separator ' ' "$DB" "SELECT stage_started_at, due_at FROM cases WHERE id='$a'")"
now=$(date +%s)
restart_at $((start + (due - start) * 9 / 10 - now))
check "warned at 80 %" wait_marks "$a" 2
sleep 0.3
expect_eq "not yet overdue" 0 $(($(marks "$a") & 4))
expect_eq "one run at 80 %" 1 "$(runs_of "$a" 80)"
f=$(grep -lx "MANDATE_CASE_ID=$a" "$RUNS"/run.*)
expect_eq "the 80 % environment" \
	"MANDATE_CASE_ID=$a MANDATE_DAYS_OVERDUE=0 MANDATE_STATE=received MANDATE_THRESHOLD=80 MANDATE_UNIT=ethics" \
	"$(grep ^MANDATE_ "$f" | sort | tr '\n' ' ' | sed 's/ $//')"
r=$(raw_as eth1 GET "/v1/cases/$a")
expect_eq "the metadata shows the warning" '{"warned":true,"overdue":false,"escalated_urgent":false}' "$(jq -c .deadline <<<"${r#* }")"

# --- Three days past every due date: overdue.
maxdue=$(sqlite3 "$DB" "SELECT max(due_at) FROM cases")
now=$(date +%s)
restart_at $((maxdue + 3 * 86400 + 3600 - now))
check "overdue at 100 %" wait_marks "$a" 6
check "the ombudsperson case is marked overdue" wait_marks "$o" 6
sleep 0.3
expect_eq "one run at 100 %" 1 "$(runs_of "$a" 100)"
f=$(grep -lx "MANDATE_THRESHOLD=100" $(grep -lx "MANDATE_CASE_ID=$a" "$RUNS"/run.*))
expect_eq "days overdue at 100 %" "MANDATE_DAYS_OVERDUE=3" "$(grep ^MANDATE_DAYS_OVERDUE= "$f")"
expect_eq "the ombudsperson's alerts never leave the unit" 0 "$(runs_of "$o")"
expect_eq "the ombudsperson case is audited as unit-only" unit-only \
	"$(sqlite3 "$DB" "SELECT DISTINCT json_extract(details, '\$.command') FROM audit WHERE action='case.escalate' AND case_id='$o'")"
r=$(raw_as eth1 GET "/v1/cases/$a")
expect_eq "the metadata shows it overdue" '{"warned":true,"overdue":true,"escalated_urgent":false}' "$(jq -c .deadline <<<"${r#* }")"
r=$(raw_as eth1 GET "/v1/queue?unit=ethics&overdue=1")
expect_eq "the overdue filter" "$(printf '%s\n' "$a" "$u" | sort | tr '\n' ' ')" "$(jq -r '.cases[].id' <<<"${r#* }" | sort | tr '\n' ' ')"

# --- Once per threshold: another start at the same time runs nothing.
n=$(ls "$RUNS" | wc -l)
restart_at $((maxdue + 3 * 86400 + 3600 - now))
sleep 1
expect_eq "no second run for a marked threshold" "$n" "$(ls "$RUNS" | wc -l)"
for id in "$a" "$u"; do
	for th in 80 100; do
		expect_eq "exactly one run of $id at $th" 1 "$(runs_of "$id" "$th")"
	done
done
expect_eq "exactly one urgent run" 1 "$(runs_of "$u" urgent)"
expect_eq "runs in all: 5" 5 "$n"
# The ombudsperson's shorter stage may have passed 80 % and 100 % between
# two looks: then one entry marks both.
expect_eq "one audit entry per threshold" 5 "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action='case.escalate' AND case_id <> '$o'")"
expect_eq "the ombudsperson case: one or two entries" 1 "$(sqlite3 "$DB" "SELECT count(*) BETWEEN 1 AND 2 FROM audit WHERE action='case.escalate' AND case_id = '$o'")"

# --- The environment holds nothing else: no content, no submitter.
names=$(cat "$RUNS"/run.* | cut -d= -f1 | sort -u | grep -vxE 'MANDATE_(CASE_ID|UNIT|STATE|THRESHOLD|DAYS_OVERDUE)|PATH|PWD|SHLVL|_|OLDPWD' || true)
expect_eq "no other variable in the environment" "" "$names"
for word in Secret Alpha Zulu Narrative Kilo kill threatened staffer eth1 "$(id -un)"; do
	expect_eq "'$word' is not in any environment" 0 "$(cat "$RUNS"/run.* | grep -c -- "$word" || true)"
done
finish
