/*
 * Unit tests for the client's receipts (client/receipt.c): drawing and
 * reading one back, what goes to the daemon (the proof header and the
 * submission object, neither holding the receipt), opening the case key
 * sealed to it, reading it from a descriptor, and where it is read from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypt.h"
#include "receipt.h"

/* A pipe holding text, write end closed; returns the read end. */
static int
pipe_with(const char *text)
{
	int fds[2];
	size_t len = strlen(text);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, len), (ssize_t)len);
	close(fds[1]);
	return fds[0];
}

/* Decodes base64 of exactly want bytes into out. */
static void
assert_b64(unsigned char *out, const char *b64, size_t b64len, size_t want)
{
	size_t len = 0;
	unsigned char *bin = crypt_b64_decode(b64, b64len, &len);

	assert_non_null(bin);
	assert_int_equal(len, want);
	memcpy(out, bin, len);
	free(bin);
}

static void
test_client_receipt__new__reads_back_to_the_same_keys(void **state)
{
	struct receipt r, again;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], *cause = NULL;

	receipt_new(&r, text, sizeof text);
	assert_int_equal(strlen(text), CRYPT_RECEIPT_TEXT_LEN);
	for (size_t i = 0; i < CRYPT_RECEIPT_TEXT_LEN; i++)
		if (i % 6 == 5)
			assert_int_equal(text[i], '-');
		else
			assert_non_null(
			    strchr(CRYPT_RECEIPT_ALPHABET, text[i]));
	assert_int_equal(receipt_from_text(&again, text, &cause), 0);
	assert_memory_equal(r.lookup, again.lookup, sizeof r.lookup);
	assert_memory_equal(r.auth, again.auth, sizeof r.auth);
	assert_memory_equal(r.pk, again.pk, sizeof r.pk);
	assert_memory_equal(r.sk, again.sk, CRYPT_SK_LEN);
	receipt_clear(&r);
	receipt_clear(&again);
}

static void
test_client_receipt__typed_loosely__is_the_same_receipt(void **state)
{
	struct receipt r, typed;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], loose[64], *cause = NULL;
	size_t n = 0;

	receipt_new(&r, text, sizeof text);
	for (size_t i = 0; text[i] != '\0'; i++)
		loose[n++] =
		    text[i] == '-'
		        ? ' '
		        : (char)(text[i] >= 'A' && text[i] <= 'Z' ? text[i] + 32
		                                                  : text[i]);
	loose[n] = '\0';
	assert_int_equal(receipt_from_text(&typed, loose, &cause), 0);
	assert_memory_equal(r.lookup, typed.lookup, sizeof r.lookup);
	receipt_clear(&r);
	receipt_clear(&typed);
}

static void
test_client_receipt__not_a_receipt__is_refused(void **state)
{
	static const char *const bad[] = {
	    "",
	    "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ",   /* 24 symbols */
	    "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ23", /* 26 */
	    "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZO",  /* O is a look-alike */
	    "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ1",  /* so is 1 */
	    "ABCDE-FGHJK-LMNPQ-RSTUV-WXYZ!",
	};
	struct receipt r;
	char *cause = NULL;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(
		    receipt_from_text(&r, bad[i], &cause), EX_DATAERR);
		assert_non_null(cause);
		assert_null(r.sk);
		free(cause);
		cause = NULL;
	}
}

static void
test_client_receipt__header__carries_lookup_and_auth_only(void **state)
{
	static const char prefix[] = "X-Mandate-Receipt: ";
	unsigned char lookup[CRYPT_HASH_LEN], auth[CRYPT_HASH_LEN];
	struct receipt r;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], *h, *dot;

	receipt_new(&r, text, sizeof text);
	h = receipt_header(&r);
	assert_memory_equal(h, prefix, sizeof prefix - 1);
	dot = strchr(h, '.');
	assert_non_null(dot);
	assert_b64(lookup, h + sizeof prefix - 1,
	    (size_t)(dot - h) - (sizeof prefix - 1), CRYPT_HASH_LEN);
	assert_b64(auth, dot + 1, strlen(dot + 1), CRYPT_HASH_LEN);
	assert_memory_equal(lookup, r.lookup, sizeof lookup);
	assert_memory_equal(auth, r.auth, sizeof auth);
	assert_null(strstr(h, text));
	free(h);
	receipt_clear(&r);
}

static void
test_client_receipt__submission__sends_the_hash_of_auth(void **state)
{
	unsigned char got[CRYPT_HASH_LEN], want[CRYPT_HASH_LEN];
	struct receipt r;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1];
	const char *v;
	json_t *o;

	receipt_new(&r, text, sizeof text);
	o = receipt_submission_json(&r);
	assert_int_equal(json_object_size(o), 3);
	v = json_string_value(json_object_get(o, "verifier"));
	assert_b64(got, v, strlen(v), CRYPT_HASH_LEN);
	crypt_hash(want, r.auth, sizeof r.auth);
	assert_memory_equal(got, want, sizeof got);
	assert_memory_not_equal(got, r.auth, sizeof got);
	v = json_string_value(json_object_get(o, "lookup"));
	assert_b64(got, v, strlen(v), CRYPT_HASH_LEN);
	assert_memory_equal(got, r.lookup, sizeof got);
	v = json_string_value(json_object_get(o, "public_key"));
	assert_b64(got, v, strlen(v), CRYPT_PK_LEN);
	assert_memory_equal(got, r.pk, sizeof got);
	json_decref(o);
	receipt_clear(&r);
}

static void
test_client_receipt__sealed_key__opens_for_its_receipt_only(void **state)
{
	unsigned char sealed[CRYPT_SEALED_LEN], *key = crypt_key_new(1), *got;
	struct receipt r, other;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], *b64, *cause = NULL;

	receipt_new(&r, text, sizeof text);
	receipt_new(&other, text, sizeof text);
	crypt_seal(sealed, key, r.pk);
	b64 = crypt_b64_encode(sealed, sizeof sealed);
	assert_int_equal(receipt_open_key(&r, b64, &got, &cause), 0);
	assert_memory_equal(got, key, CRYPT_KEY_LEN);
	crypt_key_free(got);
	assert_int_equal(
	    receipt_open_key(&other, b64, &got, &cause), EX_DATAERR);
	assert_null(got);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    receipt_open_key(&r, "AAAA", &got, &cause), EX_PROTOCOL);
	free(cause);
	cause = NULL;
	assert_int_equal(receipt_open_key(&r, NULL, &got, &cause), EX_PROTOCOL);
	free(cause);
	free(b64);
	crypt_key_free(key);
	receipt_clear(&r);
	receipt_clear(&other);
}

static void
test_client_receipt__from_fd__reads_one_line(void **state)
{
	struct receipt r, want;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1], line[64], rest[16] = "";
	char *cause = NULL;
	int fd;

	receipt_new(&want, text, sizeof text);
	snprintf(line, sizeof line, "%s\nthe message", text);
	fd = pipe_with(line);
	assert_int_equal(receipt_read(&r, fd, &cause), 0);
	assert_memory_equal(r.lookup, want.lookup, sizeof r.lookup);
	/* What follows the receipt is left for the command. */
	assert_int_equal(read(fd, rest, sizeof rest - 1), 11);
	assert_string_equal(rest, "the message");
	close(fd);
	receipt_clear(&r);
	receipt_clear(&want);

	fd = pipe_with("\n");
	assert_int_equal(receipt_read(&r, fd, &cause), EX_DATAERR);
	free(cause);
	close(fd);
}

static void
test_client_receipt__source__option_env_or_input(void **state)
{
	char *cause = NULL;
	int fd, from_stdin;

	unsetenv("MANDATE_RECEIPT_FD");
	assert_int_equal(receipt_source("5", &fd, &from_stdin, &cause), 0);
	assert_int_equal(fd, 5);
	assert_int_equal(from_stdin, 0);
	assert_int_equal(receipt_source("0", &fd, &from_stdin, &cause), 0);
	assert_int_equal(from_stdin, 1);
	assert_int_equal(
	    receipt_source("x", &fd, &from_stdin, &cause), EX_USAGE);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    receipt_source("-1", &fd, &from_stdin, &cause), EX_USAGE);
	free(cause);
	cause = NULL;
	setenv("MANDATE_RECEIPT_FD", "7", 1);
	assert_int_equal(receipt_source(NULL, &fd, &from_stdin, &cause), 0);
	assert_int_equal(fd, 7);
	/* The option beats the environment. */
	assert_int_equal(receipt_source("4", &fd, &from_stdin, &cause), 0);
	assert_int_equal(fd, 4);
	unsetenv("MANDATE_RECEIPT_FD");
	/* Without either: the terminal, or else standard input. */
	assert_int_equal(receipt_source(NULL, &fd, &from_stdin, &cause), 0);
	assert_true(fd == RECEIPT_FROM_TTY || (fd == 0 && from_stdin));
}

static void
test_client_receipt__clear__wipes(void **state)
{
	static const unsigned char zero[CRYPT_HASH_LEN];
	struct receipt r;
	char text[CRYPT_RECEIPT_TEXT_LEN + 1];

	receipt_new(&r, text, sizeof text);
	receipt_clear(&r);
	assert_null(r.sk);
	assert_memory_equal(r.lookup, zero, sizeof zero);
	assert_memory_equal(r.auth, zero, sizeof zero);
	receipt_clear(&r); /* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_client_receipt__new__reads_back_to_the_same_keys),
	    cmocka_unit_test(
	        test_client_receipt__typed_loosely__is_the_same_receipt),
	    cmocka_unit_test(test_client_receipt__not_a_receipt__is_refused),
	    cmocka_unit_test(
	        test_client_receipt__header__carries_lookup_and_auth_only),
	    cmocka_unit_test(
	        test_client_receipt__submission__sends_the_hash_of_auth),
	    cmocka_unit_test(
	        test_client_receipt__sealed_key__opens_for_its_receipt_only),
	    cmocka_unit_test(test_client_receipt__from_fd__reads_one_line),
	    cmocka_unit_test(test_client_receipt__source__option_env_or_input),
	    cmocka_unit_test(test_client_receipt__clear__wipes),
	};

	if (crypt_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
