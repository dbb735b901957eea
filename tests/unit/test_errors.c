/*
 * Unit tests for errors.c: the shared error table is complete, consistent
 * and found both ways.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mandate/errors.h"

static void
test_errors__get__returns_the_row_of_the_table(void **state)
{
	const struct mandate_error_info *e;

	e = mandate_error_get(MANDATE_ERR_BAD_JSON);
	assert_string_equal(e->code, "bad_json");
	assert_int_equal(e->http_status, 400);
	assert_int_equal(e->exit_status, 65);
	assert_string_equal(e->message, "the request body is not valid JSON");

	e = mandate_error_get(MANDATE_ERR_UNIT_HAS_NO_OFFICER);
	assert_string_equal(e->code, "unit_has_no_officer");
	assert_int_equal(e->http_status, 503);
	assert_int_equal(e->exit_status, 75);

	e = mandate_error_get(MANDATE_ERR_BODY_TOO_LARGE);
	assert_string_equal(e->code, "body_too_large");
	assert_int_equal(e->http_status, 413);
}

static void
test_errors__get_out_of_range__maps_to_internal(void **state)
{
	const struct mandate_error_info *internal;

	internal = mandate_error_get(MANDATE_ERR_INTERNAL);
	assert_string_equal(internal->code, "internal");
	assert_int_equal(internal->http_status, 500);
	assert_ptr_equal(mandate_error_get(MANDATE_ERR_COUNT), internal);
	assert_ptr_equal(mandate_error_get((enum mandate_err)1000), internal);
	assert_ptr_equal(mandate_error_get((enum mandate_err) - 1), internal);
}

static void
test_errors__find__returns_the_row_of_each_code(void **state)
{
	const struct mandate_error_info *e;
	int i;

	for (i = 0; i < MANDATE_ERR_COUNT; i++) {
		e = mandate_error_get((enum mandate_err)i);
		assert_ptr_equal(mandate_error_find(e->code), e);
	}
}

static void
test_errors__find_unknown_code__returns_null(void **state)
{
	assert_null(mandate_error_find("no_such_code"));
	assert_null(mandate_error_find(""));
	assert_null(mandate_error_find("BAD_JSON"));
	assert_null(mandate_error_find("bad_json "));
	assert_null(mandate_error_find(NULL));
}

static void
test_errors__table__codes_are_distinct(void **state)
{
	int i, j;

	for (i = 0; i < MANDATE_ERR_COUNT; i++)
		for (j = i + 1; j < MANDATE_ERR_COUNT; j++)
			assert_string_not_equal(
			    mandate_error_get((enum mandate_err)i)->code,
			    mandate_error_get((enum mandate_err)j)->code);
}

static void
test_errors__table__rows_are_well_formed(void **state)
{
	const struct mandate_error_info *e;
	size_t k;
	int i;

	for (i = 0; i < MANDATE_ERR_COUNT; i++) {
		e = mandate_error_get((enum mandate_err)i);
		/* Codes are lower-case snake case, stable and greppable. */
		assert_true(strlen(e->code) > 0);
		for (k = 0; e->code[k] != '\0'; k++)
			assert_non_null(
			    strchr("abcdefghijklmnopqrstuvwxyz0123456789_",
			        e->code[k]));
		assert_in_range(e->http_status, 400, 599);
		/* sysexits(3): EX_USAGE (64) to EX_CONFIG (78). */
		assert_in_range(e->exit_status, 64, 78);
		assert_true(strlen(e->message) > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errors__get__returns_the_row_of_the_table),
	    cmocka_unit_test(test_errors__get_out_of_range__maps_to_internal),
	    cmocka_unit_test(test_errors__find__returns_the_row_of_each_code),
	    cmocka_unit_test(test_errors__find_unknown_code__returns_null),
	    cmocka_unit_test(test_errors__table__codes_are_distinct),
	    cmocka_unit_test(test_errors__table__rows_are_well_formed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
