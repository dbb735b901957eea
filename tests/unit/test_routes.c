/*
 * Unit tests for routes.c and the endpoints it dispatches to that need no
 * rules: requests are built by hand (no libevent) against a server with
 * the embedded default configuration and an in-memory database.  Every
 * reply is compared whole, as its compact JSON encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"

#define TEST_NOW 1700000000 /* 2023-11-14T22:13:20Z */

/* bytes 0..31 in base64, and its fingerprint (BLAKE2b-256, first 16). */
#define TEST_PK_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define TEST_PK_FP "cb:2f:51:60:fc:1f:7e:05:a5:5e:f4:9d:34:0b:48:da"
/* 32 bytes of 0xff. */
#define TEST_PK2_B64 "//////////////////////////////////////////8="
#define TEST_PK2_FP "e2:02:11:60:50:0f:01:19:0b:8b:9f:36:f9:d0:d1:da"

#define ROLES_STAFF ROLE_STAFF
#define ROLES_ADMIN (ROLE_STAFF | ROLE_ADMIN)
#define ROLES_AUDITOR (ROLE_STAFF | ROLE_AUDITOR)

struct test_ctx {
	struct server srv;
	struct request req;
	struct response res;
	char *dump; /* the last reply, encoded */
};

static int
test_group_setup(void **state)
{
	log_init("test_routes", LOG_LEVEL_ERR);
	return crypt_init();
}

static int
test_setup(void **state)
{
	struct test_ctx *t = calloc(1, sizeof *t);
	char *cause = NULL;

	if (t == NULL)
		return -1;
	t->srv.cfg = config_load(NULL, &cause);
	t->srv.db = db_open(":memory:", 0, &cause);
	if (t->srv.cfg == NULL || t->srv.db == NULL) {
		fprintf(stderr, "setup: %s\n", cause);
		return -1;
	}
	*state = t;
	return 0;
}

static int
test_teardown(void **state)
{
	struct test_ctx *t = *state;

	json_decref(t->req.json);
	json_decref(t->res.body);
	for (size_t i = 0; i < t->req.query.n; i++) {
		free(t->req.query.key[i]);
		free(t->req.query.value[i]);
	}
	free(t->dump);
	db_close(t->srv.db);
	config_free(t->srv.cfg);
	free(t);
	return 0;
}

/* Starts a new request, releasing what the previous one left. */
static struct request *
test_request(struct test_ctx *t, enum http_method method, const char *path,
    unsigned roles)
{
	struct request *req = &t->req;

	json_decref(req->json);
	for (size_t i = 0; i < req->query.n; i++) {
		free(req->query.key[i]);
		free(req->query.value[i]);
	}
	memset(req, 0, sizeof *req);
	req->id = 1;
	req->method = method;
	req->path = path;
	req->srv = &t->srv;
	req->now = TEST_NOW;
	snprintf(req->who.user, sizeof req->who.user, "alice");
	req->who.uid = 1000;
	req->who.roles = roles;
	return req;
}

static void
test_query(struct request *req, const char *key, const char *value)
{
	assert_true(req->query.n < QUERY_MAX);
	req->query.key[req->query.n] = strdup(key);
	req->query.value[req->query.n] = strdup(value);
	req->query.n++;
}

static void
test_body(
    struct request *req, const char *content_type, const char *body, size_t len)
{
	req->content_type = content_type;
	req->body = (const unsigned char *)body;
	req->body_len = len;
}

static void
test_json_body(struct request *req, const char *body)
{
	test_body(req, "application/json", body, strlen(body));
}

/* Dispatches the request; returns the reply's compact encoding. */
static const char *
test_dispatch(struct test_ctx *t)
{
	json_decref(t->res.body);
	t->res.body = NULL;
	free(t->dump);
	assert_int_equal(routes_dispatch(&t->req, &t->res), 0);
	assert_non_null(t->res.body);
	t->dump = json_dump_compact(t->res.body);
	return t->dump;
}

/* Dispatches; the reply must be status with exactly body. */
static void
test_reply(struct test_ctx *t, int status, const char *body)
{
	const char *got = test_dispatch(t);

	assert_string_equal(got, body);
	assert_int_equal(t->res.status, status);
}

/* Enrols an officer through the endpoint, which must succeed. */
static void
test_enrol(
    struct test_ctx *t, const char *unit, const char *user, const char *pk)
{
	char body[256];

	snprintf(body, sizeof body,
	    "{\"unit\":\"%s\",\"user\":\"%s\",\"public_key\":\"%s\"}", unit,
	    user, pk);
	test_json_body(
	    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN), body);
	test_dispatch(t);
	assert_int_equal(t->res.status, 201);
}

#define ERR(code, msg) \
	"{\"error\":{\"code\":\"" code "\",\"message\":\"" msg "\"}}"
#define ERRF(code, field, msg)                                 \
	"{\"error\":{\"code\":\"" code "\",\"field\":\"" field \
	"\",\"message\":\"" msg "\"}}"

#define NOT_FOUND ERR("not_found", "no such resource")
#define METHOD_NOT_ALLOWED                                             \
	ERR("method_not_allowed", "the method is not allowed on this " \
	                          "resource")
#define FORBIDDEN ERR("forbidden", "your role may not do this")

/* --- matching the table --- */

static void
test_routes__unknown_path__404_not_found(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_GET, "/v1/nothing", ROLES_ADMIN);
	test_reply(t, 404, NOT_FOUND);
	test_request(t, HTTP_GET, "/v1/health/", ROLES_ADMIN);
	test_reply(t, 404, NOT_FOUND);
	test_request(t, HTTP_GET, "/v2/health", ROLES_ADMIN);
	test_reply(t, 404, NOT_FOUND);
	test_request(t, HTTP_GET, "", ROLES_ADMIN);
	test_reply(t, 404, NOT_FOUND);
}

static void
test_routes__known_path_wrong_method__405(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_DELETE, "/v1/health", ROLES_ADMIN);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	test_request(t, HTTP_PUT, "/v1/officers", ROLES_ADMIN);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	test_request(t, HTTP_GET, "/v1/route", ROLES_ADMIN);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	test_request(t, HTTP_OTHER, "/v1/units", ROLES_ADMIN);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
}

static void
test_routes__wrong_method__405_before_role_check(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_PUT, "/v1/officers", ROLES_STAFF);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
}

static void
test_routes__id_template__matches_one_segment(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_DELETE, "/v1/cases/ABCD-2345", ROLES_STAFF);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	assert_string_equal(t->req.param, "ABCD-2345");
	test_request(
	    t, HTTP_DELETE, "/v1/cases/K7QM-3XRD/content", ROLES_STAFF);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	assert_string_equal(t->req.param, "K7QM-3XRD");
}

static void
test_routes__id_template__reaches_handler_with_param(void **state)
{
	struct test_ctx *t = *state;

	/* Staff see no case by id: the handler answers, with the param. */
	test_request(t, HTTP_GET, "/v1/cases/ABCD-2345", ROLES_STAFF);
	test_reply(t, 404, ERR("bad_case_id", "no such case"));
	assert_string_equal(t->req.param, "ABCD-2345");
}

static void
test_routes__id_template__no_slash_inside(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_GET, "/v1/cases/ABCD/2345", ROLES_STAFF);
	test_reply(t, 404, NOT_FOUND);
	test_request(
	    t, HTTP_GET, "/v1/cases/A/B/content", ROLES_STAFF | ROLE_OFFICER);
	test_reply(t, 404, NOT_FOUND);
	test_request(t, HTTP_GET, "/v1/cases/ABCD-2345/contents", ROLES_STAFF);
	test_reply(t, 404, NOT_FOUND);
}

static void
test_routes__id_template__empty_segment_not_matched(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_GET, "/v1/cases/", ROLES_STAFF);
	test_reply(t, 404, NOT_FOUND);
	test_request(t, HTTP_GET, "/v1/cases//content", ROLES_STAFF);
	test_reply(t, 404, NOT_FOUND);
}

static void
test_routes__id_template__63_bytes_max(void **state)
{
	struct test_ctx *t = *state;
	char path[128], id[65];

	memset(id, 'A', 64);
	id[64] = '\0';
	snprintf(path, sizeof path, "/v1/cases/%s", id);
	test_request(t, HTTP_DELETE, path, ROLES_STAFF);
	test_reply(t, 404, NOT_FOUND);
	id[63] = '\0';
	snprintf(path, sizeof path, "/v1/cases/%s", id);
	test_request(t, HTTP_DELETE, path, ROLES_STAFF);
	test_reply(t, 405, METHOD_NOT_ALLOWED);
	assert_string_equal(t->req.param, id);
}

/* --- roles --- */

static void
test_routes__staff_on_officers__403_forbidden(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_GET, "/v1/officers", ROLES_STAFF);
	test_reply(t, 403, FORBIDDEN);
	test_request(t, HTTP_GET, "/v1/officers", ROLES_AUDITOR);
	test_reply(t, 403, FORBIDDEN);
	test_request(t, HTTP_GET, "/v1/queue", ROLES_STAFF);
	test_reply(t, 403, FORBIDDEN);
	test_request(t, HTTP_GET, "/v1/cases/ABCD-2345/content", ROLES_ADMIN);
	test_reply(t, 403, FORBIDDEN);
}

static void
test_routes__forbidden__before_any_body_check(void **state)
{
	struct test_ctx *t = *state;

	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_STAFF),
	    "text/plain", "\xff\xfe", 2);
	test_reply(t, 403, FORBIDDEN);
	assert_null(t->req.json);
}

/* --- bodies --- */

static void
test_routes__body_on_get__400(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(
	    test_request(t, HTTP_GET, "/v1/health", ROLES_STAFF), "{}");
	test_reply(t, 400, ERR("bad_json", "this request takes no body"));
}

static void
test_routes__body_too_large__413(void **state)
{
	struct test_ctx *t = *state;
	char *body = malloc(4097);

	assert_non_null(body);
	memset(body, ' ', 4097);
	memcpy(body, "{}", 2);
	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "application/json", body, 4097);
	test_reply(
	    t, 413, ERR("body_too_large", "the request body is too large"));
	/* At the limit, the handler runs. */
	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "application/json", body, 4096);
	test_reply(t, 422,
	    ERRF("missing_field", "unit", "a required field is missing"));
	free(body);
}

static void
test_routes__wrong_content_type__415(void **state)
{
	static const char *const types[] = {"text/plain", "application/jsonp",
	    "application/x-www-form-urlencoded", "json", ""};
	struct test_ctx *t = *state;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		test_body(
		    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
		    types[i], "{}", 2);
		test_reply(t, 415,
		    ERR("bad_content_type",
		        "the request body must be application/json"));
	}
	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN), NULL,
	    "{}", 2);
	test_reply(t, 415,
	    ERR("bad_content_type",
	        "the request body must be application/json"));
}

static void
test_routes__json_content_type_with_parameters__accepted(void **state)
{
	static const char *const types[] = {"application/json",
	    "Application/JSON", "application/json; charset=utf-8",
	    "application/json;charset=UTF-8"};
	struct test_ctx *t = *state;

	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		test_body(
		    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
		    types[i], "{}", 2);
		test_reply(t, 422,
		    ERRF("missing_field", "unit",
		        "a required field is missing"));
	}
}

static void
test_routes__invalid_utf8__400_bad_utf8(void **state)
{
	struct test_ctx *t = *state;
	static const char *const bodies[] = {
	    "{\"unit\":\"\xff\"}",         /* not UTF-8 at all */
	    "{\"unit\":\"\xc0\xaf\"}",     /* overlong '/' */
	    "{\"unit\":\"\xed\xa0\x80\"}", /* surrogate */
	    "{\"unit\":\"\xe2\x82\"}",     /* truncated */
	};

	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		test_json_body(
		    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
		    bodies[i]);
		test_reply(t, 400,
		    ERR("bad_utf8", "the request body is not valid UTF-8"));
	}
}

static void
test_routes__nul_byte_in_body__400_bad_utf8(void **state)
{
	struct test_ctx *t = *state;

	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "application/json", "{\"a\":1}\0", 8);
	test_reply(
	    t, 400, ERR("bad_utf8", "the request body is not valid UTF-8"));
}

static void
test_routes__not_an_object__400_bad_json(void **state)
{
	static const char *const bodies[] = {"[1]", "\"x\"", "null", "3"};
	struct test_ctx *t = *state;

	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		test_json_body(
		    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
		    bodies[i]);
		test_reply(t, 400,
		    ERR("bad_json", "the request body must be a JSON object"));
	}
}

static void
test_routes__malformed_json__400_with_position(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\": \"ethics\",\n \"user\" \"bob\"}");
	test_reply(t, 400,
	    ERR("bad_json", "the request body is not valid JSON: line 2, "
	                    "column 13: ':' expected"));
	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"a\",\"unit\":\"b\"}");
	test_reply(t, 400,
	    ERR("bad_json", "the request body is not valid JSON: line 1, "
	                    "column 18: duplicate object key"));
}

static void
test_routes__empty_body_on_post__400_bad_json(void **state)
{
	struct test_ctx *t = *state;

	test_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "application/json", "", 0);
	test_reply(t, 400,
	    ERR("bad_json", "the request body is not valid JSON: line 1, "
	                    "column 0: unexpected token near end of file"));
}

/* --- query helpers --- */

static void
test_routes__query_get__value_or_null(void **state)
{
	struct test_ctx *t = *state;
	struct request *req = test_request(t, HTTP_GET, "/v1/queue", 0);

	test_query(req, "unit", "ethics");
	test_query(req, "limit", "");
	assert_string_equal(query_get(&req->query, "unit"), "ethics");
	assert_string_equal(query_get(&req->query, "limit"), "");
	assert_null(query_get(&req->query, "after"));
	assert_null(query_get(&req->query, "Unit"));
}

static void
test_routes__query_only__names_the_unknown_key(void **state)
{
	static const char *const allowed[] = {"unit", "limit", NULL};
	struct test_ctx *t = *state;
	struct request *req = test_request(t, HTTP_GET, "/v1/queue", 0);

	test_query(req, "unit", "ethics");
	test_query(req, "limit", "5");
	assert_int_equal(query_only(req, &t->res, allowed), 0);
	assert_null(t->res.body);
	test_query(req, "after", "x");
	assert_int_equal(query_only(req, &t->res, allowed), -1);
	assert_int_equal(t->res.status, 400);
	t->dump = json_dump_compact(t->res.body);
	assert_string_equal(
	    t->dump, ERRF("bad_query", "after", "unknown query parameter"));
}

static void
test_routes__unknown_query_key__400_bad_query(void **state)
{
	struct test_ctx *t = *state;
	struct request *req =
	    test_request(t, HTTP_GET, "/v1/officers", ROLES_ADMIN);

	test_query(req, "unit", "ethics");
	test_query(req, "units", "legal");
	test_reply(
	    t, 400, ERRF("bad_query", "units", "unknown query parameter"));
}

/* --- helpers of routes.h --- */

static void
test_routes__reply_error__replaces_previous_reply(void **state)
{
	struct test_ctx *t = *state;

	reply_json(&t->res, 200, json_pack("{s:i}", "n", 1));
	reply_error(&t->res, MANDATE_ERR_CONFLICT, NULL, NULL);
	assert_int_equal(t->res.status, 409);
	t->dump = json_dump_compact(t->res.body);
	assert_string_equal(t->dump,
	    ERR("conflict", "the request conflicts with the current state"));
}

static void
test_routes__format_time__utc_iso8601(void **state)
{
	char out[32];

	format_time(out, sizeof out, TEST_NOW);
	assert_string_equal(out, "2023-11-14T22:13:20Z");
	format_time(out, sizeof out, 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
}

static void
test_routes__identity_officer__row_of_that_unit(void **state)
{
	struct db_officer rows[2];
	struct identity who;

	memset(rows, 0, sizeof rows);
	memset(&who, 0, sizeof who);
	rows[0].id = 7;
	snprintf(rows[0].unit, sizeof rows[0].unit, "ethics");
	rows[1].id = 9;
	snprintf(rows[1].unit, sizeof rows[1].unit, "legal");
	who.officers = rows;
	who.nofficers = 2;
	assert_ptr_equal(identity_officer(&who, "legal"), &rows[1]);
	assert_ptr_equal(identity_officer(&who, "ethics"), &rows[0]);
	assert_null(identity_officer(&who, "ombudsperson"));
	who.nofficers = 0;
	assert_null(identity_officer(&who, "ethics"));
}

/* --- GET /v1/health, GET /v1/units --- */

static void
test_routes__health__who_and_role(void **state)
{
	struct test_ctx *t = *state;

	test_request(t, HTTP_GET, "/v1/health", ROLES_STAFF);
	test_reply(t, 200,
	    "{\"status\":\"ok\",\"version\":\"0.1.0\",\"api\":1,"
	    "\"user\":\"alice\",\"role\":\"staff\",\"units\":4}");
	test_request(t, HTTP_GET, "/v1/health", ROLES_ADMIN | ROLE_AUDITOR);
	test_reply(t, 200,
	    "{\"status\":\"ok\",\"version\":\"0.1.0\",\"api\":1,"
	    "\"user\":\"alice\",\"role\":\"administrator\",\"units\":4}");
}

static void
test_routes__units_for_staff__ids_and_names_only(void **state)
{
	struct test_ctx *t = *state;

	test_enrol(t, "ethics", "bob", TEST_PK_B64);
	test_request(t, HTTP_GET, "/v1/units", ROLES_STAFF);
	test_reply(t, 200,
	    "{\"units\":[{\"id\":\"ethics\",\"name\":\"Ethics Office\"},"
	    "{\"id\":\"ombudsperson\",\"name\":\"Ombudsperson\"},"
	    "{\"id\":\"inspector-general\",\"name\":\"Office of the "
	    "Inspector General\"},"
	    "{\"id\":\"legal\",\"name\":\"Office of Legal Affairs\"}]}");
	test_request(t, HTTP_GET, "/v1/units", ROLES_AUDITOR | ROLE_OFFICER);
	test_reply(t, 200,
	    "{\"units\":[{\"id\":\"ethics\",\"name\":\"Ethics Office\"},"
	    "{\"id\":\"ombudsperson\",\"name\":\"Ombudsperson\"},"
	    "{\"id\":\"inspector-general\",\"name\":\"Office of the "
	    "Inspector General\"},"
	    "{\"id\":\"legal\",\"name\":\"Office of Legal Affairs\"}]}");
}

static void
test_routes__units_for_admin__with_officer_counts(void **state)
{
	struct test_ctx *t = *state;

	test_enrol(t, "ethics", "bob", TEST_PK_B64);
	test_enrol(t, "ethics", "carol", TEST_PK2_B64);
	test_enrol(t, "legal", "bob", TEST_PK_B64);
	test_request(t, HTTP_GET, "/v1/units", ROLES_ADMIN);
	test_reply(t, 200,
	    "{\"units\":[{\"id\":\"ethics\",\"name\":\"Ethics Office\","
	    "\"officers\":2},"
	    "{\"id\":\"ombudsperson\",\"name\":\"Ombudsperson\",\"officers\":0}"
	    ","
	    "{\"id\":\"inspector-general\",\"name\":\"Office of the "
	    "Inspector General\",\"officers\":0},"
	    "{\"id\":\"legal\",\"name\":\"Office of Legal Affairs\","
	    "\"officers\":1}]}");
}

/* --- POST /v1/officers, GET /v1/officers --- */

static void
test_routes__officers_post__201_and_stored(void **state)
{
	struct test_ctx *t = *state;
	struct db_officer *rows = NULL;
	char *cause = NULL;
	unsigned char pk[CRYPT_PK_LEN];

	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":\"bob.smith\","
	    "\"public_key\":\"" TEST_PK_B64 "\"}");
	test_reply(t, 201,
	    "{\"user\":\"bob.smith\",\"unit\":\"ethics\",\"fingerprint\":"
	    "\"" TEST_PK_FP "\",\"enrolled_at\":\"2023-11-14T22:13:20Z\"}");
	assert_int_equal(db_officer_list(t->srv.db, NULL, &rows, &cause), 1);
	for (size_t i = 0; i < sizeof pk; i++)
		pk[i] = (unsigned char)i;
	assert_string_equal(rows[0].user, "bob.smith");
	assert_string_equal(rows[0].unit, "ethics");
	assert_memory_equal(rows[0].public_key, pk, sizeof pk);
	assert_int_equal(rows[0].enrolled_at, TEST_NOW);
	free(rows);
}

static void
test_routes__officers_post_duplicate__409_conflict(void **state)
{
	struct test_ctx *t = *state;

	test_enrol(t, "ethics", "bob", TEST_PK_B64);
	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":\"bob\","
	    "\"public_key\":\"" TEST_PK2_B64 "\"}");
	test_reply(t, 409,
	    ERRF("conflict", "user",
	        "this user is already an officer of this unit"));
	assert_int_equal(db_officer_count(t->srv.db, "ethics"), 1);
}

static void
test_routes__officers_post_bad_key__422_bad_field(void **state)
{
	static const char *const keys[] = {
	    "not base64!",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", /* 31 bytes */
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 33 bytes */
	    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",  /* unpadded */
	    "",
	};
	struct test_ctx *t = *state;
	char body[256];

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(body, sizeof body,
		    "{\"unit\":\"ethics\",\"user\":\"bob\",\"public_key\":\"%"
		    "s\"}",
		    keys[i]);
		test_json_body(
		    test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
		    body);
		test_reply(t, 422,
		    ERRF("bad_field", "public_key",
		        "public_key must be a base64 X25519 public key (32 "
		        "bytes)"));
	}
	assert_int_equal(db_officer_count(t->srv.db, "ethics"), 0);
}

static void
test_routes__officers_post_unknown_unit__422_unknown_unit(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"finance\",\"user\":\"bob\","
	    "\"public_key\":\"" TEST_PK_B64 "\"}");
	test_reply(t, 422, ERRF("unknown_unit", "unit", "unknown unit"));
	assert_int_equal(db_officer_count(t->srv.db, "finance"), 0);
}

static void
test_routes__officers_post_bad_user__422_bad_field(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":\"-bob\","
	    "\"public_key\":\"" TEST_PK_B64 "\"}");
	test_reply(t, 422,
	    ERRF("bad_field", "user",
	        "user must be a login name: letters, digits, '.', '_', '-', "
	        "at most 64"));
}

static void
test_routes__officers_post_field_errors__named(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":\"bob\",\"role\":\"x\","
	    "\"public_key\":\"" TEST_PK_B64 "\"}");
	test_reply(
	    t, 422, ERRF("unknown_field", "role", "not a field of an officer"));
	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":\"bob\"}");
	test_reply(t, 422,
	    ERRF("missing_field", "public_key", "a required field is missing"));
	test_json_body(test_request(t, HTTP_POST, "/v1/officers", ROLES_ADMIN),
	    "{\"unit\":\"ethics\",\"user\":7,\"public_key\":\"x\"}");
	test_reply(t, 422, ERRF("wrong_type", "user", "must be a string"));
}

static void
test_routes__officers_get__list_and_unit_filter(void **state)
{
	struct test_ctx *t = *state;

	test_enrol(t, "legal", "carol", TEST_PK2_B64);
	test_enrol(t, "ethics", "bob", TEST_PK_B64);
	test_request(t, HTTP_GET, "/v1/officers", ROLES_ADMIN);
	test_reply(t, 200,
	    "{\"officers\":[{\"user\":\"carol\",\"unit\":\"legal\","
	    "\"fingerprint\":\"" TEST_PK2_FP "\","
	    "\"enrolled_at\":\"2023-11-14T22:13:20Z\"},"
	    "{\"user\":\"bob\",\"unit\":\"ethics\","
	    "\"fingerprint\":\"" TEST_PK_FP "\","
	    "\"enrolled_at\":\"2023-11-14T22:13:20Z\"}]}");
	test_query(test_request(t, HTTP_GET, "/v1/officers", ROLES_ADMIN),
	    "unit", "ethics");
	test_reply(t, 200,
	    "{\"officers\":[{\"user\":\"bob\",\"unit\":\"ethics\","
	    "\"fingerprint\":\"" TEST_PK_FP "\","
	    "\"enrolled_at\":\"2023-11-14T22:13:20Z\"}]}");
	test_query(test_request(t, HTTP_GET, "/v1/officers", ROLES_ADMIN),
	    "unit", "ombudsperson");
	test_reply(t, 200, "{\"officers\":[]}");
}

static void
test_routes__officers_get_unknown_unit__422(void **state)
{
	struct test_ctx *t = *state;

	test_query(test_request(t, HTTP_GET, "/v1/officers", ROLES_ADMIN),
	    "unit", "finance");
	test_reply(t, 422, ERRF("unknown_unit", "unit", "unknown unit"));
}

/* --- case bodies are validated before intake or routing --- */

static void
test_routes__cases_post_invalid_case__422_before_intake(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/cases", ROLES_STAFF),
	    "{\"title\":\"t\",\"narrative\":\"n\",\"colour\":\"red\"}");
	test_reply(t, 422,
	    ERRF("unknown_field", "colour", "colour is not a field of a case"));
}

static void
test_routes__route_post_invalid_case__422_before_routing(void **state)
{
	struct test_ctx *t = *state;

	test_json_body(test_request(t, HTTP_POST, "/v1/route", ROLES_STAFF),
	    "{\"id\":\"c1\",\"title\":\"t\"}");
	test_reply(t, 422,
	    ERRF("missing_field", "narrative", "narrative is required"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, test_setup, test_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_routes__unknown_path__404_not_found),
	    T(test_routes__known_path_wrong_method__405),
	    T(test_routes__wrong_method__405_before_role_check),
	    T(test_routes__id_template__matches_one_segment),
	    T(test_routes__id_template__reaches_handler_with_param),
	    T(test_routes__id_template__no_slash_inside),
	    T(test_routes__id_template__empty_segment_not_matched),
	    T(test_routes__id_template__63_bytes_max),
	    T(test_routes__staff_on_officers__403_forbidden),
	    T(test_routes__forbidden__before_any_body_check),
	    T(test_routes__body_on_get__400),
	    T(test_routes__body_too_large__413),
	    T(test_routes__wrong_content_type__415),
	    T(test_routes__json_content_type_with_parameters__accepted),
	    T(test_routes__invalid_utf8__400_bad_utf8),
	    T(test_routes__nul_byte_in_body__400_bad_utf8),
	    T(test_routes__not_an_object__400_bad_json),
	    T(test_routes__malformed_json__400_with_position),
	    T(test_routes__empty_body_on_post__400_bad_json),
	    T(test_routes__query_get__value_or_null),
	    T(test_routes__query_only__names_the_unknown_key),
	    T(test_routes__unknown_query_key__400_bad_query),
	    T(test_routes__reply_error__replaces_previous_reply),
	    T(test_routes__format_time__utc_iso8601),
	    T(test_routes__identity_officer__row_of_that_unit),
	    T(test_routes__health__who_and_role),
	    T(test_routes__units_for_staff__ids_and_names_only),
	    T(test_routes__units_for_admin__with_officer_counts),
	    T(test_routes__officers_post__201_and_stored),
	    T(test_routes__officers_post_duplicate__409_conflict),
	    T(test_routes__officers_post_bad_key__422_bad_field),
	    T(test_routes__officers_post_unknown_unit__422_unknown_unit),
	    T(test_routes__officers_post_bad_user__422_bad_field),
	    T(test_routes__officers_post_field_errors__named),
	    T(test_routes__officers_get__list_and_unit_filter),
	    T(test_routes__officers_get_unknown_unit__422),
	    T(test_routes__cases_post_invalid_case__422_before_intake),
	    T(test_routes__route_post_invalid_case__422_before_routing),
	};

	return cmocka_run_group_tests(tests, test_group_setup, NULL);
}
