/*
 * Unit tests for visibility.c: who may see a case's metadata.  Officers see
 * the cases of which they hold a key copy (not every case of their unit),
 * auditors every case except those of units configured "auditors =
 * counts" (the Ombudsperson by default), staff and administrators none;
 * malformed ids are answered without a database look-up.
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

#include "config.h"
#include "db-int.h"
#include "routes.h"
#include "server.h"
#include "visibility.h"

struct test_ctx {
	struct server srv;
	int64_t ethics_alice; /* officer rows */
	int64_t legal_bob;
	int64_t ombud_olga;
	int64_t ethics_carol; /* enrolled in ethics, holds no copy */
};

/* Submitter data for a test case: a lookup hash unique to its id. */
static const struct db_submitter *
test_submitter(const char *id)
{
	static struct db_submitter sub;

	memset(&sub, 0, sizeof sub);
	crypt_hash(sub.lookup, id, strlen(id));
	return &sub;
}

static int64_t
test_officer(struct db *db, const char *user, const char *unit)
{
	unsigned char pk[CRYPT_PK_LEN];
	struct db_officer o;
	char *cause = NULL;

	memset(pk, user[0], sizeof pk);
	assert_int_equal(
	    db_officer_insert(db, user, unit, pk, 1000, &o, &cause), 1);
	return o.id;
}

static void
test_case(struct db *db, const char *id, const char *unit, int64_t officer)
{
	unsigned char sealed[CRYPT_SEALED_LEN];
	struct db_case c;
	char *cause = NULL;

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.unit, sizeof c.unit, "%s", unit);
	snprintf(c.status, sizeof c.status, "received");
	snprintf(c.rule, sizeof c.rule, "default");
	c.received_at = 100;
	c.due_at = 200;
	assert_int_equal(db_case_insert(db, &c, (const unsigned char *)"box", 3,
	                     test_submitter(c.id), &cause),
	    1);
	if (officer < 0)
		return;
	memset(sealed, 0x5a, sizeof sealed);
	assert_int_equal(
	    db_case_key_insert(db, id, officer, sealed, &cause), 0);
}

/* The default configuration, or the one in text. */
static struct config *
test_config(const char *text)
{
	char path[] = "/tmp/test_visibility.XXXXXX", *cause = NULL;
	struct config *cfg;
	int fd;

	if (text == NULL)
		return config_load(NULL, &cause);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cfg = config_load(path, &cause);
	unlink(path);
	if (cfg == NULL)
		fail_msg("%s", cause);
	return cfg;
}

static int
test_setup(void **state)
{
	struct test_ctx *t = calloc(1, sizeof *t);
	char *cause = NULL;

	if (t == NULL)
		return -1;
	t->srv.cfg = test_config(NULL);
	t->srv.db = db_open(":memory:", 0, &cause);
	if (t->srv.cfg == NULL || t->srv.db == NULL)
		return -1;
	t->ethics_alice = test_officer(t->srv.db, "alice", "ethics");
	t->legal_bob = test_officer(t->srv.db, "bob", "legal");
	t->ombud_olga = test_officer(t->srv.db, "olga", "ombudsperson");
	test_case(t->srv.db, "EEEE-2222", "ethics", t->ethics_alice);
	test_case(t->srv.db, "MMMM-2222", "ombudsperson", t->ombud_olga);
	test_case(t->srv.db, "GGGG-2222", "inspector-general", -1);
	test_case(t->srv.db, "KKKK-2222", "legal", t->legal_bob);
	t->ethics_carol = test_officer(t->srv.db, "carol", "ethics");
	*state = t;
	return 0;
}

static int
test_teardown(void **state)
{
	struct test_ctx *t = *state;

	db_close(t->srv.db);
	config_free(t->srv.cfg);
	free(t);
	return 0;
}

/* An identity with roles and the officer rows the database has for user. */
static void
test_who(
    struct test_ctx *t, struct identity *who, const char *user, unsigned roles)
{
	char *cause = NULL;
	ssize_t n;

	memset(who, 0, sizeof *who);
	snprintf(who->user, sizeof who->user, "%s", user);
	who->roles = roles;
	n = db_officer_of_user(t->srv.db, user, &who->officers, &cause);
	assert_true(n >= 0);
	who->nofficers = (size_t)n;
	if (n > 0)
		who->roles |= ROLE_OFFICER;
}

/* visibility_case for who on id; *officer_id receives the row or -1. */
static int
test_sees(struct test_ctx *t, const struct identity *who, const char *id,
    struct db_case *c, int64_t *officer_id)
{
	char *cause = NULL;
	int r;

	*officer_id = 12345;
	r = visibility_case(&t->srv, who, id, c, officer_id, &cause);
	assert_null(cause);
	return r;
}

static void
test_visibility__officer_with_key_copy__sees_with_officer_row(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "alice", ROLE_STAFF);
	memset(&c, 0, sizeof c);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, t->ethics_alice);
	assert_string_equal(c.id, "EEEE-2222");
	assert_string_equal(c.unit, "ethics");
	assert_string_equal(c.status, "received");
	free(who.officers);
}

static void
test_visibility__officer_id_not_wanted__still_sees(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	char *cause = NULL;

	test_who(t, &who, "alice", ROLE_STAFF);
	assert_int_equal(
	    visibility_case(&t->srv, &who, "EEEE-2222", &c, NULL, &cause), 1);
	assert_string_equal(c.unit, "ethics");
	free(who.officers);
}

static void
test_visibility__officer_of_other_unit__hidden(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "bob", ROLE_STAFF);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 0);
	assert_int_equal(officer_id, -1);
	assert_int_equal(test_sees(t, &who, "KKKK-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, t->legal_bob);
	free(who.officers);
}

static void
test_visibility__officer_of_same_unit_without_copy__hidden(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "carol", ROLE_STAFF);
	assert_int_equal(who.nofficers, 1);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 0);
	assert_int_equal(officer_id, -1);
	free(who.officers);
}

static void
test_visibility__officer_of_two_units__row_that_holds_the_copy(void **state)
{
	struct test_ctx *t = *state;
	int64_t alice_legal = test_officer(t->srv.db, "alice", "legal");
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_case(t->srv.db, "NNNN-2222", "legal", alice_legal);
	test_who(t, &who, "alice", ROLE_STAFF);
	assert_int_equal(who.nofficers, 2);
	assert_int_equal(test_sees(t, &who, "NNNN-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, alice_legal);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, t->ethics_alice);
	free(who.officers);
}

static void
test_visibility__auditor__sees_cases_without_key_copy(void **state)
{
	struct test_ctx *t = *state;
	static const char *const ids[] = {
	    "EEEE-2222", "GGGG-2222", "KKKK-2222"};
	static const char *const units[] = {
	    "ethics", "inspector-general", "legal"};
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(
		    test_sees(t, &who, ids[i], &c, &officer_id), 1);
		assert_string_equal(c.unit, units[i]);
		assert_int_equal(officer_id, -1);
	}
}

static void
test_visibility__auditor__ombudsperson_counts_only_by_default(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	assert_int_equal(test_sees(t, &who, "MMMM-2222", &c, &officer_id), 0);
	assert_int_equal(officer_id, -1);
}

static void
test_visibility__auditor__follows_configured_counts_only(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	config_free(t->srv.cfg);
	t->srv.cfg = test_config("[unit.ethics]\nauditors = counts\n"
	                         "[unit.ombudsperson]\nauditors = cases\n"
	                         "[unit.legal]\n"
	                         "[unit.inspector-general]\n");
	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 0);
	assert_int_equal(test_sees(t, &who, "MMMM-2222", &c, &officer_id), 1);
	assert_string_equal(c.unit, "ombudsperson");
	assert_int_equal(test_sees(t, &who, "KKKK-2222", &c, &officer_id), 1);
}

static void
test_visibility__auditor_with_copy__sees_counts_only_unit(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "olga", ROLE_STAFF | ROLE_AUDITOR);
	assert_int_equal(test_sees(t, &who, "MMMM-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, t->ombud_olga);
	/* As an auditor, without a copy. */
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 1);
	assert_int_equal(officer_id, -1);
	free(who.officers);
}

static void
test_visibility__staff__sees_no_case(void **state)
{
	struct test_ctx *t = *state;
	static const char *const ids[] = {
	    "EEEE-2222", "MMMM-2222", "GGGG-2222", "KKKK-2222"};
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "sam", ROLE_STAFF);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(
		    test_sees(t, &who, ids[i], &c, &officer_id), 0);
		assert_int_equal(officer_id, -1);
	}
}

static void
test_visibility__administrator__sees_no_case(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "root", ROLE_STAFF | ROLE_ADMIN);
	assert_int_equal(test_sees(t, &who, "EEEE-2222", &c, &officer_id), 0);
	assert_int_equal(test_sees(t, &who, "GGGG-2222", &c, &officer_id), 0);
}

static void
test_visibility__unknown_case__zero(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;

	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	assert_int_equal(test_sees(t, &who, "ZZZZ-2222", &c, &officer_id), 0);
	assert_int_equal(officer_id, -1);
}

static void
test_visibility__malformed_id__zero_without_lookup(void **state)
{
	static const char *const ids[] = {"", "EEEE-222", "EEEE-22222",
	    "eeee-2222", "EEEE_2222", "EEEE2222-", "OOOO-2222", "EEEE-1111",
	    "EEEE-2222/", "../../etc"};
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id;
	struct db *db = t->srv.db;

	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	t->srv.db = NULL; /* a look-up would crash */
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		assert_int_equal(
		    test_sees(t, &who, ids[i], &c, &officer_id), 0);
		assert_int_equal(officer_id, -1);
	}
	t->srv.db = db;
}

static void
test_visibility__database_error__minus_one_with_cause(void **state)
{
	struct test_ctx *t = *state;
	struct identity who;
	struct db_case c;
	int64_t officer_id = 0;
	char *cause = NULL;

	test_who(t, &who, "audrey", ROLE_STAFF | ROLE_AUDITOR);
	assert_int_equal(
	    sqlite3_exec(t->srv.db->sqlite,
	        "DROP TABLE case_keys; DROP TABLE cases", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(visibility_case(&t->srv, &who, "EEEE-2222", &c,
	                     &officer_id, &cause),
	    -1);
	assert_non_null(cause);
	assert_string_equal(cause, "db: case get: no such table: cases");
	free(cause);
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_setup, test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_visibility__officer_with_key_copy__sees_with_officer_row),
	    T(test_visibility__officer_id_not_wanted__still_sees),
	    T(test_visibility__officer_of_other_unit__hidden),
	    T(test_visibility__officer_of_same_unit_without_copy__hidden),
	    T(test_visibility__officer_of_two_units__row_that_holds_the_copy),
	    T(test_visibility__auditor__sees_cases_without_key_copy),
	    T(test_visibility__auditor__ombudsperson_counts_only_by_default),
	    T(test_visibility__auditor__follows_configured_counts_only),
	    T(test_visibility__auditor_with_copy__sees_counts_only_unit),
	    T(test_visibility__staff__sees_no_case),
	    T(test_visibility__administrator__sees_no_case),
	    T(test_visibility__unknown_case__zero),
	    T(test_visibility__malformed_id__zero_without_lookup),
	    T(test_visibility__database_error__minus_one_with_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
