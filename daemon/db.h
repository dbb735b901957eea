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
};

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

/* Version of the SQLite library in use. */
const char *db_library_version(void);

/* --- officers (db-officer.c) --- */

/*
 * Enrols an officer.  Returns 1 with *out filled, 0 when the user is
 * already an officer of that unit, -1 on error with *cause set.
 */
int db_officer_insert(struct db *db, const char *user, const char *unit,
    const unsigned char *pk, int64_t now, struct db_officer *out,
    char **cause) __attribute__((warn_unused_result));

/*
 * The officers of unit (every unit when unit is NULL), in enrolment order:
 * returns their number with *out an array the caller frees, or -1 with
 * *cause set.
 */
ssize_t db_officer_list(struct db *db, const char *unit,
    struct db_officer **out, char **cause)
    __attribute__((warn_unused_result));

/* Number of officers enrolled in unit, or -1 on error. */
int64_t db_officer_count(struct db *db, const char *unit);

/*
 * The units user is an officer of: the officer rows, number returned with
 * *out an array the caller frees; -1 on error with *cause set.
 */
ssize_t db_officer_of_user(struct db *db, const char *user,
    struct db_officer **out, char **cause)
    __attribute__((warn_unused_result));

/* --- cases (db-case.c) --- */

/*
 * Inserts a case with its encrypted content.  Returns 1, 0 when the id is
 * already taken (the caller draws another), -1 on error with *cause set.
 */
int db_case_insert(struct db *db, const struct db_case *c,
    const unsigned char *content, size_t contentlen, char **cause)
    __attribute__((warn_unused_result));

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

/*
 * One page of officer's queue in unit, newest first: cases of the unit of
 * which the officer holds a key copy, strictly older than the cursor
 * (received_at, id) when after_id is not NULL.  Returns the number of rows
 * (at most limit) with *out an array the caller frees, or -1.
 */
ssize_t db_case_queue(struct db *db, int64_t officer_id, const char *unit,
    int64_t after_time, const char *after_id, unsigned limit,
    struct db_case **out, char **cause) __attribute__((warn_unused_result));

#endif
