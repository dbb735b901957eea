/*
 * Storage: SQLite in WAL mode with synchronous=FULL.  db.c opens the
 * database and applies the embedded schema migrations; db-<table>.c hold
 * the SQL of each table beside the function that runs it, as statements
 * prepared once at open.  These are the only files that include sqlite3.h.
 */
#ifndef MANDATE_DB_H
#define MANDATE_DB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "crypt.h"

struct db;

struct db_officer {
	int64_t id;
	char user[65];
	char unit[33];
	unsigned char public_key[CRYPT_PK_LEN];
	int64_t enrolled_at;
};

struct db_case {
	char id[16];
	char unit[33];
	char category[32];       /* "" for none */
	char subject_office[33]; /* "" for none */
	char language[36];       /* "" for none */
	char status[32];
	int anonymous;
	int urgent;
	int recused;
	char rule[65];
	int64_t received_at;
	int64_t due_at;
	char assignee[65];        /* "" when unassigned */
	char outcome[33];         /* "" until closed */
	int64_t stage_started_at; /* the current stage's clock started */
	int64_t paused_at;        /* 0 while the clock runs */
	int escalated;            /* DB_ESCALATED_* bits of this stage */
	int64_t closed_at;        /* 0 while open */
};

#define DB_ESCALATED_URGENT 1
#define DB_ESCALATED_80 2
#define DB_ESCALATED_100 4

/*
 * Opens (creating if needed) the database at path, or an in-memory one for
 * ":memory:", and migrates it to the newest embedded schema.  A database
 * from a newer schema than this binary knows is refused.  With readonly,
 * nothing is created or migrated, and a database not at the newest schema
 * is refused.  Returns the handle, or NULL with *cause set (caller frees).
 */
struct db *db_open(const char *path, int readonly, char **cause)
    __attribute__((warn_unused_result));

/* Closes the database cleanly (checkpointing the WAL); accepts NULL. */
void db_close(struct db *db);

/* The schema version of the open database. */
int db_schema_version(const struct db *db);

/* The newest schema version this binary knows. */
int db_schema_latest(void);

/* Transactions: each returns 0, or -1 with *cause set. */
int db_begin(struct db *db, char **cause) __attribute__((warn_unused_result));
int db_commit(struct db *db, char **cause) __attribute__((warn_unused_result));
void db_rollback(struct db *db);

/*
 * Group commit.  Once pending is set, db_begin() and db_commit() bracket a
 * savepoint inside one transaction shared by everything written until the
 * next db_flush(), which makes it durable with one COMMIT.  The first
 * change after a flush calls pending(arg), so that the caller flushes as
 * soon as it has nothing else to do; what it acknowledges, it acknowledges
 * after that flush.  It also moves WAL checkpoints to a thread of their
 * own.  Without pending (the default, or after db_group_commit(db, NULL,
 * NULL), which flushes first), db_commit() commits at once.
 */
void db_group_commit(struct db *db, void (*pending)(void *), void *arg);

/* Nonzero while the shared transaction holds changes not yet durable. */
int db_pending(const struct db *db);

/*
 * Commits the shared transaction.  Returns 0 (also when there is nothing
 * to commit), or -1 with *cause set when the changes since the last flush
 * may not be durable: from then on every write fails, and the caller must
 * answer "outcome unknown" for them and restart.
 */
int db_flush(struct db *db, char **cause) __attribute__((warn_unused_result));

/* Version of the SQLite library in use. */
const char *db_library_version(void);

/* --- officers (db-officer.c) --- */

/*
 * Enrols an officer.  Returns 1 with *out filled, 0 when the user is
 * already an officer of that unit, -1 on error with *cause set.
 */
int db_officer_insert(struct db *db, const char *user, const char *unit,
    const unsigned char *pk, int64_t now, struct db_officer *out, char **cause)
    __attribute__((warn_unused_result));

/*
 * The officers of unit (every unit when unit is NULL), in enrolment order:
 * returns their number with *out an array the caller frees, or -1 with
 * *cause set.
 */
ssize_t db_officer_list(struct db *db, const char *unit,
    struct db_officer **out, char **cause) __attribute__((warn_unused_result));

/* Number of officers enrolled in unit, or -1 on error. */
int64_t db_officer_count(struct db *db, const char *unit);

/*
 * The units user is an officer of: the officer rows, number returned with
 * *out an array the caller frees; -1 on error with *cause set.
 */
ssize_t db_officer_of_user(struct db *db, const char *user,
    struct db_officer **out, char **cause) __attribute__((warn_unused_result));

/* --- cases (db-case.c) --- */

/* What a case keeps of its submitter: nothing that reveals the receipt or,
 * without the daemon's index key, the person. */
struct db_submitter {
	unsigned char lookup[CRYPT_HASH_LEN];   /* receipt lookup hash */
	unsigned char verifier[CRYPT_HASH_LEN]; /* hash of the authenticator */
	unsigned char sealed[CRYPT_SEALED_LEN]; /* case key for the submitter */
	unsigned char tag[CRYPT_HASH_LEN];      /* blind index of the user */
	int has_tag;                            /* 0 for anonymous cases */
};

/*
 * Inserts a case with its encrypted content and its submitter's data.
 * Returns 1, 0 when the id is already taken (the caller draws another),
 * -1 on error with *cause set.
 */
int db_case_insert(struct db *db, const struct db_case *c,
    const unsigned char *content, size_t contentlen,
    const struct db_submitter *sub, char **cause)
    __attribute__((warn_unused_result));

/*
 * The case whose receipt has this lookup hash: 1 with *c, the verifier and
 * the submitter's sealed key filled, 0 when none, -1 on error.
 */
int db_case_by_receipt(struct db *db, const unsigned char *lookup,
    struct db_case *c, struct db_submitter *sub, char **cause)
    __attribute__((warn_unused_result));

/* The cases of a submitter's blind index, newest first: count, or -1. */
ssize_t db_case_of_submitter(struct db *db, const unsigned char *tag,
    struct db_case **out, char **cause) __attribute__((warn_unused_result));

/* Records the last message the submitter has seen.  0 or -1. */
int db_case_set_seen(struct db *db, const char *case_id, int64_t seq,
    char **cause) __attribute__((warn_unused_result));

/* The submitter's last seen message. */
int64_t db_case_seen(struct db *db, const char *case_id);

/* --- messages and consents (db-message.c) --- */

struct db_message {
	int64_t seq;
	char id[64];
	char case_id[16];
	char author_role[16];
	char author[65];
	char kind[24];
	int64_t created_at;
	unsigned char *body; /* owned; free with db_message_list_free() */
	size_t bodylen;
};

struct db_consent {
	char request_id[64];
	char purpose[24];
	char unit[33];
	char answer[8]; /* "" while unanswered */
	int64_t answered_at;
};

/*
 * Appends a message.  Returns 1, 0 when a message with this id exists
 * already (its case id is then in *existing_case), -1 on error.
 */
int db_message_insert(struct db *db, const struct db_message *m,
    char *existing_case, size_t existing_size, char **cause)
    __attribute__((warn_unused_result));

/* The thread of a case, oldest first: count with *out, or -1. */
ssize_t db_message_list(struct db *db, const char *case_id,
    struct db_message **out, char **cause) __attribute__((warn_unused_result));

/* Frees a message list and the bodies it holds; accepts NULL. */
void db_message_list_free(struct db_message *list, size_t n);

/* Records a consent request (its message is inserted first).  0 or -1. */
int db_consent_insert(struct db *db, const char *request_id,
    const char *case_id, const char *purpose, const char *unit, char **cause)
    __attribute__((warn_unused_result));

/*
 * Answers a consent request of case_id.  Returns 1, 0 when there is no
 * such request, 2 when it was answered already, -1 on error.
 */
int db_consent_answer(struct db *db, const char *request_id,
    const char *case_id, const char *answer, int64_t now, char **cause)
    __attribute__((warn_unused_result));

/* The consent requests of a case: count with *out, or -1. */
ssize_t db_consent_list(struct db *db, const char *case_id,
    struct db_consent **out, char **cause) __attribute__((warn_unused_result));

/* --- attachments (db-attachment.c) --- */

struct db_attachment {
	char id[64];
	char case_id[16];
	char author_role[16];
	int64_t created_at;
	int64_t size;   /* declared plaintext bytes */
	int64_t chunks; /* chunks received */
	int64_t stored; /* ciphertext bytes received */
	int complete;
	unsigned char header[CRYPT_STREAM_HEADER_LEN];
	unsigned char *meta; /* owned */
	size_t metalen;
};

/* Inserts an attachment.  1, 0 when the id exists, -1 on error. */
int db_attachment_insert(struct db *db, const struct db_attachment *a,
    char **cause) __attribute__((warn_unused_result));

/* Looks one up: 1 (caller frees a->meta), 0 not found, -1 error. */
int db_attachment_get(struct db *db, const char *id, struct db_attachment *a,
    char **cause) __attribute__((warn_unused_result));

/* The attachments of a case: count with *out (free with
 * db_attachment_list_free()), or -1. */
ssize_t db_attachment_list(struct db *db, const char *case_id,
    struct db_attachment **out, char **cause)
    __attribute__((warn_unused_result));
void db_attachment_list_free(struct db_attachment *list, size_t n);

/* Declared bytes of a case's complete attachments and of those still
 * uploading that were created after since, or -1. */
int64_t db_attachment_case_bytes(
    struct db *db, const char *case_id, int64_t since);

/* Deletes a case's uploads left incomplete since before, with their
 * chunks.  0 or -1. */
int db_attachment_delete_stale(struct db *db, const char *case_id,
    int64_t before, char **cause) __attribute__((warn_unused_result));

/* Appends chunk number a->chunks and advances the counters.  0 or -1. */
int db_attachment_chunk_add(struct db *db, const char *id, int64_t seq,
    const unsigned char *data, size_t len, char **cause)
    __attribute__((warn_unused_result));

/* Marks an attachment complete.  0 or -1. */
int db_attachment_complete(struct db *db, const char *id, char **cause)
    __attribute__((warn_unused_result));

/* Deletes an attachment and its chunks.  0 or -1. */
int db_attachment_delete(struct db *db, const char *id, char **cause)
    __attribute__((warn_unused_result));

/* One chunk: 1 with *data (caller frees), 0 none, -1 error. */
int db_attachment_chunk_get(struct db *db, const char *id, int64_t seq,
    unsigned char **data, size_t *len, char **cause)
    __attribute__((warn_unused_result));

/* --- idempotency (db-case.c) --- */

/* The case a submission's idempotency key produced: 1 with case_id and
 * body_hash filled, 0 none, -1 error. */
int db_idem_get(struct db *db, const unsigned char *key_hash, char *case_id,
    size_t size, unsigned char *body_hash, char **cause)
    __attribute__((warn_unused_result));

/* Records it, in the submission's transaction.  0 or -1. */
int db_idem_insert(struct db *db, const unsigned char *key_hash,
    const char *case_id, const unsigned char *body_hash, int64_t now,
    char **cause) __attribute__((warn_unused_result));

/* Stores one officer's sealed copy of a case key.  Returns 0 or -1. */
int db_case_key_insert(struct db *db, const char *case_id, int64_t officer_id,
    const unsigned char *sealed, char **cause)
    __attribute__((warn_unused_result));

/* Looks a case up: 1 found (*out filled), 0 not found, -1 error. */
int db_case_get(struct db *db, const char *id, struct db_case *out,
    char **cause) __attribute__((warn_unused_result));

/* Whether officer holds a sealed copy of the case key: 1, 0, or -1. */
int db_case_key_held(struct db *db, const char *case_id, int64_t officer_id,
    char **cause) __attribute__((warn_unused_result));

/*
 * The encrypted content of a case and officer's sealed copy of its key.
 * Returns 1 with *content (malloc'd, caller frees) and sealed filled, 0 when
 * the case does not exist or the officer holds no copy, -1 on error.
 */
int db_case_content(struct db *db, const char *case_id, int64_t officer_id,
    unsigned char **content, size_t *contentlen,
    unsigned char sealed[CRYPT_SEALED_LEN], char **cause)
    __attribute__((warn_unused_result));

/* What a queue page shows: NULL/0 members do not filter. */
struct db_queue_filter {
	const char *status, *category;
	const char *assignee; /* mine: the caller's user name */
	int overdue, urgent, unassigned;
	int by_received; /* newest first; else by due date, urgent first */
	int64_t now;     /* for overdue */
	/* the cursor: the sort keys and id of the last row of the page
	 * before (after_id "" for the first page) */
	int64_t after_k1, after_k2;
	char after_id[16];
};

/*
 * One page of officer's queue in unit: cases of the unit of which the
 * officer holds a key copy, filtered and sorted as f says, after f's
 * cursor.  Returns the number of rows (at most limit) with *out an array
 * the caller frees and *k1, *k2 the sort keys of the last row, or -1.
 */
ssize_t db_case_queue(struct db *db, int64_t officer_id, const char *unit,
    const struct db_queue_filter *f, unsigned limit, struct db_case **out,
    int64_t *k1, int64_t *k2, char **cause) __attribute__((warn_unused_result));

/* --- the lifecycle (db-work.c) --- */

/*
 * Moves case_id from status from to c->status, with c->outcome,
 * c->due_at, c->stage_started_at, c->paused_at and c->escalated; sets
 * closed_at to now when c->status is "closed".  Returns 1, 0 when the
 * case is no longer in status from (someone moved it first), -1 on error.
 */
int db_case_transition(struct db *db, const char *from, const struct db_case *c,
    int64_t now, char **cause) __attribute__((warn_unused_result));

/* Sets (or, with "" or NULL, clears) a case's assignee.  0 or -1. */
int db_case_assign(struct db *db, const char *case_id, const char *user,
    char **cause) __attribute__((warn_unused_result));

/* Sets the escalation bits of a case (OR-ed in).  0 or -1. */
int db_case_mark(struct db *db, const char *case_id, int bits, char **cause)
    __attribute__((warn_unused_result));

/* Moves a case to unit at status "received" with a new due date (a
 * referral): the clock restarts, marks are cleared, the assignee goes.
 * 0 or -1. */
int db_case_move(struct db *db, const char *case_id, const char *unit,
    int64_t now, int64_t due_at, char **cause)
    __attribute__((warn_unused_result));

/* Deletes officer's sealed copy of a case key: 1 deleted, 0 none, -1. */
int db_case_key_delete(struct db *db, const char *case_id, int64_t officer_id,
    char **cause) __attribute__((warn_unused_result));

/* How many sealed copies of the case key officers hold, or -1. */
int64_t db_case_key_count(struct db *db, const char *case_id);

/* --- who holds a copy of a case key (db-keys.c) --- */

/* Stores officer's sealed copy unless they hold one already: 1 stored,
 * 0 already held, -1 on error. */
int db_case_key_put(struct db *db, const char *case_id, int64_t officer_id,
    const unsigned char *sealed, char **cause)
    __attribute__((warn_unused_result));

/* Deletes the copies the officers of unit hold of a case: how many, or
 * -1. */
int db_case_key_drop_unit(struct db *db, const char *case_id, const char *unit,
    char **cause) __attribute__((warn_unused_result));

/* Whether the submitter answered yes to a request to refer the case
 * (to unit, or to no unit in particular): 1, 0, or -1. */
int db_consent_refer_given(struct db *db, const char *case_id, const char *unit)
    __attribute__((warn_unused_result));

/* How many case-key copies officer holds (with last_only, of how many
 * cases they are the only holder), or -1. */
int64_t db_officer_key_count(struct db *db, int64_t officer_id, int last_only);

/* Deletes an officer row and, with it, every copy it holds and its
 * conflict entries: 1, 0 when there is no such row, -1. */
int db_officer_delete(struct db *db, int64_t officer_id, char **cause)
    __attribute__((warn_unused_result));

/* A case a newcomer lacks, with the granting officer's copy. */
struct db_grant {
	char case_id[16];
	unsigned char sealed[CRYPT_SEALED_LEN];
};

/*
 * Up to limit not-closed, not-purged cases of unit with id > after ("" to
 * start) of which holder has a copy and newcomer none, by id: count with
 * *out (caller frees), or -1.
 */
ssize_t db_grant_list(struct db *db, int64_t holder, const char *unit,
    int64_t newcomer, const char *after, unsigned limit, struct db_grant **out,
    char **cause) __attribute__((warn_unused_result));

/* Open cases (not closed, not purged) that need a deadline alert at
 * before (now): urgent and not yet escalated, or a running clock past
 * 80 % or its due date with that threshold not yet marked; urgent first,
 * then oldest due, at most limit: count with *out (caller frees), or -1. */
ssize_t db_case_open_due(struct db *db, int64_t before, unsigned limit,
    struct db_case **out, char **cause) __attribute__((warn_unused_result));

struct db_note {
	int64_t seq;
	char id[64];
	char author[65];
	int64_t created_at;
	unsigned char *body; /* owned */
	size_t bodylen;
};

/* Appends a note: 1, 0 when the id exists already, -1 on error. */
int db_note_insert(struct db *db, const char *case_id, const struct db_note *n,
    char **cause) __attribute__((warn_unused_result));

/* The notes of a case, oldest first: count with *out (free with
 * db_note_list_free()), or -1. */
ssize_t db_note_list(struct db *db, const char *case_id, struct db_note **out,
    char **cause) __attribute__((warn_unused_result));
void db_note_list_free(struct db_note *list, size_t n);

/* --- the audit log (db-audit.c) --- */

/* One entry as stored.  The clear fields of a shredded Ombudsperson entry
 * are empty ("" and shredded set). */
struct db_audit {
	int64_t seq;
	int64_t time;
	char actor[65];
	char role[16];
	char action[40];
	char case_id[16];  /* "" for none */
	char unit[33];     /* "" for none */
	char details[512]; /* a JSON object */
	int redacted;
	int shredded;
	int has_salt;
	unsigned char salt[CRYPT_HASH_LEN];
	unsigned char time_hash[CRYPT_HASH_LEN];
	unsigned char case_hash[CRYPT_HASH_LEN];
	unsigned char actor_hash[CRYPT_HASH_LEN];
	unsigned char details_hash[CRYPT_HASH_LEN];
	unsigned char prev_hash[CRYPT_HASH_LEN];
	unsigned char hash[CRYPT_HASH_LEN];
};

/* A signed head (auditfmt.h's struct auditfmt_head and its signature). */
struct db_audit_head {
	int64_t from_seq;
	unsigned char prev_hash[CRYPT_HASH_LEN];
	int64_t seq;
	unsigned char hash[CRYPT_HASH_LEN];
	int64_t signed_at;
	unsigned char public_key[32];
	unsigned char signature[64];
};

/* The last entry's seq and hash: 1, 0 when the log is empty, or -1. */
int db_audit_last(struct db *db, int64_t *seq, unsigned char *hash,
    char **cause) __attribute__((warn_unused_result));

/* Appends an entry (clear fields stored when not shredded; the salt when
 * has_salt).  0, or -1 with *cause set. */
int db_audit_insert(struct db *db, const struct db_audit *e, char **cause)
    __attribute__((warn_unused_result));

/* The hash of entry seq: 1, 0 when there is none, or -1. */
int db_audit_hash_at(struct db *db, int64_t seq, unsigned char *hash,
    char **cause) __attribute__((warn_unused_result));

/*
 * The seq range of an export: *first the lowest seq with time >= since,
 * *last the highest with time < until (*first > *last when none).
 * 0, or -1.
 */
int db_audit_bounds(struct db *db, int64_t since, int64_t until, int64_t *first,
    int64_t *last, char **cause) __attribute__((warn_unused_result));

/* Up to limit entries with after < seq <= last, in order: count with *out
 * (caller frees), or -1. */
ssize_t db_audit_range(struct db *db, int64_t after, int64_t last,
    unsigned limit, struct db_audit **out, char **cause)
    __attribute__((warn_unused_result));

/* Shreds the clear fields of the Ombudsperson entries of a case.  0 or -1. */
int db_audit_shred_case(struct db *db, const char *case_id, char **cause)
    __attribute__((warn_unused_result));

/* Stores a signed head.  0 or -1. */
int db_audit_head_insert(struct db *db, const struct db_audit_head *h,
    char **cause) __attribute__((warn_unused_result));

/* The signed heads with after < seq <= last, by seq: count with *out
 * (caller frees), or -1. */
ssize_t db_audit_heads(struct db *db, int64_t after, int64_t last,
    struct db_audit_head **out, char **cause)
    __attribute__((warn_unused_result));

/* --- status history, retention and legal hold (db-retain.c) --- */

/* Records a status a case takes, at time, set by actor_role.  0 or -1. */
int db_event_insert(struct db *db, const char *case_id, int64_t time,
    const char *status, const char *actor_role, char **cause)
    __attribute__((warn_unused_result));

struct db_event {
	int64_t time;
	char status[32];
	char actor_role[16];
};

/* A case's status history, oldest first: count with *out, or -1. */
ssize_t db_event_list(struct db *db, const char *case_id, struct db_event **out,
    char **cause) __attribute__((warn_unused_result));

/* What retention knows of a case (0 for unset times). */
struct db_retention {
	int64_t closed_at;
	int64_t hold_since;
	int64_t purged_at;
};

/* 1 with *out filled, 0 when there is no such case, -1 on error. */
int db_case_retention(struct db *db, const char *case_id,
    struct db_retention *out, char **cause) __attribute__((warn_unused_result));

/* Places (since > 0) or lifts (since 0) a legal hold: 1 done, 0 when the
 * case was already in that state (or is purged), -1 on error. */
int db_case_hold(struct db *db, const char *case_id, int64_t since,
    char **cause) __attribute__((warn_unused_result));

struct db_case_ref {
	char id[16];
};

/* Up to limit cases of unit closed at or before cutoff, not held, not yet
 * purged, oldest closure first: count with their ids in *out (caller
 * frees), or -1. */
ssize_t db_case_expired(struct db *db, const char *unit, int64_t cutoff,
    unsigned limit, struct db_case_ref **out, char **cause)
    __attribute__((warn_unused_result));

/*
 * Crypto-shredding: deletes every sealed copy of the case key (officers'
 * and the submitter's), the content, the thread, the attachments and the
 * idempotency keys of a case.  With tombstone, a content-free row of
 * metadata stays (purged_at set); without, the case row goes too.  In
 * the caller's transaction.  0 or -1.
 */
int db_case_purge(struct db *db, const char *case_id, int tombstone,
    int64_t now, char **cause) __attribute__((warn_unused_result));

/* Commits what group commit holds, then copies the WAL into the database
 * and truncates it, so that pages freed by a purge survive in no file.
 * 0 or -1. */
int db_checkpoint(struct db *db, char **cause)
    __attribute__((warn_unused_result));

/* --- reports for auditors (db-report.c) --- */

struct db_report_case {
	char id[16];
	char unit[33];
	char category[32];
	char status[32];
	char rule[65];
	int anonymous, urgent, recused;
	int64_t received_at, due_at;
	int64_t acknowledged_at; /* first status after "received"; 0 none */
	int64_t closed_at, purged_at, hold_since; /* 0 when unset */
};

/* Up to limit cases with id > after ("" from the start), by id: count
 * with *out (caller frees), or -1. */
ssize_t db_report_cases(struct db *db, const char *after, unsigned limit,
    struct db_report_case **out, char **cause)
    __attribute__((warn_unused_result));

struct db_report_count {
	char quarter[8];   /* "2026-Q4" of received_at */
	char category[32]; /* "" for none */
	int64_t count;
};

/* A unit's cases counted by quarter and category: count of rows with
 * *out (caller frees), or -1. */
ssize_t db_report_counts(
    struct db *db, const char *unit, struct db_report_count **out, char **cause)
    __attribute__((warn_unused_result));

/* --- the conflict register and subjects' blind index (db-conflict.c) --- */

struct db_conflict {
	int64_t id;
	char user[65];
	char unit[33];
	unsigned char hash[CRYPT_HASH_LEN]; /* keyed hash of the name */
	int64_t created_at;
};

/* Records that officer_id may not read cases about hash: 1 recorded, 0
 * already there, -1 with *cause set. */
int db_conflict_insert(struct db *db, int64_t officer_id,
    const unsigned char *hash, int64_t now, char **cause)
    __attribute__((warn_unused_result));

/* 1 when officer_id has a conflict with hash, 0 when not, -1 on error. */
int db_conflict_has(
    struct db *db, int64_t officer_id, const unsigned char *hash, char **cause)
    __attribute__((warn_unused_result));

/* Every register entry, oldest first: count with *out (caller frees), or
 * -1 with *cause set. */
ssize_t db_conflict_list(struct db *db, struct db_conflict **out, char **cause)
    __attribute__((warn_unused_result));

/* The cases with a subject hashed to hash of which officer_id holds a key
 * copy, by id: count with *out (caller frees), or -1. */
ssize_t db_conflict_cases(struct db *db, const unsigned char *hash,
    int64_t officer_id, struct db_case_ref **out, char **cause)
    __attribute__((warn_unused_result));

/* Adds hash to the blind index of case_id's subjects: 0, or -1. */
int db_case_subject_insert(
    struct db *db, const char *case_id, const unsigned char *hash, char **cause)
    __attribute__((warn_unused_result));

/* --- metrics: aggregate gauges for GET /metrics (db-metrics.c) --- */

/* A count of cases or officers by unit and, as the list says, category
 * ("" for none), status, or nothing (""). */
struct db_metrics_count {
	char unit[33];
	char key[33];
	int64_t count;
};

/* Aggregates only: no case id, no user name.  Free with
 * db_metrics_clear(). */
struct db_metrics {
	struct db_metrics_count *cases; /* not purged, by unit and category */
	size_t ncases;
	struct db_metrics_count *open; /* not closed, by unit and status */
	size_t nopen;
	struct db_metrics_count *overdue; /* open and past due, by unit */
	size_t noverdue;
	struct db_metrics_count *officers; /* enrolments, by unit */
	size_t nofficers;
	int64_t audit_entries;    /* entries in the audit chain */
	int64_t audit_signed_seq; /* the last entry covered by a signed head */
	int64_t db_bytes;         /* page_count * page_size */
	int64_t wal_bytes;        /* the -wal file, 0 when there is none */
};

/*
 * Reads the gauges at now (overdue is the queue's definition: marked at
 * 100 %, or running and past due).  Reads only, in no transaction of its
 * own.  Returns 0 with *m filled, or -1 with *cause set and *m empty.
 */
int db_metrics_read(struct db *db, int64_t now, struct db_metrics *m,
    char **cause) __attribute__((warn_unused_result));

/* Frees what db_metrics_read() filled in; accepts a zeroed struct. */
void db_metrics_clear(struct db_metrics *m);

/* --- end of metrics --- */

/* --- backups and restores (db-backup.c) --- */

/* What a snapshot holds, read in the snapshot's own transaction. */
struct db_snapshot {
	int schema_version;
	int has_audit;     /* the schema has an audit log (3 and up) */
	int64_t audit_seq; /* its last entry, 0 when empty */
	unsigned char audit_hash[CRYPT_HASH_LEN];
};

/*
 * Copies the committed state of the database at path into a new file
 * dest with SQLite's online backup API, from a connection of its own that
 * holds one read transaction throughout (in WAL mode, a consistent
 * snapshot of what was committed when it began, whatever other
 * connections do meanwhile), and fills *snap from that same snapshot.
 * cancelled(arg) is asked between steps; when it says yes, stops.  Uses
 * no other handle, so it may run on a thread of its own.  Returns 0, or
 * -1 with *cause set (dest may then be left behind: the caller removes
 * it).
 */
int db_backup_snapshot(const char *path, const char *dest,
    int (*cancelled)(void *), void *arg, struct db_snapshot *snap, char **cause)
    __attribute__((warn_unused_result));

/*
 * Checks the database file at path as it is, without migrating it:
 * PRAGMA integrity_check must say "ok"; fills *snap.  Returns 0, or -1
 * with *cause naming the first problem.
 */
int db_backup_inspect(const char *path, struct db_snapshot *snap, char **cause)
    __attribute__((warn_unused_result));

/*
 * Walks the audit log of the database file at path: entry() for each
 * entry in seq order (e->shredded set for an entry whose clear fields
 * were shredded, e->has_salt and e->salt for a redacted one), then head()
 * for each signed head.  A callback returns 0 to go on, or -1 with its
 * *cause set.  Returns 0, or -1 with *cause set.
 */
int db_backup_audit_walk(const char *path,
    int (*entry)(void *arg, const struct db_audit *e, char **cause),
    int (*head)(void *arg, const struct db_audit_head *h, char **cause),
    void *arg, char **cause) __attribute__((warn_unused_result));

#endif
