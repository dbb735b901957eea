/*
 * Private to the db*.c files: the handle and its prepared statements.
 */
#ifndef MANDATE_DB_INT_H
#define MANDATE_DB_INT_H

#include <sqlite3.h>

#include "db.h"

enum db_stmt {
	DB_BEGIN,
	DB_COMMIT,
	DB_ROLLBACK,
	DB_SAVEPOINT,
	DB_RELEASE,
	DB_ROLLBACK_TO,
	DB_OFFICER_INSERT,
	DB_OFFICER_LIST_ALL,
	DB_OFFICER_LIST_UNIT,
	DB_OFFICER_COUNT,
	DB_OFFICER_OF_USER,
	DB_CASE_INSERT,
	DB_CASE_CONTENT_INSERT,
	DB_CASE_KEY_INSERT,
	DB_CASE_GET,
	DB_CASE_KEY_HELD,
	DB_CASE_CONTENT,
	DB_CASE_QUEUE_FIRST,
	DB_CASE_QUEUE_AFTER,
	DB_CASE_BY_RECEIPT,
	DB_CASE_OF_SUBMITTER,
	DB_CASE_SET_SEEN,
	DB_CASE_SEEN,
	DB_IDEM_GET,
	DB_IDEM_INSERT,
	DB_MESSAGE_INSERT,
	DB_MESSAGE_CASE_OF,
	DB_MESSAGE_LIST,
	DB_CONSENT_INSERT,
	DB_CONSENT_ANSWER,
	DB_CONSENT_GET,
	DB_CONSENT_LIST,
	DB_ATTACHMENT_INSERT,
	DB_ATTACHMENT_GET,
	DB_ATTACHMENT_LIST,
	DB_ATTACHMENT_CASE_BYTES,
	DB_ATTACHMENT_CHUNK_ADD,
	DB_ATTACHMENT_ADVANCE,
	DB_ATTACHMENT_COMPLETE,
	DB_ATTACHMENT_DELETE,
	DB_ATTACHMENT_DELETE_STALE,
	DB_ATTACHMENT_CHUNK_GET,
	DB_AUDIT_LAST,
	DB_AUDIT_INSERT,
	DB_AUDIT_HASH_AT,
	DB_AUDIT_FIRST_SINCE,
	DB_AUDIT_LAST_UNTIL,
	DB_AUDIT_RANGE,
	DB_AUDIT_SHRED_CASE,
	DB_AUDIT_HEAD_INSERT,
	DB_AUDIT_HEADS,
	DB_EVENT_INSERT,
	DB_EVENT_LIST,
	DB_RETAIN_GET,
	DB_RETAIN_HOLD_SET,
	DB_RETAIN_HOLD_CLEAR,
	DB_RETAIN_EXPIRED,
	DB_PURGE_KEYS,
	DB_PURGE_CONSENTS,
	DB_PURGE_MESSAGES,
	DB_PURGE_ATTACHMENTS,
	DB_PURGE_IDEMPOTENCY,
	DB_PURGE_TOMBSTONE,
	DB_PURGE_DELETE,
	DB_PURGE_NOTES,
	DB_PURGE_SUBJECTS,
	DB_PURGE_CONTENT,
	DB_WORK_TRANSITION,
	DB_WORK_ASSIGN,
	DB_WORK_MARK,
	DB_WORK_MOVE,
	DB_WORK_KEY_DELETE,
	DB_WORK_KEY_COUNT,
	DB_WORK_OPEN_DUE,
	DB_KEYS_PUT,
	DB_KEYS_DROP_UNIT,
	DB_KEYS_CONSENT,
	DB_KEYS_OFFICER_COUNT,
	DB_KEYS_OFFICER_LAST,
	DB_KEYS_OFFICER_DELETE,
	DB_KEYS_GRANT_LIST,
	DB_NOTE_INSERT,
	DB_NOTE_LIST,
	DB_REPORT_CASES,
	DB_REPORT_COUNTS,
	DB_CONFLICT_INSERT,
	DB_CONFLICT_HAS,
	DB_CONFLICT_LIST,
	DB_CONFLICT_CASES,
	DB_SUBJECT_INSERT,
	DB_STMT_COUNT
};

struct db_sql {
	enum db_stmt id;
	const char *sql;
};

struct db_checkpointer;

/* WAL frames (pages) after which a checkpoint is started: 4 MiB of 4 KiB
 * pages.  The WAL file is cut back to DB_WAL_LIMIT bytes once reused. */
#define DB_CHECKPOINT_FRAMES 1000
#define DB_WAL_LIMIT (16 * 1024 * 1024)

struct db {
	sqlite3 *sqlite;
	int version;
	char *path;
	sqlite3_stmt *stmt[DB_STMT_COUNT];
	/* Group commit (db_group_commit): the shared transaction is open,
	 * holds released savepoints not yet durable, and has nested
	 * savepoints open; the flush has been asked for. */
	int group, batch, dirty, depth, scheduled;
	int failed; /* a COMMIT failed or SQLite rolled a batch back */
	void (*pending)(void *);
	void *pending_arg;
	struct db_checkpointer *ckpt; /* WAL checkpoints off the loop */
};

/* The columns of an audit entry and of a signed head, in the order that
 * db_audit_read_row() and db_audit_read_head() (db-audit.c) decode: an
 * entry's salt may follow its columns. */
#define DB_AUDIT_COLUMNS                                                     \
	"seq, time, actor, role, action, case_id, unit, details, redacted, " \
	"time_hash, case_hash, actor_hash, details_hash, prev_hash, hash"
#define DB_HEAD_COLUMNS \
	"from_seq, prev_hash, seq, hash, signed_at, public_key, signature"

/* Decode the current row of a statement selecting those columns; -1 when
 * a field is malformed or too long.  read_head has db_collect()'s shape. */
int db_audit_read_row(sqlite3_stmt *st, struct db_audit *e);
int db_audit_read_head(sqlite3_stmt *st, void *elem);

/* db-checkpoint.c: a thread with its own connection that checkpoints the
 * WAL when db_checkpoint_nudge() says it has grown. */
struct db_checkpointer *db_checkpointer_start(const char *path, char **cause);
void db_checkpointer_nudge(struct db_checkpointer *c);
void db_checkpointer_stop(struct db_checkpointer *c);

/* The statements of each table file, prepared by db_open(). */
extern const struct db_sql db_officer_sql[];
extern const size_t db_officer_sql_count;
extern const struct db_sql db_case_sql[];
extern const size_t db_case_sql_count;
extern const struct db_sql db_message_sql[];
extern const size_t db_message_sql_count;
extern const struct db_sql db_attachment_sql[];
extern const size_t db_attachment_sql_count;
extern const struct db_sql db_audit_sql[];
extern const size_t db_audit_sql_count;
extern const struct db_sql db_retain_sql[];
extern const size_t db_retain_sql_count;
extern const struct db_sql db_work_sql[];
extern const size_t db_work_sql_count;
extern const struct db_sql db_report_sql[];
extern const size_t db_report_sql_count;
extern const struct db_sql db_conflict_sql[];
extern const size_t db_conflict_sql_count;
extern const struct db_sql db_keys_sql[];
extern const size_t db_keys_sql_count;

/* The statement id, reset and with bindings cleared, ready to bind. */
sqlite3_stmt *db_stmt(struct db *db, enum db_stmt id);

/* Sets *cause to "what: sqlite's message" and returns -1. */
int db_fail(struct db *db, const char *what, char **cause);

/* The columns of a case row, as c. */
#define DB_CASE_COLUMNS                                                       \
	"c.id, c.unit, c.category, c.subject_office, c.language, c.status, "  \
	"c.anonymous, c.urgent, c.recused, c.rule, c.received_at, c.due_at, " \
	"c.assignee, c.outcome, c.stage_started_at, c.paused_at, "            \
	"c.escalated, c.closed_at"
#define DB_CASE_NCOLS 18

/* Fills c from a row of DB_CASE_COLUMNS (db-case.c). */
void db_case_row(sqlite3_stmt *st, struct db_case *c);

/*
 * Steps st to its end and collects its rows into a growing array of
 * size-byte elements, each zeroed and then filled by row() (which returns
 * 0, or -1 for a row it cannot read).  Returns the number of rows with *out
 * the array (the caller frees it), or -1 with *cause ("db: what: ...")
 * after releasing what the rows own with clear() (may be NULL).  Resets
 * st either way.
 */
ssize_t db_collect(struct db *db, sqlite3_stmt *st, size_t size,
    int (*row)(sqlite3_stmt *st, void *elem), void (*clear)(void *elem),
    void **out, const char *what, char **cause)
    __attribute__((warn_unused_result));

/* Copies a text column into buf (NUL-terminated, truncated to size). */
void db_column_text(sqlite3_stmt *st, int col, char *buf, size_t size);

/* Binds text, or NULL when s is NULL or empty. */
int db_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

/* Copies a blob column of exactly len bytes into out; 0, or -1 when it
 * has another length (or is NULL). */
int db_column_blob_fixed(
    sqlite3_stmt *st, int col, unsigned char *out, size_t len);

/* Steps a statement that returns no row: 0, or -1 with *cause (what). */
int db_step_once(
    struct db *db, sqlite3_stmt *st, const char *what, char **cause);

#endif
