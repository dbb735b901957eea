#!/bin/bash
# The indexed alert_at column (schema/0005-indexes.sql) must pick exactly
# the cases the full deadline condition of escalate.c picks: 20000 cases
# of random state, compared at 40 instants.  No daemon needed.
set -eu
: "${MANDATE_SOURCE_DIR:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/mandate-alert.XXXXXX")
trap 'rm -rf "$T"' EXIT
DB=$T/a.db
for f in "$MANDATE_SOURCE_DIR"/schema/[0-9]*.sql; do sqlite3 "$DB" <"$f"; done

sqlite3 "$DB" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO cases (id, unit, status, anonymous, urgent, rule, recused,
	received_at, due_at, stage_started_at, paused_at, escalated, purged_at)
SELECT printf('c%05d', i), 'ethics',
	CASE abs(random()) % 4 WHEN 0 THEN 'closed' ELSE 'received' END,
	0, abs(random()) % 2, 'r', 0, 0,
	CASE abs(random()) % 8 WHEN 0 THEN 0 ELSE 1000 + abs(random()) % 9000 END,
	CASE abs(random()) % 10 WHEN 0 THEN NULL ELSE abs(random()) % 5000 END,
	CASE abs(random()) % 5 WHEN 0 THEN 3000 ELSE NULL END,
	abs(random()) % 8,
	CASE abs(random()) % 20 WHEN 0 THEN 1 ELSE NULL END
FROM n;
SQL

full="c.status <> 'closed' AND c.purged_at IS NULL AND ((c.urgent = 1 AND (c.escalated & 1) = 0) OR (c.paused_at IS NULL AND c.due_at > c.stage_started_at AND (((c.escalated & 2) = 0 AND (NOW - c.stage_started_at) * 100 / (c.due_at - c.stage_started_at) >= 80) OR ((c.escalated & 4) = 0 AND c.due_at <= NOW))))"
fails=0 picked=0
for now in $(seq 0 300 11700); do
	cond=${full//NOW/$now}
	a=$(sqlite3 "$DB" "SELECT group_concat(id) FROM (SELECT id FROM cases c WHERE $cond ORDER BY id)")
	b=$(sqlite3 "$DB" "SELECT group_concat(id) FROM (SELECT id FROM cases c WHERE c.alert_at <= $now ORDER BY id)")
	if [ "$a" != "$b" ]; then
		fails=$((fails + 1))
		echo "FAIL: at $now the index picks other cases than the condition" >&2
	fi
	picked=$((picked + $(tr ',' '\n' <<<"$a" | grep -c . || true)))
done
plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT id FROM cases c WHERE ${full//NOW/5000} AND c.alert_at <= 5000")
grep -q "cases_by_alert" <<<"$plan" || { echo "FAIL: the deadline look does not use cases_by_alert: $plan" >&2; fails=$((fails + 1)); }
echo "alert index: 40 instants, $picked cases picked in all, $fails mismatches"
[ "$fails" -eq 0 ]
