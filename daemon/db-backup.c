/*
 * Backups and restores at the SQLite level: the online backup API run
 * from a read connection of its own (never the daemon's main connection,
 * which may hold uncommitted work), and the checks a restore makes of a
 * database file before it replaces anything.  Each function opens its
 * own connection on a path and closes it, prepares nothing ahead and
 * migrates nothing, so that it works on a database of any schema version
 * and on any thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db-int.h"

#define DB_BACKUP_PAGES 256 /* pages copied between two cancel checks */

static int
db_backup_fail(sqlite3 *s, const char *what, char **cause)
{
	if (asprintf(cause, "db: %s: %s", what,
	        s != NULL ? sqlite3_errmsg(s) : "out of memory") < 0)
		abort();
	return -1;
}

static int
db_backup_open(const char *path, int flags, sqlite3 **s, char **cause)
{
	if (sqlite3_open_v2(path, s,
	        flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	        NULL) != SQLITE_OK) {
		db_backup_fail(*s, path, cause);
		sqlite3_close(*s);
		*s = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*s, 5000);
	return 0;
}

/* The first column of the one row sql returns, as an integer. */
static int
db_backup_int(sqlite3 *s, const char *sql, int64_t *v, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		return db_backup_fail(s, sql, cause);
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_backup_fail(s, sql, cause);
	return 0;
}

/* Schema version and the audit log's last entry, in the open read
 * transaction (or a transaction of their own). */
static int
db_backup_describe(sqlite3 *s, struct db_snapshot *snap, char **cause)
{
	sqlite3_stmt *st;
	int64_t v;
	int rc;

	memset(snap, 0, sizeof *snap);
	if (db_backup_int(s, "PRAGMA user_version", &v, cause) < 0)
		return -1;
	snap->schema_version = (int)v;
	if (db_backup_int(s,
	        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
	        "AND name = 'audit'",
	        &v, cause) < 0)
		return -1;
	snap->has_audit = v > 0;
	if (!snap->has_audit)
		return 0;
	if (sqlite3_prepare_v2(s,
	        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1,
	        &st, NULL) != SQLITE_OK)
		return db_backup_fail(s, "audit last", cause);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snap->audit_seq = sqlite3_column_int64(st, 0);
		if (db_column_blob_fixed(
		        st, 1, snap->audit_hash, CRYPT_HASH_LEN) < 0)
			rc = SQLITE_CORRUPT;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_backup_fail(s, "audit last", cause);
	return 0;
}

/* Steps the backup to its end, asking cancelled() between steps. */
static int
db_backup_copy(sqlite3 *src, sqlite3 *dst, int (*cancelled)(void *), void *arg,
    char **cause)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc;

	if (b == NULL)
		return db_backup_fail(dst, "backup", cause);
	do {
		if (cancelled != NULL && cancelled(arg)) {
			sqlite3_backup_finish(b);
			if (asprintf(cause, "db: backup: cancelled") < 0)
				abort();
			return -1;
		}
		rc = sqlite3_backup_step(b, DB_BACKUP_PAGES);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return db_backup_fail(dst, "backup", cause);
	return 0;
}

int
db_backup_snapshot(const char *path, const char *dest, int (*cancelled)(void *),
    void *arg, struct db_snapshot *snap, char **cause)
{
	sqlite3 *src = NULL, *dst = NULL;
	int ret = -1;

	if (db_backup_open(path, SQLITE_OPEN_READONLY, &src, cause) < 0)
		return -1;
	/* One read transaction from here to the end of the copy: the
	 * description and the pages are of the same snapshot. */
	if (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_backup_fail(src, "begin", cause);
		goto out;
	}
	if (db_backup_describe(src, snap, cause) < 0)
		goto out;
	if (db_backup_open(dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	        &dst, cause) < 0)
		goto out;
	if (db_backup_copy(src, dst, cancelled, arg, cause) < 0)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		db_backup_fail(dst, dest, cause);
		goto out;
	}
	dst = NULL;
	ret = 0;
out:
	if (dst != NULL)
		sqlite3_close(dst);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	return ret;
}

/* PRAGMA integrity_check: 0 when it says "ok", else -1 with its first
 * complaint. */
static int
db_backup_integrity(sqlite3 *s, char **cause)
{
	sqlite3_stmt *st;
	const unsigned char *msg;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(s, "PRAGMA integrity_check(1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_backup_fail(s, "integrity_check", cause);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_backup_fail(s, "integrity_check", cause);
	} else if ((msg = sqlite3_column_text(st, 0)) != NULL &&
	           strcmp((const char *)msg, "ok") == 0) {
		ret = 0;
	} else if (asprintf(cause, "db: integrity_check: %s",
	               msg != NULL ? (const char *)msg : "(no answer)") < 0)
		abort();
	sqlite3_finalize(st);
	return ret;
}

int
db_backup_inspect(const char *path, struct db_snapshot *snap, char **cause)
{
	sqlite3 *s = NULL;
	int ret = -1;

	/* Read-write only so that SQLite can open a WAL-mode file and remove
	 * its -wal and -shm at close: nothing is written. */
	if (db_backup_open(path, SQLITE_OPEN_READWRITE, &s, cause) < 0)
		return -1;
	if (db_backup_integrity(s, cause) == 0 &&
	    db_backup_describe(s, snap, cause) == 0)
		ret = 0;
	sqlite3_close(s);
	return ret;
}

/* Runs sql and hands each row to the entry (heads 0) or head callback. */
static int
db_backup_walk_rows(sqlite3 *s, const char *sql, int heads,
    int (*entry)(void *, const struct db_audit *, char **),
    int (*head)(void *, const struct db_audit_head *, char **), void *arg,
    char **cause)
{
	struct db_audit e;
	struct db_audit_head h;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, ret = 0;

	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		return db_backup_fail(s, "audit walk", cause);
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (heads ? db_audit_read_head(st, &h) < 0
		          : db_audit_read_row(st, &e) < 0) {
			if (asprintf(cause,
			        "db: audit %s row %lld is malformed",
			        heads ? "head" : "entry",
			        (long long)sqlite3_column_int64(
			            st, heads ? 2 : 0)) < 0)
				abort();
			ret = -1;
		} else
			ret = heads ? head(arg, &h, cause)
			            : entry(arg, &e, cause);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_backup_fail(s, "audit walk", cause);
	sqlite3_finalize(st);
	crypt_wipe(&e, sizeof e);
	return ret;
}

int
db_backup_audit_walk(const char *path,
    int (*entry)(void *arg, const struct db_audit *e, char **cause),
    int (*head)(void *arg, const struct db_audit_head *h, char **cause),
    void *arg, char **cause)
{
	sqlite3 *s = NULL;
	int ret = -1;

	if (db_backup_open(path, SQLITE_OPEN_READWRITE, &s, cause) < 0)
		return -1;
	if (sqlite3_exec(s, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		db_backup_fail(s, "begin", cause);
		goto out;
	}
	if (db_backup_walk_rows(s,
	        "SELECT " DB_AUDIT_COLUMNS ", salt FROM audit ORDER BY seq", 0,
	        entry, head, arg, cause) == 0 &&
	    db_backup_walk_rows(s,
	        "SELECT " DB_HEAD_COLUMNS " FROM audit_heads ORDER BY seq, id",
	        1, entry, head, arg, cause) == 0)
		ret = 0;
	sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
out:
	sqlite3_close(s);
	return ret;
}
