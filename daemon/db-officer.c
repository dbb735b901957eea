/*
 * The officers table: who is enrolled in which unit, with which public key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_officer_sql[] = {
    {DB_OFFICER_INSERT,
        "INSERT INTO officers (user, unit, public_key, enrolled_at) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user, unit) DO NOTHING"},
    {DB_OFFICER_LIST_ALL,
        "SELECT id, user, unit, public_key, enrolled_at FROM officers "
        "ORDER BY id"},
    {DB_OFFICER_LIST_UNIT,
        "SELECT id, user, unit, public_key, enrolled_at FROM officers "
        "WHERE unit = ?1 ORDER BY id"},
    {DB_OFFICER_COUNT, "SELECT count(*) FROM officers WHERE unit = ?1"},
    {DB_OFFICER_OF_USER,
        "SELECT id, user, unit, public_key, enrolled_at FROM officers "
        "WHERE user = ?1 ORDER BY id"},
};
const size_t db_officer_sql_count =
    sizeof db_officer_sql / sizeof db_officer_sql[0];

int
db_officer_insert(struct db *db, const char *user, const char *unit,
    const unsigned char *pk, int64_t now, struct db_officer *out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_OFFICER_INSERT);
	int rc;

	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, pk, CRYPT_PK_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "officer insert", cause);
	if (sqlite3_changes(db->sqlite) == 0)
		return 0;
	memset(out, 0, sizeof *out);
	out->id = sqlite3_last_insert_rowid(db->sqlite);
	snprintf(out->user, sizeof out->user, "%s", user);
	snprintf(out->unit, sizeof out->unit, "%s", unit);
	memcpy(out->public_key, pk, CRYPT_PK_LEN);
	out->enrolled_at = now;
	return 1;
}

static int
db_officer_row(sqlite3_stmt *st, void *elem)
{
	struct db_officer *o = elem;
	const void *pk;

	o->id = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, o->user, sizeof o->user);
	db_column_text(st, 2, o->unit, sizeof o->unit);
	pk = sqlite3_column_blob(st, 3);
	if (pk != NULL && sqlite3_column_bytes(st, 3) == CRYPT_PK_LEN)
		memcpy(o->public_key, pk, CRYPT_PK_LEN);
	o->enrolled_at = sqlite3_column_int64(st, 4);
	return 0;
}

/* Runs a prepared officer SELECT and collects its rows. */
static ssize_t
db_officer_collect(
    struct db *db, sqlite3_stmt *st, struct db_officer **out, char **cause)
{
	return db_collect(db, st, sizeof **out, db_officer_row, NULL,
	    (void **)out, "officer list", cause);
}

ssize_t
db_officer_list(
    struct db *db, const char *unit, struct db_officer **out, char **cause)
{
	sqlite3_stmt *st;

	if (unit == NULL)
		st = db_stmt(db, DB_OFFICER_LIST_ALL);
	else {
		st = db_stmt(db, DB_OFFICER_LIST_UNIT);
		sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	}
	return db_officer_collect(db, st, out, cause);
}

ssize_t
db_officer_of_user(
    struct db *db, const char *user, struct db_officer **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_OFFICER_OF_USER);

	sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
	return db_officer_collect(db, st, out, cause);
}

int64_t
db_officer_count(struct db *db, const char *unit)
{
	sqlite3_stmt *st = db_stmt(db, DB_OFFICER_COUNT);
	int64_t n = -1;

	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}
