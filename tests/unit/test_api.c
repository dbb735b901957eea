/*
 * Unit tests for api.c: the category vocabulary and the shape of case ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mandate/api.h"

static void
test_api__category_valid__accepts_the_seven(void **state)
{
	static const char *const seven[] = {"misconduct", "fraud",
	    "retaliation", "workplace-dispute", "conflict-of-interest",
	    "data-protection", "legal"};
	size_t i;

	for (i = 0; i < sizeof seven / sizeof seven[0]; i++)
		assert_true(mandate_category_valid(seven[i]));
}

static void
test_api__category_valid__refuses_others(void **state)
{
	static const char *const others[] = {"", "Fraud", "FRAUD", "fraud ",
	    " fraud", "frau", "fraudx", "workplace_dispute", "ethics", "other",
	    "null"};
	size_t i;

	for (i = 0; i < sizeof others / sizeof others[0]; i++)
		assert_false(mandate_category_valid(others[i]));
	assert_false(mandate_category_valid(NULL));
}

static void
test_api__case_id_valid__accepts_well_shaped(void **state)
{
	assert_true(mandate_case_id_valid("K7QM-3XRD"));
	assert_true(mandate_case_id_valid("2222-ZZZZ"));
	assert_true(mandate_case_id_valid("ABCD-EFGH"));
	assert_int_equal(MANDATE_CASE_ID_LEN, 9);
}

static void
test_api__case_id_valid__refuses_wrong_length(void **state)
{
	assert_false(mandate_case_id_valid(""));
	assert_false(mandate_case_id_valid("K7QM-3XR"));
	assert_false(mandate_case_id_valid("K7QM-3XRDA"));
	assert_false(mandate_case_id_valid("K7QM3XRD"));
	assert_false(mandate_case_id_valid("K7QM-3XRD-"));
	assert_false(mandate_case_id_valid(NULL));
}

static void
test_api__case_id_valid__refuses_misplaced_dash(void **state)
{
	assert_false(mandate_case_id_valid("K7QM3-XRD"));
	assert_false(mandate_case_id_valid("K7Q-M3XRD"));
	assert_false(mandate_case_id_valid("K7QMX3XRD"));
	assert_false(mandate_case_id_valid("-K7QM3XRD"));
	assert_false(mandate_case_id_valid("K7QM-3XR-"));
}

static void
test_api__case_id_valid__refuses_look_alikes(void **state)
{
	/* 0, 1, O, I, L and U are not in the alphabet. */
	assert_false(mandate_case_id_valid("K7QM-3XR0"));
	assert_false(mandate_case_id_valid("K7QM-3XR1"));
	assert_false(mandate_case_id_valid("K7QM-3XRO"));
	assert_false(mandate_case_id_valid("K7QM-3XRI"));
	assert_false(mandate_case_id_valid("K7QM-3XRL"));
	assert_false(mandate_case_id_valid("K7QM-3XRU"));
	assert_false(mandate_case_id_valid("k7qm-3xrd"));
	assert_false(mandate_case_id_valid("K7QM_3XRD"));
	assert_false(mandate_case_id_valid("K7QM-3XR\xc3"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_api__category_valid__accepts_the_seven),
	    cmocka_unit_test(test_api__category_valid__refuses_others),
	    cmocka_unit_test(test_api__case_id_valid__accepts_well_shaped),
	    cmocka_unit_test(test_api__case_id_valid__refuses_wrong_length),
	    cmocka_unit_test(test_api__case_id_valid__refuses_misplaced_dash),
	    cmocka_unit_test(test_api__case_id_valid__refuses_look_alikes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
