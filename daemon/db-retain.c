/*
 * Each case's status history, legal holds, and retention: finding the
 * closed cases whose time is up and crypto-shredding them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_retain_sql[] = {
    {DB_EVENT_INSERT,
        "INSERT INTO case_events (case_id, time, status, actor_role) "
        "VALUES (?1, ?2, ?3, ?4)"},
    {DB_EVENT_LIST,
        "SELECT time, status, actor_role FROM case_events WHERE case_id = ?1 "
        "ORDER BY time, id"},
    {DB_RETAIN_GET,
        "SELECT closed_at, hold_since, purged_at FROM cases WHERE id = ?1"},
    {DB_RETAIN_HOLD_SET, "UPDATE cases SET hold_since = ?2 WHERE id = ?1 AND "
                         "hold_since IS NULL AND purged_at IS NULL"},
    {DB_RETAIN_HOLD_CLEAR,
        "UPDATE cases SET hold_since = NULL WHERE id = ?1 AND "
        "hold_since IS NOT NULL"},
    {DB_RETAIN_EXPIRED,
        "SELECT id FROM cases WHERE closed_at IS NOT NULL AND "
        "purged_at IS NULL AND hold_since IS NULL AND closed_at <= ?2 AND "
        "unit = ?1 ORDER BY closed_at, id LIMIT ?3"},
    {DB_PURGE_KEYS, "DELETE FROM case_keys WHERE case_id = ?1"},
    {DB_PURGE_CONSENTS, "DELETE FROM consents WHERE case_id = ?1"},
    {DB_PURGE_MESSAGES, "DELETE FROM messages WHERE case_id = ?1"},
    {DB_PURGE_ATTACHMENTS, "DELETE FROM attachments WHERE case_id = ?1"},
    {DB_PURGE_IDEMPOTENCY, "DELETE FROM idempotency WHERE case_id = ?1"},
    {DB_PURGE_NOTES, "DELETE FROM notes WHERE case_id = ?1"},
    {DB_PURGE_SUBJECTS, "DELETE FROM case_subjects WHERE case_id = ?1"},
    {DB_PURGE_CONTENT, "DELETE FROM case_content WHERE case_id = ?1"},
    {DB_PURGE_TOMBSTONE, "UPDATE cases SET receipt_lookup = NULL, "
                         "receipt_verifier = NULL, submitter_sealed = NULL, "
                         "submitter_tag = NULL, purged_at = ?2 WHERE id = ?1"},
    {DB_PURGE_DELETE, "DELETE FROM cases WHERE id = ?1"},
};
const size_t db_retain_sql_count =
    sizeof db_retain_sql / sizeof db_retain_sql[0];

int
db_event_insert(struct db *db, const char *case_id, int64_t time,
    const char *status, const char *actor_role, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_EVENT_INSERT);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, time);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, actor_role, -1, SQLITE_STATIC);
	return db_step_once(db, st, "case event insert", cause);
}

/* One row of DB_EVENT_LIST, for db_collect(). */
static int
db_event_row(sqlite3_stmt *st, void *elem)
{
	struct db_event *r = elem;

	r->time = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, r->status, sizeof r->status);
	db_column_text(st, 2, r->actor_role, sizeof r->actor_role);
	return 0;
}

ssize_t
db_event_list(
    struct db *db, const char *case_id, struct db_event **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_EVENT_LIST);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_event_row, NULL,
	    (void **)out, "case events", cause);
}

int
db_case_retention(
    struct db *db, const char *case_id, struct db_retention *out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_RETAIN_GET);
	int rc;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->closed_at = sqlite3_column_int64(st, 0);
		out->hold_since = sqlite3_column_int64(st, 1);
		out->purged_at = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "case retention", cause);
	return rc == SQLITE_ROW;
}

int
db_case_hold(struct db *db, const char *case_id, int64_t since, char **cause)
{
	sqlite3_stmt *st =
	    db_stmt(db, since > 0 ? DB_RETAIN_HOLD_SET : DB_RETAIN_HOLD_CLEAR);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	if (since > 0)
		sqlite3_bind_int64(st, 2, since);
	if (db_step_once(db, st, "legal hold", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

ssize_t
db_case_expired(struct db *db, const char *unit, int64_t cutoff, unsigned limit,
    struct db_case_ref **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_RETAIN_EXPIRED);
	struct db_case_ref *rows;
	size_t n = 0;
	int rc = SQLITE_DONE;

	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cutoff);
	sqlite3_bind_int(st, 3, (int)limit);
	if ((rows = calloc(limit ? limit : 1, sizeof *rows)) == NULL)
		abort();
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		db_column_text(st, 0, rows[n++].id, sizeof rows[0].id);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(rows);
		return db_fail(db, "expired cases", cause);
	}
	*out = rows;
	return (ssize_t)n;
}

/* Runs one of the purge statements on case_id. */
static int
db_purge_step(struct db *db, enum db_stmt id, const char *case_id, int64_t now,
    char **cause)
{
	sqlite3_stmt *st = db_stmt(db, id);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	if (id == DB_PURGE_TOMBSTONE)
		sqlite3_bind_int64(st, 2, now);
	return db_step_once(db, st, "purge", cause);
}

int
db_case_purge(struct db *db, const char *case_id, int tombstone, int64_t now,
    char **cause)
{
	static const enum db_stmt steps[] = {DB_PURGE_KEYS, DB_PURGE_CONSENTS,
	    DB_PURGE_MESSAGES, DB_PURGE_ATTACHMENTS, DB_PURGE_IDEMPOTENCY,
	    DB_PURGE_NOTES, DB_PURGE_SUBJECTS, DB_PURGE_CONTENT};

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (db_purge_step(db, steps[i], case_id, now, cause) < 0)
			return -1;
	return db_purge_step(db,
	    tombstone ? DB_PURGE_TOMBSTONE : DB_PURGE_DELETE, case_id, now,
	    cause);
}

int
db_checkpoint(struct db *db, char **cause)
{
	/* What was purged must be committed before the WAL can let go of
	 * what it overwrote. */
	if (db_flush(db, cause) < 0)
		return -1;
	if (sqlite3_wal_checkpoint_v2(db->sqlite, NULL,
	        SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "checkpoint", cause);
	return 0;
}
