/*
 * The audit log and its signed heads: appending, the chain's last entry,
 * the ranges an export streams, and shredding the clear fields of a purged
 * Ombudsperson case's entries.  The schema's triggers keep the table
 * append-only whatever this file does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_audit_sql[] = {
    {DB_AUDIT_LAST, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"},
    {DB_AUDIT_INSERT,
        "INSERT INTO audit (" DB_AUDIT_COLUMNS ", salt) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"},
    {DB_AUDIT_HASH_AT, "SELECT hash FROM audit WHERE seq = ?1"},
    {DB_AUDIT_FIRST_SINCE, "SELECT min(seq) FROM audit WHERE time >= ?1"},
    {DB_AUDIT_LAST_UNTIL, "SELECT max(seq) FROM audit WHERE time < ?1"},
    {DB_AUDIT_RANGE,
        "SELECT " DB_AUDIT_COLUMNS " FROM audit WHERE seq > ?1 AND seq <= ?2 "
        "ORDER BY seq LIMIT ?3"},
    {DB_AUDIT_SHRED_CASE,
        "UPDATE audit SET actor = NULL, case_id = NULL, details = NULL, "
        "salt = NULL, time = time - time % 86400 "
        "WHERE case_id = ?1 AND redacted = 1"},
    {DB_AUDIT_HEAD_INSERT, "INSERT INTO audit_heads (" DB_HEAD_COLUMNS ") "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
    {DB_AUDIT_HEADS,
        "SELECT " DB_HEAD_COLUMNS " FROM audit_heads WHERE seq > ?1 AND "
        "seq <= ?2 ORDER BY seq, id"},
};
const size_t db_audit_sql_count = sizeof db_audit_sql / sizeof db_audit_sql[0];

int
db_audit_last(struct db *db, int64_t *seq, unsigned char *hash, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_LAST);
	int rc, found = 0;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		found = db_column_blob_fixed(st, 1, hash, CRYPT_HASH_LEN) == 0
		            ? 1
		            : -1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "audit last", cause);
	if (found < 0 && asprintf(cause,
	                     "db: audit entry %lld has a "
	                     "malformed hash",
	                     (long long)*seq) < 0)
		abort();
	return found;
}

static void
db_audit_bind_hashes(sqlite3_stmt *st, const struct db_audit *e)
{
	sqlite3_bind_blob(st, 10, e->time_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, e->case_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 12, e->actor_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(
	    st, 13, e->details_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 14, e->prev_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 15, e->hash, CRYPT_HASH_LEN, SQLITE_STATIC);
}

int
db_audit_insert(struct db *db, const struct db_audit *e, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_INSERT);

	sqlite3_bind_int64(st, 1, e->seq);
	sqlite3_bind_int64(st, 2, e->time);
	if (!e->shredded) {
		sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC);
		db_bind_text_or_null(st, 6, e->case_id);
		sqlite3_bind_text(st, 8, e->details, -1, SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 4, e->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->action, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 7, e->unit);
	sqlite3_bind_int(st, 9, e->redacted);
	db_audit_bind_hashes(st, e);
	if (e->has_salt && !e->shredded)
		sqlite3_bind_blob(
		    st, 16, e->salt, CRYPT_HASH_LEN, SQLITE_STATIC);
	return db_step_once(db, st, "audit insert", cause);
}

int
db_audit_hash_at(struct db *db, int64_t seq, unsigned char *hash, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_HASH_AT);
	int rc, found = 0;

	sqlite3_bind_int64(st, 1, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		found = db_column_blob_fixed(st, 0, hash, CRYPT_HASH_LEN) == 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "audit hash", cause);
	return found;
}

/* The one integer a min() or max() query returns; *v = dflt for NULL. */
static int
db_audit_scalar(struct db *db, enum db_stmt id, int64_t arg, int64_t dflt,
    int64_t *v, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, id);
	int rc;

	sqlite3_bind_int64(st, 1, arg);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
	         ? sqlite3_column_int64(st, 0)
	         : dflt;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "audit bounds", cause);
}

int
db_audit_bounds(struct db *db, int64_t since, int64_t until, int64_t *first,
    int64_t *last, char **cause)
{
	if (db_audit_scalar(
	        db, DB_AUDIT_FIRST_SINCE, since, INT64_MAX, first, cause) < 0 ||
	    db_audit_scalar(db, DB_AUDIT_LAST_UNTIL, until, 0, last, cause) < 0)
		return -1;
	return 0;
}

int
db_audit_read_row(sqlite3_stmt *st, struct db_audit *e)
{
	unsigned char *h[] = {e->time_hash, e->case_hash, e->actor_hash,
	    e->details_hash, e->prev_hash, e->hash};

	memset(e, 0, sizeof *e);
	e->seq = sqlite3_column_int64(st, 0);
	e->time = sqlite3_column_int64(st, 1);
	e->shredded = sqlite3_column_type(st, 2) == SQLITE_NULL;
	/* Cut short, a field would no longer match its hash. */
	if (sqlite3_column_bytes(st, 7) >= (int)sizeof e->details ||
	    sqlite3_column_bytes(st, 2) >= (int)sizeof e->actor)
		return -1;
	db_column_text(st, 2, e->actor, sizeof e->actor);
	db_column_text(st, 3, e->role, sizeof e->role);
	db_column_text(st, 4, e->action, sizeof e->action);
	db_column_text(st, 5, e->case_id, sizeof e->case_id);
	db_column_text(st, 6, e->unit, sizeof e->unit);
	db_column_text(st, 7, e->details, sizeof e->details);
	e->redacted = sqlite3_column_int(st, 8);
	for (int i = 0; i < 6; i++)
		if (db_column_blob_fixed(st, 9 + i, h[i], CRYPT_HASH_LEN) < 0)
			return -1;
	if (sqlite3_column_count(st) > 15 &&
	    sqlite3_column_type(st, 15) != SQLITE_NULL) {
		if (db_column_blob_fixed(st, 15, e->salt, CRYPT_HASH_LEN) < 0)
			return -1;
		e->has_salt = 1;
	}
	return 0;
}

ssize_t
db_audit_range(struct db *db, int64_t after, int64_t last, unsigned limit,
    struct db_audit **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_RANGE);
	struct db_audit *rows;
	size_t n = 0;
	int rc = SQLITE_DONE;

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, last);
	sqlite3_bind_int(st, 3, (int)limit);
	if ((rows = calloc(limit ? limit : 1, sizeof *rows)) == NULL)
		abort();
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (db_audit_read_row(st, &rows[n]) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(rows);
		return db_fail(db, "audit range", cause);
	}
	*out = rows;
	return (ssize_t)n;
}

int
db_audit_shred_case(struct db *db, const char *case_id, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_SHRED_CASE);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_step_once(db, st, "audit shred", cause);
}

int
db_audit_head_insert(struct db *db, const struct db_audit_head *h, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_HEAD_INSERT);

	sqlite3_bind_int64(st, 1, h->from_seq);
	sqlite3_bind_blob(st, 2, h->prev_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, h->seq);
	sqlite3_bind_blob(st, 4, h->hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, h->signed_at);
	sqlite3_bind_blob(
	    st, 6, h->public_key, sizeof h->public_key, SQLITE_STATIC);
	sqlite3_bind_blob(
	    st, 7, h->signature, sizeof h->signature, SQLITE_STATIC);
	return db_step_once(db, st, "audit head insert", cause);
}

int
db_audit_read_head(sqlite3_stmt *st, void *elem)
{
	struct db_audit_head *h = elem;

	memset(h, 0, sizeof *h);
	h->from_seq = sqlite3_column_int64(st, 0);
	h->seq = sqlite3_column_int64(st, 2);
	h->signed_at = sqlite3_column_int64(st, 4);
	if (db_column_blob_fixed(st, 1, h->prev_hash, CRYPT_HASH_LEN) < 0 ||
	    db_column_blob_fixed(st, 3, h->hash, CRYPT_HASH_LEN) < 0 ||
	    db_column_blob_fixed(st, 5, h->public_key, sizeof h->public_key) <
	        0 ||
	    db_column_blob_fixed(st, 6, h->signature, sizeof h->signature) < 0)
		return -1;
	return 0;
}

ssize_t
db_audit_heads(struct db *db, int64_t after, int64_t last,
    struct db_audit_head **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_AUDIT_HEADS);

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, last);
	return db_collect(db, st, sizeof **out, db_audit_read_head, NULL,
	    (void **)out, "audit heads", cause);
}
