/*
 * The cases table and the sealed copies of case keys: intake, look-up by
 * id, an officer's queue, and the content an officer may decrypt.
 */
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/* The queue's filters: status, category, overdue (marked at 100 %, or
 * past due now), urgent, assigned to, unassigned. */
#define DB_CASE_QUEUE_FILTERS                                               \
	"AND (?4 IS NULL OR c.status = ?4) AND (?5 IS NULL OR "             \
	"c.category = ?5) AND (?6 = 0 OR (c.status <> 'closed' AND "        \
	"((c.escalated & 4) <> 0 OR (c.due_at > 0 AND c.paused_at IS NULL " \
	"AND c.due_at <= ?13)))) AND (?7 = 0 OR c.urgent = 1) AND "         \
	"(?8 IS NULL OR c.assignee = ?8) AND (?9 = 0 OR c.assignee IS NULL)"

const struct db_sql db_case_sql[] = {
    {DB_CASE_INSERT,
        "INSERT INTO cases (id, unit, category, subject_office, language, "
        "status, anonymous, urgent, rule, recused, received_at, due_at, "
        "receipt_lookup, receipt_verifier, submitter_sealed, "
        "submitter_tag, stage_started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, ?11, ?12, ?14, ?15, ?16, ?17, ?11) "
        "ON CONFLICT (id) DO NOTHING"},
    {DB_CASE_CONTENT_INSERT,
        "INSERT INTO case_content (case_id, content) VALUES (?1, ?2)"},
    {DB_CASE_KEY_INSERT, "INSERT INTO case_keys (case_id, officer_id, sealed) "
                         "VALUES (?1, ?2, ?3)"},
    {DB_CASE_GET, "SELECT " DB_CASE_COLUMNS " FROM cases c WHERE c.id = ?1"},
    {DB_CASE_KEY_HELD,
        "SELECT 1 FROM case_keys WHERE case_id = ?1 AND officer_id = ?2"},
    {DB_CASE_CONTENT,
        "SELECT c.content, k.sealed FROM case_content c JOIN case_keys k "
        "ON k.case_id = c.case_id WHERE c.case_id = ?1 AND "
        "k.officer_id = ?2"},
    {DB_CASE_QUEUE_FIRST,
        "SELECT " DB_CASE_COLUMNS ", 1 - c.urgent AS k1, "
        "CASE WHEN c.due_at > 0 AND c.status <> 'closed' THEN c.due_at "
        "ELSE 9000000000000000000 END AS k2 FROM cases c WHERE c.unit = ?1 "
        "AND EXISTS (SELECT 1 FROM case_keys k WHERE k.case_id = c.id AND "
        "k.officer_id = ?2) " DB_CASE_QUEUE_FILTERS
        " AND (?10 IS NULL OR (k1, k2, c.id) > (?10, ?11, ?12)) "
        "ORDER BY k1, k2, c.id LIMIT ?3"},
    {DB_CASE_QUEUE_AFTER,
        "SELECT " DB_CASE_COLUMNS ", 0, c.received_at FROM cases c "
        "WHERE c.unit = ?1 AND EXISTS (SELECT 1 FROM case_keys k WHERE "
        "k.case_id = c.id AND k.officer_id = ?2) " DB_CASE_QUEUE_FILTERS
        " AND (?10 IS NULL OR (c.received_at, c.id) < (?11, ?12)) "
        "ORDER BY c.received_at DESC, c.id DESC LIMIT ?3"},
    {DB_CASE_BY_RECEIPT,
        "SELECT " DB_CASE_COLUMNS ", c.receipt_verifier, c.submitter_sealed "
        "FROM cases c WHERE c.receipt_lookup = ?1"},
    {DB_CASE_OF_SUBMITTER,
        "SELECT " DB_CASE_COLUMNS " FROM cases c WHERE c.submitter_tag = ?1 "
        "ORDER BY c.received_at DESC, c.id DESC LIMIT 1000"},
    {DB_CASE_SET_SEEN,
        "UPDATE cases SET submitter_seen = max(submitter_seen, ?2) "
        "WHERE id = ?1"},
    {DB_CASE_SEEN, "SELECT submitter_seen FROM cases WHERE id = ?1"},
    {DB_IDEM_GET,
        "SELECT case_id, body_hash FROM idempotency WHERE key_hash = ?1"},
    {DB_IDEM_INSERT,
        "INSERT INTO idempotency (key_hash, case_id, body_hash, created_at) "
        "VALUES (?1, ?2, ?3, ?4)"},
};
const size_t db_case_sql_count = sizeof db_case_sql / sizeof db_case_sql[0];

int
db_case_insert(struct db *db, const struct db_case *c,
    const unsigned char *content, size_t contentlen,
    const struct db_submitter *sub, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_INSERT);
	int rc;

	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->unit, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 3, c->category);
	db_bind_text_or_null(st, 4, c->subject_office);
	db_bind_text_or_null(st, 5, c->language);
	sqlite3_bind_text(st, 6, c->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, c->anonymous);
	sqlite3_bind_int(st, 8, c->urgent);
	sqlite3_bind_text(st, 9, c->rule, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 10, c->recused);
	sqlite3_bind_int64(st, 11, c->received_at);
	sqlite3_bind_int64(st, 12, c->due_at);
	sqlite3_bind_blob(st, 14, sub->lookup, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 15, sub->verifier, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 16, sub->sealed, CRYPT_SEALED_LEN, SQLITE_STATIC);
	if (sub->has_tag)
		sqlite3_bind_blob(
		    st, 17, sub->tag, CRYPT_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "case insert", cause);
	if (sqlite3_changes(db->sqlite) != 1)
		return 0;
	st = db_stmt(db, DB_CASE_CONTENT_INSERT);
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 2, content, contentlen, SQLITE_STATIC);
	return db_step_once(db, st, "case content insert", cause) < 0 ? -1 : 1;
}

int
db_case_key_insert(struct db *db, const char *case_id, int64_t officer_id,
    const unsigned char *sealed, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_KEY_INSERT);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_blob(st, 3, sealed, CRYPT_SEALED_LEN, SQLITE_STATIC);
	return db_step_once(db, st, "case key insert", cause);
}

/* db_case_row() for db_collect(). */
static int
db_case_row_elem(sqlite3_stmt *st, void *elem)
{
	db_case_row(st, elem);
	return 0;
}

void
db_case_row(sqlite3_stmt *st, struct db_case *c)
{
	memset(c, 0, sizeof *c);
	db_column_text(st, 0, c->id, sizeof c->id);
	db_column_text(st, 1, c->unit, sizeof c->unit);
	db_column_text(st, 2, c->category, sizeof c->category);
	db_column_text(st, 3, c->subject_office, sizeof c->subject_office);
	db_column_text(st, 4, c->language, sizeof c->language);
	db_column_text(st, 5, c->status, sizeof c->status);
	c->anonymous = sqlite3_column_int(st, 6);
	c->urgent = sqlite3_column_int(st, 7);
	c->recused = sqlite3_column_int(st, 8);
	db_column_text(st, 9, c->rule, sizeof c->rule);
	c->received_at = sqlite3_column_int64(st, 10);
	c->due_at = sqlite3_column_int64(st, 11);
	db_column_text(st, 12, c->assignee, sizeof c->assignee);
	db_column_text(st, 13, c->outcome, sizeof c->outcome);
	c->stage_started_at = sqlite3_column_int64(st, 14);
	c->paused_at = sqlite3_column_int64(st, 15);
	c->escalated = sqlite3_column_int(st, 16);
	c->closed_at = sqlite3_column_int64(st, 17);
}

int
db_case_get(struct db *db, const char *id, struct db_case *out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_GET);
	int rc;

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_case_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, "case get", cause);
}

int
db_case_key_held(
    struct db *db, const char *case_id, int64_t officer_id, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_KEY_HELD);
	int rc;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(db, "case key held", cause);
}

int
db_case_content(struct db *db, const char *case_id, int64_t officer_id,
    unsigned char **content, size_t *contentlen,
    unsigned char sealed[CRYPT_SEALED_LEN], char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_CONTENT);
	int rc, found = 0;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW &&
	    sqlite3_column_bytes(st, 1) == CRYPT_SEALED_LEN) {
		*contentlen = (size_t)sqlite3_column_bytes(st, 0);
		*content = malloc(*contentlen ? *contentlen : 1);
		if (*content == NULL)
			abort();
		memcpy(*content, sqlite3_column_blob(st, 0), *contentlen);
		memcpy(sealed, sqlite3_column_blob(st, 1), CRYPT_SEALED_LEN);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "case content", cause);
	return found;
}

ssize_t
db_case_queue(struct db *db, int64_t officer_id, const char *unit,
    const struct db_queue_filter *f, unsigned limit, struct db_case **out,
    int64_t *k1, int64_t *k2, char **cause)
{
	struct db_case *rows;
	sqlite3_stmt *st;
	size_t n = 0;
	int rc = SQLITE_DONE;

	st = db_stmt(
	    db, f->by_received ? DB_CASE_QUEUE_AFTER : DB_CASE_QUEUE_FIRST);
	sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_int(st, 3, (int)limit);
	db_bind_text_or_null(st, 4, f->status);
	db_bind_text_or_null(st, 5, f->category);
	sqlite3_bind_int(st, 6, f->overdue);
	sqlite3_bind_int(st, 7, f->urgent);
	db_bind_text_or_null(st, 8, f->assignee);
	sqlite3_bind_int(st, 9, f->unassigned);
	if (f->after_id[0] != '\0') {
		sqlite3_bind_int64(st, 10, f->after_k1);
		sqlite3_bind_int64(st, 11, f->after_k2);
		sqlite3_bind_text(st, 12, f->after_id, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 13, f->now);
	rows = calloc(limit ? limit : 1, sizeof *rows);
	if (rows == NULL)
		abort();
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_case_row(st, &rows[n]);
		*k1 = sqlite3_column_int64(st, DB_CASE_NCOLS);
		*k2 = sqlite3_column_int64(st, DB_CASE_NCOLS + 1);
		n++;
	}
	if (n < limit && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		free(rows);
		return db_fail(db, "queue", cause);
	}
	sqlite3_reset(st);
	*out = rows;
	return (ssize_t)n;
}

int
db_case_by_receipt(struct db *db, const unsigned char *lookup,
    struct db_case *c, struct db_submitter *sub, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_BY_RECEIPT);
	int rc, found = 0;

	sqlite3_bind_blob(st, 1, lookup, CRYPT_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_case_row(st, c);
		memset(sub, 0, sizeof *sub);
		memcpy(sub->lookup, lookup, CRYPT_HASH_LEN);
		found = db_column_blob_fixed(st, DB_CASE_NCOLS, sub->verifier,
		            CRYPT_HASH_LEN) == 0 &&
		        db_column_blob_fixed(st, DB_CASE_NCOLS + 1, sub->sealed,
		            CRYPT_SEALED_LEN) == 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "case by receipt", cause);
	return found;
}

ssize_t
db_case_of_submitter(
    struct db *db, const unsigned char *tag, struct db_case **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_OF_SUBMITTER);

	sqlite3_bind_blob(st, 1, tag, CRYPT_HASH_LEN, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_case_row_elem, NULL,
	    (void **)out, "cases of submitter", cause);
}

int
db_case_set_seen(struct db *db, const char *case_id, int64_t seq, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_SET_SEEN);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	return db_step_once(db, st, "set seen", cause);
}

int64_t
db_case_seen(struct db *db, const char *case_id)
{
	sqlite3_stmt *st = db_stmt(db, DB_CASE_SEEN);
	int64_t seq = 0;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return seq;
}

int
db_idem_get(struct db *db, const unsigned char *key_hash, char *case_id,
    size_t size, unsigned char *body_hash, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_IDEM_GET);
	int rc, found = 0;

	sqlite3_bind_blob(st, 1, key_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_column_text(st, 0, case_id, size);
		found =
		    db_column_blob_fixed(st, 1, body_hash, CRYPT_HASH_LEN) == 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "idempotency get", cause);
	return found;
}

int
db_idem_insert(struct db *db, const unsigned char *key_hash,
    const char *case_id, const unsigned char *body_hash, int64_t now,
    char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_IDEM_INSERT);

	sqlite3_bind_blob(st, 1, key_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, body_hash, CRYPT_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return db_step_once(db, st, "idempotency insert", cause);
}
