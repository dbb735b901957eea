/*
 * Unit tests for the client's rendering (client/out.c): terminal control
 * sequences from the server or a case are neutralised, server errors map
 * to the error table's exit statuses, timestamps and lists are shown as
 * documented.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <cmocka.h>

#include "json.h"
#include "mandate/errors.h"
#include "out.h"

/* out_text(s, flags) captured into a malloc'd string. */
static char *
rendered(const char *s, int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	out_text(f, s, flags);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_client_out__control_sequences__are_shown_not_sent(void **state)
{
	char *s;

	/* ESC (C0), CSI as C1 (U+009B), DEL, BEL. */
	s = rendered("a\x1b[2Jb\xc2\x9b"
	             "31mc\x7f\x07",
	    0);
	assert_string_equal(s, "a\\x1b[2Jb\\u009b31mc\\x7f\\x07");
	free(s);
	s = rendered("one\ntwo\tthree", 0);
	assert_string_equal(s, "one\\x0atwo\\x09three");
	free(s);
	s = rendered("one\ntwo\tthree", OUT_TEXT_MULTILINE);
	assert_string_equal(s, "one\ntwo\tthree");
	free(s);
	/* Ordinary UTF-8, including U+00A0 after the C1 range, passes. */
	s = rendered("conflit d\xe2\x80\x99int\xc3\xa9r\xc3\xaats\xc2\xa0!", 0);
	assert_string_equal(
	    s, "conflit d\xe2\x80\x99int\xc3\xa9r\xc3\xaats\xc2\xa0!");
	free(s);
}

static json_t *
error_body(const char *code)
{
	json_t *body = json_pack("{s{ssssss}}", "error", "code", code, "field",
	    "title", "message", "the value must not be empty");

	assert_non_null(body);
	return body;
}

static void
test_client_out__server_errors__map_to_exit_statuses(void **state)
{
	json_t *body;

	body = error_body("empty");
	assert_int_equal(out_server_error(422, body),
	    mandate_error_get(MANDATE_ERR_EMPTY)->exit_status);
	json_decref(body);
	/* The table, not the HTTP status, decides: 400 alone would be
	 * EX_DATAERR. */
	body = error_body("bad_query");
	assert_int_equal(out_server_error(400, body), EX_USAGE);
	json_decref(body);
	body = error_body("forbidden");
	assert_int_equal(out_server_error(403, body), EX_NOPERM);
	json_decref(body);
	body = error_body("unit_has_no_officer");
	assert_int_equal(out_server_error(503, body), EX_TEMPFAIL);
	json_decref(body);
	/* A code this client does not know: the HTTP status decides. */
	body = error_body("from_the_future");
	assert_int_equal(out_server_error(404, body), EX_NOINPUT);
	assert_int_equal(out_server_error(409, body), EX_DATAERR);
	assert_int_equal(out_server_error(502, body), EX_UNAVAILABLE);
	json_decref(body);
	/* Not the API's shape at all (a proxy's page, say). */
	assert_int_equal(out_server_error(400, NULL), EX_DATAERR);
	assert_int_equal(out_server_error(500, NULL), EX_SOFTWARE);
	assert_int_equal(out_server_error(302, NULL), EX_PROTOCOL);
}

static void
test_client_out__times__are_shortened_only_when_canonical(void **state)
{
	char buf[32];

	assert_string_equal(out_time(buf, sizeof buf, "2026-11-28T07:00:59Z"),
	    "2026-11-28 07:00");
	assert_string_equal(
	    out_time(buf, sizeof buf, "2026-11-28"), "2026-11-28");
	assert_string_equal(
	    out_time(buf, sizeof buf, "2026-11-28T07:00:59+01:00"),
	    "2026-11-28T07:00:59+01:00");
}

static void
test_client_out__members__are_shown_with_dashes(void **state)
{
	json_t *v = json_pack("{sssnsbs[ss]s[]}", "unit", "ethics", "category",
	    "recused", 0, "matched", "fraud", "pot-de-vin", "none");
	char buf[64];

	assert_string_equal(out_str(v, "unit"), "ethics");
	assert_string_equal(out_str(v, "category"), "-");
	assert_string_equal(out_str(v, "missing"), "-");
	assert_string_equal(out_bool(v, "recused"), "no");
	assert_string_equal(out_bool(v, "unit"), "-");
	assert_string_equal(
	    out_list(buf, sizeof buf, v, "matched"), "fraud, pot-de-vin");
	assert_string_equal(out_list(buf, sizeof buf, v, "none"), "-");
	assert_string_equal(out_list(buf, 8, v, "matched"), "fraud, ");
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_client_out__control_sequences__are_shown_not_sent),
	    cmocka_unit_test(
	        test_client_out__server_errors__map_to_exit_statuses),
	    cmocka_unit_test(
	        test_client_out__times__are_shortened_only_when_canonical),
	    cmocka_unit_test(test_client_out__members__are_shown_with_dashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
