/*
 * An officer's work on the cases table and its notes: transitions,
 * assignment, deadline marks, moves between units (referral), sealed
 * copies deleted (recusal, removal), and internal notes.
 */
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

const struct db_sql db_work_sql[] = {
    {DB_WORK_TRANSITION,
        "UPDATE cases SET status = ?3, outcome = ?4, due_at = ?5, "
        "stage_started_at = ?6, paused_at = ?7, escalated = ?8, "
        "closed_at = CASE WHEN ?3 = 'closed' THEN ?9 ELSE closed_at END "
        "WHERE id = ?1 AND status = ?2 AND purged_at IS NULL"},
    {DB_WORK_ASSIGN, "UPDATE cases SET assignee = ?2 WHERE id = ?1"},
    {DB_WORK_MARK, "UPDATE cases SET escalated = escalated | ?2 WHERE id = ?1"},
    {DB_WORK_MOVE,
        "UPDATE cases SET unit = ?2, status = 'received', outcome = NULL, "
        "assignee = NULL, stage_started_at = ?3, paused_at = NULL, "
        "due_at = ?4, escalated = escalated & 1 WHERE id = ?1"},
    {DB_WORK_KEY_DELETE,
        "DELETE FROM case_keys WHERE case_id = ?1 AND officer_id = ?2"},
    {DB_WORK_KEY_COUNT, "SELECT count(*) FROM case_keys WHERE case_id = ?1"},
    {DB_WORK_OPEN_DUE,
        "SELECT " DB_CASE_COLUMNS " FROM cases c WHERE c.status <> 'closed' "
        /* alert_at (schema 5) finds them by index; the rest of the
         * condition says the same in full. */
        "AND c.purged_at IS NULL AND c.alert_at <= ?1 AND ((c.urgent = 1 AND "
        "(c.escalated & 1) = 0) OR (c.paused_at IS NULL AND c.due_at > "
        "c.stage_started_at AND (((c.escalated & 2) = 0 AND (?1 - "
        "c.stage_started_at) * 100 / (c.due_at - c.stage_started_at) >= 80) "
        "OR ((c.escalated & 4) = 0 AND c.due_at <= ?1)))) "
        "ORDER BY c.urgent DESC, c.due_at, c.id LIMIT ?2"},
    {DB_NOTE_INSERT,
        "INSERT INTO notes (id, case_id, author, created_at, body) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING"},
    {DB_NOTE_LIST, "SELECT seq, id, author, created_at, body FROM notes "
                   "WHERE case_id = ?1 ORDER BY seq"},
};
const size_t db_work_sql_count = sizeof db_work_sql / sizeof db_work_sql[0];

int
db_case_transition(struct db *db, const char *from, const struct db_case *c,
    int64_t now, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_TRANSITION);

	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->status, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 4, c->outcome);
	sqlite3_bind_int64(st, 5, c->due_at);
	sqlite3_bind_int64(st, 6, c->stage_started_at);
	if (c->paused_at != 0)
		sqlite3_bind_int64(st, 7, c->paused_at);
	sqlite3_bind_int(st, 8, c->escalated);
	sqlite3_bind_int64(st, 9, now);
	if (db_step_once(db, st, "transition", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

int
db_case_assign(
    struct db *db, const char *case_id, const char *user, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_ASSIGN);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	db_bind_text_or_null(st, 2, user);
	return db_step_once(db, st, "assign", cause);
}

int
db_case_mark(struct db *db, const char *case_id, int bits, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_MARK);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, bits);
	return db_step_once(db, st, "mark", cause);
}

int
db_case_move(struct db *db, const char *case_id, const char *unit, int64_t now,
    int64_t due_at, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_MOVE);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, due_at);
	return db_step_once(db, st, "move", cause);
}

int
db_case_key_delete(
    struct db *db, const char *case_id, int64_t officer_id, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_KEY_DELETE);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, officer_id);
	if (db_step_once(db, st, "key delete", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

int64_t
db_case_key_count(struct db *db, const char *case_id)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_KEY_COUNT);
	int64_t n = -1;

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

ssize_t
db_case_open_due(struct db *db, int64_t before, unsigned limit,
    struct db_case **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_WORK_OPEN_DUE);
	struct db_case *rows = calloc(limit ? limit : 1, sizeof *rows);
	size_t n = 0;
	int rc = SQLITE_DONE;

	if (rows == NULL)
		abort();
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, (int)limit);
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		db_case_row(st, &rows[n++]);
	sqlite3_reset(st);
	if (n < limit && rc != SQLITE_DONE) {
		free(rows);
		return db_fail(db, "open due", cause);
	}
	*out = rows;
	return (ssize_t)n;
}

int
db_note_insert(
    struct db *db, const char *case_id, const struct db_note *n, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_NOTE_INSERT);

	sqlite3_bind_text(st, 1, n->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, case_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, n->author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, n->created_at);
	sqlite3_bind_blob64(st, 5, n->body, n->bodylen, SQLITE_STATIC);
	if (db_step_once(db, st, "note insert", cause) < 0)
		return -1;
	return sqlite3_changes(db->sqlite) == 1;
}

/* One row of DB_NOTE_LIST and its release, for db_collect(). */
static int
db_note_row(sqlite3_stmt *st, void *elem)
{
	struct db_note *r = elem;

	r->seq = sqlite3_column_int64(st, 0);
	db_column_text(st, 1, r->id, sizeof r->id);
	db_column_text(st, 2, r->author, sizeof r->author);
	r->created_at = sqlite3_column_int64(st, 3);
	r->bodylen = (size_t)sqlite3_column_bytes(st, 4);
	if ((r->body = malloc(r->bodylen ? r->bodylen : 1)) == NULL)
		abort();
	memcpy(r->body, sqlite3_column_blob(st, 4), r->bodylen);
	return 0;
}

static void
db_note_clear(void *elem)
{
	free(((struct db_note *)elem)->body);
}

ssize_t
db_note_list(
    struct db *db, const char *case_id, struct db_note **out, char **cause)
{
	sqlite3_stmt *st = db_stmt(db, DB_NOTE_LIST);

	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	return db_collect(db, st, sizeof **out, db_note_row, db_note_clear,
	    (void **)out, "note list", cause);
}

void
db_note_list_free(struct db_note *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i].body);
	free(list);
}
