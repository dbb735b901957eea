/*
 * Unit tests for the client's case input (client/input.c): title and
 * narrative from files, from standard input that is not a terminal, from a
 * case JSON file with options on top; local refusals name the field and
 * carry the error table's exit status.
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
#include "input.h"
#include "json.h"
#include "mandate/errors.h"

static char dir[64];

static int
group_setup(void **state)
{
	if (crypt_init() != 0)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/test_client_input.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes to dir/name; returns the path (static buffer). */
static const char *
file_with(const char *name, const char *text, size_t len)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	assert_non_null(f = fopen(p, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return p;
}

/* Makes standard input read text (a file, so not a terminal). */
static void
stdin_with(const char *text)
{
	assert_non_null(
	    freopen(file_with("stdin", text, strlen(text)), "r", stdin));
}

static const char *
member(const json_t *c, const char *key)
{
	return json_string_value(json_object_get(c, key));
}

/* Expects the table's status for err and a cause naming the field. */
static void
expect_refused(
    const struct input_case *in, enum mandate_err err, const char *field)
{
	json_t *c = NULL;
	char *cause = NULL, want[64];

	assert_int_equal(input_read_case(&c, in, &cause),
	    mandate_error_get(err)->exit_status);
	assert_null(c);
	snprintf(want, sizeof want, "(field: %s)", field);
	if (cause == NULL || strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" does not name %s", cause, field);
	free(cause);
}

static void
test_client_input__files_and_options__make_the_case(void **state)
{
	struct input_case in = {0};
	json_t *subjects;
	json_t *c = NULL;
	char *cause = NULL;

	in.title_file = file_with("title", "Gifts from a supplier\r\n", 23);
	in.narrative_file = file_with("narr", "Line one.\nLine two.\n", 20);
	in.category = "conflict-of-interest";
	in.language = "en";
	in.anonymous = 1;
	in.subjects_file =
	    file_with("subjects", "A. Person\r\n\n  \nB. Other  \n", 26);
	assert_int_equal(input_read_case(&c, &in, &cause), 0);
	assert_string_equal(member(c, "title"), "Gifts from a supplier");
	assert_string_equal(member(c, "narrative"), "Line one.\nLine two.\n");
	assert_string_equal(member(c, "category"), "conflict-of-interest");
	assert_string_equal(member(c, "language"), "en");
	assert_true(json_is_true(json_object_get(c, "anonymous")));
	subjects = json_object_get(c, "subjects");
	assert_int_equal(json_array_size(subjects), 2);
	assert_string_equal(
	    json_string_value(json_array_get(subjects, 0)), "A. Person");
	assert_string_equal(
	    json_string_value(json_array_get(subjects, 1)), "B. Other");
	assert_null(json_object_get(c, "subject_office"));
	assert_null(json_object_get(c, "id"));
	json_decref(c);
}

static void
test_client_input__piped_stdin__is_title_then_narrative(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	stdin_with("A title\r\nFirst line.\nSecond line.\n");
	assert_int_equal(input_read_case(&c, &in, &cause), 0);
	assert_string_equal(member(c, "title"), "A title");
	assert_string_equal(
	    member(c, "narrative"), "First line.\nSecond line.\n");
	assert_null(json_object_get(c, "anonymous"));
	json_decref(c);
}

static void
test_client_input__narrative_dash__reads_stdin(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.title_file = file_with("title", "T", 1);
	in.narrative_file = "-";
	stdin_with("all of it\nis narrative\n");
	assert_int_equal(input_read_case(&c, &in, &cause), 0);
	assert_string_equal(member(c, "title"), "T");
	assert_string_equal(
	    member(c, "narrative"), "all of it\nis narrative\n");
	json_decref(c);
}

static void
test_client_input__one_line_on_stdin__has_empty_narrative(void **state)
{
	struct input_case in = {0};

	stdin_with("Only a title\n");
	expect_refused(&in, MANDATE_ERR_EMPTY, "narrative");
}

static void
test_client_input__empty_title_file__is_refused(void **state)
{
	struct input_case in = {0};

	in.title_file = file_with("title", "\n", 1);
	in.narrative_file = file_with("narr", "text", 4);
	expect_refused(&in, MANDATE_ERR_EMPTY, "title");
}

static void
test_client_input__invalid_utf8__is_refused(void **state)
{
	struct input_case in = {0};

	in.title_file = file_with("title", "T", 1);
	in.narrative_file = file_with("narr", "caf\xe9\n", 5);
	expect_refused(&in, MANDATE_ERR_BAD_UTF8, "narrative");
}

static void
test_client_input__oversize_narrative__is_refused(void **state)
{
	struct input_case in = {0};
	char *big = malloc(INPUT_TEXT_MAX + 1);

	assert_non_null(big);
	memset(big, 'a', INPUT_TEXT_MAX + 1);
	in.title_file = file_with("title", "T", 1);
	in.narrative_file = file_with("narr", big, INPUT_TEXT_MAX + 1);
	free(big);
	expect_refused(&in, MANDATE_ERR_TOO_LONG, "narrative");
}

static void
test_client_input__case_file__takes_options_on_top(void **state)
{
	static const char json[] = "{\"title\":\"From JSON\",\"narrative\":"
	                           "\"N\",\"category\":\"fraud\"}";
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.case_file = file_with("case.json", json, sizeof json - 1);
	in.category = "legal";
	in.id = "x-1";
	stdin_with("must not be read\n");
	assert_int_equal(input_read_case(&c, &in, &cause), 0);
	assert_string_equal(member(c, "title"), "From JSON");
	assert_string_equal(member(c, "category"), "legal");
	assert_string_equal(member(c, "id"), "x-1");
	json_decref(c);
}

static void
test_client_input__case_on_stdin_without_narrative__is_usage(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.case_file = "-";
	stdin_with("{\"title\":\"T\"}");
	assert_int_equal(input_read_case(&c, &in, &cause), EX_USAGE);
	assert_null(c);
	free(cause);
}

static void
test_client_input__bad_case_json__is_refused(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.case_file = file_with("case.json", "[1,2]", 5);
	assert_int_equal(input_read_case(&c, &in, &cause),
	    mandate_error_get(MANDATE_ERR_BAD_JSON)->exit_status);
	free(cause);
	cause = NULL;
	in.case_file = file_with("case.json", "{\"a\":1,\"a\":2}", 13);
	assert_int_equal(input_read_case(&c, &in, &cause),
	    mandate_error_get(MANDATE_ERR_BAD_JSON)->exit_status);
	free(cause);
}

static void
test_client_input__missing_file__is_noinput(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.title_file = "/nonexistent/title";
	in.narrative_file = "/nonexistent/narrative";
	assert_int_equal(input_read_case(&c, &in, &cause), EX_NOINPUT);
	assert_non_null(strstr(cause, "/nonexistent/title"));
	free(cause);
}

static void
test_client_input__title_on_stdin_with_more__is_usage(void **state)
{
	struct input_case in = {0};
	json_t *c = NULL;
	char *cause = NULL;

	in.narrative_file = file_with("narr", "N", 1);
	stdin_with("The title\nand a stray line\n");
	assert_int_equal(input_read_case(&c, &in, &cause), EX_USAGE);
	free(cause);
	stdin_with("The title\n");
	assert_int_equal(input_read_case(&c, &in, &cause), 0);
	assert_string_equal(member(c, "title"), "The title");
	json_decref(c);
}

static void
test_client_input__options__are_recorded(void **state)
{
	struct input_case in = {0};

	assert_int_equal(input_option(&in, INPUT_OPT_SUBJECTS_FILE, "F"), 1);
	assert_int_equal(input_option(&in, INPUT_OPT_ANONYMOUS, NULL), 1);
	assert_int_equal(input_option(&in, 'h', NULL), 0);
	assert_string_equal(in.subjects_file, "F");
	assert_true(in.anonymous);
	input_case_clear(&in);
	assert_null(in.subjects_file);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_client_input__files_and_options__make_the_case),
	    cmocka_unit_test(
	        test_client_input__piped_stdin__is_title_then_narrative),
	    cmocka_unit_test(test_client_input__narrative_dash__reads_stdin),
	    cmocka_unit_test(
	        test_client_input__one_line_on_stdin__has_empty_narrative),
	    cmocka_unit_test(test_client_input__empty_title_file__is_refused),
	    cmocka_unit_test(test_client_input__invalid_utf8__is_refused),
	    cmocka_unit_test(test_client_input__oversize_narrative__is_refused),
	    cmocka_unit_test(
	        test_client_input__case_file__takes_options_on_top),
	    cmocka_unit_test(
	        test_client_input__case_on_stdin_without_narrative__is_usage),
	    cmocka_unit_test(test_client_input__bad_case_json__is_refused),
	    cmocka_unit_test(test_client_input__missing_file__is_noinput),
	    cmocka_unit_test(
	        test_client_input__title_on_stdin_with_more__is_usage),
	    cmocka_unit_test(test_client_input__options__are_recorded),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
