/*
 * Unit tests for the client's passphrase input (client/pass.c) from a file
 * descriptor: one line, newline stripped, nothing read past it, length
 * limit, empty refused for new keys, descriptor numbers parsed strictly.
 * The terminal path needs a terminal and is left to manual checks.
 */
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
#include "pass.h"

/* A pipe holding len bytes of text, write end closed; returns the read
 * end. */
static int
pipe_with(const char *text, size_t len)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, len), (ssize_t)len);
	close(fds[1]);
	return fds[0];
}

static void
test_client_pass__fd_line__is_read_without_newline(void **state)
{
	struct pass p = {0};
	char *cause = NULL, rest[16] = "";
	int fd = pipe_with("s3cret phrase\nnext line", 23);

	assert_int_equal(pass_read(&p, fd, "unused", &cause), 0);
	assert_string_equal(p.buf, "s3cret phrase");
	assert_int_equal(p.len, 13);
	/* Nothing past the newline was consumed. */
	assert_int_equal(read(fd, rest, sizeof rest - 1), 9);
	assert_string_equal(rest, "next line");
	pass_clear(&p);
	assert_null(p.buf);
	assert_int_equal(p.len, 0);
	close(fd);
}

static void
test_client_pass__fd_without_newline__reads_to_eof(void **state)
{
	struct pass p = {0};
	char *cause = NULL;
	int fd = pipe_with("no newline", 10);

	assert_int_equal(pass_read(&p, fd, "unused", &cause), 0);
	assert_string_equal(p.buf, "no newline");
	pass_clear(&p);
	close(fd);
}

static void
test_client_pass__longest__is_accepted_one_more_is_not(void **state)
{
	char text[PASS_MAX + 2];
	struct pass p = {0};
	char *cause = NULL;
	int fd;

	memset(text, 'x', sizeof text);
	text[PASS_MAX] = '\n';
	fd = pipe_with(text, PASS_MAX + 1);
	assert_int_equal(pass_read(&p, fd, "unused", &cause), 0);
	assert_int_equal(p.len, PASS_MAX);
	pass_clear(&p);
	close(fd);

	text[PASS_MAX] = 'x';
	text[PASS_MAX + 1] = '\n';
	fd = pipe_with(text, PASS_MAX + 2);
	assert_int_equal(pass_read(&p, fd, "unused", &cause), EX_DATAERR);
	assert_null(p.buf);
	assert_non_null(strstr(cause, "longer"));
	free(cause);
	close(fd);
}

static void
test_client_pass__new_empty__is_refused(void **state)
{
	struct pass p = {0};
	char *cause = NULL;
	int fd = pipe_with("\n", 1);

	assert_int_equal(pass_read_new(&p, fd, &cause), EX_DATAERR);
	assert_null(p.buf);
	assert_non_null(strstr(cause, "empty"));
	free(cause);
	close(fd);
}

static void
test_client_pass__new_from_fd__is_read_once(void **state)
{
	struct pass p = {0};
	char *cause = NULL;
	int fd = pipe_with("only once\n", 10);

	assert_int_equal(pass_read_new(&p, fd, &cause), 0);
	assert_string_equal(p.buf, "only once");
	pass_clear(&p);
	close(fd);
}

static void
test_client_pass__bad_fd_read__is_ioerr(void **state)
{
	struct pass p = {0};
	char *cause = NULL;

	assert_int_equal(pass_read(&p, 1000, "unused", &cause), EX_IOERR);
	assert_null(p.buf);
	free(cause);
}

static void
test_client_pass__fd_numbers__are_parsed_strictly(void **state)
{
	char *cause = NULL;
	int fd;

	unsetenv("MANDATE_PASSPHRASE_FD");
	assert_int_equal(pass_resolve_fd(NULL, &fd, &cause), 0);
	assert_int_equal(fd, -1);
	assert_int_equal(pass_resolve_fd("3", &fd, &cause), 0);
	assert_int_equal(fd, 3);
	assert_int_equal(pass_resolve_fd("3x", &fd, &cause), EX_USAGE);
	free(cause);
	cause = NULL;
	assert_int_equal(pass_resolve_fd("-1", &fd, &cause), EX_USAGE);
	free(cause);
	cause = NULL;
	assert_int_equal(pass_resolve_fd("", &fd, &cause), EX_USAGE);
	free(cause);
	cause = NULL;
	setenv("MANDATE_PASSPHRASE_FD", "7", 1);
	assert_int_equal(pass_resolve_fd(NULL, &fd, &cause), 0);
	assert_int_equal(fd, 7);
	/* The option beats the environment. */
	assert_int_equal(pass_resolve_fd("4", &fd, &cause), 0);
	assert_int_equal(fd, 4);
	unsetenv("MANDATE_PASSPHRASE_FD");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_client_pass__fd_line__is_read_without_newline),
	    cmocka_unit_test(
	        test_client_pass__fd_without_newline__reads_to_eof),
	    cmocka_unit_test(
	        test_client_pass__longest__is_accepted_one_more_is_not),
	    cmocka_unit_test(test_client_pass__new_empty__is_refused),
	    cmocka_unit_test(test_client_pass__new_from_fd__is_read_once),
	    cmocka_unit_test(test_client_pass__bad_fd_read__is_ioerr),
	    cmocka_unit_test(test_client_pass__fd_numbers__are_parsed_strictly),
	};

	if (crypt_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
