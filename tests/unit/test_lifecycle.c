/*
 * Unit tests for lifecycle.c and the lifecycle keys of config.c: the
 * shipped lifecycles, parsing "from>to" lists, and every check made at
 * load (unknown, unreachable and dead-end states, a final state with a
 * way out, pause states, outcomes), with the FILE:LINE of the error.
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
#include "lifecycle.h"

static void
test_lifecycle__defaults__valid_and_as_issued(void **state)
{
	static const char *const units[] = {
	    "ethics", "inspector-general", "ombudsperson", "legal", "staff"};
	struct lifecycle lc;
	const char *next[LIFECYCLE_STATES_MAX];
	char *cause = NULL;

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		lifecycle_default(&lc, units[i]);
		assert_int_equal(lifecycle_validate(&lc, &cause), 0);
	}
	lifecycle_default(&lc, "ethics");
	assert_int_equal(lifecycle_next(&lc, "assessment", next, 16), 5);
	assert_true(lifecycle_allowed(&lc, "investigation", "closed"));
	assert_false(lifecycle_allowed(&lc, "received", "closed"));
	assert_true(lifecycle_paused(&lc, "awaiting-information"));
	lifecycle_default(&lc, "ombudsperson");
	assert_int_equal(lifecycle_state(&lc, "investigation"), -1);
	assert_true(lifecycle_allowed(&lc, "in-conversation", "closed"));
	assert_int_equal(lc.npause, 0);
	lifecycle_default(&lc, "legal");
	assert_int_equal(lifecycle_next(&lc, "received", next, 16), 1);
	assert_string_equal(next[0], "acknowledged");
	assert_true(lifecycle_outcome_valid(&lc, "advice-given"));
	assert_false(lifecycle_outcome_valid(&lc, "substantiated"));
}

/* Parses transitions and validates; returns the cause (caller frees)
 * or NULL. */
static char *
test_check(const char *transitions, const char *pause)
{
	struct lifecycle lc;
	char *cause = NULL;

	lifecycle_default(&lc, "ethics");
	if (lifecycle_parse_transitions(&lc, transitions, &cause) < 0)
		return cause;
	if (lifecycle_parse_pause(&lc, pause, &cause) < 0)
		return cause;
	if (lifecycle_validate(&lc, &cause) < 0)
		return cause;
	return NULL;
}

static void
test_lifecycle__bad_graphs__refused_with_the_state(void **state)
{
	static const struct {
		const char *t, *pause, *want;
	} cases[] = {
	    {"received>a, a>closed, b>closed", "", "state 'b' is unreachable"},
	    {"received>a, a>b, a>closed", "", "state 'b' has no path"},
	    {"received>a, a>b", "", "must lead from 'received'"},
	    {"a>closed", "", "must lead from 'received'"},
	    {"received>closed, closed>a, a>closed", "", "'closed' is final"},
	    {"received>closed", "waiting", "unknown state 'waiting'"},
	    {"received>closed", "received", "cannot wait"},
	    {"received=closed", "", "expected FROM>TO"},
	    {"received>Closed", "", "lower-case letters"},
	    {"received>received", "", "cannot lead to itself"},
	};
	char *cause;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cause = test_check(cases[i].t, cases[i].pause);
		assert_non_null(cause);
		if (strstr(cause, cases[i].want) == NULL)
			fail_msg("%s: got '%s'", cases[i].t, cause);
		free(cause);
	}
	assert_null(test_check(" received > a ,a>closed,, ", "a"));
}

static void
test_lifecycle__no_outcome__refused(void **state)
{
	struct lifecycle lc;
	char *cause = NULL;

	(void)state;
	lifecycle_default(&lc, "legal");
	assert_int_equal(lifecycle_parse_outcomes(&lc, " , ", &cause), 0);
	assert_int_equal(lifecycle_validate(&lc, &cause), -1);
	assert_non_null(strstr(cause, "outcome"));
	free(cause);
}

/* Writes text to a temporary file; returns its path (caller frees). */
static char *
test_conf(const char *text)
{
	char *path = strdup("/tmp/test_lifecycle.XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_lifecycle__config__file_line_of_the_unit(void **state)
{
	char *path = test_conf("[daemon]\nlog_level = info\n[unit.ethics]\n"
	                       "name = Ethics\ntransitions = received>a, "
	                       "a>closed, b>closed\n"),
	     *cause = NULL, want[256];
	struct config *cfg = config_load(path, &cause);

	(void)state;
	assert_null(cfg);
	snprintf(want, sizeof want,
	    "%s:5: unit ethics: transitions: state 'b' is unreachable from "
	    "'received'",
	    path);
	assert_string_equal(cause, want);
	free(cause);
	unlink(path);
	free(path);
}

static void
test_lifecycle__config__keys_replace_their_part(void **state)
{
	char *path = test_conf("[unit.ethics]\npause_states = waiting\n"
	                       "transitions = received>waiting, "
	                       "waiting>closed\noutcomes = done, dropped\n"
	                       "assess_days = 10\nescalate = no\n"
	                       "[unit.ombudsperson]\nauditors = counts\n"),
	     *cause = NULL;
	struct config *cfg = config_load(path, &cause);
	const struct config_unit *u;

	(void)state;
	assert_non_null(cfg);
	u = config_unit_find(cfg, "ethics");
	assert_true(lifecycle_paused(&u->lc, "waiting"));
	assert_true(lifecycle_outcome_valid(&u->lc, "dropped"));
	assert_false(lifecycle_outcome_valid(&u->lc, "substantiated"));
	assert_int_equal(u->assess_days, 10);
	assert_int_equal(u->escalate, 0);
	u = config_unit_find(cfg, "ombudsperson");
	assert_int_equal(u->escalate, 0);
	assert_true(lifecycle_allowed(&u->lc, "received", "in-conversation"));
	config_free(cfg);
	unlink(path);
	free(path);
	cfg = config_load(NULL, &cause);
	assert_non_null(cfg);
	assert_int_equal(config_unit_find(cfg, "ethics")->escalate, 1);
	assert_int_equal(config_unit_find(cfg, "ombudsperson")->escalate, 0);
	assert_int_equal(config_unit_find(cfg, "legal")->assess_days, 15);
	config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lifecycle__defaults__valid_and_as_issued),
	    cmocka_unit_test(
	        test_lifecycle__bad_graphs__refused_with_the_state),
	    cmocka_unit_test(test_lifecycle__no_outcome__refused),
	    cmocka_unit_test(test_lifecycle__config__file_line_of_the_unit),
	    cmocka_unit_test(test_lifecycle__config__keys_replace_their_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
