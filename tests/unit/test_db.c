/*
 * Unit tests for db.c, db-officer.c and db-case.c: opening and migrating
 * (in memory, and on files for the version checks), transactions, the
 * officers table, cases with their key copies, and the queue's ordering and
 * pagination cursor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db-int.h"
#include "embed.h"

struct test_db {
	struct db *db;
	char dir[64];
	char path[128];
};

/* A public key or sealed copy whose every byte is b. */

/* Submitter data for a test case: a lookup hash unique to its id. */
static const struct db_submitter *
test_submitter(const char *id)
{
	static struct db_submitter sub;

	memset(&sub, 0, sizeof sub);
	crypt_hash(sub.lookup, id, strlen(id));
	return &sub;
}

static const unsigned char *
test_bytes(unsigned char *buf, size_t len, unsigned char b)
{
	memset(buf, b, len);
	return buf;
}

static int
test_setup(void **state)
{
	struct test_db *t = calloc(1, sizeof *t);
	char *cause = NULL;

	if (t == NULL)
		return -1;
	t->db = db_open(":memory:", 0, &cause);
	if (t->db == NULL) {
		fprintf(stderr, "db_open: %s\n", cause);
		free(cause);
		free(t);
		return -1;
	}
	snprintf(t->dir, sizeof t->dir, "/tmp/test_db.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/mandate.db", t->dir);
	*state = t;
	return 0;
}

static int
test_teardown(void **state)
{
	struct test_db *t = *state;
	char path[160];

	db_close(t->db);
	unlink(t->path);
	snprintf(path, sizeof path, "%s-wal", t->path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", t->path);
	unlink(path);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Runs sql on the file database directly through SQLite. */
static void
test_sqlite_exec(const char *path, const char *sql)
{
	sqlite3 *s = NULL;
	char *err = NULL;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	if (sqlite3_exec(s, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	assert_int_equal(sqlite3_close(s), SQLITE_OK);
}

/* One integer from a query on the file database. */
static int64_t
test_sqlite_int(const char *path, const char *sql)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(s), SQLITE_OK);
	return v;
}

/* One integer from a query on an open handle. */
static int64_t
test_db_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(
	    sqlite3_prepare_v2(db->sqlite, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Opening must fail with exactly expected. */
static void
test_open_refused(const char *path, int readonly, const char *expected)
{
	char *cause = NULL;

	assert_null(db_open(path, readonly, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, expected);
	free(cause);
}

static int64_t
test_officer(
    struct db *db, const char *user, const char *unit, unsigned char keybyte)
{
	unsigned char pk[CRYPT_PK_LEN];
	struct db_officer o;
	char *cause = NULL;

	assert_int_equal(
	    db_officer_insert(db, user, unit,
	        test_bytes(pk, sizeof pk, keybyte), 1000, &o, &cause),
	    1);
	return o.id;
}

static void
test_case_fill(
    struct db_case *c, const char *id, const char *unit, int64_t received_at)
{
	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", id);
	snprintf(c->unit, sizeof c->unit, "%s", unit);
	snprintf(c->status, sizeof c->status, "received");
	snprintf(c->rule, sizeof c->rule, "default");
	c->received_at = received_at;
	c->due_at = received_at + 86400;
}

/* Inserts a case of unit received at t, with a key copy for officer (when
 * officer >= 0). */
static void
test_case(
    struct db *db, const char *id, const char *unit, int64_t t, int64_t officer)
{
	unsigned char sealed[CRYPT_SEALED_LEN];
	struct db_case c;
	char *cause = NULL;

	test_case_fill(&c, id, unit, t);
	assert_int_equal(db_case_insert(db, &c, (const unsigned char *)"box", 3,
	                     test_submitter(c.id), &cause),
	    1);
	if (officer >= 0)
		assert_int_equal(
		    db_case_key_insert(db, id, officer,
		        test_bytes(sealed, sizeof sealed, 0x5a), &cause),
		    0);
}

/* Asserts that rows[0..n) have exactly the ids of the NULL-terminated list. */
static void
test_ids(const struct db_case *rows, ssize_t n, const char *const *ids)
{
	ssize_t i;

	for (i = 0; ids[i] != NULL; i++) {
		assert_true(i < n);
		assert_string_equal(rows[i].id, ids[i]);
	}
	assert_int_equal(n, i);
}

/* --- opening and migrating --- */

static void
test_db__open_memory__migrated_to_latest(void **state)
{
	struct test_db *t = *state;

	assert_int_equal(db_schema_latest(), (int)embed_schema_count);
	assert_true(db_schema_latest() >= 1);
	assert_int_equal(db_schema_version(t->db), db_schema_latest());
	assert_int_equal(
	    test_db_int(t->db, "PRAGMA user_version"), db_schema_latest());
	assert_int_equal(test_db_int(t->db,
	                     "SELECT count(*) FROM sqlite_schema WHERE name IN "
	                     "('officers', 'cases', 'case_keys')"),
	    3);
}

static void
test_db__open_memory__foreign_keys_on(void **state)
{
	struct test_db *t = *state;

	assert_int_equal(test_db_int(t->db, "PRAGMA foreign_keys"), 1);
}

static void
test_db__open_file__wal_and_synchronous_full(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);

	assert_non_null(db);
	assert_null(cause);
	assert_int_equal(test_db_int(db, "PRAGMA synchronous"), 2);
	db_close(db);
	assert_int_equal(
	    test_sqlite_int(t->path, "SELECT journal_mode = 'wal' FROM "
	                             "pragma_journal_mode"),
	    1);
	assert_int_equal(test_sqlite_int(t->path, "PRAGMA user_version"),
	    db_schema_latest());
}

static void
test_db__reopen_file__keeps_data_and_version(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);
	struct db_officer *rows = NULL;

	assert_non_null(db);
	test_officer(db, "alice", "ethics", 1);
	db_close(db);
	db = db_open(t->path, 0, &cause);
	assert_non_null(db);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(db_officer_list(db, NULL, &rows, &cause), 1);
	assert_string_equal(rows[0].user, "alice");
	free(rows);
	db_close(db);
}

static void
test_db__newer_schema__refused_naming_both_versions(void **state)
{
	struct test_db *t = *state;
	char expected[256];

	test_sqlite_exec(t->path, "PRAGMA user_version = 99");
	snprintf(expected, sizeof expected,
	    "db: the database has schema version 99, newer than the %d this "
	    "mandated knows: upgrade mandated, or restore a backup made by "
	    "this version",
	    db_schema_latest());
	test_open_refused(t->path, 0, expected);
	/* Nothing was applied to it. */
	assert_int_equal(test_sqlite_int(t->path, "PRAGMA user_version"), 99);
	assert_int_equal(
	    test_sqlite_int(t->path, "SELECT count(*) FROM sqlite_schema"), 0);
}

static void
test_db__newer_schema_readonly__refused_as_newer(void **state)
{
	struct test_db *t = *state;
	char expected[256];

	test_sqlite_exec(t->path, "PRAGMA user_version = 99");
	snprintf(expected, sizeof expected,
	    "db: the database has schema version 99, newer than the %d this "
	    "mandated knows: upgrade mandated, or restore a backup made by "
	    "this version",
	    db_schema_latest());
	test_open_refused(t->path, 1, expected);
}

static void
test_db__readonly_not_latest__refused_and_not_migrated(void **state)
{
	struct test_db *t = *state;
	char expected[256];

	test_sqlite_exec(t->path, "CREATE TABLE unrelated (x)");
	snprintf(expected, sizeof expected,
	    "db: the database has schema version 0 and this mandated expects "
	    "%d: start mandated once to migrate it",
	    db_schema_latest());
	test_open_refused(t->path, 1, expected);
	assert_int_equal(test_sqlite_int(t->path, "PRAGMA user_version"), 0);
	assert_int_equal(test_sqlite_int(t->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name = "
	                     "'officers'"),
	    0);
}

static void
test_db__readonly_at_latest__opens_and_reads(void **state)
{
	struct test_db *t = *state;
	struct db_officer *rows = NULL;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);

	assert_non_null(db);
	test_officer(db, "alice", "legal", 7);
	db_close(db);
	db = db_open(t->path, 1, &cause);
	assert_non_null(db);
	assert_null(cause);
	assert_int_equal(db_schema_version(db), db_schema_latest());
	assert_int_equal(db_officer_list(db, "legal", &rows, &cause), 1);
	assert_string_equal(rows[0].user, "alice");
	free(rows);
	db_close(db);
}

static void
test_db__readonly_missing_file__refused(void **state)
{
	struct test_db *t = *state;
	char expected[256];

	snprintf(expected, sizeof expected,
	    "db: %s: unable to open database file", t->path);
	test_open_refused(t->path, 1, expected);
	assert_int_equal(access(t->path, F_OK), -1);
}

static void
test_db__failing_migration__rolled_back_with_its_name(void **state)
{
	struct test_db *t = *state;

	test_sqlite_exec(t->path, "CREATE TABLE cases (x)");
	test_open_refused(t->path, 0,
	    "db: migration 0001-init.sql failed: table cases already exists");
	assert_int_equal(test_sqlite_int(t->path, "PRAGMA user_version"), 0);
	assert_int_equal(test_sqlite_int(t->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name = "
	                     "'officers'"),
	    0);
}

/* --- transactions --- */

static void
test_db__rollback__discards_the_transaction(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;

	assert_int_equal(db_begin(t->db, &cause), 0);
	test_officer(t->db, "alice", "ethics", 1);
	db_rollback(t->db);
	assert_int_equal(db_officer_count(t->db, "ethics"), 0);
}

static void
test_db__commit__keeps_the_transaction(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;

	assert_int_equal(db_begin(t->db, &cause), 0);
	test_officer(t->db, "alice", "ethics", 1);
	assert_int_equal(db_commit(t->db, &cause), 0);
	assert_null(cause);
	db_rollback(t->db); /* no transaction open: nothing to undo */
	assert_int_equal(db_officer_count(t->db, "ethics"), 1);
}

static void
test_db__commit_without_begin__fails_with_cause(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;

	assert_int_equal(db_commit(t->db, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(
	    cause, "db: commit: cannot commit - no transaction is active");
	free(cause);
}

static void
test_db__begin_twice__fails_with_cause(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;

	assert_int_equal(db_begin(t->db, &cause), 0);
	assert_int_equal(db_begin(t->db, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "db: begin: cannot start a transaction within a transaction");
	free(cause);
	db_rollback(t->db);
}

/* --- group commit --- */

static void
test_pending(void *arg)
{
	(*(int *)arg)++;
}

/* Officers of unit as a second connection sees them: what is durable. */
static int64_t
test_durable_officers(const char *path, const char *unit)
{
	char *cause = NULL;
	struct db *reader = db_open(path, 1, &cause);
	int64_t n;

	assert_non_null(reader);
	n = db_officer_count(reader, unit);
	db_close(reader);
	return n;
}

static void
test_db__group_commit__durable_only_after_flush(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);
	int calls = 0;

	assert_non_null(db);
	db_group_commit(db, test_pending, &calls);
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "alice", "ethics", 1);
	assert_int_equal(db_commit(db, &cause), 0);
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "bob", "ethics", 2);
	assert_int_equal(db_commit(db, &cause), 0);
	/* One flush asked for the batch; both visible here, neither on
	 * disk yet. */
	assert_int_equal(calls, 1);
	assert_true(db_pending(db));
	assert_int_equal(db_officer_count(db, "ethics"), 2);
	assert_int_equal(test_durable_officers(t->path, "ethics"), 0);
	assert_int_equal(db_flush(db, &cause), 0);
	assert_false(db_pending(db));
	assert_int_equal(test_durable_officers(t->path, "ethics"), 2);
	/* The next change asks for the next flush. */
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "carol", "ethics", 3);
	assert_int_equal(db_commit(db, &cause), 0);
	assert_int_equal(calls, 2);
	db_close(db); /* flushes */
	assert_int_equal(test_durable_officers(t->path, "ethics"), 3);
}

static void
test_db__group_commit_rollback__undoes_only_its_own(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);
	int calls = 0;

	assert_non_null(db);
	db_group_commit(db, test_pending, &calls);
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "alice", "ethics", 1);
	assert_int_equal(db_commit(db, &cause), 0);
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "bob", "ethics", 2);
	db_rollback(db);
	assert_int_equal(db_officer_count(db, "ethics"), 1);
	assert_int_equal(db_flush(db, &cause), 0);
	assert_int_equal(test_durable_officers(t->path, "ethics"), 1);
	/* A rollback with nothing released ends the transaction: nothing
	 * pending, nothing to flush. */
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "carol", "ethics", 3);
	db_rollback(db);
	assert_false(db_pending(db));
	assert_int_equal(calls, 1);
	db_close(db);
	assert_int_equal(test_durable_officers(t->path, "ethics"), 1);
}

static void
test_db__group_commit_off__flushes_what_it_held(void **state)
{
	struct test_db *t = *state;
	char *cause = NULL;
	struct db *db = db_open(t->path, 0, &cause);
	int calls = 0;

	assert_non_null(db);
	db_group_commit(db, test_pending, &calls);
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "alice", "ethics", 1);
	assert_int_equal(db_commit(db, &cause), 0);
	db_group_commit(db, NULL, NULL);
	assert_false(db_pending(db));
	assert_int_equal(test_durable_officers(t->path, "ethics"), 1);
	/* Back to one COMMIT per transaction. */
	assert_int_equal(db_begin(db, &cause), 0);
	test_officer(db, "bob", "ethics", 2);
	assert_int_equal(db_commit(db, &cause), 0);
	assert_int_equal(test_durable_officers(t->path, "ethics"), 2);
	assert_int_equal(calls, 1);
	db_close(db);
}

/* --- officers --- */

static void
test_db__officer_insert__fills_the_row(void **state)
{
	struct test_db *t = *state;
	unsigned char pk[CRYPT_PK_LEN];
	struct db_officer o;
	char *cause = NULL;

	for (size_t i = 0; i < sizeof pk; i++)
		pk[i] = (unsigned char)i;
	assert_int_equal(
	    db_officer_insert(t->db, "alice", "ethics", pk, 1234, &o, &cause),
	    1);
	assert_int_equal(o.id, 1);
	assert_string_equal(o.user, "alice");
	assert_string_equal(o.unit, "ethics");
	assert_memory_equal(o.public_key, pk, sizeof pk);
	assert_int_equal(o.enrolled_at, 1234);
	assert_int_equal(test_officer(t->db, "bob", "ethics", 2), 2);
}

static void
test_db__officer_duplicate__returns_zero(void **state)
{
	struct test_db *t = *state;
	unsigned char pk[CRYPT_PK_LEN];
	struct db_officer o, *rows = NULL;
	char *cause = NULL;

	test_officer(t->db, "alice", "ethics", 1);
	memset(&o, 0x77, sizeof o);
	assert_int_equal(db_officer_insert(t->db, "alice", "ethics",
	                     test_bytes(pk, sizeof pk, 2), 2000, &o, &cause),
	    0);
	assert_null(cause);
	/* The first enrolment stands, with its key. */
	assert_int_equal(db_officer_list(t->db, "ethics", &rows, &cause), 1);
	assert_int_equal(rows[0].public_key[0], 1);
	assert_int_equal(rows[0].enrolled_at, 1000);
	free(rows);
}

static void
test_db__officer_same_user_other_unit__enrolled(void **state)
{
	struct test_db *t = *state;

	test_officer(t->db, "alice", "ethics", 1);
	assert_int_equal(test_officer(t->db, "alice", "legal", 1), 2);
	assert_int_equal(db_officer_count(t->db, "ethics"), 1);
	assert_int_equal(db_officer_count(t->db, "legal"), 1);
}

static void
test_db__officer_list__all_or_one_unit_in_enrolment_order(void **state)
{
	struct test_db *t = *state;
	struct db_officer *rows = NULL;
	char *cause = NULL;

	test_officer(t->db, "carol", "legal", 3);
	test_officer(t->db, "alice", "ethics", 1);
	test_officer(t->db, "bob", "legal", 2);
	assert_int_equal(db_officer_list(t->db, NULL, &rows, &cause), 3);
	assert_string_equal(rows[0].user, "carol");
	assert_string_equal(rows[1].user, "alice");
	assert_string_equal(rows[2].user, "bob");
	assert_int_equal(rows[2].id, 3);
	assert_string_equal(rows[2].unit, "legal");
	assert_int_equal(rows[2].public_key[31], 2);
	assert_int_equal(rows[2].enrolled_at, 1000);
	free(rows);
	assert_int_equal(db_officer_list(t->db, "legal", &rows, &cause), 2);
	assert_string_equal(rows[0].user, "carol");
	assert_string_equal(rows[1].user, "bob");
	free(rows);
}

static void
test_db__officer_list_empty_unit__zero_rows(void **state)
{
	struct test_db *t = *state;
	struct db_officer *rows = NULL;
	char *cause = NULL;

	test_officer(t->db, "alice", "ethics", 1);
	assert_int_equal(db_officer_list(t->db, "legal", &rows, &cause), 0);
	assert_null(cause);
	free(rows);
}

static void
test_db__officer_count__per_unit(void **state)
{
	struct test_db *t = *state;

	assert_int_equal(db_officer_count(t->db, "ethics"), 0);
	test_officer(t->db, "alice", "ethics", 1);
	test_officer(t->db, "bob", "ethics", 2);
	test_officer(t->db, "carol", "legal", 3);
	assert_int_equal(db_officer_count(t->db, "ethics"), 2);
	assert_int_equal(db_officer_count(t->db, "legal"), 1);
	assert_int_equal(db_officer_count(t->db, "nowhere"), 0);
}

static void
test_db__officer_of_user__every_unit_of_that_user(void **state)
{
	struct test_db *t = *state;
	struct db_officer *rows = NULL;
	char *cause = NULL;

	test_officer(t->db, "alice", "ethics", 1);
	test_officer(t->db, "bob", "ethics", 2);
	test_officer(t->db, "alice", "legal", 3);
	assert_int_equal(db_officer_of_user(t->db, "alice", &rows, &cause), 2);
	assert_string_equal(rows[0].unit, "ethics");
	assert_int_equal(rows[0].id, 1);
	assert_string_equal(rows[1].unit, "legal");
	assert_int_equal(rows[1].id, 3);
	assert_int_equal(rows[1].public_key[0], 3);
	free(rows);
	rows = NULL;
	assert_int_equal(db_officer_of_user(t->db, "alic", &rows, &cause), 0);
	free(rows);
}

/* --- cases --- */

static void
test_db__case_insert_get__round_trip(void **state)
{
	struct test_db *t = *state;
	struct db_case c, got;
	char *cause = NULL;

	test_case_fill(&c, "K7QM-3XRD", "inspector-general", 1700000000);
	snprintf(c.category, sizeof c.category, "fraud");
	snprintf(c.subject_office, sizeof c.subject_office, "ethics");
	snprintf(c.language, sizeof c.language, "es-419");
	snprintf(c.rule, sizeof c.rule, "category-fraud");
	c.anonymous = 1;
	c.urgent = 1;
	c.recused = 1;
	c.due_at = 1700500000;
	assert_int_equal(
	    db_case_insert(t->db, &c, (const unsigned char *)"ciphertext", 10,
	        test_submitter(c.id), &cause),
	    1);
	memset(&got, 0x55, sizeof got);
	assert_int_equal(db_case_get(t->db, "K7QM-3XRD", &got, &cause), 1);
	assert_string_equal(got.id, "K7QM-3XRD");
	assert_string_equal(got.unit, "inspector-general");
	assert_string_equal(got.category, "fraud");
	assert_string_equal(got.subject_office, "ethics");
	assert_string_equal(got.language, "es-419");
	assert_string_equal(got.status, "received");
	assert_string_equal(got.rule, "category-fraud");
	assert_int_equal(got.anonymous, 1);
	assert_int_equal(got.urgent, 1);
	assert_int_equal(got.recused, 1);
	assert_int_equal(got.received_at, 1700000000);
	assert_int_equal(got.due_at, 1700500000);
}

static void
test_db__case_empty_optionals__stored_null_read_empty(void **state)
{
	struct test_db *t = *state;
	struct db_case c, got;
	char *cause = NULL;

	test_case_fill(&c, "K7QM-3XRD", "ethics", 5);
	assert_int_equal(db_case_insert(t->db, &c, (const unsigned char *)"x",
	                     1, test_submitter(c.id), &cause),
	    1);
	assert_int_equal(test_db_int(t->db,
	                     "SELECT count(*) FROM cases WHERE category IS "
	                     "NULL AND subject_office IS NULL AND language IS "
	                     "NULL"),
	    1);
	memset(&got, 0x55, sizeof got);
	assert_int_equal(db_case_get(t->db, "K7QM-3XRD", &got, &cause), 1);
	assert_string_equal(got.category, "");
	assert_string_equal(got.subject_office, "");
	assert_string_equal(got.language, "");
	assert_int_equal(got.anonymous, 0);
}

static void
test_db__case_duplicate_id__returns_zero_and_keeps_first(void **state)
{
	struct test_db *t = *state;
	struct db_case c, got;
	char *cause = NULL;

	test_case(t->db, "K7QM-3XRD", "ethics", 100, -1);
	test_case_fill(&c, "K7QM-3XRD", "legal", 200);
	assert_int_equal(db_case_insert(t->db, &c, (const unsigned char *)"y",
	                     1, test_submitter(c.id), &cause),
	    0);
	assert_null(cause);
	assert_int_equal(db_case_get(t->db, "K7QM-3XRD", &got, &cause), 1);
	assert_string_equal(got.unit, "ethics");
	assert_int_equal(got.received_at, 100);
}

static void
test_db__case_constraint_violation__fails_with_cause(void **state)
{
	struct test_db *t = *state;
	struct db_case c;
	char *cause = NULL;

	test_case_fill(&c, "K7QM-3XRD", "ethics", 100);
	c.anonymous = 2;
	assert_int_equal(db_case_insert(t->db, &c, (const unsigned char *)"y",
	                     1, test_submitter(c.id), &cause),
	    -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "db: case insert: CHECK constraint failed: anonymous IN (0, 1)");
	free(cause);
}

static void
test_db__case_get_unknown__returns_zero(void **state)
{
	struct test_db *t = *state;
	struct db_case got;
	char *cause = NULL;

	test_case(t->db, "K7QM-3XRD", "ethics", 100, -1);
	assert_int_equal(db_case_get(t->db, "K7QM-3XRE", &got, &cause), 0);
	assert_null(cause);
}

static void
test_db__case_key__held_only_by_its_officer(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_officer(t->db, "alice", "ethics", 1);
	int64_t bob = test_officer(t->db, "bob", "ethics", 2);
	char *cause = NULL;

	test_case(t->db, "K7QM-3XRD", "ethics", 100, alice);
	assert_int_equal(
	    db_case_key_held(t->db, "K7QM-3XRD", alice, &cause), 1);
	assert_int_equal(db_case_key_held(t->db, "K7QM-3XRD", bob, &cause), 0);
	assert_int_equal(
	    db_case_key_held(t->db, "K7QM-3XRE", alice, &cause), 0);
	assert_null(cause);
}

static void
test_db__case_key_twice__fails_with_cause(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_officer(t->db, "alice", "ethics", 1);
	unsigned char sealed[CRYPT_SEALED_LEN];
	char *cause = NULL;

	test_case(t->db, "K7QM-3XRD", "ethics", 100, alice);
	assert_int_equal(db_case_key_insert(t->db, "K7QM-3XRD", alice,
	                     test_bytes(sealed, sizeof sealed, 1), &cause),
	    -1);
	assert_non_null(cause);
	assert_string_equal(cause,
	    "db: case key insert: UNIQUE constraint failed: "
	    "case_keys.case_id, case_keys.officer_id");
	free(cause);
}

static void
test_db__case_key_of_unknown_case__refused_by_foreign_key(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_officer(t->db, "alice", "ethics", 1);
	unsigned char sealed[CRYPT_SEALED_LEN];
	char *cause = NULL;

	assert_int_equal(db_case_key_insert(t->db, "K7QM-3XRD", alice,
	                     test_bytes(sealed, sizeof sealed, 1), &cause),
	    -1);
	assert_non_null(cause);
	assert_string_equal(
	    cause, "db: case key insert: FOREIGN KEY constraint failed");
	free(cause);
}

static void
test_db__case_content__box_and_own_sealed_copy(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_officer(t->db, "alice", "ethics", 1);
	int64_t bob = test_officer(t->db, "bob", "ethics", 2);
	unsigned char box[300], sealed[CRYPT_SEALED_LEN], got[CRYPT_SEALED_LEN];
	unsigned char *content = NULL;
	size_t len = 0;
	struct db_case c;
	char *cause = NULL;

	for (size_t i = 0; i < sizeof box; i++)
		box[i] = (unsigned char)(i * 7);
	test_case_fill(&c, "K7QM-3XRD", "ethics", 100);
	assert_int_equal(db_case_insert(t->db, &c, box, sizeof box,
	                     test_submitter(c.id), &cause),
	    1);
	assert_int_equal(db_case_key_insert(t->db, c.id, alice,
	                     test_bytes(sealed, sizeof sealed, 0xa1), &cause),
	    0);
	assert_int_equal(db_case_key_insert(t->db, c.id, bob,
	                     test_bytes(sealed, sizeof sealed, 0xb2), &cause),
	    0);
	assert_int_equal(
	    db_case_content(t->db, c.id, bob, &content, &len, got, &cause), 1);
	assert_int_equal(len, sizeof box);
	assert_memory_equal(content, box, sizeof box);
	assert_memory_equal(got, sealed, sizeof got);
	free(content);
}

static void
test_db__case_content_without_copy__returns_zero(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_officer(t->db, "alice", "ethics", 1);
	int64_t bob = test_officer(t->db, "bob", "ethics", 2);
	unsigned char sealed[CRYPT_SEALED_LEN], *content = NULL;
	size_t len = 0;
	char *cause = NULL;

	test_case(t->db, "K7QM-3XRD", "ethics", 100, alice);
	assert_int_equal(db_case_content(t->db, "K7QM-3XRD", bob, &content,
	                     &len, sealed, &cause),
	    0);
	assert_null(content);
	assert_int_equal(db_case_content(t->db, "ZZZZ-ZZZZ", alice, &content,
	                     &len, sealed, &cause),
	    0);
	assert_null(content);
	assert_null(cause);
}

/* --- the queue --- */

/* alice (ethics) holds copies of five ethics cases, two received at the
 * same second; bob (ethics) of one; a legal case and an ethics case without
 * alice's copy must never show in her queue. */
static int64_t
test_queue_fixture(struct db *db)
{
	int64_t alice = test_officer(db, "alice", "ethics", 1);
	int64_t bob = test_officer(db, "bob", "ethics", 2);
	int64_t lee = test_officer(db, "alice", "legal", 3);

	test_case(db, "AAAA-2222", "ethics", 100, alice);
	test_case(db, "BBBB-2222", "ethics", 300, alice);
	test_case(db, "CCCC-2222", "ethics", 200, alice);
	test_case(db, "DDDD-2222", "ethics", 200, alice);
	test_case(db, "EEEE-2222", "ethics", 400, alice);
	test_case(db, "FFFF-2222", "ethics", 500, bob);
	test_case(db, "GGGG-2222", "legal", 600, lee);
	return alice;
}

/* The queue newest first, as before the filters: after_id NULL for the
 * first page. */
static ssize_t
test_queue(struct db *db, int64_t officer, const char *unit, int64_t after_t,
    const char *after_id, unsigned limit, struct db_case **rows, char **cause)
{
	struct db_queue_filter f;
	int64_t k1, k2;

	memset(&f, 0, sizeof f);
	f.by_received = 1;
	if (after_id != NULL) {
		f.after_k2 = after_t;
		snprintf(f.after_id, sizeof f.after_id, "%s", after_id);
	}
	return db_case_queue(
	    db, officer, unit, &f, limit, rows, &k1, &k2, cause);
}

static void
test_db__queue__newest_first_own_copies_only(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_queue_fixture(t->db);
	static const char *const all[] = {"EEEE-2222", "BBBB-2222", "DDDD-2222",
	    "CCCC-2222", "AAAA-2222", NULL};
	struct db_case *rows = NULL;
	char *cause = NULL;
	ssize_t n;

	n = test_queue(t->db, alice, "ethics", 0, NULL, 50, &rows, &cause);
	test_ids(rows, n, all);
	assert_int_equal(rows[0].received_at, 400);
	assert_string_equal(rows[0].unit, "ethics");
	free(rows);
}

static void
test_db__queue__pages_follow_the_cursor(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_queue_fixture(t->db);
	static const char *const p1[] = {"EEEE-2222", "BBBB-2222", NULL};
	static const char *const p2[] = {"DDDD-2222", "CCCC-2222", NULL};
	static const char *const p3[] = {"AAAA-2222", NULL};
	static const char *const tie[] = {"CCCC-2222", "AAAA-2222", NULL};
	struct db_case *rows = NULL;
	char *cause = NULL, last[16];
	int64_t last_t;
	ssize_t n;

	n = test_queue(t->db, alice, "ethics", 0, NULL, 2, &rows, &cause);
	test_ids(rows, n, p1);
	last_t = rows[1].received_at;
	snprintf(last, sizeof last, "%s", rows[1].id);
	free(rows);
	/* The cursor falls between two cases of the same second. */
	n = test_queue(t->db, alice, "ethics", last_t, last, 2, &rows, &cause);
	test_ids(rows, n, p2);
	assert_int_equal(rows[0].received_at, 200);
	assert_int_equal(rows[1].received_at, 200);
	last_t = rows[0].received_at;
	snprintf(last, sizeof last, "%s", rows[0].id);
	free(rows);
	n = test_queue(t->db, alice, "ethics", last_t, last, 2, &rows, &cause);
	test_ids(rows, n, tie);
	free(rows);
	n = test_queue(
	    t->db, alice, "ethics", 200, "CCCC-2222", 2, &rows, &cause);
	test_ids(rows, n, p3);
	free(rows);
	n = test_queue(
	    t->db, alice, "ethics", 100, "AAAA-2222", 2, &rows, &cause);
	assert_int_equal(n, 0);
	free(rows);
}

static void
test_db__queue_other_unit__only_that_units_cases(void **state)
{
	struct test_db *t = *state;
	static const char *const legal[] = {"GGGG-2222", NULL};
	struct db_case *rows = NULL;
	char *cause = NULL;
	ssize_t n;

	test_queue_fixture(t->db);
	/* alice's legal officer row is id 3. */
	n = test_queue(t->db, 3, "legal", 0, NULL, 50, &rows, &cause);
	test_ids(rows, n, legal);
	free(rows);
	n = test_queue(t->db, 3, "ethics", 0, NULL, 50, &rows, &cause);
	assert_int_equal(n, 0);
	free(rows);
}

static void
test_db__queue_limit_zero__no_rows(void **state)
{
	struct test_db *t = *state;
	int64_t alice = test_queue_fixture(t->db);
	struct db_case *rows = NULL;
	char *cause = NULL;

	assert_int_equal(
	    test_queue(t->db, alice, "ethics", 0, NULL, 0, &rows, &cause), 0);
	assert_non_null(rows);
	free(rows);
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_setup, test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_db__open_memory__migrated_to_latest),
	    T(test_db__open_memory__foreign_keys_on),
	    T(test_db__open_file__wal_and_synchronous_full),
	    T(test_db__reopen_file__keeps_data_and_version),
	    T(test_db__newer_schema__refused_naming_both_versions),
	    T(test_db__newer_schema_readonly__refused_as_newer),
	    T(test_db__readonly_not_latest__refused_and_not_migrated),
	    T(test_db__readonly_at_latest__opens_and_reads),
	    T(test_db__readonly_missing_file__refused),
	    T(test_db__failing_migration__rolled_back_with_its_name),
	    T(test_db__rollback__discards_the_transaction),
	    T(test_db__commit__keeps_the_transaction),
	    T(test_db__commit_without_begin__fails_with_cause),
	    T(test_db__begin_twice__fails_with_cause),
	    T(test_db__group_commit__durable_only_after_flush),
	    T(test_db__group_commit_rollback__undoes_only_its_own),
	    T(test_db__group_commit_off__flushes_what_it_held),
	    T(test_db__officer_insert__fills_the_row),
	    T(test_db__officer_duplicate__returns_zero),
	    T(test_db__officer_same_user_other_unit__enrolled),
	    T(test_db__officer_list__all_or_one_unit_in_enrolment_order),
	    T(test_db__officer_list_empty_unit__zero_rows),
	    T(test_db__officer_count__per_unit),
	    T(test_db__officer_of_user__every_unit_of_that_user),
	    T(test_db__case_insert_get__round_trip),
	    T(test_db__case_empty_optionals__stored_null_read_empty),
	    T(test_db__case_duplicate_id__returns_zero_and_keeps_first),
	    T(test_db__case_constraint_violation__fails_with_cause),
	    T(test_db__case_get_unknown__returns_zero),
	    T(test_db__case_key__held_only_by_its_officer),
	    T(test_db__case_key_twice__fails_with_cause),
	    T(test_db__case_key_of_unknown_case__refused_by_foreign_key),
	    T(test_db__case_content__box_and_own_sealed_copy),
	    T(test_db__case_content_without_copy__returns_zero),
	    T(test_db__queue__newest_first_own_copies_only),
	    T(test_db__queue__pages_follow_the_cursor),
	    T(test_db__queue_other_unit__only_that_units_cases),
	    T(test_db__queue_limit_zero__no_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
