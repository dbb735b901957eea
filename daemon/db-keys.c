/*
 * Who holds a copy of a case key: copies put by a referral or a grant,
 * dropped by a referral that keeps no access, an officer's removal with
 * their copies, the submitter's consent to a referral, and the cases an
 * officer is the last holder of.
 */
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_keys_sql[] = {
    {DB_KEYS_PUT, "INSERT INTO case_keys (case_id, officer_id, sealed) "
                  "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"},
    {DB_KEYS_DROP_UNIT,
        "DELETE FROM case_keys WHERE case_id = ?1 AND officer_id IN "
        "(SELECT id FROM officers WHERE unit = ?2)"},
    {DB_KEYS_CONSENT, "SELECT count(*) FROM consents WHERE case_id = ?1 AND "
                      "purpose = 'refer' AND answer = 'yes' AND "
                      "(unit IS NULL OR unit = ?2)"},
    {DB_KEYS_OFFICER_COUNT,
        "SELECT count(*) FROM case_keys WHERE officer_id = ?1"},
    {DB_KEYS_OFFICER_LAST,
        "SELECT count(*) FROM case_keys k WHERE k.officer_id = ?1 AND "
        "NOT EXISTS (SELECT 1 FROM case_keys o WHERE "
        "o.case_id = k.case_id AND o.officer_id <> ?1)"},
    {DB_KEYS_OFFICER_DELETE, "DELETE FROM officers WHERE id = ?1"},
    {DB_KEYS_GRANT_LIST,
        "SELECT c.id, k.sealed FROM cases c JOIN case_keys k ON "
        "k.case_id = c.id AND k.officer_id = ?1 WHERE c.unit = ?2 AND "
        "c.status <> 'closed' AND c.purged_at IS NULL AND c.id > ?4 AND "
        "NOT EXISTS (SELECT 1 FROM case_keys n WHERE n.case_id = c.id "
        "AND n.officer_id = ?3) ORDER BY c.id LIMIT ?5"},
};
const size_t db_keys_sql_count = sizeof db_keys_sql / sizeof db_keys_sql[0];

int
db_case_key_put(struct db *db, const char *case_id, int64_t officer_id,
    const unsigned char *sealed, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_KEYS_PUT);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_blob(st, 3, sealed, CRYPT_SEALED_LEN, SQLITE_STATIC);
	if (db_step_once(db, st, "key put", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

int
db_case_key_drop_unit(
    struct db *db, const char *case_id, const char *unit, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_KEYS_DROP_UNIT);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	if (db_step_once(db, st, "key drop", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite);
}

/* The one integer a counting statement returns, or -1. */
static int64_t
db_keys_count(sqlite3_stmt *st)
{
	int64_t n = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int
db_consent_refer_given(struct db *db, const char *case_id, const char *unit)
{
	sqlite3_stmt *st = db_stmt(db, DB_KEYS_CONSENT);
	int64_t n;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	n = db_keys_count(st);
	return n < 0 ? -1 : n > 0;
}

int64_t
db_officer_key_count(struct db *db, int64_t officer_id, int last_only)
{
	sqlite3_stmt *st = db_stmt(
	    db, last_only ? DB_KEYS_OFFICER_LAST : DB_KEYS_OFFICER_COUNT);

	sqlite3_bind_int64(st, 1, officer_id);
	return db_keys_count(st);
}

int
db_officer_delete(struct db *db, int64_t officer_id, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_KEYS_OFFICER_DELETE);

	sqlite3_bind_int64(st, 1, officer_id);
	if (db_step_once(db, st, "officer delete", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

ssize_t
db_grant_list(struct db *db, int64_t holder, const char *unit, int64_t newcomer,
    const char *after, unsigned limit, struct db_grant **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_KEYS_GRANT_LIST);
	struct db_grant *rows = calloc(limit ? limit : 1, sizeof *rows);
	size_t n = 0;
	int rc = SQLITE_DONE;

	if (rows == NULL)
		abort();
	sqlite3_bind_int64(st, 1, holder);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, newcomer);
	sqlite3_bind_text(st, 4, after, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, (int)limit);
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_column_text(st, 0, rows[n].case_id, sizeof rows[n].case_id);
		if (db_column_blob_fixed(
		        st, 1, rows[n].sealed, CRYPT_SEALED_LEN) == 0)
			n++;
	}
	sqlite3_reset(st);
	if (n < limit && rc != SQLITE_DONE) {
		free(rows);
		return db_fail(db, "grant list", cause);
	}
	*out = rows;
	return (ssize_t)n;
}
