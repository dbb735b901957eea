/*
 * Unit tests for deadline.c: working days (Monday to Friday, UTC) across
 * weekends, from a weekend start, and zero days.  Times are written as
 * "YYYY-MM-DD HH:MM:SS" UTC; results are shown with their weekday so that
 * a failure reads as a calendar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "deadline.h"

static int64_t
test_time(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	assert_non_null(end);
	assert_int_equal(*end, '\0');
	return (int64_t)timegm(&tm);
}

/* deadline_add_working_days(start, days) as "YYYY-MM-DD HH:MM:SS Day". */
static const char *
test_after(const char *start, unsigned days)
{
	static char out[64];
	time_t t = (time_t)deadline_add_working_days(test_time(start), days);
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	assert_int_not_equal(
	    strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S %a", &tm), 0);
	return out;
}

static void
test_deadline__zero_days_on_weekday__unchanged(void **state)
{
	/* 2024-01-03 is a Wednesday. */
	assert_int_equal(
	    deadline_add_working_days(test_time("2024-01-03 10:30:15"), 0),
	    test_time("2024-01-03 10:30:15"));
	assert_string_equal(
	    test_after("2024-01-05 23:59:59", 0), "2024-01-05 23:59:59 Fri");
}

static void
test_deadline__zero_days_on_weekend__next_monday(void **state)
{
	assert_string_equal(
	    test_after("2024-01-06 09:00:00", 0), "2024-01-08 09:00:00 Mon");
	assert_string_equal(
	    test_after("2024-01-07 00:00:00", 0), "2024-01-08 00:00:00 Mon");
}

static void
test_deadline__within_a_week__consecutive_days(void **state)
{
	assert_string_equal(
	    test_after("2024-01-01 08:00:00", 1), "2024-01-02 08:00:00 Tue");
	assert_string_equal(
	    test_after("2024-01-01 08:00:00", 4), "2024-01-05 08:00:00 Fri");
}

static void
test_deadline__five_days_from_monday__next_monday(void **state)
{
	assert_string_equal(
	    test_after("2024-01-01 08:00:00", 5), "2024-01-08 08:00:00 Mon");
}

static void
test_deadline__friday_plus_one__skips_the_weekend(void **state)
{
	assert_string_equal(
	    test_after("2024-01-05 17:45:00", 1), "2024-01-08 17:45:00 Mon");
}

static void
test_deadline__thursday_plus_three__tuesday(void **state)
{
	assert_string_equal(
	    test_after("2024-01-04 12:00:00", 3), "2024-01-09 12:00:00 Tue");
}

static void
test_deadline__saturday_start__counts_from_monday(void **state)
{
	assert_string_equal(
	    test_after("2024-01-06 14:00:00", 1), "2024-01-09 14:00:00 Tue");
	assert_string_equal(
	    test_after("2024-01-06 14:00:00", 5), "2024-01-15 14:00:00 Mon");
}

static void
test_deadline__sunday_start__counts_from_monday(void **state)
{
	assert_string_equal(
	    test_after("2024-01-07 23:00:00", 1), "2024-01-09 23:00:00 Tue");
	assert_string_equal(
	    test_after("2024-01-07 23:00:00", 3), "2024-01-11 23:00:00 Thu");
}

static void
test_deadline__ten_days__two_weekends_skipped(void **state)
{
	assert_string_equal(
	    test_after("2024-01-03 10:00:00", 10), "2024-01-17 10:00:00 Wed");
}

static void
test_deadline__across_year_end__calendar_days_only(void **state)
{
	/* Holidays are not working-day exceptions: 1 January counts. */
	assert_string_equal(
	    test_after("2023-12-29 09:00:00", 1), "2024-01-01 09:00:00 Mon");
	assert_string_equal(
	    test_after("2024-02-28 09:00:00", 2), "2024-03-01 09:00:00 Fri");
}

static void
test_deadline__365_days__73_weeks_later(void **state)
{
	assert_int_equal(
	    deadline_add_working_days(test_time("2024-01-01 00:00:00"), 365),
	    test_time("2024-01-01 00:00:00") + 73 * 7 * 86400);
}

/* A pause of three days moves the start and the due date on by three
 * days, and the clock reads the same percentage as before the pause. */
static void
test_deadline__pause_and_resume__due_moves_by_the_pause(void **state)
{
	int64_t t0 = test_time("2024-03-04 09:00:00"); /* a Monday */
	struct deadline_clock k = {t0, t0 + 10 * 86400, 0};

	(void)state;
	deadline_transition(&k, 0, 0, 1, 30, t0 + 2 * 86400);
	assert_int_equal(k.paused_at, t0 + 2 * 86400);
	assert_int_equal(deadline_percent(&k, t0 + 9 * 86400), 20);
	deadline_transition(&k, 0, 1, 0, 30, t0 + 5 * 86400);
	assert_int_equal(k.paused_at, 0);
	assert_int_equal(k.started_at, t0 + 3 * 86400);
	assert_int_equal(k.due_at, t0 + 13 * 86400);
	assert_int_equal(deadline_percent(&k, t0 + 11 * 86400), 80);
	assert_int_equal(deadline_percent(&k, t0 + 13 * 86400), 100);
	assert_int_equal(deadline_days_overdue(&k, t0 + 15 * 86400 + 1), 2);
}

/* Leaving "received" starts the assessment stage from now. */
static void
test_deadline__leaving_received__assessment_stage_starts(void **state)
{
	int64_t t0 = test_time("2024-03-04 09:00:00");
	struct deadline_clock k = {t0, t0 + 7 * 86400, 0};

	(void)state;
	deadline_transition(&k, 1, 0, 0, 5, t0 + 86400);
	assert_int_equal(k.started_at, t0 + 86400);
	assert_int_equal(k.due_at, test_time("2024-03-12 09:00:00"));
	deadline_transition(&k, 1, 0, 0, 0, t0 + 86400);
	assert_int_equal(k.due_at, 0);
	assert_int_equal(deadline_percent(&k, t0 + 100 * 86400), 0);
	assert_int_equal(deadline_days_overdue(&k, t0 + 100 * 86400), 0);
}

/* A stage of 100 s, from t = 1000 to 1100, for the threshold ladder. */
static const struct deadline_clock test_stage = {1000, 1100, 0};

static void
test_deadline__79_percent__no_threshold(void **state)
{
	int bits = -1;

	assert_int_equal(deadline_threshold(&test_stage, 0, 0, 1079, &bits), 0);
	assert_int_equal(bits, 0);
}

static void
test_deadline__80_percent__warns_once(void **state)
{
	int bits;

	assert_int_equal(
	    deadline_threshold(&test_stage, 0, 0, 1080, &bits), DEADLINE_WARN);
	assert_int_equal(bits, DEADLINE_WARN);
	assert_string_equal(deadline_threshold_name(DEADLINE_WARN), "80");
	assert_int_equal(
	    deadline_threshold(&test_stage, 0, DEADLINE_WARN, 1099, &bits), 0);
}

static void
test_deadline__due__overdue_after_warning(void **state)
{
	int bits;

	assert_int_equal(
	    deadline_threshold(&test_stage, 0, DEADLINE_WARN, 1100, &bits),
	    DEADLINE_OVERDUE);
	assert_string_equal(deadline_threshold_name(DEADLINE_OVERDUE), "100");
	assert_int_equal(deadline_threshold(&test_stage, 0,
	                     DEADLINE_WARN | DEADLINE_OVERDUE, 99999, &bits),
	    0);
}

static void
test_deadline__both_passed_at_once__overdue_marks_the_warning_too(void **state)
{
	int bits;

	assert_int_equal(deadline_threshold(&test_stage, 0, 0, 1500, &bits),
	    DEADLINE_OVERDUE);
	assert_int_equal(bits, DEADLINE_OVERDUE | DEADLINE_WARN);
}

static void
test_deadline__urgent__escalated_at_once_then_the_clock(void **state)
{
	int bits;

	assert_int_equal(deadline_threshold(&test_stage, 1, 0, 1001, &bits),
	    DEADLINE_URGENT);
	assert_string_equal(deadline_threshold_name(DEADLINE_URGENT), "urgent");
	assert_int_equal(
	    deadline_threshold(&test_stage, 1, DEADLINE_URGENT, 1001, &bits),
	    0);
	assert_int_equal(
	    deadline_threshold(&test_stage, 1, DEADLINE_URGENT, 1090, &bits),
	    DEADLINE_WARN);
}

static void
test_deadline__paused_clock__counts_up_to_the_pause(void **state)
{
	struct deadline_clock k = {1000, 1100, 1050};
	int bits;

	assert_int_equal(deadline_threshold(&k, 0, 0, 5000, &bits), 0);
	k.paused_at = 1085;
	assert_int_equal(
	    deadline_threshold(&k, 0, 0, 5000, &bits), DEADLINE_WARN);
}

static void
test_deadline__no_deadline__never_a_threshold(void **state)
{
	struct deadline_clock k = {1000, 0, 0};
	int bits;

	assert_int_equal(deadline_threshold(&k, 0, 0, 99999, &bits), 0);
	assert_int_equal(deadline_days_overdue(&k, 99999), 0);
}

static void
test_deadline__days_overdue__whole_days_past_due(void **state)
{
	assert_int_equal(deadline_days_overdue(&test_stage, 1100 + 86399), 0);
	assert_int_equal(
	    deadline_days_overdue(&test_stage, 1100 + 2 * 86400), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deadline__zero_days_on_weekday__unchanged),
	    cmocka_unit_test(test_deadline__zero_days_on_weekend__next_monday),
	    cmocka_unit_test(test_deadline__within_a_week__consecutive_days),
	    cmocka_unit_test(test_deadline__five_days_from_monday__next_monday),
	    cmocka_unit_test(test_deadline__friday_plus_one__skips_the_weekend),
	    cmocka_unit_test(test_deadline__thursday_plus_three__tuesday),
	    cmocka_unit_test(test_deadline__saturday_start__counts_from_monday),
	    cmocka_unit_test(test_deadline__sunday_start__counts_from_monday),
	    cmocka_unit_test(test_deadline__ten_days__two_weekends_skipped),
	    cmocka_unit_test(
	        test_deadline__across_year_end__calendar_days_only),
	    cmocka_unit_test(test_deadline__365_days__73_weeks_later),
	    cmocka_unit_test(
	        test_deadline__pause_and_resume__due_moves_by_the_pause),
	    cmocka_unit_test(
	        test_deadline__leaving_received__assessment_stage_starts),
	    cmocka_unit_test(test_deadline__79_percent__no_threshold),
	    cmocka_unit_test(test_deadline__80_percent__warns_once),
	    cmocka_unit_test(test_deadline__due__overdue_after_warning),
	    cmocka_unit_test(
	        test_deadline__both_passed_at_once__overdue_marks_the_warning_too),
	    cmocka_unit_test(
	        test_deadline__urgent__escalated_at_once_then_the_clock),
	    cmocka_unit_test(
	        test_deadline__paused_clock__counts_up_to_the_pause),
	    cmocka_unit_test(test_deadline__no_deadline__never_a_threshold),
	    cmocka_unit_test(test_deadline__days_overdue__whole_days_past_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
