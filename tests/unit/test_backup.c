/*
 * Unit tests for backups and restores: the manifest (canonical encoding,
 * JSON round trip, strict parsing, signature), the restore's checks of a
 * manifest (schema version, keys), the verification of a database's audit
 * chain, the snapshot, and a whole restore of the schema-1 fixture as an
 * older-schema backup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "backup.h"
#include "config.h"
#include "crypt.h"
#include "db-int.h"
#include "log.h"
#include "restore.h"
#include "secret.h"
#include "server.h"

#define TEST_NOW 1700000000 /* 2023-11-14T22:13:20Z */

static const unsigned char test_seed[CRYPT_SIGN_SEED_LEN] = {1, 2, 3, 4, 5, 6,
    7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32};

static int
test_group_setup(void **state)
{
	log_init("test_backup", LOG_LEVEL_ERR);
	json_init();
	return crypt_init();
}

/* A manifest with recognisable values, signed with test_seed. */
static void
test_manifest(struct backup_manifest *m)
{
	unsigned char *sk = crypt_sign_key_new(), *msg;
	size_t len;

	memset(m, 0, sizeof *m);
	m->version = BACKUP_FORMAT_VERSION;
	snprintf(m->mandate_version, sizeof m->mandate_version, "0.1.0");
	m->schema_version = 4;
	m->created_at = TEST_NOW;
	m->audit_seq = 42;
	memset(m->audit_hash, 0xa1, sizeof m->audit_hash);
	memset(m->index_key_id, 0xb2, sizeof m->index_key_id);
	m->db_size = 8192;
	memset(m->db_hash, 0xc3, sizeof m->db_hash);
	crypt_sign_keypair(m->public_key, sk, test_seed);
	msg = backup_manifest_message(m, &len);
	crypt_sign(m->signature, msg, len, sk);
	free(msg);
	crypt_key_free(sk);
}

/* Parses the JSON form of m back (its newline stripped). */
static int
test_round_trip(
    const struct backup_manifest *m, struct backup_manifest *out, char **cause)
{
	char *line = backup_manifest_json(m);
	size_t n = strlen(line);
	int r;

	assert_true(n > 1 && line[n - 1] == '\n');
	assert_null(memchr(line, '\n', n - 1));
	r = backup_manifest_parse(out, line, n - 1, cause);
	free(line);
	return r;
}

/* --- the manifest --- */

static void
test_backup__message__is_netstrings_in_order(void **state)
{
	struct backup_manifest m;
	unsigned char *msg;
	size_t len;
	const char *want = "25:mandate-backup-manifest/1,1:1,5:0.1.0,1:4,"
	                   "10:1700000000,2:42,32:";

	test_manifest(&m);
	msg = backup_manifest_message(&m, &len);
	printf("message: %zu bytes\n", len);
	assert_memory_equal(msg, want, strlen(want));
	/* the audit hash, the key, the index key id, the size, the hash */
	assert_int_equal(len, strlen(want) + 32 + 1 + 2 * (3 + 32 + 1) +
	                          strlen("4:8192,") + 3 + 32 + 1);
	free(msg);
}

static void
test_backup__manifest__round_trip_verifies(void **state)
{
	struct backup_manifest m, back;
	char *cause = NULL;

	test_manifest(&m);
	assert_int_equal(test_round_trip(&m, &back, &cause), 0);
	assert_memory_equal(&m, &back, sizeof m);
	assert_int_equal(backup_manifest_verify(&back), 1);
}

static void
test_backup__manifest__any_change__fails_signature(void **state)
{
	struct backup_manifest m, c;

	test_manifest(&m);
	for (int field = 0; field < 9; field++) {
		c = m;
		switch (field) {
		case 0:
			c.schema_version = 5;
			break;
		case 1:
			c.audit_seq = 43;
			break;
		case 2:
			c.audit_hash[7] ^= 1;
			break;
		case 3:
			c.db_size = 8193;
			break;
		case 4:
			c.db_hash[0] ^= 0x80;
			break;
		case 5:
			c.created_at++;
			break;
		case 6:
			c.index_key_id[31] ^= 1;
			break;
		case 7:
			c.mandate_version[0] = '9';
			break;
		case 8:
			c.signature[10] ^= 4;
			break;
		}
		printf("field %d changed: verify %d\n", field,
		    backup_manifest_verify(&c));
		assert_int_equal(backup_manifest_verify(&c), 0);
	}
}

static void
test_backup__manifest__another_key__fails(void **state)
{
	struct backup_manifest m;
	unsigned char seed[CRYPT_SIGN_SEED_LEN], *sk = crypt_sign_key_new();

	test_manifest(&m);
	memset(seed, 7, sizeof seed);
	crypt_sign_keypair(m.public_key, sk, seed);
	crypt_key_free(sk);
	assert_int_equal(backup_manifest_verify(&m), 0);
}

/* Parses line and expects a refusal whose message holds want. */
static void
test_refused(const char *line, const char *want)
{
	struct backup_manifest m;
	char *cause = NULL;

	assert_int_equal(
	    backup_manifest_parse(&m, line, strlen(line), &cause), -1);
	printf("refused: %s\n", cause);
	assert_non_null(strstr(cause, want));
	free(cause);
}

/* The JSON of the test manifest with one member set to value (JSON text;
 * NULL removes it). */
static char *
test_json_with(const char *member, const char *value)
{
	struct backup_manifest m;
	char *line, *text;
	json_t *o;

	test_manifest(&m);
	line = backup_manifest_json(&m);
	o = json_loads(line, 0, NULL);
	free(line);
	if (value == NULL)
		json_object_del(o, member);
	else
		json_object_set_new(
		    o, member, json_loads(value, JSON_DECODE_ANY, NULL));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static void
test_backup__parse__refuses_what_is_wrong(void **state)
{
	static const struct {
		const char *member, *value, *want;
	} cases[] = {
	    {"format", "\"sqlite\"", "not a mandate backup"},
	    {"version", "2", "format version 2; this mandate reads version 1"},
	    {"extra", "1", "extra is not a member"},
	    {"audit_hash", "\"ABCD\"", "audit_hash is not lower-case hex"},
	    {"database_blake2b", NULL,
	        "database_blake2b is not lower-case hex"},
	    {"database_size", "-1", "database_size is not a non-negative"},
	    {"schema_version", "\"4\"", "schema_version is not a non-negative"},
	    {"fingerprint", "\"00:11\"", "fingerprint is not that of"},
	    {"public_key", "\"AAAA\"", "public_key is not a base64"},
	    {"created_at", "\"yesterday\"", "created_at is not a UTC time"},
	    {"signature", "\"00\"", "signature is not lower-case hex"},
	};
	char *text;

	test_refused("not json", "not a mandate backup");
	test_refused("[1,2]", "not a mandate backup");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = test_json_with(cases[i].member, cases[i].value);
		test_refused(text, cases[i].want);
		free(text);
	}
}

static void
test_backup__read__needs_a_first_line(void **state)
{
	struct backup_manifest m;
	char *cause = NULL, *line;
	FILE *f = tmpfile();

	assert_non_null(f);
	fputs("SQLite format 3", f);
	rewind(f);
	assert_int_equal(backup_manifest_read(f, &m, &cause), -1);
	assert_non_null(strstr(cause, "does not start with a manifest"));
	free(cause);
	fclose(f);
	f = tmpfile();
	test_manifest(&m);
	line = backup_manifest_json(&m);
	fprintf(f, "%sDB", line);
	rewind(f);
	assert_int_equal(backup_manifest_read(f, &m, &cause), 0);
	assert_int_equal(getc(f), 'D'); /* left at the database */
	free(line);
	fclose(f);
}

static void
test_backup__hash_pieces__equal_one_shot(void **state)
{
	unsigned char data[1000], whole[CRYPT_HASH_LEN], pieces[CRYPT_HASH_LEN];
	struct crypt_hash_state *h = crypt_hash_begin();

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7);
	crypt_hash(whole, data, sizeof data);
	crypt_hash_update(h, data, 1);
	crypt_hash_update(h, data + 1, 500);
	crypt_hash_update(h, data + 501, sizeof data - 501);
	crypt_hash_end(h, pieces);
	assert_memory_equal(whole, pieces, sizeof whole);
}

/* --- the restore's checks of a manifest --- */

static void
test_restore__newer_schema__refused_naming_both(void **state)
{
	struct backup_manifest m;
	char *warning = NULL, *cause = NULL;

	test_manifest(&m);
	m.schema_version = db_schema_latest() + 1;
	assert_int_equal(restore_check_manifest(&m, db_schema_latest(),
	                     m.public_key, m.index_key_id, 1, &warning, &cause),
	    EX_DATAERR);
	printf("refused: %s\n", cause);
	assert_non_null(strstr(cause, "schema version"));
	char want[64];
	snprintf(want, sizeof want, "%d, newer than the %d",
	    db_schema_latest() + 1, db_schema_latest());
	assert_non_null(strstr(cause, want));
	assert_null(warning);
	free(cause);
}

static void
test_restore__older_schema__accepted(void **state)
{
	struct backup_manifest m;
	char *warning = NULL, *cause = NULL;

	test_manifest(&m);
	m.schema_version = 1;
	assert_int_equal(restore_check_manifest(&m, db_schema_latest(),
	                     m.public_key, m.index_key_id, 0, &warning, &cause),
	    0);
	assert_null(warning);
}

static void
test_restore__other_keys__refused_unless_force(void **state)
{
	struct backup_manifest m;
	unsigned char other[CRYPT_HASH_LEN];
	char *warning = NULL, *cause = NULL;

	test_manifest(&m);
	memset(other, 9, sizeof other);
	assert_int_equal(restore_check_manifest(
	                     &m, 4, other, m.index_key_id, 0, &warning, &cause),
	    EX_DATAERR);
	printf("refused: %s\n", cause);
	assert_non_null(strstr(cause, "this state directory's audit key is"));
	assert_non_null(strstr(cause, "--force"));
	free(cause);
	cause = NULL;
	assert_int_equal(restore_check_manifest(
	                     &m, 4, m.public_key, other, 0, &warning, &cause),
	    EX_DATAERR);
	assert_non_null(strstr(cause, "index key"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    restore_check_manifest(&m, 4, NULL, NULL, 0, &warning, &cause),
	    EX_DATAERR);
	assert_non_null(strstr(cause, "audit-signing.key, index.key"));
	free(cause);
	cause = NULL;
	assert_int_equal(restore_check_manifest(
	                     &m, 4, other, m.index_key_id, 1, &warning, &cause),
	    0);
	printf("with --force: %s\n", warning);
	assert_non_null(warning);
	free(warning);
}

/* --- the audit chain and the snapshot --- */

struct test_dir {
	char dir[64];
	char db[128];
	struct server srv;
};

static void
test_dir_make(struct test_dir *t)
{
	char *cause = NULL, key[160];

	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/test_backup.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->db, sizeof t->db, "%s/mandate.db", t->dir);
	snprintf(key, sizeof key, "%s/audit-signing.key", t->dir);
	t->srv.cfg = config_load(NULL, &cause);
	assert_non_null(t->srv.cfg);
	t->srv.audit = audit_open(key, 2, &cause);
	assert_non_null(t->srv.audit);
}

static void
test_dir_remove(struct test_dir *t)
{
	char cmd[128];

	audit_free(t->srv.audit);
	db_close(t->srv.db);
	config_free(t->srv.cfg);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

/* A database at t->db with n audit entries (one redacted) and the signed
 * heads of every second one. */
static void
test_log(struct test_dir *t, int n)
{
	char *cause = NULL;

	t->srv.db = db_open(t->db, 0, &cause);
	assert_non_null(t->srv.db);
	for (int i = 0; i < n; i++) {
		json_t *d = json_pack("{s:i}", "n", i);
		struct audit_event ev = {"olivia", AUDIT_ROLE_OFFICER,
		    AUDIT_CASE_READ, "K7QM-3XRD",
		    i == 2 ? "ombudsperson" : "ethics", d, TEST_NOW + i, 0};
		assert_int_equal(db_begin(t->srv.db, &cause), 0);
		assert_int_equal(audit_append(&t->srv, &ev, NULL, &cause), 0);
		assert_int_equal(db_commit(t->srv.db, &cause), 0);
		json_decref(d);
	}
	db_close(t->srv.db);
	t->srv.db = NULL;
}

static void
test_sql(const char *path, const char *sql)
{
	sqlite3 *s;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

static void
test_restore__chain__verifies(void **state)
{
	struct test_dir t;
	struct restore_chain_result r;
	char *cause = NULL;

	test_dir_make(&t);
	test_log(&t, 7);
	assert_int_equal(restore_verify_chain(
	                     t.db, audit_public_key(t.srv.audit), &r, &cause),
	    0);
	printf("entries %lld, redacted %lld, heads %lld\n",
	    (long long)r.entries, (long long)r.redacted, (long long)r.heads);
	assert_int_equal(r.entries, 7);
	assert_int_equal(r.redacted, 1);
	assert_int_equal(r.heads, 3);
	assert_int_equal(r.heads_other_key, 0);
	test_dir_remove(&t);
}

/* Tampers with the database by sql (the append-only triggers dropped) and
 * expects the chain refused with want. */
static void
test_tampered(const char *sql, const char *want)
{
	struct test_dir t;
	struct restore_chain_result r;
	char *cause = NULL, *full;

	test_dir_make(&t);
	test_log(&t, 5);
	if (asprintf(&full,
	        "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; "
	        "%s",
	        sql) < 0)
		abort();
	test_sql(t.db, full);
	free(full);
	assert_int_equal(restore_verify_chain(
	                     t.db, audit_public_key(t.srv.audit), &r, &cause),
	    -1);
	printf("refused: %s\n", cause);
	assert_non_null(strstr(cause, want));
	free(cause);
	test_dir_remove(&t);
}

static void
test_restore__chain__names_the_tampered_entry(void **state)
{
	test_tampered("UPDATE audit SET details = '{\"n\":9}' WHERE seq = 2",
	    "audit entry 2: its fields do not match their hashes");
	test_tampered("UPDATE audit SET action = 'case.purge' WHERE seq = 4",
	    "audit entry 4: its hash does not match its contents");
	test_tampered("DELETE FROM audit WHERE seq = 3",
	    "audit entry 3 is missing: entry 4 comes in its place");
	test_tampered("UPDATE audit_heads SET signed_at = signed_at + 1 "
	              "WHERE seq = 4",
	    "the signed head of audit entry 4: its signature does not verify");
}

static void
test_backup__snapshot__matches_the_database(void **state)
{
	struct test_dir t;
	struct db_snapshot snap, again;
	char *cause = NULL, copy[160];
	unsigned char hash[CRYPT_HASH_LEN];
	int64_t last = 0;

	test_dir_make(&t);
	test_log(&t, 4);
	t.srv.db = db_open(t.db, 0, &cause);
	assert_int_equal(db_audit_last(t.srv.db, &last, hash, &cause), 1);
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	/* The main connection stays open, as in the daemon. */
	assert_int_equal(
	    db_backup_snapshot(t.db, copy, NULL, NULL, &snap, &cause), 0);
	printf("snapshot: schema %d, audit %lld\n", snap.schema_version,
	    (long long)snap.audit_seq);
	assert_int_equal(snap.schema_version, db_schema_latest());
	assert_int_equal(snap.has_audit, 1);
	assert_int_equal(snap.audit_seq, last);
	assert_memory_equal(snap.audit_hash, hash, sizeof hash);
	assert_int_equal(db_backup_inspect(copy, &again, &cause), 0);
	assert_memory_equal(&snap, &again, sizeof snap);
	test_dir_remove(&t);
}

/* --- a whole restore: the schema-1 fixture as an older backup --- */

static void
test_file_hash(const char *path, unsigned char *out)
{
	struct crypt_hash_state *h = crypt_hash_begin();
	unsigned char buf[4096];
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		crypt_hash_update(h, buf, n);
	fclose(f);
	crypt_hash_end(h, out);
}

/* Writes a backup of the database file db, signed with the seed at
 * state/audit-signing.key, naming index.key; to path. */
static void
test_write_backup(
    const char *db, const char *keyfile, const char *index, const char *path)
{
	struct backup_manifest m;
	struct crypt_hash_state *h = crypt_hash_begin();
	unsigned char buf[4096], *seed, *ikey, *sk = crypt_sign_key_new(), *msg;
	char *cause = NULL, *line;
	FILE *in = fopen(db, "rb"), *out = fopen(path, "wb");
	size_t n, len;

	assert_non_null(in);
	assert_non_null(out);
	seed = secret_load(keyfile, &cause);
	ikey = secret_load(index, &cause);
	assert_non_null(seed);
	assert_non_null(ikey);
	memset(&m, 0, sizeof m);
	m.version = 1;
	snprintf(m.mandate_version, sizeof m.mandate_version, "0.1.0");
	m.schema_version = 1;
	m.created_at = TEST_NOW;
	crypt_sign_keypair(m.public_key, sk, seed);
	backup_index_key_id(m.index_key_id, ikey);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		crypt_hash_update(h, buf, n);
		m.db_size += (int64_t)n;
	}
	crypt_hash_end(h, m.db_hash);
	msg = backup_manifest_message(&m, &len);
	crypt_sign(m.signature, msg, len, sk);
	line = backup_manifest_json(&m);
	fputs(line, out);
	rewind(in);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	free(line);
	free(msg);
	crypt_key_free(sk);
	crypt_key_free(seed);
	crypt_key_free(ikey);
}

static void
test_restore__older_backup__restored_for_migration(void **state)
{
	struct test_dir t;
	struct config *cfg;
	char *cause = NULL, conf[160], key[160], index[160], file[160];
	char text[4096];
	unsigned char want[CRYPT_HASH_LEN], got[CRYPT_HASH_LEN];
	FILE *f, *out;
	size_t n;

	test_dir_make(&t);
	snprintf(conf, sizeof conf, "%s/mandated.conf", t.dir);
	snprintf(key, sizeof key, "%s/audit-signing.key", t.dir);
	snprintf(index, sizeof index, "%s/index.key", t.dir);
	snprintf(file, sizeof file, "%s/old.bak", t.dir);
	f = fopen(conf, "w");
	fprintf(f, "[daemon]\nstate_directory = %s\nsocket = %s/sock\n", t.dir,
	    t.dir);
	fclose(f);
	cfg = config_load(conf, &cause);
	assert_non_null(cfg);
	crypt_key_free(secret_load(index, &cause)); /* creates it */
	test_write_backup(MANDATE_SOURCE_DIR
	    "/tests/fixtures/schema1/mandate.db",
	    key, index, file);
	for (int round = 0; round < 2; round++) {
		out = tmpfile();
		assert_int_equal(restore_run(cfg, file, 0, out, &cause), 0);
		rewind(out);
		n = fread(text, 1, sizeof text - 1, out);
		text[n] = '\0';
		fclose(out);
		printf("round %d:\n%s", round, text);
		assert_non_null(strstr(text, "audit log: none in schema 1"));
		assert_non_null(strstr(text, "migrate it from schema 1"));
		assert_non_null(strstr(text, round ? "the database it replaced "
		                                     "is now"
		                                   : "there was no database"));
	}
	/* The restored file is the fixture, still at schema 1. */
	test_file_hash(
	    MANDATE_SOURCE_DIR "/tests/fixtures/schema1/mandate.db", want);
	test_file_hash(t.db, got);
	assert_memory_equal(want, got, sizeof want);
	t.srv.db = db_open(t.db, 1, &cause);
	assert_null(t.srv.db); /* read-only open refuses an old schema */
	assert_non_null(strstr(cause, "schema version 1"));
	free(cause);
	config_free(cfg);
	test_dir_remove(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backup__message__is_netstrings_in_order),
	    cmocka_unit_test(test_backup__manifest__round_trip_verifies),
	    cmocka_unit_test(
	        test_backup__manifest__any_change__fails_signature),
	    cmocka_unit_test(test_backup__manifest__another_key__fails),
	    cmocka_unit_test(test_backup__parse__refuses_what_is_wrong),
	    cmocka_unit_test(test_backup__read__needs_a_first_line),
	    cmocka_unit_test(test_backup__hash_pieces__equal_one_shot),
	    cmocka_unit_test(test_restore__newer_schema__refused_naming_both),
	    cmocka_unit_test(test_restore__older_schema__accepted),
	    cmocka_unit_test(test_restore__other_keys__refused_unless_force),
	    cmocka_unit_test(test_restore__chain__verifies),
	    cmocka_unit_test(test_restore__chain__names_the_tampered_entry),
	    cmocka_unit_test(test_backup__snapshot__matches_the_database),
	    cmocka_unit_test(
	        test_restore__older_backup__restored_for_migration),
	};
	return cmocka_run_group_tests(tests, test_group_setup, NULL);
}
