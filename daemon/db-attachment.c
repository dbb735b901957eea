/*
 * Attachments: a header and encrypted metadata per file, and its
 * secretstream chunks, appended in order; all written by the submitter's
 * client, none readable by the daemon.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

#define DB_ATTACHMENT_COLUMNS                                          \
	"id, case_id, author_role, created_at, size, chunks, stored, " \
	"complete, header, meta"

const struct db_sql db_attachment_sql[] = {
    {DB_ATTACHMENT_INSERT,
        "INSERT INTO attachments (id, case_id, author_role, created_at, size, "
        "chunks, stored, complete, header, meta) VALUES (?1, ?2, ?3, ?4, ?5, "
        "0, 0, 0, ?6, ?7) ON CONFLICT (id) DO NOTHING"},
    {DB_ATTACHMENT_GET,
        "SELECT " DB_ATTACHMENT_COLUMNS " FROM attachments WHERE id = ?1"},
    {DB_ATTACHMENT_LIST,
        "SELECT " DB_ATTACHMENT_COLUMNS " FROM attachments WHERE case_id = ?1 "
        "ORDER BY created_at, rowid"},
    {DB_ATTACHMENT_CASE_BYTES,
        "SELECT coalesce(sum(size), 0) FROM attachments WHERE case_id = ?1 "
        "AND (complete = 1 OR created_at > ?2)"},
    {DB_ATTACHMENT_CHUNK_ADD,
        "INSERT INTO attachment_chunks (attachment_id, seq, data) "
        "VALUES (?1, ?2, ?3)"},
    {DB_ATTACHMENT_ADVANCE,
        "UPDATE attachments SET chunks = chunks + 1, stored = stored + ?2 "
        "WHERE id = ?1"},
    {DB_ATTACHMENT_COMPLETE,
        "UPDATE attachments SET complete = 1 WHERE id = ?1"},
    {DB_ATTACHMENT_DELETE, "DELETE FROM attachments WHERE id = ?1"},
    {DB_ATTACHMENT_DELETE_STALE,
        "DELETE FROM attachments WHERE case_id = ?1 AND complete = 0 AND "
        "created_at <= ?2"},
    {DB_ATTACHMENT_CHUNK_GET,
        "SELECT data FROM attachment_chunks WHERE attachment_id = ?1 AND "
        "seq = ?2"},
};
const size_t db_attachment_sql_count =
    sizeof db_attachment_sql / sizeof db_attachment_sql[0];

int
db_attachment_insert(struct db *db, const struct db_attachment *a, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_INSERT);
	int rc;

	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->author_role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, a->created_at);
	sqlite3_bind_int64(st, 5, a->size);
	sqlite3_bind_blob(
	    st, 6, a->header, CRYPT_STREAM_HEADER_LEN, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 7, a->meta, a->metalen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "attachment insert", cause);
	return sqlite3_changes(db->sqlite) == 1;
}

static void
db_attachment_row(sqlite3_stmt *st, struct db_attachment *a)
{
	memset(a, 0, sizeof *a);
	db_column_text(st, 0, a->id, sizeof a->id);
	db_column_text(st, 1, a->case_id, sizeof a->case_id);
	db_column_text(st, 2, a->author_role, sizeof a->author_role);
	a->created_at = sqlite3_column_int64(st, 3);
	a->size = sqlite3_column_int64(st, 4);
	a->chunks = sqlite3_column_int64(st, 5);
	a->stored = sqlite3_column_int64(st, 6);
	a->complete = sqlite3_column_int(st, 7);
	if (sqlite3_column_bytes(st, 8) == CRYPT_STREAM_HEADER_LEN)
		memcpy(a->header, sqlite3_column_blob(st, 8),
		    CRYPT_STREAM_HEADER_LEN);
	a->metalen = (size_t)sqlite3_column_bytes(st, 9);
	a->meta = malloc(a->metalen ? a->metalen : 1);
	if (a->meta == NULL)
		abort();
	memcpy(a->meta, sqlite3_column_blob(st, 9), a->metalen);
}

int
db_attachment_get(
    struct db *db, const char *id, struct db_attachment *a, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_GET);
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_attachment_row(st, a);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "attachment get", cause);
}

/* db_attachment_row() and its release, for db_collect(). */
static int
db_attachment_row_elem(sqlite3_stmt *st, void *elem)
{
	db_attachment_row(st, elem);
	return 0;
}

static void
db_attachment_clear(void *elem)
{
	free(((struct db_attachment *)elem)->meta);
}

ssize_t
db_attachment_list(struct db *db, const char *case_id,
    struct db_attachment **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_LIST);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_attachment_row_elem,
	    db_attachment_clear, (void **)out, "attachment list", cause);
}

void
db_attachment_list_free(struct db_attachment *list, size_t n)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i].meta);
	free(list);
}

int64_t
db_attachment_case_bytes(struct db *db, const char *case_id, int64_t since)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_CASE_BYTES);
	int64_t n = -1;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int
db_attachment_chunk_add(struct db *db, const char *id, int64_t seq,
    const unsigned char *data, size_t len, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_CHUNK_ADD);
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_blob64(st, 3, data, len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "chunk insert", cause);
	st = db_stmt(db, DB_ATTACHMENT_ADVANCE);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	return db_step_once(db, st, "chunk advance", cause);
}

static int
db_attachment_exec(struct db *db, enum db_stmt id_stmt, const char *id,
    const char *what, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, id_stmt);
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what, cause);
}

int
db_attachment_complete(struct db *db, const char *id, char **cause)
{
	return db_attachment_exec(
	    db, DB_ATTACHMENT_COMPLETE, id, "attachment complete", cause);
}

int
db_attachment_delete(struct db *db, const char *id, char **cause)
{
	return db_attachment_exec(
	    db, DB_ATTACHMENT_DELETE, id, "attachment delete", cause);
}

int
db_attachment_chunk_get(struct db *db, const char *id, int64_t seq,
    unsigned char **data, size_t *len, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_CHUNK_GET);
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*data = malloc(*len ? *len : 1);
		if (*data == NULL)
			abort();
		memcpy(*data, sqlite3_column_blob(st, 0), *len);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "chunk get", cause);
}

int
db_attachment_delete_stale(
    struct db *db, const char *case_id, int64_t before, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_ATTACHMENT_DELETE_STALE);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before);
	return db_step_once(db, st, "stale attachments", cause);
}
