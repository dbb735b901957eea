/*
 * Unit tests for the client's key files (client/keyfile.c): round trip,
 * wrong passphrase, damaged lines, file modes, no silent overwrite, the
 * default path.  Each test works in its own temporary directory.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypt.h"
#include "keyfile.h"

#define PASS "correct horse battery staple"

struct fixture {
	char dir[64];
	char key[128];
	char pub[136];
	unsigned char pk[CRYPT_PK_LEN];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_non_null(f);
	assert_int_equal(crypt_init(), 0);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_client_keyfile.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->key, sizeof f->key, "%s/officer.key", f->dir);
	snprintf(f->pub, sizeof f->pub, "%s/officer.key.pub", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Creates the fixture's key file with the cheapest KDF. */
static void
create_key(struct fixture *f)
{
	char *cause = NULL;
	int rc = keyfile_create(f->key, PASS, strlen(PASS),
	    CRYPT_KDF_INTERACTIVE, 0, f->pk, &cause);

	if (rc != 0)
		fail_msg("keyfile_create: %s", cause);
}

static char *
read_text(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 8192);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 8191, fp) > 0);
	fclose(fp);
	return buf;
}

static void
write_text(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static void
test_client_keyfile__create_then_unlock__gives_the_pair(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	unsigned char pk[CRYPT_PK_LEN], *sk = NULL;
	char *cause = NULL;

	create_key(f);
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	assert_true(kf.has_secret);
	assert_false(kf.loose_mode);
	assert_memory_equal(kf.pk, f->pk, CRYPT_PK_LEN);
	assert_int_equal(
	    keyfile_unlock(&kf, PASS, strlen(PASS), &sk, &cause), 0);
	assert_non_null(sk);
	crypt_public_of(pk, sk);
	assert_memory_equal(pk, f->pk, CRYPT_PK_LEN);
	crypt_key_free(sk);
}

static void
test_client_keyfile__wrong_passphrase__is_noperm(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	unsigned char *sk = (unsigned char *)"not null";
	char *cause = NULL;

	create_key(f);
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	assert_int_equal(keyfile_unlock(&kf, "correct horse battery stapler",
	                     strlen(PASS) + 1, &sk, &cause),
	    EX_NOPERM);
	assert_null(sk);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(keyfile_unlock(&kf, "", 0, &sk, &cause), EX_NOPERM);
	free(cause);
}

static void
test_client_keyfile__files__have_modes_0600_and_0644(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	umask(0);
	create_key(f);
	umask(022);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->pub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void
test_client_keyfile__format__is_the_documented_text(void **state)
{
	struct fixture *f = *state;
	char *text, *pub, *pk64;

	create_key(f);
	text = read_text(f->key);
	pub = read_text(f->pub);
	pk64 = crypt_b64_encode(f->pk, CRYPT_PK_LEN);
	assert_true(strncmp(text,
	                KEYFILE_HEADER "\nformat: " KEYFILE_FORMAT "\npublic: ",
	                strlen(KEYFILE_HEADER) + 31) == 0);
	assert_non_null(strstr(text, pk64));
	assert_non_null(strstr(text, "\nsecret: "));
	assert_int_equal(strncmp(pub, pk64, strlen(pk64)), 0);
	assert_string_equal(pub + strlen(pk64), "\n");
	free(text);
	free(pub);
	free(pk64);
}

static void
test_client_keyfile__existing_file__is_not_replaced(void **state)
{
	struct fixture *f = *state;
	unsigned char pk[CRYPT_PK_LEN];
	char *before, *after, *cause = NULL;

	create_key(f);
	before = read_text(f->key);
	assert_int_equal(keyfile_check_absent(f->key, &cause), EX_CANTCREAT);
	free(cause);
	cause = NULL;
	assert_int_equal(keyfile_create(f->key, PASS, strlen(PASS),
	                     CRYPT_KDF_INTERACTIVE, 0, pk, &cause),
	    EX_CANTCREAT);
	assert_non_null(strstr(cause, "--force"));
	free(cause);
	cause = NULL;
	after = read_text(f->key);
	assert_string_equal(before, after);
	free(after);
	/* --force replaces both files with a new pair. */
	assert_int_equal(keyfile_create(f->key, PASS, strlen(PASS),
	                     CRYPT_KDF_INTERACTIVE, 1, pk, &cause),
	    0);
	after = read_text(f->key);
	assert_string_not_equal(before, after);
	assert_memory_not_equal(pk, f->pk, CRYPT_PK_LEN);
	free(before);
	free(after);
}

static void
test_client_keyfile__existing_pub__blocks_creation(void **state)
{
	struct fixture *f = *state;
	unsigned char pk[CRYPT_PK_LEN];
	char *cause = NULL;

	write_text(f->pub, "stale\n", 6);
	assert_int_equal(keyfile_create(f->key, PASS, strlen(PASS),
	                     CRYPT_KDF_INTERACTIVE, 0, pk, &cause),
	    EX_CANTCREAT);
	free(cause);
	assert_int_equal(access(f->key, F_OK), -1);
}

static void
test_client_keyfile__pub_file__has_no_secret(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	unsigned char *sk = NULL;
	char *cause = NULL;

	create_key(f);
	assert_int_equal(keyfile_read(f->pub, &kf, &cause), 0);
	assert_false(kf.has_secret);
	assert_memory_equal(kf.pk, f->pk, CRYPT_PK_LEN);
	assert_int_equal(
	    keyfile_unlock(&kf, PASS, strlen(PASS), &sk, &cause), EX_DATAERR);
	assert_null(sk);
	free(cause);
}

static void
test_client_keyfile__missing_file__is_noinput(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	char *cause = NULL;

	assert_int_equal(keyfile_read(f->key, &kf, &cause), EX_NOINPUT);
	assert_non_null(strstr(cause, f->key));
	free(cause);
}

/* Replaces the first occurrence of from in the key file by to. */
static void
damage(struct fixture *f, const char *from, const char *to)
{
	char *text = read_text(f->key), *at, out[8192];

	at = strstr(text, from);
	assert_non_null(at);
	snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to,
	    at + strlen(from));
	write_text(f->key, out, strlen(out));
	free(text);
}

/* Reads the damaged file: must be EX_DATAERR with the line number. */
static void
expect_damaged(struct fixture *f, const char *where)
{
	struct keyfile kf;
	char *cause = NULL;

	assert_int_equal(keyfile_read(f->key, &kf, &cause), EX_DATAERR);
	assert_non_null(cause);
	if (strstr(cause, where) == NULL)
		fail_msg("cause \"%s\" does not name %s", cause, where);
	free(cause);
}

static void
test_client_keyfile__damaged_lines__are_refused(void **state)
{
	static const struct {
		const char *from, *to, *where;
	} cases[] = {
	    {"format: mandate-officer-key 1", "format: mandate-officer-key 2",
	        ":2:"},
	    {"format: ", "fromat: ", ":2:"},
	    {"public: ", "public: !", ":3:"},
	    {"public: ", "public: AAAA", ":3:"},
	    {"secret: ", "secret: AAAA", ":4:"},
	    {"secret: ", "public: ", ":4:"},
	    {"\nsecret: ", "\n# secret: ", "no secret line"},
	};
	struct fixture *f = *state;
	char *pristine;
	size_t i;

	create_key(f);
	pristine = read_text(f->key);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_text(f->key, pristine, strlen(pristine));
		damage(f, cases[i].from, cases[i].to);
		expect_damaged(f, cases[i].where);
	}
	free(pristine);
}

static void
test_client_keyfile__blank_and_comment_lines__are_allowed(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	char *cause = NULL;

	create_key(f);
	damage(f, "\nformat: ", "\n\n# a note\n\nformat: ");
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	assert_memory_equal(kf.pk, f->pk, CRYPT_PK_LEN);
}

static void
test_client_keyfile__nul_byte__is_refused(void **state)
{
	struct fixture *f = *state;
	char *text;

	create_key(f);
	text = read_text(f->key);
	text[70] = '\0';
	write_text(f->key, text, strlen(text) + 1 + strlen(text + 71));
	expect_damaged(f, f->key);
	free(text);
}

static void
test_client_keyfile__altered_secret__fails_to_unlock(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	unsigned char *sk = NULL;
	char *cause = NULL, *text, *wrapped64;

	create_key(f);
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	kf.wrapped[sizeof kf.wrapped - 1] ^= 0x01;
	wrapped64 = crypt_b64_encode(kf.wrapped, sizeof kf.wrapped);
	text = read_text(f->key);
	*strstr(text, "secret: ") = '\0';
	strcat(text, "secret: ");
	strcat(text, wrapped64);
	strcat(text, "\n");
	write_text(f->key, text, strlen(text));
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	assert_int_equal(
	    keyfile_unlock(&kf, PASS, strlen(PASS), &sk, &cause), EX_NOPERM);
	free(cause);
	free(text);
	free(wrapped64);
}

static void
test_client_keyfile__readable_by_others__is_flagged(void **state)
{
	struct fixture *f = *state;
	struct keyfile kf;
	char *cause = NULL;

	create_key(f);
	assert_int_equal(chmod(f->key, 0644), 0);
	assert_int_equal(keyfile_read(f->key, &kf, &cause), 0);
	assert_true(kf.loose_mode);
}

static void
test_client_keyfile__default_path__follows_the_environment(void **state)
{
	struct fixture *f = *state;
	char want[160], *path = NULL, *cause = NULL;
	struct stat st;

	setenv("MANDATE_KEY", "/somewhere/k", 1);
	assert_int_equal(keyfile_default_path(&path, 1, &cause), 0);
	assert_string_equal(path, "/somewhere/k");
	free(path);
	unsetenv("MANDATE_KEY");

	setenv("XDG_CONFIG_HOME", f->dir, 1);
	assert_int_equal(keyfile_default_path(&path, 1, &cause), 0);
	snprintf(want, sizeof want, "%s/mandate/officer.key", f->dir);
	assert_string_equal(path, want);
	free(path);
	*strrchr(want, '/') = '\0';
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", f->dir, 1);
	assert_int_equal(keyfile_default_path(&path, 0, &cause), 0);
	snprintf(want, sizeof want, "%s/.config/mandate/officer.key", f->dir);
	assert_string_equal(path, want);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	    T(test_client_keyfile__create_then_unlock__gives_the_pair),
	    T(test_client_keyfile__wrong_passphrase__is_noperm),
	    T(test_client_keyfile__files__have_modes_0600_and_0644),
	    T(test_client_keyfile__format__is_the_documented_text),
	    T(test_client_keyfile__existing_file__is_not_replaced),
	    T(test_client_keyfile__existing_pub__blocks_creation),
	    T(test_client_keyfile__pub_file__has_no_secret),
	    T(test_client_keyfile__missing_file__is_noinput),
	    T(test_client_keyfile__damaged_lines__are_refused),
	    T(test_client_keyfile__blank_and_comment_lines__are_allowed),
	    T(test_client_keyfile__nul_byte__is_refused),
	    T(test_client_keyfile__altered_secret__fails_to_unlock),
	    T(test_client_keyfile__readable_by_others__is_flagged),
	    T(test_client_keyfile__default_path__follows_the_environment),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
