/*
 * Unit tests for metrics.c and db-metrics.c: the text exposition of the
 * request counter and latency histogram (cumulative buckets, _sum and
 * _count, route templates), label and HELP escaping, the overflow series,
 * the zero-filled gauges, and the database's aggregates, which name no
 * case and no person.
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
#include "db-int.h"
#include "mandate/api.h"
#include "metrics.h"

/* The requests rendered alone, as a new string. */
static char *
test_requests_text(void)
{
	struct metrics_text t = {NULL, 0, 0};

	metrics_render_requests(&t);
	return t.buf;
}

/* Asserts that text holds line as a whole line; prints it. */
static void
test_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n') {
			printf("  found: %s\n", line);
			return;
		}
		p += n;
	}
	fail_msg("line not found: %s\nin:\n%s", line, text);
}

#define BUCKET "mandate_http_request_duration_seconds_bucket"
#define CASE_GET "method=\"GET\",route=\"/v1/cases/{id}\""

static void
test_metrics__histogram__cumulative_with_sum_and_count(void **state)
{
	static const struct {
		const char *le;
		int count;
	} want[] = {{"0.0005", 2}, {"0.001", 3}, {"0.0025", 4}, {"0.005", 4},
	    {"0.01", 4}, {"0.025", 4}, {"0.05", 4}, {"0.1", 4}, {"0.25", 4},
	    {"0.5", 4}, {"1", 4}, {"2.5", 4}, {"+Inf", 5}};
	char line[256], *text;

	metrics_reset();
	/* 500 µs is on the first bound: "le" counts it there. */
	metrics_request_done("GET", "/v1/cases/{id}", 200, 100);
	metrics_request_done("GET", "/v1/cases/{id}", 201, 500);
	metrics_request_done("GET", "/v1/cases/{id}", 200, 501);
	metrics_request_done("GET", "/v1/cases/{id}", 204, 2500);
	metrics_request_done("GET", "/v1/cases/{id}", 200, 3000000);
	metrics_request_done("GET", "/v1/cases/{id}", 404, 20000);
	text = test_requests_text();
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(line, sizeof line,
		    BUCKET "{" CASE_GET ",status=\"2xx\",le=\"%s\"} %d",
		    want[i].le, want[i].count);
		test_has_line(text, line);
	}
	test_has_line(text,
	    "mandate_http_request_duration_seconds_sum{" CASE_GET
	    ",status=\"2xx\"} 3.003601");
	test_has_line(text,
	    "mandate_http_request_duration_seconds_count{" CASE_GET
	    ",status=\"2xx\"} 5");
	/* The 404 is a histogram of its own class. */
	test_has_line(
	    text, BUCKET "{" CASE_GET ",status=\"4xx\",le=\"0.01\"} 0");
	test_has_line(
	    text, BUCKET "{" CASE_GET ",status=\"4xx\",le=\"0.025\"} 1");
	test_has_line(text,
	    "mandate_http_request_duration_seconds_sum{" CASE_GET
	    ",status=\"4xx\"} 0.020000");
	free(text);
}

static void
test_metrics__requests_total__by_exact_code(void **state)
{
	char *text;

	metrics_reset();
	metrics_request_done("POST", "/v1/cases", 201, 10);
	metrics_request_done("POST", "/v1/cases", 201, 10);
	metrics_request_done("POST", "/v1/cases", 422, 10);
	metrics_request_done("GET", "/v1/cases", 200, 10);
	text = test_requests_text();
	test_has_line(text, "mandate_http_requests_total{method=\"POST\",route="
	                    "\"/v1/cases\",code=\"201\"} 2");
	test_has_line(text, "mandate_http_requests_total{method=\"POST\",route="
	                    "\"/v1/cases\",code=\"422\"} 1");
	test_has_line(text, "mandate_http_requests_total{method=\"GET\",route="
	                    "\"/v1/cases\",code=\"200\"} 1");
	assert_true(
	    strstr(text, "# TYPE mandate_http_requests_total counter\n") <
	    strstr(text, "mandate_http_requests_total{"));
	assert_true(
	    strstr(text, "# HELP mandate_http_request_duration_seconds ") <
	    strstr(text, "# TYPE mandate_http_request_duration_seconds "
	                 "histogram\n"));
	assert_true(strstr(text, "# TYPE mandate_http_request_duration_seconds "
	                         "histogram\n") < strstr(text, BUCKET "{"));
	free(text);
}

static void
test_metrics__no_route__labelled_none(void **state)
{
	char *text;

	metrics_reset();
	metrics_request_done("GET", NULL, 401, 10);
	metrics_request_done(NULL, NULL, 999, -5);
	text = test_requests_text();
	test_has_line(text, "mandate_http_requests_total{method=\"GET\",route="
	                    "\"none\",code=\"401\"} 1");
	test_has_line(text,
	    "mandate_http_requests_total{method=\"other\",route="
	    "\"none\",code=\"0\"} 1");
	test_has_line(text, BUCKET "{method=\"other\",route=\"none\",status="
	                           "\"other\",le=\"0.0005\"} 1");
	free(text);
}

static void
test_metrics__label_value__escaped(void **state)
{
	struct metrics_text t = {NULL, 0, 0};
	const char *labels[] = {
	    "a", "back\\slash", "b", "say \"hi\"", "c", "two\nlines", NULL};

	metrics_text_sample(&t, "x", labels, 7);
	printf("  %s", t.buf);
	assert_string_equal(t.buf, "x{a=\"back\\\\slash\",b=\"say \\\"hi\\\"\","
	                           "c=\"two\\nlines\"} 7\n");
	metrics_text_free(&t);
	metrics_text_sample(&t, "y", NULL, -3);
	assert_string_equal(t.buf, "y -3\n");
	metrics_text_free(&t);
}

static void
test_metrics__help__escaped_but_quotes_kept(void **state)
{
	struct metrics_text t = {NULL, 0, 0};

	metrics_text_family(&t, "x", "gauge", "a \\ b \"c\"\nd");
	printf("%s", t.buf);
	assert_string_equal(
	    t.buf, "# HELP x a \\\\ b \"c\"\\nd\n# TYPE x gauge\n");
	metrics_text_free(&t);
}

static void
test_metrics__many_keys__overflow_series(void **state)
{
	char route[32], *text, *p;
	unsigned long long total = 0;
	const int n = 2000;

	metrics_reset();
	for (int i = 0; i < n; i++) {
		snprintf(route, sizeof route, "/r/%d", i);
		metrics_request_done("GET", route, 200, 1);
	}
	text = test_requests_text();
	for (p = text;
	     (p = strstr(p, "\nmandate_http_requests_total{")) != NULL; p++)
		total += strtoull(strchr(p, '}') + 2, NULL, 10);
	printf("  %d requests on %d routes: %llu counted\n", n, n, total);
	assert_int_equal(total, n);
	assert_non_null(strstr(text, "route=\"overflow\""));
	test_has_line(text, "mandate_http_requests_total{method=\"GET\",route="
	                    "\"/r/0\",code=\"200\"} 1");
	free(text);
	metrics_reset();
}

static void
test_metrics__render__zero_filled_and_unknown_units_kept(void **state)
{
	struct db_metrics_count cases[] = {{"ethics", "misconduct", 3},
	    {"ethics", "", 2}, {"gone-unit", "fraud", 4}};
	struct db_metrics_count open[] = {{"legal", "received", 5}};
	struct db_metrics_count overdue[] = {{"ombudsperson", "", 1}};
	struct db_metrics m = {
	    cases, 3, open, 1, overdue, 1, NULL, 0, 42, 7, 8192, 0};
	struct config *cfg;
	char *cause = NULL, *text;
	size_t len;

	cfg = config_load(NULL, &cause);
	assert_non_null(cfg);
	metrics_reset();
	text = metrics_render(cfg, &m, &len);
	assert_int_equal(len, strlen(text));
	test_has_line(
	    text, "mandate_cases{unit=\"ethics\",category=\"misconduct\"} 3");
	test_has_line(
	    text, "mandate_cases{unit=\"ethics\",category=\"none\"} 2");
	test_has_line(
	    text, "mandate_cases{unit=\"legal\",category=\"fraud\"} 0");
	test_has_line(
	    text, "mandate_cases{unit=\"gone-unit\",category=\"fraud\"} 4");
	test_has_line(
	    text, "mandate_cases_open{unit=\"legal\",status=\"received\"} 5");
	test_has_line(
	    text, "mandate_cases_open{unit=\"ethics\",status=\"received\"} 0");
	assert_null(strstr(text, "status=\"closed\""));
	test_has_line(text, "mandate_cases_overdue{unit=\"ombudsperson\"} 1");
	test_has_line(text, "mandate_cases_overdue{unit=\"ethics\"} 0");
	test_has_line(text, "mandate_officers{unit=\"inspector-general\"} 0");
	test_has_line(text, "mandate_audit_entries 42");
	test_has_line(text, "mandate_audit_last_signed_seq 7");
	test_has_line(text, "mandate_database_size_bytes 8192");
	test_has_line(text, "mandate_database_wal_size_bytes 0");
	test_has_line(text,
	    "mandate_build_info{version=\"" MANDATE_VERSION "\",api=\"1\"} 1");
	assert_true(metrics_start_time() > 1600000000);
	free(text);
	config_free(cfg);
}

/* Inserts case id of unit and category, due at due. */
static void
test_case(struct db *db, const char *id, const char *unit, const char *category,
    int64_t due)
{
	struct db_submitter sub;
	struct db_case c;
	char *cause = NULL;

	memset(&c, 0, sizeof c);
	memset(&sub, 0, sizeof sub);
	crypt_hash(sub.lookup, id, strlen(id));
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.unit, sizeof c.unit, "%s", unit);
	snprintf(c.category, sizeof c.category, "%s", category);
	snprintf(c.status, sizeof c.status, "received");
	snprintf(c.rule, sizeof c.rule, "default");
	c.received_at = 1000;
	c.due_at = due;
	assert_int_equal(db_case_insert(db, &c, (const unsigned char *)"box", 3,
	                     &sub, &cause),
	    1);
}

static const struct db_metrics_count *
test_count(const struct db_metrics_count *rows, size_t n, const char *unit,
    const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].unit, unit) == 0 &&
		    strcmp(rows[i].key, key) == 0)
			return &rows[i];
	return NULL;
}

static void
test_metrics__db__aggregates_name_no_case_or_person(void **state)
{
	unsigned char pk[CRYPT_PK_LEN];
	struct db_officer o;
	struct db_metrics m;
	struct config *cfg;
	struct db *db;
	char *cause = NULL, *text;
	size_t len;

	db = db_open(":memory:", 0, &cause);
	assert_non_null(db);
	memset(pk, 7, sizeof pk);
	assert_int_equal(
	    db_officer_insert(db, "alice", "ethics", pk, 1000, &o, &cause), 1);
	test_case(db, "K7QM-3XRD", "ethics", "misconduct", 5000);
	test_case(db, "A2B3-C4D5", "ethics", "misconduct", 9000);
	test_case(db, "E6F7-G8H9", "ethics", "", 9000);
	test_case(db, "J2K3-M4N5", "inspector-general", "fraud", 9000);
	test_case(db, "P6Q7-R8S9", "inspector-general", "fraud", 9000);
	/* One closed and purged: neither stored nor open. */
	assert_int_equal(
	    sqlite3_exec(db->sqlite,
	        "UPDATE cases SET status = 'closed', purged_at = 1 "
	        "WHERE id = 'P6Q7-R8S9'",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(db_metrics_read(db, 6000, &m, &cause), 0);
	printf("  %zu case rows, %zu open rows, %zu overdue rows, db %lld "
	       "bytes\n",
	    m.ncases, m.nopen, m.noverdue, (long long)m.db_bytes);
	assert_int_equal(
	    test_count(m.cases, m.ncases, "ethics", "misconduct")->count, 2);
	assert_int_equal(test_count(m.cases, m.ncases, "ethics", "")->count, 1);
	assert_int_equal(
	    test_count(m.cases, m.ncases, "inspector-general", "fraud")->count,
	    1);
	assert_int_equal(
	    test_count(m.open, m.nopen, "ethics", "received")->count, 3);
	assert_int_equal(
	    test_count(m.open, m.nopen, "inspector-general", "received")->count,
	    1);
	/* Due at 5000, now 6000: one overdue, in ethics only. */
	assert_int_equal(m.noverdue, 1);
	assert_int_equal(test_count(m.overdue, 1, "ethics", "")->count, 1);
	assert_int_equal(
	    test_count(m.officers, m.nofficers, "ethics", "")->count, 1);
	assert_true(m.db_bytes > 0);
	assert_int_equal(m.wal_bytes, 0);
	cfg = config_load(NULL, &cause);
	assert_non_null(cfg);
	text = metrics_render(cfg, &m, &len);
	assert_null(strstr(text, "alice"));
	assert_null(strstr(text, "K7QM"));
	assert_null(strstr(text, "3XRD"));
	free(text);
	config_free(cfg);
	db_metrics_clear(&m);
	assert_null(m.cases);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
	        test_metrics__histogram__cumulative_with_sum_and_count),
	    cmocka_unit_test(test_metrics__requests_total__by_exact_code),
	    cmocka_unit_test(test_metrics__no_route__labelled_none),
	    cmocka_unit_test(test_metrics__label_value__escaped),
	    cmocka_unit_test(test_metrics__help__escaped_but_quotes_kept),
	    cmocka_unit_test(test_metrics__many_keys__overflow_series),
	    cmocka_unit_test(
	        test_metrics__render__zero_filled_and_unknown_units_kept),
	    cmocka_unit_test(
	        test_metrics__db__aggregates_name_no_case_or_person),
	};

	if (crypt_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
