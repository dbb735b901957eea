/*
 * The conflict register (officer x keyed hash of a name) and the blind
 * index of each case's subjects (the same keyed hash): no name in clear.
 */
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_conflict_sql[] = {
    {DB_CONFLICT_INSERT,
        "INSERT INTO conflicts (officer_id, name_hash, created_at) "
        "VALUES (?1, ?2, ?3) ON CONFLICT (officer_id, name_hash) DO NOTHING"},
    {DB_CONFLICT_HAS,
        "SELECT 1 FROM conflicts WHERE officer_id = ?1 AND name_hash = ?2"},
    {DB_CONFLICT_LIST,
        "SELECT c.id, o.user, o.unit, c.name_hash, c.created_at FROM "
        "conflicts c JOIN officers o ON o.id = c.officer_id ORDER BY c.id"},
    {DB_CONFLICT_CASES,
        "SELECT s.case_id FROM case_subjects s JOIN case_keys k ON "
        "k.case_id = s.case_id AND k.officer_id = ?2 WHERE s.hash = ?1 "
        "ORDER BY s.case_id"},
    {DB_SUBJECT_INSERT,
        "INSERT INTO case_subjects (case_id, hash) VALUES (?1, ?2) "
        "ON CONFLICT DO NOTHING"},
};
const size_t db_conflict_sql_count =
    sizeof db_conflict_sql / sizeof db_conflict_sql[0];

int
db_conflict_insert(struct db *db, int64_t officer_id, const unsigned char *hash,
    int64_t now, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONFLICT_INSERT);

	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_blob(st, 2, hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	if (db_step_once(db, st, "conflict insert", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

int
db_conflict_has(
    struct db *db, int64_t officer_id, const unsigned char *hash, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONFLICT_HAS);
	int rc;

	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_blob(st, 2, hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "conflict check", cause);
	return rc == SQLITE_ROW;
}

/* One row of DB_CONFLICT_LIST, for db_collect(). */
static int
db_conflict_row(sqlite3_stmt *st, void *elem)
{
	struct db_conflict *r = elem;

	r->id = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, r->user, sizeof r->user);
	db_column_text(st, 2, r->unit, sizeof r->unit);
	if (sqlite3_column_bytes(st, 3) == CRYPT_HASH_LEN)
		memcpy(r->hash, sqlite3_column_blob(st, 3), CRYPT_HASH_LEN);
	r->created_at = sqlite3_column_int64(st, 4);
	return 0;
}

ssize_t
db_conflict_list(struct db *db, struct db_conflict **out, char **cause)
{
	return db_collect(db, db_stmt(db, DB_CONFLICT_LIST), sizeof **out,
	    db_conflict_row, NULL, (void **)out, "conflict list", cause);
}

/* One row of DB_CONFLICT_CASES, for db_collect(). */
static int
db_conflict_case_row(sqlite3_stmt *st, void *elem)
{
	struct db_case_ref *r = elem;

	db_column_text(st, 0, r->id, sizeof r->id);
	return 0;
}

ssize_t
db_conflict_cases(struct db *db, const unsigned char *hash, int64_t officer_id,
    struct db_case_ref **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONFLICT_CASES);

	sqlite3_bind_blob(st, 1, hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	return db_collect(db, st, sizeof **out, db_conflict_case_row, NULL,
	    (void **)out, "conflict cases", cause);
}

int
db_case_subject_insert(
    struct db *db, const char *case_id, const unsigned char *hash, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_SUBJECT_INSERT);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	return db_step_once(db, st, "subject insert", cause);
}
