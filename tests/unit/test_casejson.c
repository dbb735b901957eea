/*
 * Unit tests for casejson.c: every refusal of the case JSON with its exact
 * error code, field and message, the limits at and just past their edge,
 * and the metadata object of a stored case.
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

#include "casejson.h"
#include "config.h"
#include "db.h"
#include "mandate/api.h"

static int
test_setup(void **state)
{
	char *cause = NULL;
	struct config *cfg = config_load(NULL, &cause);

	if (cfg == NULL) {
		fprintf(stderr, "config_load: %s\n", cause);
		return -1;
	}
	*state = cfg;
	return 0;
}

static int
test_teardown(void **state)
{
	config_free(*state);
	return 0;
}

static json_t *
test_json(const char *text)
{
	char *cause = NULL;
	json_t *v = json_parse_strict(text, strlen(text), &cause);

	if (v == NULL)
		fail_msg("test JSON does not parse: %s", cause);
	return v;
}

/* {"title": "t", "narrative": "n"} with key set to value (stolen). */
static json_t *
test_case_with(const char *key, json_t *value)
{
	json_t *o = test_json("{\"title\": \"t\", \"narrative\": \"n\"}");

	assert_int_equal(json_object_set_new(o, key, value), 0);
	return o;
}

/* A string of n copies of the UTF-8 sequence unit. */
static json_t *
test_repeat(const char *unit, size_t n)
{
	size_t ulen = strlen(unit);
	char *s = malloc(ulen * n + 1);
	json_t *v;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ulen, unit, ulen);
	v = json_stringn(s, ulen * n);
	assert_non_null(v);
	free(s);
	return v;
}

static void
test_accepted(
    const struct config *cfg, json_t *obj, int allow_id, struct case_input *in)
{
	struct case_error e;

	memset(&e, 0, sizeof e);
	if (casejson_parse(obj, cfg, allow_id, in, &e) != 0)
		fail_msg("refused: %s (%s)", e.message, e.field);
}

/* obj (consumed) must be refused with exactly err, field and message. */
static void
test_refused(const struct config *cfg, json_t *obj, int allow_id,
    enum mandate_err err, const char *field, const char *message)
{
	struct case_input in;
	struct case_error e;

	memset(&e, 0, sizeof e);
	assert_int_equal(casejson_parse(obj, cfg, allow_id, &in, &e), -1);
	assert_string_equal(
	    mandate_error_get(e.err)->code, mandate_error_get(err)->code);
	assert_int_equal(e.err, err);
	assert_non_null(e.field);
	assert_string_equal(e.field, field);
	assert_string_equal(e.message, message);
	json_decref(obj);
}

static void
test_refused_text(const struct config *cfg, const char *text,
    enum mandate_err err, const char *field, const char *message)
{
	test_refused(cfg, test_json(text), 0, err, field, message);
}

/* --- accepted input --- */

static void
test_casejson__minimal__title_and_narrative_only(void **state)
{
	json_t *o =
	    test_json("{\"title\": \"Gift\", \"narrative\": \"A pen\"}");
	struct case_input in;

	memset(&in, 0x55, sizeof in);
	test_accepted(*state, o, 0, &in);
	assert_string_equal(in.title, "Gift");
	assert_int_equal(in.title_len, 4);
	assert_string_equal(in.narrative, "A pen");
	assert_int_equal(in.narrative_len, 5);
	assert_null(in.category);
	assert_null(in.subject_office);
	assert_null(in.language);
	assert_int_equal(in.anonymous, 0);
	assert_null(in.subjects);
	assert_null(in.id);
	json_decref(o);
}

static void
test_casejson__every_field__views_into_the_object(void **state)
{
	json_t *o = test_json(
	    "{\"title\": \"Conflit d\\u2019int\\u00e9r\\u00eats\","
	    " \"narrative\": \"line 1\\nline 2\\tx\\r\\n\","
	    " \"category\": \"conflict-of-interest\","
	    " \"subject_office\": \"legal\", \"language\": \"fr-CA\","
	    " \"anonymous\": true, \"subjects\": [\"M. Dupont\", \"ACME\"],"
	    " \"id\": \"c-17\"}");
	struct case_input in;

	test_accepted(*state, o, 1, &in);
	assert_string_equal(
	    in.title, "Conflit d\xe2\x80\x99int\xc3\xa9r\xc3\xaats");
	assert_int_equal(in.title_len, 22);
	assert_string_equal(in.narrative, "line 1\nline 2\tx\r\n");
	assert_int_equal(in.narrative_len, 17);
	assert_string_equal(in.category, "conflict-of-interest");
	assert_string_equal(in.subject_office, "legal");
	assert_string_equal(in.language, "fr-CA");
	assert_int_equal(in.anonymous, 1);
	assert_ptr_equal(in.subjects, json_object_get(o, "subjects"));
	assert_int_equal(json_array_size(in.subjects), 2);
	assert_string_equal(in.id, "c-17");
	assert_ptr_equal(
	    in.title, json_string_value(json_object_get(o, "title")));
	json_decref(o);
}

static void
test_casejson__optional_nulls__treated_as_absent(void **state)
{
	json_t *o = test_json(
	    "{\"title\": \"t\", \"narrative\": \"n\", \"category\": null,"
	    " \"subject_office\": null, \"language\": null,"
	    " \"anonymous\": null, \"subjects\": null}");
	struct case_input in;

	test_accepted(*state, o, 0, &in);
	assert_null(in.category);
	assert_null(in.subject_office);
	assert_null(in.language);
	assert_int_equal(in.anonymous, 0);
	assert_null(in.subjects);
	json_decref(o);
}

static void
test_casejson__each_category__accepted(void **state)
{
	static const char *const cats[] = {"misconduct", "fraud", "retaliation",
	    "workplace-dispute", "conflict-of-interest", "data-protection",
	    "legal"};
	struct case_input in;

	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
		json_t *o = test_case_with("category", json_string(cats[i]));
		test_accepted(*state, o, 0, &in);
		assert_string_equal(in.category, cats[i]);
		json_decref(o);
	}
}

/* --- fields --- */

static void
test_casejson__unknown_field__named(void **state)
{
	test_refused(*state, test_case_with("colour", json_string("red")), 0,
	    MANDATE_ERR_UNKNOWN_FIELD, "colour",
	    "colour is not a field of a case");
}

static void
test_casejson__unknown_field__reported_before_missing_ones(void **state)
{
	test_refused_text(*state, "{\"Title\": \"t\"}",
	    MANDATE_ERR_UNKNOWN_FIELD, "Title",
	    "Title is not a field of a case");
}

static void
test_casejson__missing_title__refused(void **state)
{
	test_refused_text(*state, "{\"narrative\": \"n\"}",
	    MANDATE_ERR_MISSING_FIELD, "title", "title is required");
	test_refused_text(*state, "{}", MANDATE_ERR_MISSING_FIELD, "title",
	    "title is required");
}

static void
test_casejson__null_title__missing(void **state)
{
	test_refused(*state, test_case_with("title", json_null()), 0,
	    MANDATE_ERR_MISSING_FIELD, "title", "title is required");
}

static void
test_casejson__missing_narrative__refused(void **state)
{
	test_refused_text(*state, "{\"title\": \"t\"}",
	    MANDATE_ERR_MISSING_FIELD, "narrative", "narrative is required");
}

static void
test_casejson__title_not_string__wrong_type(void **state)
{
	test_refused(*state, test_case_with("title", json_integer(5)), 0,
	    MANDATE_ERR_WRONG_TYPE, "title", "title must be a string");
	test_refused(*state, test_case_with("title", json_true()), 0,
	    MANDATE_ERR_WRONG_TYPE, "title", "title must be a string");
}

static void
test_casejson__narrative_not_string__wrong_type(void **state)
{
	test_refused(*state, test_case_with("narrative", json_array()), 0,
	    MANDATE_ERR_WRONG_TYPE, "narrative", "narrative must be a string");
}

static void
test_casejson__empty_or_blank_title__refused(void **state)
{
	test_refused(*state, test_case_with("title", json_string("")), 0,
	    MANDATE_ERR_EMPTY, "title", "title must not be empty");
	test_refused(*state, test_case_with("title", json_string(" \t ")), 0,
	    MANDATE_ERR_EMPTY, "title", "title must not be empty");
}

static void
test_casejson__blank_narrative__refused(void **state)
{
	test_refused(*state,
	    test_case_with("narrative", json_string("\n \r\n")), 0,
	    MANDATE_ERR_EMPTY, "narrative", "narrative must not be empty");
}

/* --- lengths --- */

static void
test_casejson__title_200_multibyte_chars__accepted(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("title", test_repeat("\xc3\xa9", 200));

	test_accepted(*state, o, 0, &in);
	assert_int_equal(in.title_len, 400);
	json_decref(o);
	o = test_case_with("title", test_repeat("\xf0\x9f\x98\x80", 200));
	test_accepted(*state, o, 0, &in);
	assert_int_equal(in.title_len, 800);
	json_decref(o);
}

static void
test_casejson__title_201_chars__too_long(void **state)
{
	test_refused(*state, test_case_with("title", test_repeat("a", 201)), 0,
	    MANDATE_ERR_TOO_LONG, "title",
	    "title is longer than 200 characters");
	test_refused(*state,
	    test_case_with("title", test_repeat("\xc3\xa9", 201)), 0,
	    MANDATE_ERR_TOO_LONG, "title",
	    "title is longer than 200 characters");
}

static void
test_casejson__narrative_65536_bytes__accepted(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("narrative", test_repeat("ab", 32768));

	test_accepted(*state, o, 0, &in);
	assert_int_equal(in.narrative_len, 65536);
	json_decref(o);
}

static void
test_casejson__narrative_65537_bytes__too_long(void **state)
{
	json_t *s = test_repeat("ab", 32768);
	char *big = malloc(65538);

	assert_non_null(big);
	memcpy(big, json_string_value(s), 65536);
	memcpy(big + 65536, "c", 2);
	json_decref(s);
	test_refused(*state, test_case_with("narrative", json_string(big)), 0,
	    MANDATE_ERR_TOO_LONG, "narrative",
	    "narrative is longer than 65536 bytes");
	free(big);
}

static void
test_casejson__narrative_limit_in_bytes__not_chars(void **state)
{
	/* 21846 three-byte characters: 65538 bytes. */
	test_refused(*state,
	    test_case_with("narrative", test_repeat("\xe2\x82\xac", 21846)), 0,
	    MANDATE_ERR_TOO_LONG, "narrative",
	    "narrative is longer than 65536 bytes");
}

/* --- control characters --- */

static void
test_casejson__control_chars_in_title__refused(void **state)
{
	static const char *const titles[] = {
	    "a\tb", "a\nb", "a\rb", "a\x01", "\x1f", "del\x7f"};

	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		test_refused(*state,
		    test_case_with("title", json_string(titles[i])), 0,
		    MANDATE_ERR_BAD_FIELD, "title",
		    "title contains control characters");
}

static void
test_casejson__nul_in_title__refused(void **state)
{
	test_refused(*state, test_case_with("title", json_stringn("a\0b", 3)),
	    0, MANDATE_ERR_BAD_FIELD, "title",
	    "title contains control characters");
}

static void
test_casejson__control_chars_in_narrative__refused_except_layout(void **state)
{
	test_refused(*state,
	    test_case_with("narrative", json_string("a\nb\x0b")), 0,
	    MANDATE_ERR_BAD_FIELD, "narrative",
	    "narrative contains control characters");
	test_refused(*state,
	    test_case_with("narrative", json_string("a\x1b[31m")), 0,
	    MANDATE_ERR_BAD_FIELD, "narrative",
	    "narrative contains control characters");
}

/* --- category, subject_office, language --- */

static void
test_casejson__unknown_category__refused(void **state)
{
	static const char msg[] =
	    "category must be one of misconduct, fraud, retaliation, "
	    "workplace-dispute, conflict-of-interest, data-protection, legal";

	test_refused(*state, test_case_with("category", json_string("Fraud")),
	    0, MANDATE_ERR_UNKNOWN_CATEGORY, "category", msg);
	test_refused(*state, test_case_with("category", json_string("theft")),
	    0, MANDATE_ERR_UNKNOWN_CATEGORY, "category", msg);
}

static void
test_casejson__category_wrong_type_or_empty__refused(void **state)
{
	test_refused(*state, test_case_with("category", json_integer(1)), 0,
	    MANDATE_ERR_WRONG_TYPE, "category", "category must be a string");
	test_refused(*state, test_case_with("category", json_string("")), 0,
	    MANDATE_ERR_EMPTY, "category", "category must not be empty");
}

static void
test_casejson__subject_office_other__accepted(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("subject_office", json_string("other"));

	test_accepted(*state, o, 0, &in);
	assert_string_equal(in.subject_office, "other");
	json_decref(o);
	o = test_case_with("subject_office", json_string("inspector-general"));
	test_accepted(*state, o, 0, &in);
	assert_string_equal(in.subject_office, "inspector-general");
	json_decref(o);
}

static void
test_casejson__subject_office_unknown_unit__refused(void **state)
{
	static const char msg[] =
	    "subject_office must be a unit id or \"other\"";

	test_refused(*state,
	    test_case_with("subject_office", json_string("finance")), 0,
	    MANDATE_ERR_UNKNOWN_UNIT, "subject_office", msg);
	test_refused(*state,
	    test_case_with("subject_office", json_string("Ethics")), 0,
	    MANDATE_ERR_UNKNOWN_UNIT, "subject_office", msg);
	test_refused(*state,
	    test_case_with("subject_office", test_repeat("e", 33)), 0,
	    MANDATE_ERR_TOO_LONG, "subject_office",
	    "subject_office is longer than 32 bytes");
	test_refused(*state, test_case_with("subject_office", json_false()), 0,
	    MANDATE_ERR_WRONG_TYPE, "subject_office",
	    "subject_office must be a string");
}

static void
test_casejson__subject_office__units_of_the_configuration(void **state)
{
	char path[] = "/tmp/test_casejson.XXXXXX", *cause = NULL;
	int fd = mkstemp(path);
	static const char text[] = "[unit.security]\nname = Security\n";
	struct config *cfg;
	struct case_input in;
	json_t *o;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), sizeof text - 1);
	close(fd);
	cfg = config_load(path, &cause);
	unlink(path);
	assert_non_null(cfg);
	o = test_case_with("subject_office", json_string("security"));
	test_accepted(cfg, o, 0, &in);
	assert_string_equal(in.subject_office, "security");
	json_decref(o);
	test_refused(cfg,
	    test_case_with("subject_office", json_string("ethics")), 0,
	    MANDATE_ERR_UNKNOWN_UNIT, "subject_office",
	    "subject_office must be a unit id or \"other\"");
	config_free(cfg);
}

static void
test_casejson__language_bcp47_shapes__accepted(void **state)
{
	static const char *const tags[] = {"fr", "es-419", "en-US",
	    "zh-Hant-TW", "sgn-BE-FR", "abcdefgh", "de-1996", "fr-a",
	    "abcdefgh-12345678-abcdefgh-12345678"}; /* 35 bytes */
	struct case_input in;

	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		json_t *o = test_case_with("language", json_string(tags[i]));
		test_accepted(*state, o, 0, &in);
		assert_string_equal(in.language, tags[i]);
		json_decref(o);
	}
}

static void
test_casejson__language_bad_shape__refused(void **state)
{
	static const char *const tags[] = {"f", "f1", "fr-", "-fr", "fr--ca",
	    "abcdefghi", "fr-abcdefghi", "fr_CA", "12", "fr-C@", "419-es",
	    "fr ", "fr-\xc3\xa9"};

	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		test_refused(*state,
		    test_case_with("language", json_string(tags[i])), 0,
		    MANDATE_ERR_BAD_FIELD, "language",
		    "language must be a BCP 47 tag such as \"fr\" or "
		    "\"es-419\"");
}

static void
test_casejson__language_36_bytes__too_long(void **state)
{
	test_refused(*state,
	    test_case_with("language",
	        json_string("abcdefgh-12345678-abcdefgh-12345-678")),
	    0, MANDATE_ERR_TOO_LONG, "language",
	    "language is longer than 35 bytes");
}

/* --- anonymous and subjects --- */

static void
test_casejson__anonymous_not_boolean__wrong_type(void **state)
{
	test_refused(*state, test_case_with("anonymous", json_string("yes")), 0,
	    MANDATE_ERR_WRONG_TYPE, "anonymous",
	    "anonymous must be true or false");
	test_refused(*state, test_case_with("anonymous", json_integer(1)), 0,
	    MANDATE_ERR_WRONG_TYPE, "anonymous",
	    "anonymous must be true or false");
}

static void
test_casejson__anonymous_false__zero(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("anonymous", json_false());

	test_accepted(*state, o, 0, &in);
	assert_int_equal(in.anonymous, 0);
	json_decref(o);
}

/* An array of n strings "s0", "s1", ... */
static json_t *
test_subjects(size_t n)
{
	json_t *a = json_array();
	char buf[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "s%zu", i);
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static void
test_casejson__ten_subjects__accepted(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("subjects", test_subjects(10));

	test_accepted(*state, o, 0, &in);
	assert_non_null(in.subjects);
	assert_int_equal(json_array_size(in.subjects), 10);
	assert_string_equal(
	    json_string_value(json_array_get(in.subjects, 9)), "s9");
	json_decref(o);
}

static void
test_casejson__eleven_subjects__too_long(void **state)
{
	test_refused(*state, test_case_with("subjects", test_subjects(11)), 0,
	    MANDATE_ERR_TOO_LONG, "subjects",
	    "subjects has more than 10 entries");
}

static void
test_casejson__subjects_not_array__wrong_type(void **state)
{
	test_refused(*state, test_case_with("subjects", json_string("ACME")), 0,
	    MANDATE_ERR_WRONG_TYPE, "subjects",
	    "subjects must be an array of strings");
}

static void
test_casejson__subject_not_string__wrong_type_with_index(void **state)
{
	test_refused_text(*state,
	    "{\"title\": \"t\", \"narrative\": \"n\", \"subjects\": [\"a\", "
	    "\"b\", {\"name\": \"c\"}]}",
	    MANDATE_ERR_WRONG_TYPE, "subjects", "subjects[2] must be a string");
}

static void
test_casejson__subject_empty__refused_with_index(void **state)
{
	test_refused_text(*state,
	    "{\"title\": \"t\", \"narrative\": \"n\", \"subjects\": [\"a\", "
	    "\"\"]}",
	    MANDATE_ERR_EMPTY, "subjects", "subjects[1] must not be empty");
	test_refused_text(*state,
	    "{\"title\": \"t\", \"narrative\": \"n\", \"subjects\": [\"  \"]}",
	    MANDATE_ERR_EMPTY, "subjects", "subjects[0] must not be empty");
}

static void
test_casejson__subject_length__200_chars_max(void **state)
{
	struct case_input in;
	json_t *a = json_array(), *o;

	json_array_append_new(a, test_repeat("\xc3\xa9", 200));
	o = test_case_with("subjects", a);
	test_accepted(*state, o, 0, &in);
	json_decref(o);
	a = json_array();
	json_array_append_new(a, json_string("ok"));
	json_array_append_new(a, test_repeat("x", 201));
	test_refused(*state, test_case_with("subjects", a), 0,
	    MANDATE_ERR_TOO_LONG, "subjects",
	    "subjects[1] is longer than 200 characters");
}

static void
test_casejson__subject_control_char__refused(void **state)
{
	test_refused_text(*state,
	    "{\"title\": \"t\", \"narrative\": \"n\", \"subjects\": "
	    "[\"a\\nb\"]}",
	    MANDATE_ERR_BAD_FIELD, "subjects",
	    "subjects[0] contains control characters");
}

/* --- id (dry-run routing) --- */

static void
test_casejson__id_without_allow_id__unknown_field(void **state)
{
	test_refused(*state, test_case_with("id", json_string("c-1")), 0,
	    MANDATE_ERR_UNKNOWN_FIELD, "id", "id is not a field of a case");
}

static void
test_casejson__id_with_allow_id__echoed(void **state)
{
	struct case_input in;
	json_t *o = test_case_with("id", json_string("case 17"));

	test_accepted(*state, o, 1, &in);
	assert_string_equal(in.id, "case 17");
	json_decref(o);
	o = test_json("{\"title\": \"t\", \"narrative\": \"n\"}");
	test_accepted(*state, o, 1, &in);
	assert_null(in.id);
	json_decref(o);
}

static void
test_casejson__id_invalid__refused(void **state)
{
	test_refused(*state, test_case_with("id", json_integer(17)), 1,
	    MANDATE_ERR_WRONG_TYPE, "id", "id must be a string");
	test_refused(*state, test_case_with("id", json_string("")), 1,
	    MANDATE_ERR_EMPTY, "id", "id must not be empty");
	test_refused(*state, test_case_with("id", test_repeat("i", 129)), 1,
	    MANDATE_ERR_TOO_LONG, "id", "id is longer than 128 bytes");
}

/* --- metadata --- */

static void
test_casejson__metadata__every_field_in_order(void **state)
{
	struct db_case c;
	json_t *m;
	char *s;

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "K7QM-3XRD");
	snprintf(c.unit, sizeof c.unit, "inspector-general");
	snprintf(c.category, sizeof c.category, "fraud");
	snprintf(c.subject_office, sizeof c.subject_office, "ethics");
	snprintf(c.language, sizeof c.language, "fr");
	snprintf(c.status, sizeof c.status, "received");
	snprintf(c.rule, sizeof c.rule, "recusal");
	c.anonymous = 1;
	c.urgent = 1;
	c.recused = 1;
	c.received_at = 1700000000; /* Tue 14 Nov 2023 22:13:20 UTC */
	c.due_at = 1700604800;
	m = casejson_metadata(&c);
	assert_non_null(m);
	s = json_dump_compact(m);
	assert_string_equal(s,
	    "{\"id\":\"K7QM-3XRD\",\"unit\":\"inspector-general\","
	    "\"category\":\"fraud\",\"subject_office\":\"ethics\","
	    "\"language\":\"fr\",\"status\":\"received\",\"anonymous\":true,"
	    "\"received_at\":\"2023-11-14T22:13:20Z\","
	    "\"due_at\":\"2023-11-21T22:13:20Z\",\"rule\":\"recusal\","
	    "\"recused\":true,\"urgent\":true,\"assignee\":null,"
	    "\"paused\":false,\"overdue\":false,\"deadline\":{\"warned\":false,"
	    "\"overdue\":false,\"escalated_urgent\":false}}");
	free(s);
	json_decref(m);
}

static void
test_casejson__metadata_empty_optionals__null(void **state)
{
	struct db_case c;
	json_t *m;
	char *s;

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "ABCD-2345");
	snprintf(c.unit, sizeof c.unit, "ethics");
	snprintf(c.status, sizeof c.status, "received");
	snprintf(c.rule, sizeof c.rule, "default");
	c.received_at = 0;
	c.due_at = 86400;
	m = casejson_metadata(&c);
	assert_non_null(m);
	s = json_dump_compact(m);
	assert_string_equal(s,
	    "{\"id\":\"ABCD-2345\",\"unit\":\"ethics\",\"category\":null,"
	    "\"subject_office\":null,\"language\":null,"
	    "\"status\":\"received\",\"anonymous\":false,"
	    "\"received_at\":\"1970-01-01T00:00:00Z\","
	    "\"due_at\":\"1970-01-02T00:00:00Z\",\"rule\":\"default\","
	    "\"recused\":false,\"urgent\":false,\"assignee\":null,"
	    "\"paused\":false,\"overdue\":false,\"deadline\":{\"warned\":false,"
	    "\"overdue\":false,\"escalated_urgent\":false}}");
	free(s);
	json_decref(m);
}

#define T(name) cmocka_unit_test(name)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_casejson__minimal__title_and_narrative_only),
	    T(test_casejson__every_field__views_into_the_object),
	    T(test_casejson__optional_nulls__treated_as_absent),
	    T(test_casejson__each_category__accepted),
	    T(test_casejson__unknown_field__named),
	    T(test_casejson__unknown_field__reported_before_missing_ones),
	    T(test_casejson__missing_title__refused),
	    T(test_casejson__null_title__missing),
	    T(test_casejson__missing_narrative__refused),
	    T(test_casejson__title_not_string__wrong_type),
	    T(test_casejson__narrative_not_string__wrong_type),
	    T(test_casejson__empty_or_blank_title__refused),
	    T(test_casejson__blank_narrative__refused),
	    T(test_casejson__title_200_multibyte_chars__accepted),
	    T(test_casejson__title_201_chars__too_long),
	    T(test_casejson__narrative_65536_bytes__accepted),
	    T(test_casejson__narrative_65537_bytes__too_long),
	    T(test_casejson__narrative_limit_in_bytes__not_chars),
	    T(test_casejson__control_chars_in_title__refused),
	    T(test_casejson__nul_in_title__refused),
	    T(test_casejson__control_chars_in_narrative__refused_except_layout),
	    T(test_casejson__unknown_category__refused),
	    T(test_casejson__category_wrong_type_or_empty__refused),
	    T(test_casejson__subject_office_other__accepted),
	    T(test_casejson__subject_office_unknown_unit__refused),
	    T(test_casejson__subject_office__units_of_the_configuration),
	    T(test_casejson__language_bcp47_shapes__accepted),
	    T(test_casejson__language_bad_shape__refused),
	    T(test_casejson__language_36_bytes__too_long),
	    T(test_casejson__anonymous_not_boolean__wrong_type),
	    T(test_casejson__anonymous_false__zero),
	    T(test_casejson__ten_subjects__accepted),
	    T(test_casejson__eleven_subjects__too_long),
	    T(test_casejson__subjects_not_array__wrong_type),
	    T(test_casejson__subject_not_string__wrong_type_with_index),
	    T(test_casejson__subject_empty__refused_with_index),
	    T(test_casejson__subject_length__200_chars_max),
	    T(test_casejson__subject_control_char__refused),
	    T(test_casejson__id_without_allow_id__unknown_field),
	    T(test_casejson__id_with_allow_id__echoed),
	    T(test_casejson__id_invalid__refused),
	    T(test_casejson__metadata__every_field_in_order),
	    T(test_casejson__metadata_empty_optionals__null),
	};

	return cmocka_run_group_tests(tests, test_setup, test_teardown);
}
