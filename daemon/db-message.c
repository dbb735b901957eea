/*
 * The message thread of a case (messages, additions to the narrative,
 * consent requests and answers, each encrypted under the case key by the
 * writer's client) and the consent table the daemon reads in clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_message_sql[] = {
    {DB_MESSAGE_INSERT,
        "INSERT INTO messages (id, case_id, author_role, author, kind, "
        "created_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (id) DO NOTHING"},
    {DB_MESSAGE_CASE_OF, "SELECT case_id FROM messages WHERE id = ?1"},
    {DB_MESSAGE_LIST,
        "SELECT seq, id, case_id, author_role, author, kind, created_at, body "
        "FROM messages WHERE case_id = ?1 ORDER BY seq"},
    {DB_CONSENT_INSERT,
        "INSERT INTO consents (request_id, case_id, purpose, unit) "
        "VALUES (?1, ?2, ?3, ?4)"},
    {DB_CONSENT_ANSWER,
        "UPDATE consents SET answer = ?3, answered_at = ?4 "
        "WHERE request_id = ?1 AND case_id = ?2 AND answer IS NULL"},
    {DB_CONSENT_GET,
        "SELECT answer FROM consents WHERE request_id = ?1 AND case_id = ?2"},
    {DB_CONSENT_LIST,
        "SELECT request_id, purpose, unit, answer, answered_at FROM consents "
        "WHERE case_id = ?1 ORDER BY rowid"},
};
const size_t db_message_sql_count =
    sizeof db_message_sql / sizeof db_message_sql[0];

int
db_message_insert(struct db *db, const struct db_message *m,
    char *existing_case, size_t existing_size, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_MESSAGE_INSERT);
	int rc;

	sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->author_role, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 4, m->author);
	sqlite3_bind_text(st, 5, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, m->created_at);
	sqlite3_bind_blob64(st, 7, m->body, m->bodylen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "message insert", cause);
	if (sqlite3_changes(db->sqlite) == 1)
		return 1;
	st = db_stmt(db, DB_MESSAGE_CASE_OF);
	sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_column_text(st, 0, existing_case, existing_size);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "message lookup", cause);
	return 0;
}

/* One row of DB_MESSAGE_LIST, for db_collect(). */
static int
db_message_row(sqlite3_stmt *st, void *elem)
{
	struct db_message *m = elem;

	m->seq = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, m->id, sizeof m->id);
	db_column_text(st, 2, m->case_id, sizeof m->case_id);
	db_column_text(st, 3, m->author_role, sizeof m->author_role);
	db_column_text(st, 4, m->author, sizeof m->author);
	db_column_text(st, 5, m->kind, sizeof m->kind);
	m->created_at = sqlite3_column_int64(st, 6);
	m->bodylen = (size_t)sqlite3_column_bytes(st, 7);
	m->body = malloc(m->bodylen ? m->bodylen : 1);
	if (m->body == NULL)
		abort();
	memcpy(m->body, sqlite3_column_blob(st, 7), m->bodylen);
	return 0;
}

static void
db_message_clear(void *elem)
{
	free(((struct db_message *)elem)->body);
}

ssize_t
db_message_list(
    struct db *db, const char *case_id, struct db_message **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_MESSAGE_LIST);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_message_row,
	    db_message_clear, (void **)out, "message list", cause);
}

void
db_message_list_free(struct db_message *list, size_t n)
{
	if (list == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i].body);
	free(list);
}

int
db_consent_insert(struct db *db, const char *request_id, const char *case_id,
    const char *purpose, const char *unit, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONSENT_INSERT);

	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, purpose, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 4, unit);
	return db_step_once(db, st, "consent insert", cause);
}

int
db_consent_answer(struct db *db, const char *request_id, const char *case_id,
    const char *answer, int64_t now, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONSENT_ANSWER);
	int rc;

	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, answer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "consent answer", cause);
	if (sqlite3_changes(db->sqlite) == 1)
		return 1;
	st = db_stmt(db, DB_CONSENT_GET);
	sqlite3_bind_text(st, 1, request_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 2;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "consent get", cause);
}

/* One row of DB_CONSENT_LIST, for db_collect(). */
static int
db_consent_row(sqlite3_stmt *st, void *elem)
{
	struct db_consent *c = elem;

	db_column_text(st, 0, c->request_id, sizeof c->request_id);
	db_column_text(st, 1, c->purpose, sizeof c->purpose);
	db_column_text(st, 2, c->unit, sizeof c->unit);
	db_column_text(st, 3, c->answer, sizeof c->answer);
	c->answered_at = sqlite3_column_int64(st, 4);
	return 0;
}

ssize_t
db_consent_list(
    struct db *db, const char *case_id, struct db_consent **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_CONSENT_LIST);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_consent_row, NULL,
	    (void **)out, "consent list", cause);
}
