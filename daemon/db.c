/*
 * Opening the database, applying the embedded migrations in order by
 * PRAGMA user_version, transactions, and the statement cache shared by
 * the db-<table>.c files.
 */
#include "db-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "log.h"

static int
db_exec(struct db *db, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(db->sqlite, sql, NULL, NULL, &err) != SQLITE_OK) {
		if (asprintf(cause, "%s", err != NULL ? err : "error") < 0)
			abort();
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
db_fail(struct db *db, const char *what, char **cause)
{
	if (cause != NULL &&
	    asprintf(cause, "db: %s: %s", what, sqlite3_errmsg(db->sqlite)) < 0)
		abort();
	return -1;
}

int
db_schema_latest(void)
{
	return (int)embed_schema_count;
}

int
db_schema_version(const struct db *db)
{
	return db->version;
}

const char *
db_library_version(void)
{
	return sqlite3_libversion();
}

static int
db_read_version(struct db *db, char **cause)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(
	        db->sqlite, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "user_version", cause);
	rc = sqlite3_step(st);
	db->version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (db->version < 0)
		return db_fail(db, "user_version", cause);
	return 0;
}

/* Refuses a database from a newer mandated, whether read-write or not. */
static int
db_refuse_newer(struct db *db, char **cause)
{
	if (db->version <= db_schema_latest())
		return 0;
	if (asprintf(cause,
	        "db: the database has schema version %d, newer than the "
	        "%d this mandated knows: upgrade mandated, or restore a "
	        "backup made by this version",
	        db->version, db_schema_latest()) < 0)
		abort();
	return -1;
}

/* Applies each embedded schema file above the current version, each in its
 * own transaction together with the version bump. */
static int
db_migrate(struct db *db, char **cause)
{
	char *err = NULL, *sql;
	int latest = db_schema_latest();

	if (db_refuse_newer(db, cause) < 0)
		return -1;
	for (int v = db->version; v < latest; v++) {
		if (asprintf(&sql,
		        "BEGIN IMMEDIATE;\n%s\n;PRAGMA user_version = "
		        "%d;\nCOMMIT;",
		        embed_schema[v].data, v + 1) < 0)
			abort();
		if (sqlite3_exec(db->sqlite, sql, NULL, NULL, &err) !=
		    SQLITE_OK) {
			if (asprintf(cause, "db: migration %s failed: %s",
			        embed_schema[v].name,
			        err != NULL ? err : "?") < 0)
				abort();
			sqlite3_free(err);
			free(sql);
			sqlite3_exec(db->sqlite, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		free(sql);
		db->version = v + 1;
	}
	return 0;
}

static int
db_prepare_all(struct db *db, const struct db_sql *sql, size_t n, char **cause)
{
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_prepare_v3(db->sqlite, sql[i].sql, -1,
		        SQLITE_PREPARE_PERSISTENT, &db->stmt[sql[i].id],
		        NULL) != SQLITE_OK)
			return db_fail(db, sql[i].sql, cause);
	}
	return 0;
}

static const struct db_sql db_tx_sql[] = {
    {DB_BEGIN, "BEGIN IMMEDIATE"},
    {DB_COMMIT, "COMMIT"},
    {DB_ROLLBACK, "ROLLBACK"},
    {DB_SAVEPOINT, "SAVEPOINT w"},
    {DB_RELEASE, "RELEASE w"},
    {DB_ROLLBACK_TO, "ROLLBACK TO w"},
};

static int
db_check_current(struct db *db, char **cause)
{
	if (db->version == db_schema_latest())
		return 0;
	if (db_refuse_newer(db, cause) < 0)
		return -1;
	if (asprintf(cause,
	        "db: the database has schema version %d and this mandated "
	        "expects %d: start mandated once to migrate it",
	        db->version, db_schema_latest()) < 0)
		abort();
	return -1;
}

struct db *
db_open(const char *path, int readonly, char **cause)
{
	struct db *db;
	int flags = readonly ? SQLITE_OPEN_READONLY
	                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	db = calloc(1, sizeof *db);
	if (db == NULL || (db->path = strdup(path)) == NULL)
		abort();
	if (sqlite3_open_v2(path, &db->sqlite,
	        flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	        NULL) != SQLITE_OK) {
		db_fail(db, path, cause);
		goto fail;
	}
	sqlite3_busy_timeout(db->sqlite, 5000);
	if (!readonly && db_exec(db,
	                     "PRAGMA journal_mode = WAL;"
	                     "PRAGMA synchronous = FULL;"
	                     "PRAGMA foreign_keys = ON;"
	                     "PRAGMA secure_delete = ON;"
	                     /* DB_WAL_LIMIT */
	                     "PRAGMA journal_size_limit = 16777216;",
	                     cause) < 0)
		goto fail;
	if (db_read_version(db, cause) < 0)
		goto fail;
	if (readonly ? db_check_current(db, cause) < 0
	             : db_migrate(db, cause) < 0)
		goto fail;
	if (db_prepare_all(db, db_tx_sql,
	        sizeof db_tx_sql / sizeof db_tx_sql[0], cause) < 0 ||
	    db_prepare_all(db, db_officer_sql, db_officer_sql_count, cause) <
	        0 ||
	    db_prepare_all(db, db_case_sql, db_case_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_message_sql, db_message_sql_count, cause) <
	        0 ||
	    db_prepare_all(
	        db, db_attachment_sql, db_attachment_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_audit_sql, db_audit_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_retain_sql, db_retain_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_work_sql, db_work_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_report_sql, db_report_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_keys_sql, db_keys_sql_count, cause) < 0 ||
	    db_prepare_all(db, db_conflict_sql, db_conflict_sql_count, cause) <
	        0)
		goto fail;
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_group_commit(db, NULL, NULL);
	for (size_t i = 0; i < DB_STMT_COUNT; i++)
		sqlite3_finalize(db->stmt[i]);
	if (db->sqlite != NULL && !sqlite3_db_readonly(db->sqlite, "main")) {
		sqlite3_wal_checkpoint_v2(
		    db->sqlite, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	}
	if (db->sqlite != NULL)
		sqlite3_close(db->sqlite);
	free(db->path);
	free(db);
}

sqlite3_stmt *
db_stmt(struct db *db, enum db_stmt id)
{
	sqlite3_stmt *st = db->stmt[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int
db_step_done(struct db *db, enum db_stmt id, const char *what, char **cause)
{
	return db_step_once(db, db_stmt(db, id), what, cause);
}

static int
db_failed(char **cause)
{
	if (cause != NULL &&
	    asprintf(cause, "db: an earlier write failed: no more writes "
	                    "until the daemon restarts") < 0)
		abort();
	return -1;
}

/* SQLite rolls a whole transaction back on some errors (I/O, full disk):
 * with it went the released savepoints of a batch, which were not yet
 * acknowledged but are no longer there to commit. */
static int
db_batch_lost(struct db *db)
{
	if (!db->batch || !sqlite3_get_autocommit(db->sqlite))
		return 0;
	db->batch = db->dirty = db->depth = 0;
	db->failed = 1;
	return 1;
}

int
db_begin(struct db *db, char **cause)
{
	if (db->failed)
		return db_failed(cause);
	if (!db->group)
		return db_step_done(db, DB_BEGIN, "begin", cause);
	if (db_batch_lost(db))
		return db_failed(cause);
	if (!db->batch) {
		if (db_step_done(db, DB_BEGIN, "begin", cause) < 0)
			return -1;
		db->batch = 1;
	}
	if (db_step_done(db, DB_SAVEPOINT, "savepoint", cause) < 0) {
		db_rollback(db);
		return -1;
	}
	db->depth++;
	return 0;
}

int
db_commit(struct db *db, char **cause)
{
	if (!db->group)
		return db_step_done(db, DB_COMMIT, "commit", cause);
	if (db->depth == 0) {
		if (asprintf(cause, "db: commit without begin") < 0)
			abort();
		return -1;
	}
	/* On failure the savepoint stays open for the caller's
	 * db_rollback(). */
	if (db_step_done(db, DB_RELEASE, "release", cause) < 0)
		return -1;
	db->depth--;
	db->dirty = 1;
	if (!db->scheduled) {
		db->scheduled = 1;
		db->pending(db->pending_arg);
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	if (!db->group) {
		if (!sqlite3_get_autocommit(db->sqlite))
			(void)db_step_done(db, DB_ROLLBACK, "rollback", NULL);
		return;
	}
	if (db_batch_lost(db))
		return;
	if (db->depth > 0) {
		(void)db_step_done(db, DB_ROLLBACK_TO, "rollback to", NULL);
		(void)db_step_done(db, DB_RELEASE, "release", NULL);
		db->depth--;
	}
	if (db->batch && db->depth == 0 && !db->dirty) {
		(void)db_step_done(db, DB_ROLLBACK, "rollback", NULL);
		db->batch = 0;
	}
}

/* After each commit: the WAL has n frames; past the threshold the
 * checkpointer copies them into the database, off the loop.  Setting this
 * hook turns SQLite's own checkpoints (inside COMMIT) off. */
static int
db_wal_grown(void *arg, sqlite3 *conn, const char *name, int n)
{
	struct db *db = arg;

	if (n >= DB_CHECKPOINT_FRAMES)
		db_checkpointer_nudge(db->ckpt);
	return SQLITE_OK;
}

void
db_group_commit(struct db *db, void (*pending)(void *), void *arg)
{
	char *cause = NULL;

	if (db->group && pending == NULL) {
		if (db_flush(db, &cause) < 0) {
			/* The caller has heard of it from its own flush;
			 * here it can only be said. */
			log_warnx("%s", cause);
			free(cause);
		}
		db_checkpointer_stop(db->ckpt);
		db->ckpt = NULL;
		sqlite3_wal_hook(db->sqlite, NULL, NULL);
	}
	if (!db->group && pending != NULL) {
		if ((db->ckpt = db_checkpointer_start(db->path, &cause)) ==
		    NULL) {
			log_warnx("%s: checkpoints stay in the commits", cause);
			free(cause);
		} else
			sqlite3_wal_hook(db->sqlite, db_wal_grown, db);
	}
	db->group = pending != NULL;
	db->pending = pending;
	db->pending_arg = arg;
}

int
db_pending(const struct db *db)
{
	return db->batch;
}

int
db_flush(struct db *db, char **cause)
{
	db->scheduled = 0;
	if (db->failed)
		return db_failed(cause);
	if (db_batch_lost(db)) {
		if (asprintf(cause, "db: SQLite rolled back a batch of writes "
		                    "after an error") < 0)
			abort();
		return -1;
	}
	if (!db->batch)
		return 0;
	if (db->depth > 0) {
		if (asprintf(cause, "db: flush inside a transaction") < 0)
			abort();
		return -1;
	}
	if (db_step_done(db, DB_COMMIT, "commit", cause) < 0) {
		db->failed = 1;
		if (!sqlite3_get_autocommit(db->sqlite))
			(void)db_step_done(db, DB_ROLLBACK, "rollback", NULL);
		db->batch = db->dirty = 0;
		return -1;
	}
	db->batch = db->dirty = 0;
	return 0;
}

void
db_column_text(sqlite3_stmt *st, int col, char *buf, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(buf, size, "%s", s != NULL ? (const char *)s : "");
}

int
db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_column_blob_fixed(sqlite3_stmt *st, int col, unsigned char *out, size_t len)
{
	if (sqlite3_column_type(st, col) != SQLITE_BLOB ||
	    (size_t)sqlite3_column_bytes(st, col) != len)
		return -1;
	memcpy(out, sqlite3_column_blob(st, col), len);
	return 0;
}

int
db_step_once(struct db *db, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what, cause);
}

ssize_t
db_collect(struct db *db, sqlite3_stmt *st, size_t size,
    int (*row)(sqlite3_stmt *st, void *elem), void (*clear)(void *elem),
    void **out, const char *what, char **cause)
{
	unsigned char *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((rows = realloc(rows, cap * size)) == NULL)
				abort();
		}
		memset(rows + n * size, 0, size);
		if (row(st, rows + n * size) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; clear != NULL && i < n; i++)
			clear(rows + i * size);
		free(rows);
		return db_fail(db, what, cause);
	}
	*out = rows;
	return (ssize_t)n;
}
