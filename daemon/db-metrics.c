/*
 * The gauges of GET /metrics: counts of cases and officers by unit, the
 * audit chain's length, the database's size.  Aggregates only: no query
 * here returns a case id, a user name or anything encrypted.
 *
 * Unlike the other table files, these statements are prepared at each
 * scrape and finalized after it instead of once at open: a scrape comes
 * every few seconds at most, and the metrics stay a leaf that db.c does
 * not need to know about.  The columns read come before a row's content,
 * so that no query walks a case's ciphertext, but for purged_at (added
 * later, so stored after it), which is read only for closed cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db-int.h"

#define DB_METRICS_OPEN "status <> 'closed'"

static const char db_metrics_cases_sql[] =
    "SELECT unit, coalesce(category, ''), count(*) FROM cases "
    "WHERE status <> 'closed' OR purged_at IS NULL GROUP BY 1, 2 "
    "ORDER BY 1, 2";
static const char db_metrics_open_sql[] =
    "SELECT unit, status, count(*) FROM cases WHERE " DB_METRICS_OPEN
    " GROUP BY 1, 2 ORDER BY 1, 2";
/* The queue's "overdue" (db-case.c): marked at 100 %, or past due now
 * with the clock running. */
static const char db_metrics_overdue_sql[] =
    "SELECT unit, '', count(*) FROM cases WHERE " DB_METRICS_OPEN
    " AND ((escalated & 4) <> 0 OR (due_at > 0 AND paused_at IS NULL AND "
    "due_at <= ?1)) GROUP BY 1 ORDER BY 1";
static const char db_metrics_officers_sql[] =
    "SELECT unit, '', count(*) FROM officers GROUP BY 1 ORDER BY 1";
static const char db_metrics_scalars_sql[] =
    "SELECT (SELECT coalesce(max(seq), 0) FROM audit), "
    "(SELECT coalesce(max(seq), 0) FROM audit_heads), "
    "(SELECT page_count * page_size FROM pragma_page_count(), "
    "pragma_page_size())";

static int
db_metrics_count_row(sqlite3_stmt *st, void *elem)
{
	struct db_metrics_count *c = elem;

	db_column_text(st, 0, c->unit, sizeof c->unit);
	db_column_text(st, 1, c->key, sizeof c->key);
	c->count = sqlite3_column_int64(st, 2);
	return 0;
}

static sqlite3_stmt *
db_metrics_prepare(struct db *db, const char *sql, char **cause)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db->sqlite, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, "metrics: prepare", cause);
		return NULL;
	}
	return st;
}

/* Runs a (unit, key, count) query into *out and *n: 0, or -1. */
static int
db_metrics_counts(struct db *db, const char *sql, int64_t now,
    struct db_metrics_count **out, size_t *n, char **cause)
{
	sqlite3_stmt *st = db_metrics_prepare(db, sql, cause);
	ssize_t r;

	if (st == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, now);
	r = db_collect(db, st, sizeof **out, db_metrics_count_row, NULL,
	    (void **)out, "metrics", cause);
	sqlite3_finalize(st);
	if (r < 0)
		return -1;
	*n = (size_t)r;
	return 0;
}

static int
db_metrics_scalars(struct db *db, struct db_metrics *m, char **cause)
{
	sqlite3_stmt *st =
	    db_metrics_prepare(db, db_metrics_scalars_sql, cause);
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		m->audit_entries = sqlite3_column_int64(st, 0);
		m->audit_signed_seq = sqlite3_column_int64(st, 1);
		m->db_bytes = sqlite3_column_int64(st, 2);
	}
	if (rc != SQLITE_ROW) {
		db_fail(db, "metrics: sizes", cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* The size of the write-ahead log beside the main database file. */
static int64_t
db_metrics_wal_bytes(struct db *db)
{
	const char *file = sqlite3_db_filename(db->sqlite, "main");
	char *wal = NULL;
	struct stat sb;
	int64_t n = 0;

	if (file == NULL || file[0] == '\0')
		return 0; /* in memory */
	if (asprintf(&wal, "%s-wal", file) < 0)
		abort();
	if (stat(wal, &sb) == 0)
		n = (int64_t)sb.st_size;
	free(wal);
	return n;
}

int
db_metrics_read(struct db *db, int64_t now, struct db_metrics *m, char **cause)
{
	memset(m, 0, sizeof *m);
	if (db_metrics_counts(db, db_metrics_cases_sql, now, &m->cases,
	        &m->ncases, cause) < 0 ||
	    db_metrics_counts(
	        db, db_metrics_open_sql, now, &m->open, &m->nopen, cause) < 0 ||
	    db_metrics_counts(db, db_metrics_overdue_sql, now, &m->overdue,
	        &m->noverdue, cause) < 0 ||
	    db_metrics_counts(db, db_metrics_officers_sql, now, &m->officers,
	        &m->nofficers, cause) < 0 ||
	    db_metrics_scalars(db, m, cause) < 0) {
		db_metrics_clear(m);
		return -1;
	}
	m->wal_bytes = db_metrics_wal_bytes(db);
	return 0;
}

void
db_metrics_clear(struct db_metrics *m)
{
	if (m == NULL)
		return;
	free(m->cases);
	free(m->open);
	free(m->overdue);
	free(m->officers);
	memset(m, 0, sizeof *m);
}
