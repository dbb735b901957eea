/*
 * Unit tests for json.c: what the strict parser refuses and how it says
 * so, the compact encoder, the UTF-8 helpers and the error body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* Parses a NUL-terminated literal; returns the value or NULL and *cause. */
static json_t *
test_parse(const char *text, char **cause)
{
	return json_parse_strict(text, strlen(text), cause);
}

/* Asserts that text/len is refused with a cause that starts with prefix. */
static void
test_refused_n(const char *text, size_t len, const char *prefix)
{
	char *cause = NULL;
	json_t *v;

	v = json_parse_strict(text, len, &cause);
	assert_null(v);
	assert_non_null(cause);
	assert_int_equal(strncmp(cause, prefix, strlen(prefix)), 0);
	free(cause);
}

static void
test_refused(const char *text, const char *prefix)
{
	test_refused_n(text, strlen(text), prefix);
}

/* Nested arrays: depth levels of '[' around 1. */
static char *
test_nested(int depth)
{
	char *s = malloc(2 * (size_t)depth + 2);
	int i;

	assert_non_null(s);
	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth + 1 + i] = ']';
	}
	s[depth] = '1';
	s[2 * depth + 1] = '\0';
	return s;
}

static void
test_json__object__parses(void **state)
{
	char *cause = NULL;
	json_t *v;

	v = test_parse(
	    "{\"title\": \"t\", \"n\": [1, 2.5, null, true]}", &cause);
	assert_non_null(v);
	assert_null(cause);
	assert_string_equal(
	    json_string_value(json_object_get(v, "title")), "t");
	assert_int_equal(json_array_size(json_object_get(v, "n")), 4);
	json_decref(v);
}

static void
test_json__scalar_top_level__parses(void **state)
{
	char *cause = NULL;
	json_t *v;

	v = test_parse("\"x\"", &cause);
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "x");
	json_decref(v);
}

static void
test_json__duplicate_key__refused(void **state)
{
	test_refused("{\"a\": 1, \"a\": 2}", "line 1, column ");
	test_refused("{\"o\": {\"k\": 1, \"k\": 1}}", "line 1, column ");
}

static void
test_json__nul_escape__refused(void **state)
{
	test_refused("{\"a\": \"x\\u0000y\"}", "line 1, column ");
	test_refused("{\"a\\u0000\": 1}", "line 1, column ");
}

static void
test_json__raw_nul_byte__refused(void **state)
{
	static const char text[] = "{\"a\": \"x\0y\"}";

	test_refused_n(text, sizeof text - 1, "line 1, column ");
}

static void
test_json__invalid_utf8__refused(void **state)
{
	test_refused("{\"a\": \"\xff\"}", "line 1, column ");
	test_refused("{\"a\": \"\xc0\xaf\"}", "line 1, column "); /* overlong */
	test_refused(
	    "{\"a\": \"\xed\xa0\x80\"}", "line 1, column "); /* surrogate */
	test_refused(
	    "{\"a\": \"\xe2\x82\"}", "line 1, column "); /* truncated */
}

static void
test_json__trailing_data__refused(void **state)
{
	test_refused("{} {}", "line 1, column ");
	test_refused("{}x", "line 1, column ");
	test_refused("[1]]", "line 1, column ");
}

static void
test_json__trailing_whitespace__accepted(void **state)
{
	char *cause = NULL;
	json_t *v;

	v = test_parse(" {\"a\": 1}\n\t ", &cause);
	assert_non_null(v);
	json_decref(v);
}

static void
test_json__empty_input__refused(void **state)
{
	test_refused("", "line ");
	test_refused_n(NULL, 0, "line ");
}

static void
test_json__depth_32__accepted(void **state)
{
	char *text = test_nested(JSON_MAX_DEPTH), *cause = NULL;
	json_t *v;

	v = test_parse(text, &cause);
	assert_non_null(v);
	assert_null(cause);
	json_decref(v);
	free(text);
}

static void
test_json__depth_33__refused_at_its_column(void **state)
{
	char *text = test_nested(JSON_MAX_DEPTH + 1), *cause = NULL;

	assert_null(test_parse(text, &cause));
	assert_string_equal(
	    cause, "line 1, column 33: nesting deeper than 32 levels");
	free(cause);
	free(text);
}

static void
test_json__depth_33_of_objects__refused(void **state)
{
	char text[JSON_MAX_DEPTH * 8 + 64], *cause = NULL;
	size_t n = 0;
	int i;

	/* {"a":{"a": ... 33 deep, after a string of brackets and escapes. */
	n += (size_t)sprintf(text + n, "{\"s\":\"\\\"[[[{{\\\\\",\n\"a\":");
	for (i = 1; i < JSON_MAX_DEPTH + 1; i++)
		n += (size_t)sprintf(text + n, "{\"a\":");
	n += (size_t)sprintf(text + n, "1");
	for (i = 0; i < JSON_MAX_DEPTH + 1; i++)
		text[n++] = '}';
	text[n] = '\0';
	assert_null(test_parse(text, &cause));
	assert_string_equal(
	    cause, "line 2, column 160: nesting deeper than 32 levels");
	free(cause);
}

static void
test_json__very_deep__refused(void **state)
{
	char *text = test_nested(100000), *cause = NULL;

	assert_null(test_parse(text, &cause));
	assert_non_null(cause);
	free(cause);
	free(text);
}

static void
test_json__error_cause__names_line_and_column(void **state)
{
	char *cause = NULL;

	assert_null(test_parse("{\n  \"a\": 1,\n  \"a\": 2\n}", &cause));
	assert_string_equal(cause, "line 3, column 5: duplicate object key");
	free(cause);
}

static void
test_json__error_cause__does_not_echo_input(void **state)
{
	static const char *const texts[] = {
	    "{\"narrative\": secretword}",
	    "{\"narrative\": \"secretword",
	    "[\"secretword\" \"secretword\"]",
	    "{\"secretword\": 1, \"secretword\": 2}",
	    "{\"narrative\": \"secretword\xff\"}",
	};
	char *cause;
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		cause = NULL;
		assert_null(test_parse(texts[i], &cause));
		assert_non_null(cause);
		assert_null(strstr(cause, "secret"));
		assert_null(strstr(cause, "near '"));
		free(cause);
	}
}

static void
test_json__dump_compact__no_spaces_insertion_order(void **state)
{
	json_t *v = json_object();
	char *s;

	json_object_set_new(v, "z", json_integer(1));
	json_object_set_new(v, "a", json_pack("[s,n,b]", "x y", 0));
	json_object_set_new(v, "m", json_string("caf\xc3\xa9"));
	s = json_dump_compact(v);
	assert_string_equal(s, "{\"z\":1,\"a\":[\"x y\",null,false],"
	                       "\"m\":\"caf\xc3\xa9\"}");
	free(s);
	json_decref(v);
}

static void
test_json__dump_compact_scalar__encodes(void **state)
{
	json_t *v = json_string("x");
	char *s = json_dump_compact(v);

	assert_string_equal(s, "\"x\"");
	free(s);
	json_decref(v);
}

static void
test_json__utf8_chars__counts_code_points(void **state)
{
	assert_int_equal(json_utf8_chars("", 0), 0);
	assert_int_equal(json_utf8_chars("abc", 3), 3);
	assert_int_equal(json_utf8_chars("caf\xc3\xa9", 5), 4);        /* é */
	assert_int_equal(json_utf8_chars("\xe2\x80\x99", 3), 1);       /* ’ */
	assert_int_equal(json_utf8_chars("a\xf0\x9f\x98\x80z", 6), 3); /* 😀 */
	assert_int_equal(
	    json_utf8_chars("\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf", 8), 2);
}

static void
test_json__utf8_valid__accepts_well_formed(void **state)
{
	static const char *const good[] = {
	    "",
	    "plain ascii",
	    "\x7f",
	    "caf\xc3\xa9",
	    "\xc2\x80",
	    "\xdf\xbf",
	    "\xe0\xa0\x80",     /* U+0800, the first 3-byte */
	    "\xed\x9f\xbf",     /* U+D7FF, below the surrogates */
	    "\xee\x80\x80",     /* U+E000, above them */
	    "\xef\xbf\xbf",     /* U+FFFF */
	    "\xf0\x90\x80\x80", /* U+10000 */
	    "\xf4\x8f\xbf\xbf", /* U+10FFFF */
	    "conflit d\xe2\x80\x99int\xc3\xa9r\xc3\xaats",
	};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(json_utf8_valid(good[i], strlen(good[i])));
}

static void
test_json__utf8_valid__refuses_ill_formed(void **state)
{
	static const char *const bad[] = {
	    "\x80",             /* lone continuation */
	    "a\xbf",            /* lone continuation */
	    "\xc0\x80",         /* overlong NUL */
	    "\xc1\xbf",         /* overlong */
	    "\xe0\x9f\xbf",     /* overlong 3-byte */
	    "\xf0\x8f\xbf\xbf", /* overlong 4-byte */
	    "\xed\xa0\x80",     /* U+D800 */
	    "\xed\xbf\xbf",     /* U+DFFF */
	    "\xf4\x90\x80\x80", /* U+110000 */
	    "\xf5\x80\x80\x80",
	    "\xff",
	    "\xfe",
	    "\xc3",         /* truncated */
	    "\xe2\x80",     /* truncated */
	    "\xf0\x9f\x98", /* truncated */
	    "\xc3\x28",     /* bad continuation */
	    "\xe2\x28\xa1",
	    "\xf0\x9f\x28\x80",
	    "\xf0\x9f\x98\x28",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(json_utf8_valid(bad[i], strlen(bad[i])));
}

static void
test_json__utf8_valid_nul__refused(void **state)
{
	assert_false(json_utf8_valid("a\0b", 3));
	assert_true(json_utf8_valid("a\0b", 1));
}

static void
test_json__utf8_valid_truncated_by_len__refused(void **state)
{
	/* The bytes after len must not be read as continuations. */
	assert_false(json_utf8_valid("\xc3\xa9", 1));
	assert_false(json_utf8_valid("\xf0\x9f\x98\x80", 3));
}

static void
test_json__error_body__has_code_field_message(void **state)
{
	json_t *v =
	    json_error_body("too_long", "title", "the value is too long");
	char *s = json_dump_compact(v);

	assert_string_equal(s, "{\"error\":{\"code\":\"too_long\","
	                       "\"field\":\"title\","
	                       "\"message\":\"the value is too long\"}}");
	free(s);
	json_decref(v);
}

static void
test_json__error_body_without_field__omits_it(void **state)
{
	json_t *v = json_error_body("internal", NULL, "internal error");
	char *s = json_dump_compact(v);

	assert_string_equal(s, "{\"error\":{\"code\":\"internal\","
	                       "\"message\":\"internal error\"}}");
	free(s);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json__object__parses),
	    cmocka_unit_test(test_json__scalar_top_level__parses),
	    cmocka_unit_test(test_json__duplicate_key__refused),
	    cmocka_unit_test(test_json__nul_escape__refused),
	    cmocka_unit_test(test_json__raw_nul_byte__refused),
	    cmocka_unit_test(test_json__invalid_utf8__refused),
	    cmocka_unit_test(test_json__trailing_data__refused),
	    cmocka_unit_test(test_json__trailing_whitespace__accepted),
	    cmocka_unit_test(test_json__empty_input__refused),
	    cmocka_unit_test(test_json__depth_32__accepted),
	    cmocka_unit_test(test_json__depth_33__refused_at_its_column),
	    cmocka_unit_test(test_json__depth_33_of_objects__refused),
	    cmocka_unit_test(test_json__very_deep__refused),
	    cmocka_unit_test(test_json__error_cause__names_line_and_column),
	    cmocka_unit_test(test_json__error_cause__does_not_echo_input),
	    cmocka_unit_test(
	        test_json__dump_compact__no_spaces_insertion_order),
	    cmocka_unit_test(test_json__dump_compact_scalar__encodes),
	    cmocka_unit_test(test_json__utf8_chars__counts_code_points),
	    cmocka_unit_test(test_json__utf8_valid__accepts_well_formed),
	    cmocka_unit_test(test_json__utf8_valid__refuses_ill_formed),
	    cmocka_unit_test(test_json__utf8_valid_nul__refused),
	    cmocka_unit_test(test_json__utf8_valid_truncated_by_len__refused),
	    cmocka_unit_test(test_json__error_body__has_code_field_message),
	    cmocka_unit_test(test_json__error_body_without_field__omits_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
