/*
 * What auditors' reports read: cases' metadata with the time of their
 * first status after "received", and counts by quarter and category for
 * the units that auditors see only as counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_report_sql[] = {
    {DB_REPORT_CASES,
        "SELECT c.id, c.unit, c.category, c.status, c.rule, c.anonymous, "
        "c.urgent, c.recused, c.received_at, c.due_at, "
        "(SELECT min(e.time) FROM case_events e WHERE e.case_id = c.id AND "
        "e.status <> 'received'), c.closed_at, c.purged_at, c.hold_since "
        "FROM cases c WHERE c.id > ?1 ORDER BY c.id LIMIT ?2"},
    {DB_REPORT_COUNTS,
        "SELECT strftime('%Y', received_at, 'unixepoch') || '-Q' || "
        "((CAST(strftime('%m', received_at, 'unixepoch') AS INTEGER) + 2) / "
        "3), "
        "coalesce(category, ''), count(*) FROM cases WHERE unit = ?1 "
        "GROUP BY 1, 2 ORDER BY 1, 2"},
};
const size_t db_report_sql_count =
    sizeof db_report_sql / sizeof db_report_sql[0];

static void
db_report_row(sqlite3_stmt *st, struct db_report_case *c)
{
	memset(c, 0, sizeof *c);
	db_column_text(st, 0, c->id, sizeof c->id);
	db_column_text(st, 1, c->unit, sizeof c->unit);
	db_column_text(st, 2, c->category, sizeof c->category);
	db_column_text(st, 3, c->status, sizeof c->status);
	db_column_text(st, 4, c->rule, sizeof c->rule);
	c->anonymous = sqlite3_column_int(st, 5);
	c->urgent = sqlite3_column_int(st, 6);
	c->recused = sqlite3_column_int(st, 7);
	c->received_at = sqlite3_column_int64(st, 8);
	c->due_at = sqlite3_column_int64(st, 9);
	c->acknowledged_at = sqlite3_column_int64(st, 10);
	c->closed_at = sqlite3_column_int64(st, 11);
	c->purged_at = sqlite3_column_int64(st, 12);
	c->hold_since = sqlite3_column_int64(st, 13);
}

ssize_t
db_report_cases(struct db *db, const char *after, unsigned limit,
    struct db_report_case **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_REPORT_CASES);
	struct db_report_case *rows;
	size_t n = 0;
	int rc = SQLITE_DONE;

	sqlite3_bind_text(st, 1, after, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)limit);
	if ((rows = calloc(limit ? limit : 1, sizeof *rows)) == NULL)
		abort();
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		db_report_row(st, &rows[n++]);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(rows);
		return db_fail(db, "report cases", cause);
	}
	*out = rows;
	return (ssize_t)n;
}

/* One row of DB_REPORT_COUNTS, for db_collect(). */
static int
db_report_count_row(sqlite3_stmt *st, void *elem)
{
	struct db_report_count *r = elem;

	db_column_text(st, 0, r->quarter, sizeof r->quarter);
	db_column_text(st, 1, r->category, sizeof r->category);
	r->count = sqlite3_column_int64(st, 2);
	return 0;
}

ssize_t
db_report_counts(
    struct db *db, const char *unit, struct db_report_count **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_REPORT_COUNTS);

	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_report_count_row, NULL,
	    (void **)out, "report counts", cause);
}
