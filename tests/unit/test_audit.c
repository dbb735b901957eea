/*
 * Unit tests for the audit log: the canonical encoding against known
 * answers computed by an independent implementation (Python's hashlib),
 * the signature against RFC 8032, the chain as audit.c appends it (links,
 * Ombudsperson entries salted and redacted, heads signed every N, the
 * table append-only), the export's records, the purge of retention with
 * its legal hold, CSV rows, and the retention settings of the
 * configuration.  Storage is an in-memory database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit-export.h"
#include "audit.h"
#include "auditfmt.h"
#include "config.h"
#include "crypt.h"
#include "csv.h"
#include "db-int.h"
#include "log.h"
#include "retention.h"
#include "routes.h"
#include "server.h"

#define TEST_NOW 1700000000 /* 2023-11-14T22:13:20Z */
#define TEST_DAY 1699920000 /* its UTC midnight */

struct test_ctx {
	struct server srv;
	char dir[64];
	char keypath[128];
};

static void
test_hex_equal(const unsigned char *h, const char *hex)
{
	char got[AUDITFMT_HEX_LEN + 1];

	crypt_hex(got, h, AUDITFMT_HASH_LEN);
	assert_string_equal(got, hex);
}

static int
test_group_setup(void **state)
{
	log_init("test_audit", LOG_LEVEL_ERR);
	json_init();
	return crypt_init();
}

static int
test_setup(void **state)
{
	struct test_ctx *t = calloc(1, sizeof *t);
	char *cause = NULL;

	if (t == NULL)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/test_audit.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->keypath, sizeof t->keypath, "%s/audit-signing.key", t->dir);
	t->srv.cfg = config_load(NULL, &cause);
	t->srv.db = db_open(":memory:", 0, &cause);
	if (t->srv.cfg == NULL || t->srv.db == NULL)
		return -1;
	t->srv.audit = audit_open(t->keypath, 2, &cause);
	if (t->srv.audit == NULL) {
		fprintf(stderr, "setup: %s\n", cause);
		return -1;
	}
	*state = t;
	return 0;
}

static int
test_teardown(void **state)
{
	struct test_ctx *t = *state;

	audit_free(t->srv.audit);
	db_close(t->srv.db);
	config_free(t->srv.cfg);
	unlink(t->keypath);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Appends one entry in a transaction of its own. */
static int64_t
test_append(struct test_ctx *t, const char *actor, const char *action,
    const char *case_id, const char *unit, const char *details, int64_t when)
{
	json_t *d = details ? json_loads(details, 0, NULL) : NULL;
	struct audit_event ev = {
	    actor, AUDIT_ROLE_OFFICER, action, case_id, unit, d, when, 0};
	char *cause = NULL;
	int64_t seq = 0;

	assert_int_equal(db_begin(t->srv.db, &cause), 0);
	assert_int_equal(audit_append(&t->srv, &ev, &seq, &cause), 0);
	assert_int_equal(db_commit(t->srv.db, &cause), 0);
	json_decref(d);
	return seq;
}

static struct db_audit *
test_entries(struct test_ctx *t, ssize_t want)
{
	struct db_audit *e = NULL;
	char *cause = NULL;

	assert_int_equal(
	    db_audit_range(t->srv.db, 0, INT64_MAX, 100, &e, &cause), want);
	return e;
}

static int
test_sql_fails(struct test_ctx *t, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(t->srv.db->sqlite, sql, NULL, NULL, &err);

	sqlite3_free(err);
	return rc != SQLITE_OK;
}

/* --- the canonical encoding: known answers --- */

static void
test_audit__field_hash__known_answers(void **state)
{
	unsigned char h[AUDITFMT_HASH_LEN], salt[AUDITFMT_SALT_LEN];

	for (size_t i = 0; i < sizeof salt; i++)
		salt[i] = (unsigned char)i;
	auditfmt_field_hash(h, "actor", "alice", NULL);
	test_hex_equal(h,
	    "0d9647c34ce0d3762ed98715ccea0e1669fc6f42c66ca0085f504d15618c0f02");
	auditfmt_field_hash(h, "actor", "alice", salt);
	test_hex_equal(h,
	    "bfaebe1ce5bf8219d119f6beae2e3a2a65672f8eb5c49e67c23a19a16cf178ce");
	auditfmt_field_hash(h, "case", NULL, NULL);
	test_hex_equal(h,
	    "3a0c28fcd2b4e6990b4c0e7b64b23141ce34cb5c6147bc0609e5212596499428");
	auditfmt_time_hash(h, TEST_NOW, NULL);
	test_hex_equal(h,
	    "ea30eac3aa4019b274f8ffdb8c9d21266374ca3e2da90f3245744fca236b21ce");
}

static void
test_audit__entry_hash__known_answers_for_a_chain(void **state)
{
	unsigned char salt[AUDITFMT_SALT_LEN], e1[AUDITFMT_HASH_LEN],
	    e2[AUDITFMT_HASH_LEN];
	struct auditfmt_entry e = {1, {0}, 0, TEST_DAY, "officer", "case.read",
	    "ethics", {0}, {0}, {0}, {0}};

	for (size_t i = 0; i < sizeof salt; i++)
		salt[i] = (unsigned char)i;
	auditfmt_time_hash(e.time_hash, TEST_NOW, NULL);
	auditfmt_field_hash(e.case_hash, "case", "K7QM-3XRD", NULL);
	auditfmt_field_hash(e.actor_hash, "actor", "alice", NULL);
	auditfmt_field_hash(e.details_hash, "details", "{}", NULL);
	auditfmt_entry_hash(e1, &e);
	test_hex_equal(e1,
	    "46b0ae6d969629bdeea883acbc5d7c1bc9bf7eeaf0d8e132c188a182a6b443f4");
	/* A redacted (Ombudsperson) entry after it, its fields salted. */
	e.seq = 2;
	memcpy(e.prev_hash, e1, sizeof e1);
	e.redacted = 1;
	e.action = "message.post";
	e.unit = "ombudsperson";
	auditfmt_time_hash(e.time_hash, TEST_NOW + 5, salt);
	auditfmt_field_hash(e.case_hash, "case", "K7QM-3XRD", salt);
	auditfmt_field_hash(e.actor_hash, "actor", "omb1", salt);
	auditfmt_field_hash(
	    e.details_hash, "details", "{\"kind\":\"message\"}", salt);
	auditfmt_entry_hash(e2, &e);
	test_hex_equal(e2,
	    "883778ba0f4af1bbae2f0b0d301145d3871acc1cb1fa47bbf567f0d242d38543");
	/* Any change of a covered field changes the hash. */
	e.redacted = 0;
	auditfmt_entry_hash(e1, &e);
	assert_memory_not_equal(e1, e2, sizeof e1);
}

static void
test_audit__head_message__is_the_documented_netstrings(void **state)
{
	struct auditfmt_head h = {3, {0}, 5, {0}, TEST_NOW};
	static const char want_text[] = "20:mandate-audit-head/1,1:3,32:";
	unsigned char *msg;
	size_t len;

	memset(h.prev_hash, 0xaa, sizeof h.prev_hash);
	memset(h.hash, 0xbb, sizeof h.hash);
	msg = auditfmt_head_message(&h, &len);
	assert_non_null(msg);
	assert_int_equal(len, strlen(want_text) + 32 + strlen(",1:5,32:") + 32 +
	                          strlen(",10:1700000000,"));
	assert_memory_equal(msg, want_text, strlen(want_text));
	assert_int_equal(msg[strlen(want_text)], 0xaa);
	assert_memory_equal(msg + strlen(want_text) + 32, ",1:5,32:", 8);
	assert_int_equal(msg[strlen(want_text) + 40], 0xbb);
	assert_memory_equal(msg + len - 15, ",10:1700000000,", 15);
	free(msg);
}

static void
test_audit__times__round_to_the_day_and_parse_strictly(void **state)
{
	char text[32];
	int64_t t;

	assert_int_equal(auditfmt_day(TEST_NOW), TEST_DAY);
	assert_int_equal(auditfmt_day(TEST_DAY), TEST_DAY);
	auditfmt_time_text(text, sizeof text, TEST_NOW);
	assert_string_equal(text, "2023-11-14T22:13:20Z");
	auditfmt_day_text(text, sizeof text, TEST_NOW);
	assert_string_equal(text, "2023-11-14");
	assert_int_equal(auditfmt_time_parse("2023-11-14T22:13:20Z", &t), 0);
	assert_int_equal(t, TEST_NOW);
	assert_int_equal(auditfmt_time_parse("2023-11-14", &t), 0);
	assert_int_equal(t, TEST_DAY);
	assert_int_equal(auditfmt_time_parse("2023-02-31", &t), -1);
	assert_int_equal(auditfmt_time_parse("2023-11-14T22:13:20", &t), -1);
	assert_int_equal(auditfmt_time_parse("2023-11-14 ", &t), -1);
	assert_int_equal(audit_export_time("1700000000", &t), 0);
	assert_int_equal(t, TEST_NOW);
}

/* RFC 8032, section 7.1, test 1. */
static void
test_audit__signature__rfc8032_vector(void **state)
{
	unsigned char seed[32], pk[CRYPT_SIGN_PK_LEN], want_pk[32],
	    sig[CRYPT_SIGNATURE_LEN], want_sig[64];
	unsigned char *sk = crypt_sign_key_new();

	assert_int_equal(crypt_unhex(seed, 32,
	                     "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919"
	                     "703bac031cae7f60"),
	    0);
	assert_int_equal(crypt_unhex(want_pk, 32,
	                     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325"
	                     "af021a68f707511a"),
	    0);
	assert_int_equal(crypt_unhex(want_sig, 64,
	                     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974"
	                     "d873e065224901555fb8821590a33bacc61e39701cf9b46b"
	                     "d25bf5f0595bbe24655141438e7a100b"),
	    0);
	crypt_sign_keypair(pk, sk, seed);
	assert_memory_equal(pk, want_pk, 32);
	crypt_sign(sig, "", 0, sk);
	assert_memory_equal(sig, want_sig, 64);
	assert_int_equal(crypt_sign_verify(sig, "", 0, pk), 1);
	sig[0] ^= 1;
	assert_int_equal(crypt_sign_verify(sig, "", 0, pk), 0);
	crypt_key_free(sk);
}

/* --- the chain as the daemon appends it --- */

/* Recomputes an entry's hash from its clear fields. */
static void
test_rehash(const struct db_audit *e, unsigned char *out)
{
	struct auditfmt_entry f = {e->seq, {0}, 0, auditfmt_day(e->time),
	    e->role, e->action, e->unit, {0}, {0}, {0}, {0}};

	memcpy(f.prev_hash, e->prev_hash, sizeof f.prev_hash);
	auditfmt_time_hash(f.time_hash, e->time, NULL);
	auditfmt_field_hash(f.case_hash, "case", e->case_id, NULL);
	auditfmt_field_hash(f.actor_hash, "actor", e->actor, NULL);
	auditfmt_field_hash(f.details_hash, "details", e->details, NULL);
	auditfmt_entry_hash(out, &f);
}

static void
test_audit__append__links_every_entry_to_the_one_before(void **state)
{
	struct test_ctx *t = *state;
	unsigned char h[AUDITFMT_HASH_LEN], zero[AUDITFMT_HASH_LEN] = {0};
	struct db_audit *e;

	assert_int_equal(test_append(t, "alice", "case.read", "K7QM-3XRD",
	                     "ethics", NULL, TEST_NOW),
	    1);
	test_append(t, "bob", "case.read-content", "K7QM-3XRD", "ethics",
	    "{\"key_copy\":\"x\"}", TEST_NOW + 1);
	test_append(t, AUDIT_ACTOR_SYSTEM, "daemon.stop", NULL, NULL, NULL,
	    TEST_NOW + 2);
	e = test_entries(t, 3);
	assert_memory_equal(e[0].prev_hash, zero, sizeof zero);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(e[i].seq, i + 1);
		assert_false(e[i].redacted);
		test_rehash(&e[i], h);
		assert_memory_equal(h, e[i].hash, sizeof h);
		if (i > 0)
			assert_memory_equal(
			    e[i].prev_hash, e[i - 1].hash, sizeof h);
	}
	assert_string_equal(e[0].details, "{}");
	assert_string_equal(e[1].details, "{\"key_copy\":\"x\"}");
	assert_string_equal(e[2].case_id, "");
	free(e);
}

static void
test_audit__ombudsperson_entry__hashes_its_fields_with_a_salt(void **state)
{
	struct test_ctx *t = *state;
	unsigned char h[AUDITFMT_HASH_LEN], salt[AUDITFMT_SALT_LEN];
	struct auditfmt_entry f;
	struct db_audit *e;
	sqlite3_stmt *st;

	test_append(t, "omb1", "case.read", "K7QM-3XRD", "ombudsperson", NULL,
	    TEST_NOW);
	e = test_entries(t, 1);
	assert_true(e[0].redacted);
	/* Not the unkeyed hash: a name or a case id cannot be guessed back. */
	auditfmt_field_hash(h, "actor", "omb1", NULL);
	assert_memory_not_equal(h, e[0].actor_hash, sizeof h);
	assert_int_equal(
	    sqlite3_prepare_v2(t->srv.db->sqlite,
	        "SELECT salt FROM audit WHERE seq = 1", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_bytes(st, 0), AUDITFMT_SALT_LEN);
	memcpy(salt, sqlite3_column_blob(st, 0), sizeof salt);
	sqlite3_finalize(st);
	auditfmt_field_hash(h, "actor", "omb1", salt);
	assert_memory_equal(h, e[0].actor_hash, sizeof h);
	auditfmt_time_hash(h, TEST_NOW, salt);
	assert_memory_equal(h, e[0].time_hash, sizeof h);
	/* The entry's hash covers the day and the field hashes only. */
	memset(&f, 0, sizeof f);
	f.seq = 1;
	f.redacted = 1;
	f.day = TEST_DAY;
	f.role = e[0].role;
	f.action = e[0].action;
	f.unit = "ombudsperson";
	memcpy(f.time_hash, e[0].time_hash, sizeof h);
	memcpy(f.case_hash, e[0].case_hash, sizeof h);
	memcpy(f.actor_hash, e[0].actor_hash, sizeof h);
	memcpy(f.details_hash, e[0].details_hash, sizeof h);
	auditfmt_entry_hash(h, &f);
	assert_memory_equal(h, e[0].hash, sizeof h);
	free(e);
}

static void
test_audit__every_n_entries__the_head_is_signed(void **state)
{
	struct test_ctx *t = *state;
	struct db_audit_head *heads = NULL;
	struct db_audit *e;
	struct auditfmt_head h;
	unsigned char *msg;
	char *cause = NULL;
	size_t len;

	for (int i = 0; i < 5; i++)
		test_append(t, "alice", "queue.list", NULL, "ethics", NULL,
		    TEST_NOW + i);
	e = test_entries(t, 5);
	assert_int_equal(db_audit_heads(t->srv.db, 0, 100, &heads, &cause), 2);
	assert_int_equal(heads[0].seq, 2);
	assert_int_equal(heads[1].seq, 4);
	for (int i = 0; i < 2; i++) {
		memset(&h, 0, sizeof h);
		h.from_seq = heads[i].from_seq;
		h.seq = heads[i].seq;
		h.signed_at = heads[i].signed_at;
		memcpy(h.prev_hash, heads[i].prev_hash, sizeof h.prev_hash);
		memcpy(h.hash, heads[i].hash, sizeof h.hash);
		assert_memory_equal(h.hash, e[h.seq - 1].hash, sizeof h.hash);
		msg = auditfmt_head_message(&h, &len);
		assert_int_equal(crypt_sign_verify(heads[i].signature, msg, len,
		                     audit_public_key(t->srv.audit)),
		    1);
		msg[len - 2] ^= 1; /* another signed_at */
		assert_int_equal(crypt_sign_verify(heads[i].signature, msg, len,
		                     audit_public_key(t->srv.audit)),
		    0);
		free(msg);
	}
	free(heads);
	free(e);
}

static void
test_audit__table__refuses_changes_but_the_shredding(void **state)
{
	struct test_ctx *t = *state;
	struct db_audit *e;
	char *cause = NULL;

	test_append(
	    t, "alice", "case.read", "K7QM-3XRD", "ethics", NULL, TEST_NOW);
	test_append(t, "omb1", "case.read", "W368-STKJ", "ombudsperson", NULL,
	    TEST_NOW);
	assert_true(test_sql_fails(t, "DELETE FROM audit WHERE seq = 1"));
	assert_true(test_sql_fails(
	    t, "UPDATE audit SET actor = 'mallory' WHERE seq = 1"));
	assert_true(test_sql_fails(t, "UPDATE audit SET actor = NULL, "
	                              "case_id = NULL, details = NULL WHERE "
	                              "seq = 1")); /* not redacted */
	assert_int_equal(
	    db_audit_shred_case(t->srv.db, "W368-STKJ", &cause), 0);
	e = test_entries(t, 2);
	assert_true(e[1].shredded);
	assert_string_equal(e[1].case_id, "");
	assert_int_equal(e[1].time, TEST_DAY);
	free(e);
}

/* --- the export --- */

static void
test_request(struct test_ctx *t, struct request *req)
{
	memset(req, 0, sizeof *req);
	req->srv = &t->srv;
	req->now = TEST_NOW + 100;
	snprintf(req->who.user, sizeof req->who.user, "auditor");
	req->who.roles = ROLE_STAFF | ROLE_AUDITOR;
}

/* Runs an export to its end; returns its text (caller frees). */
static char *
test_export(struct test_ctx *t, int64_t since, int csv)
{
	struct audit_export *x;
	struct request req;
	char *all = NULL, *piece, *cause = NULL;
	size_t n = 0, len;
	int r;

	test_request(t, &req);
	x = audit_export_open(&req, since, INT64_MAX, csv, &cause);
	assert_non_null(x);
	while ((r = audit_export_next(x, &piece, &len)) == 1) {
		all = realloc(all, n + len + 1);
		memcpy(all + n, piece, len);
		n += len;
		all[n] = '\0';
		free(piece);
	}
	assert_int_equal(r, 0);
	audit_export_free(x);
	return all;
}

/* The kind of record a JSON line is. */
static const char *
test_kind(json_t *rec)
{
	return json_string_value(json_object_get(rec, "record"));
}

static void
test_audit__export__redacts_ombudsperson_entries_and_ends_sealed(void **state)
{
	struct test_ctx *t = *state;
	char *text, *line, *save = NULL;
	json_t *rec[8];
	int n = 0;

	test_append(
	    t, "alice", "case.read", "K7QM-3XRD", "ethics", NULL, TEST_NOW);
	test_append(t, "omb1", "case.read", "W368-STKJ", "ombudsperson",
	    "{\"kind\":\"message\"}", TEST_NOW + 7);
	text = test_export(t, 0, 0);
	assert_null(strstr(text, "omb1"));
	assert_null(strstr(text, "W368-STKJ"));
	assert_null(strstr(text, "message"));
	assert_non_null(strstr(text, "K7QM-3XRD"));
	for (line = strtok_r(text, "\n", &save); line != NULL && n < 8;
	     line = strtok_r(NULL, "\n", &save))
		assert_non_null(rec[n++] = json_loads(line, 0, NULL));
	/* header, 3 entries (the export's own last), the head of 2, seal */
	assert_int_equal(n, 6);
	assert_string_equal(test_kind(rec[0]), "header");
	assert_string_equal(test_kind(rec[3]), "entry");
	assert_string_equal(test_kind(rec[4]), "head");
	assert_string_equal(test_kind(rec[5]), "seal");
	assert_true(json_is_true(json_object_get(rec[2], "redacted")));
	assert_null(json_object_get(rec[2], "time"));
	assert_null(json_object_get(rec[2], "actor"));
	assert_string_equal(
	    json_string_value(json_object_get(rec[2], "day")), "2023-11-14");
	assert_non_null(json_object_get(rec[2], "actor_hash"));
	assert_string_equal(
	    json_string_value(json_object_get(rec[3], "action")),
	    "audit.export");
	assert_int_equal(json_integer_value(json_object_get(rec[5], "seq")), 3);
	for (int i = 0; i < n; i++)
		json_decref(rec[i]);
	free(text);
}

static void
test_audit__export_since__starts_mid_chain_with_the_previous_hash(void **state)
{
	struct test_ctx *t = *state;
	char *text, hex[AUDITFMT_HEX_LEN + 1], want[128];
	struct db_audit *e;

	test_append(t, "alice", "case.read", "K7QM-3XRD", "ethics", NULL,
	    TEST_NOW - 50);
	test_append(
	    t, "bob", "case.read", "K7QM-3XRD", "ethics", NULL, TEST_NOW);
	e = test_entries(t, 2);
	text = test_export(t, TEST_NOW, 0);
	crypt_hex(hex, e[0].hash, AUDITFMT_HASH_LEN);
	snprintf(
	    want, sizeof want, "\"first_seq\":2,\"prev_hash\":\"%s\"", hex);
	assert_non_null(strstr(text, want));
	assert_null(strstr(text, "alice"));
	assert_non_null(strstr(text, "{\"record\":\"seal\",\"from_seq\":2,"));
	free(text);
	free(e);
}

/* --- retention --- */

static void
test_case(
    struct test_ctx *t, const char *id, const char *unit, int64_t closed_at)
{
	struct db_case c;
	struct db_submitter sub;
	struct db_officer o;
	unsigned char pk[CRYPT_PK_LEN], sealed[CRYPT_SEALED_LEN], content[64];
	char *cause = NULL, sql[160];

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.unit, sizeof c.unit, "%s", unit);
	snprintf(c.status, sizeof c.status, "closed");
	snprintf(c.rule, sizeof c.rule, "default");
	c.received_at = closed_at - 100;
	c.due_at = closed_at;
	memset(&sub, 0, sizeof sub);
	crypt_hash(sub.lookup, id, strlen(id));
	memset(content, 'C', sizeof content);
	memset(pk, id[0], sizeof pk);
	memset(sealed, 'S', sizeof sealed);
	assert_int_equal(db_case_insert(t->srv.db, &c, content, sizeof content,
	                     &sub, &cause),
	    1);
	assert_int_equal(
	    db_officer_insert(t->srv.db, id, unit, pk, 1, &o, &cause), 1);
	assert_int_equal(
	    db_case_key_insert(t->srv.db, id, o.id, sealed, &cause), 0);
	assert_int_equal(db_event_insert(t->srv.db, id, c.received_at,
	                     "received", "submitter", &cause),
	    0);
	snprintf(sql, sizeof sql,
	    "UPDATE cases SET closed_at = %lld WHERE id = '%s'",
	    (long long)closed_at, id);
	assert_false(test_sql_fails(t, sql));
}

static int64_t
test_count(struct test_ctx *t, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(
	    sqlite3_prepare_v2(t->srv.db->sqlite, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_audit__purge__shreds_expired_cases_and_spares_held_ones(void **state)
{
	struct test_ctx *t = *state;
	const int64_t day = 86400;
	char *cause = NULL;

	test_case(t, "AAAA-AAAA", "ombudsperson", TEST_NOW - 31 * day);
	test_case(t, "BBBB-BBBB", "ombudsperson", TEST_NOW - 31 * day);
	test_case(t, "CCCC-CCCC", "ethics", TEST_NOW - 31 * day);
	test_case(t, "DDDD-DDDD", "ethics", TEST_NOW - 1826 * day);
	test_append(t, "omb1", "case.read", "AAAA-AAAA", "ombudsperson", NULL,
	    TEST_NOW - 40 * day);
	assert_int_equal(
	    db_case_hold(t->srv.db, "BBBB-BBBB", TEST_NOW, &cause), 1);
	assert_int_equal(
	    db_case_hold(t->srv.db, "BBBB-BBBB", TEST_NOW, &cause), 0);
	assert_int_equal(retention_purge(&t->srv, TEST_NOW, &cause), 2);
	/* The Ombudsperson case: gone whole, its entries shredded. */
	assert_int_equal(test_count(t, "SELECT count(*) FROM cases WHERE id = "
	                               "'AAAA-AAAA'"),
	    0);
	assert_int_equal(
	    test_count(t, "SELECT count(*) FROM audit WHERE "
	                  "case_id = 'AAAA-AAAA' OR actor = 'omb1'"),
	    0);
	/* Held, and not yet due: untouched. */
	assert_int_equal(test_count(t, "SELECT count(*) FROM case_keys WHERE "
	                               "case_id IN ('BBBB-BBBB', 'CCCC-CCCC')"),
	    2);
	/* Ethics after five years: a tombstone without content or keys. */
	assert_int_equal(test_count(t, "SELECT count(*) FROM cases WHERE id = "
	                               "'DDDD-DDDD' AND purged_at IS NOT NULL "
	                               "AND submitter_sealed IS NULL AND "
	                               "receipt_lookup IS NULL"),
	    1);
	assert_int_equal(test_count(t, "SELECT count(*) FROM case_content "
	                               "WHERE case_id = 'DDDD-DDDD'"),
	    0);
	assert_int_equal(test_count(t, "SELECT count(*) FROM case_keys WHERE "
	                               "case_id = 'DDDD-DDDD'"),
	    0);
	assert_int_equal(test_count(t, "SELECT count(*) FROM audit WHERE "
	                               "action = 'case.purge'"),
	    2);
	/* Nothing is left to purge: a second run does nothing. */
	assert_int_equal(retention_purge(&t->srv, TEST_NOW, &cause), 0);
}

/* --- CSV and configuration --- */

static void
test_audit__csv__rows_split_back_into_their_fields(void **state)
{
	static const char *const cols[] = {"a", "b", "c", "d", NULL};
	json_t *o = json_pack(
	    "{s:s, s:I, s:b}", "a", "x,\"y\"", "b", (json_int_t)42, "d", 1);
	char *row = csv_row(o, cols), *f[8];
	int n;

	assert_string_equal(row, "\"x,\"\"y\"\"\",42,,true\r\n");
	n = csv_split(row, strlen(row) - 2, f, 8);
	assert_int_equal(n, 4);
	assert_string_equal(f[0], "x,\"y\"");
	assert_string_equal(f[1], "42");
	assert_string_equal(f[2], "");
	assert_string_equal(f[3], "true");
	csv_fields_free(f, n);
	assert_int_equal(csv_split("\"open", 5, f, 8), -1);
	free(row);
	json_decref(o);
}

static struct config *
test_config(const char *text, char **cause)
{
	char path[] = "/tmp/test_audit_conf.XXXXXX";
	int fd = mkstemp(path);
	struct config *cfg;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cfg = config_load(path, cause);
	unlink(path);
	return cfg;
}

static void
test_audit__config__retention_defaults_and_no_ombudsperson_tombstone(
    void **state)
{
	struct config *cfg;
	char *cause = NULL;

	cfg = config_load(NULL, &cause);
	assert_int_equal(config_unit_find(cfg, "ethics")->retention_days, 1825);
	assert_int_equal(
	    config_unit_find(cfg, "ombudsperson")->retention_days, 30);
	assert_false(config_unit_find(cfg, "ombudsperson")->tombstone);
	assert_int_equal(
	    config_unit_find(cfg, "inspector-general")->retention_days, 3650);
	assert_int_equal(cfg->audit_sign_every, 1000);
	config_free(cfg);
	cfg = test_config("[daemon]\nclock_offset_seconds = -60\n"
	                  "[unit.confidential]\nauditors = counts\n"
	                  "[unit.records]\nretention_days = never\n",
	    &cause);
	assert_non_null(cfg);
	assert_int_equal(cfg->clock_offset, -60);
	assert_int_equal(
	    config_unit_find(cfg, "confidential")->retention_days, 30);
	assert_false(config_unit_find(cfg, "confidential")->tombstone);
	assert_int_equal(config_unit_find(cfg, "records")->retention_days, 0);
	assert_true(config_unit_find(cfg, "records")->tombstone);
	config_free(cfg);
	cfg = test_config("[unit.ombudsperson]\nauditors = counts\n"
	                  "tombstone = yes\n",
	    &cause);
	assert_null(cfg);
	assert_non_null(strstr(cause, "tombstone = yes is not allowed"));
	free(cause);
}

static void
test_audit__key_file__is_created_readable_by_its_owner_only(void **state)
{
	struct test_ctx *t = *state;
	struct audit *again;
	struct stat st;
	char *cause = NULL;

	assert_int_equal(stat(t->keypath, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	again = audit_open(t->keypath, 10, &cause);
	assert_non_null(again);
	assert_memory_equal(audit_public_key(again),
	    audit_public_key(t->srv.audit), CRYPT_SIGN_PK_LEN);
	audit_free(again);
	chmod(t->keypath, 0644);
	assert_null(audit_open(t->keypath, 10, &cause));
	free(cause);
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_setup, test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit__field_hash__known_answers),
	    cmocka_unit_test(test_audit__entry_hash__known_answers_for_a_chain),
	    cmocka_unit_test(
	        test_audit__head_message__is_the_documented_netstrings),
	    cmocka_unit_test(
	        test_audit__times__round_to_the_day_and_parse_strictly),
	    cmocka_unit_test(test_audit__signature__rfc8032_vector),
	    T(test_audit__append__links_every_entry_to_the_one_before),
	    T(test_audit__ombudsperson_entry__hashes_its_fields_with_a_salt),
	    T(test_audit__every_n_entries__the_head_is_signed),
	    T(test_audit__table__refuses_changes_but_the_shredding),
	    T(test_audit__export__redacts_ombudsperson_entries_and_ends_sealed),
	    T(test_audit__export_since__starts_mid_chain_with_the_previous_hash),
	    T(test_audit__purge__shreds_expired_cases_and_spares_held_ones),
	    cmocka_unit_test(
	        test_audit__csv__rows_split_back_into_their_fields),
	    cmocka_unit_test(
	        test_audit__config__retention_defaults_and_no_ombudsperson_tombstone),
	    T(test_audit__key_file__is_created_readable_by_its_owner_only),
	};

	return cmocka_run_group_tests(tests, test_group_setup, NULL);
}
