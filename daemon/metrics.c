/*
 * Metrics in the Prometheus text exposition format, version 0.0.4.
 *
 * Requests are counted in memory, in an open-addressing hash table keyed
 * by method, route template and status: recording one is a hash, a probe
 * and a few additions, whatever the traffic.  The keys come from closed
 * sets (five method names, the route table, the status codes the daemon
 * sends), so the table cannot grow without bound; should it fill anyway,
 * new keys are counted together under route "overflow".  The counts start
 * from zero at each start, as Prometheus expects of counters.
 *
 * The rest is rendered from the database's aggregates (db-metrics.c) at
 * each scrape, zero-filled over the configured units, the categories and
 * each unit's lifecycle states, so that a series never vanishes for
 * having nothing to count.
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"

#define METRICS_SLOTS 1024 /* a power of two */
#define METRICS_SLOTS_MAX (METRICS_SLOTS * 3 / 4)
#define METRICS_NO_ROUTE "none"
#define METRICS_OVERFLOW "overflow"

struct metrics_series {
	int used;
	char method[8];
	char route[96];
	int code; /* 100..599, or 0 for anything else */
	uint64_t count;
	uint64_t sum_usec;
	uint64_t bucket[METRICS_NBOUNDS + 1]; /* not cumulative; last: +Inf */
};

static const int64_t metrics_bounds[METRICS_NBOUNDS] = METRICS_BOUNDS;
static struct metrics_series metrics_series[METRICS_SLOTS];
static size_t metrics_nseries;
static int64_t metrics_started;

/* The process starts before main(): its start time is taken then. */
__attribute__((constructor)) static void
metrics_note_start(void)
{
	metrics_started = (int64_t)time(NULL);
}

int64_t
metrics_start_time(void)
{
	return metrics_started;
}

static uint32_t
metrics_hash(const char *method, const char *route, int code)
{
	uint32_t h = 2166136261u;
	const char *parts[2] = {method, route};

	for (size_t i = 0; i < 2; i++) {
		for (const char *p = parts[i]; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return (h ^ (uint32_t)code) * 16777619u;
}

/* The series of the key, created if there is room; NULL when full. */
static struct metrics_series *
metrics_find(const char *method, const char *route, int code, int create)
{
	uint32_t i = metrics_hash(method, route, code) & (METRICS_SLOTS - 1);
	struct metrics_series *s;

	for (;; i = (i + 1) & (METRICS_SLOTS - 1)) {
		s = &metrics_series[i];
		if (!s->used)
			break;
		if (s->code == code && strcmp(s->route, route) == 0 &&
		    strcmp(s->method, method) == 0)
			return s;
	}
	if (!create)
		return NULL;
	s->used = 1;
	s->code = code;
	snprintf(s->method, sizeof s->method, "%s", method);
	snprintf(s->route, sizeof s->route, "%s", route);
	metrics_nseries++;
	return s;
}

void
metrics_request_done(
    const char *method, const char *pattern, int status, int64_t usec)
{
	struct metrics_series *s;
	int code = status >= 100 && status <= 599 ? status : 0;
	size_t b;

	if (method == NULL)
		method = "other";
	if (pattern == NULL)
		pattern = METRICS_NO_ROUTE;
	if (usec < 0)
		usec = 0;
	s = metrics_find(method, pattern, code, 0);
	if (s == NULL)
		s = metrics_find(
		    method, pattern, code, metrics_nseries < METRICS_SLOTS_MAX);
	if (s == NULL) /* full: one catch-all series, in the spare quarter */
		s = metrics_find("other", METRICS_OVERFLOW, 0, 1);
	for (b = 0; b < METRICS_NBOUNDS && usec > metrics_bounds[b]; b++)
		;
	s->bucket[b]++;
	s->count++;
	s->sum_usec += (uint64_t)usec;
}

void
metrics_reset(void)
{
	memset(metrics_series, 0, sizeof metrics_series);
	metrics_nseries = 0;
}

void
metrics_text_printf(struct metrics_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			fatalx("metrics: cannot format");
		if ((size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap ? t->cap : 2048) + (size_t)n + 1;
		t->cap += t->cap / 2;
		if ((t->buf = realloc(t->buf, t->cap)) == NULL)
			fatalx("metrics: out of memory");
	}
}

/* Appends s with backslash and newline escaped, and with double quotes
 * too when quotes is set (label values; HELP text keeps them). */
static void
metrics_text_escaped(struct metrics_text *t, const char *s, int quotes)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			metrics_text_printf(t, "\\\\");
		else if (*s == '\n')
			metrics_text_printf(t, "\\n");
		else if (*s == '"' && quotes)
			metrics_text_printf(t, "\\\"");
		else
			metrics_text_printf(t, "%c", *s);
	}
}

void
metrics_text_label_value(struct metrics_text *t, const char *value)
{
	metrics_text_escaped(t, value, 1);
}

void
metrics_text_family(struct metrics_text *t, const char *name, const char *type,
    const char *help)
{
	metrics_text_printf(t, "# HELP %s ", name);
	metrics_text_escaped(t, help, 0);
	metrics_text_printf(t, "\n# TYPE %s %s\n", name, type);
}

/* A sample line with value already formatted. */
static void
metrics_text_sample_str(struct metrics_text *t, const char *name,
    const char *const *labels, const char *value)
{
	metrics_text_printf(t, "%s", name);
	for (size_t i = 0; labels != NULL && labels[i] != NULL; i += 2) {
		metrics_text_printf(
		    t, "%s%s=\"", i == 0 ? "{" : ",", labels[i]);
		metrics_text_label_value(t, labels[i + 1]);
		metrics_text_printf(t, "\"");
	}
	if (labels != NULL && labels[0] != NULL)
		metrics_text_printf(t, "}");
	metrics_text_printf(t, " %s\n", value);
}

void
metrics_text_sample(struct metrics_text *t, const char *name,
    const char *const *labels, int64_t value)
{
	char v[24];

	snprintf(v, sizeof v, "%lld", (long long)value);
	metrics_text_sample_str(t, name, labels, v);
}

void
metrics_text_free(struct metrics_text *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}

static int
metrics_series_cmp(const void *a, const void *b)
{
	const struct metrics_series *x =
	    *(const struct metrics_series *const *)a;
	const struct metrics_series *y =
	    *(const struct metrics_series *const *)b;
	int c;

	if ((c = strcmp(x->route, y->route)) != 0)
		return c;
	if ((c = strcmp(x->method, y->method)) != 0)
		return c;
	return (x->code > y->code) - (x->code < y->code);
}

/* The used series, sorted by route, method and code; *n of them. */
static struct metrics_series **
metrics_sorted(size_t *n)
{
	struct metrics_series **v = calloc(metrics_nseries + 1, sizeof *v);

	if (v == NULL)
		fatalx("metrics: out of memory");
	*n = 0;
	for (size_t i = 0; i < METRICS_SLOTS; i++)
		if (metrics_series[i].used)
			v[(*n)++] = &metrics_series[i];
	qsort(v, *n, sizeof *v, metrics_series_cmp);
	return v;
}

/* "2xx" for 200..299 and so on; "other" for code 0. */
static void
metrics_status_class(int code, char *out, size_t size)
{
	if (code < 100 || code > 599)
		snprintf(out, size, "other");
	else
		snprintf(out, size, "%cxx", '0' + code / 100);
}

/* One histogram: the series v[0..n), all of one method, route and
 * status class, added together. */
static void
metrics_render_histogram(
    struct metrics_text *t, struct metrics_series *const *v, size_t n)
{
	uint64_t bucket[METRICS_NBOUNDS + 1] = {0}, count = 0, sum = 0, cum = 0;
	char cls[8], le[16], value[32];
	const char *labels[] = {"method", v[0]->method, "route", v[0]->route,
	    "status", cls, "le", le, NULL};

	metrics_status_class(v[0]->code, cls, sizeof cls);
	for (size_t i = 0; i < n; i++) {
		for (size_t b = 0; b <= METRICS_NBOUNDS; b++)
			bucket[b] += v[i]->bucket[b];
		count += v[i]->count;
		sum += v[i]->sum_usec;
	}
	for (size_t b = 0; b <= METRICS_NBOUNDS; b++) {
		cum += bucket[b];
		if (b < METRICS_NBOUNDS)
			snprintf(le, sizeof le, "%g",
			    (double)metrics_bounds[b] / 1e6);
		else
			snprintf(le, sizeof le, "+Inf");
		snprintf(value, sizeof value, "%llu", (unsigned long long)cum);
		metrics_text_sample_str(t,
		    "mandate_http_request_duration_seconds_bucket", labels,
		    value);
	}
	labels[6] = NULL; /* no "le" on _sum and _count */
	snprintf(value, sizeof value, "%llu.%06llu",
	    (unsigned long long)(sum / 1000000),
	    (unsigned long long)(sum % 1000000));
	metrics_text_sample_str(
	    t, "mandate_http_request_duration_seconds_sum", labels, value);
	snprintf(value, sizeof value, "%llu", (unsigned long long)count);
	metrics_text_sample_str(
	    t, "mandate_http_request_duration_seconds_count", labels, value);
}

void
metrics_render_requests(struct metrics_text *t)
{
	size_t n, i, j;
	struct metrics_series **v = metrics_sorted(&n);
	char code[16];
	const char *labels[] = {
	    "method", NULL, "route", NULL, "code", code, NULL};

	metrics_text_family(t, "mandate_http_requests_total", "counter",
	    "HTTP requests answered since the daemon started, by method, "
	    "route template (never a concrete path; \"none\" when no route "
	    "matched or the request was refused before routing) and status "
	    "code.");
	for (i = 0; i < n; i++) {
		labels[1] = v[i]->method;
		labels[3] = v[i]->route;
		snprintf(code, sizeof code, "%d", v[i]->code);
		metrics_text_sample(t, "mandate_http_requests_total", labels,
		    (int64_t)v[i]->count);
	}
	metrics_text_family(t, "mandate_http_request_duration_seconds",
	    "histogram",
	    "Time from a request's arrival to its reply being handed to the "
	    "connection, by method, route template and status class.");
	for (i = 0; i < n; i = j) {
		for (j = i + 1;
		     j < n && strcmp(v[j]->route, v[i]->route) == 0 &&
		     strcmp(v[j]->method, v[i]->method) == 0 &&
		     v[j]->code / 100 == v[i]->code / 100;
		     j++)
			;
		metrics_render_histogram(t, v + i, j - i);
	}
	free(v);
}

/* The keys (categories or states) a unit is zero-filled over. */
struct metrics_keys {
	const char *label;      /* "category", "status", or NULL: by unit */
	const char *const *set; /* NULL-terminated; NULL: the unit's states */
	const char *none;       /* the label value for the key "" */
};

/* The count of unit/key in rows, marking it seen; 0 when absent. */
static int64_t
metrics_take(const struct db_metrics_count *rows, size_t n, char *seen,
    const char *unit, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].unit, unit) == 0 &&
		    strcmp(rows[i].key, key) == 0) {
			seen[i] = 1;
			return rows[i].count;
		}
	return 0;
}

static void
metrics_render_count(struct metrics_text *t, const char *name, const char *unit,
    const struct metrics_keys *k, const char *key, int64_t value)
{
	const char *labels[] = {"unit", unit, k->label,
	    key[0] == '\0' && k->none ? k->none : key, NULL};

	metrics_text_sample(t, name, labels, value);
}

/* A gauge by unit (and key): every configured unit and key, then any
 * row about a unit or key the configuration no longer has. */
static void
metrics_render_counts(struct metrics_text *t, const struct config *cfg,
    const char *name, const char *help, const struct metrics_keys *k,
    const struct db_metrics_count *rows, size_t n)
{
	char *seen = calloc(n + 1, 1);

	if (seen == NULL)
		fatalx("metrics: out of memory");
	metrics_text_family(t, name, "gauge", help);
	for (size_t u = 0; u < cfg->nunits; u++) {
		const struct config_unit *cu = &cfg->units[u];
		if (k->label == NULL) {
			metrics_render_count(t, name, cu->id, k, "",
			    metrics_take(rows, n, seen, cu->id, ""));
			continue;
		}
		if (k->set != NULL) {
			for (size_t i = 0; k->set[i] != NULL; i++)
				metrics_render_count(t, name, cu->id, k,
				    k->set[i],
				    metrics_take(
				        rows, n, seen, cu->id, k->set[i]));
			continue;
		}
		for (size_t i = 0; i < cu->lc.nstates; i++) {
			const char *st = cu->lc.states[i];
			if (strcmp(st, LIFECYCLE_END) == 0)
				continue;
			metrics_render_count(t, name, cu->id, k, st,
			    metrics_take(rows, n, seen, cu->id, st));
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!seen[i])
			metrics_render_count(t, name, rows[i].unit, k,
			    rows[i].key, rows[i].count);
	free(seen);
}

static void
metrics_render_gauge(
    struct metrics_text *t, const char *name, const char *help, int64_t value)
{
	metrics_text_family(t, name, "gauge", help);
	metrics_text_sample(t, name, NULL, value);
}

/* The gauges read from the database. */
static void
metrics_render_db(struct metrics_text *t, const struct config *cfg,
    const struct db_metrics *m)
{
#define METRICS_CATEGORY(name) name,
	static const char *const categories[] = {
	    MANDATE_CATEGORIES(METRICS_CATEGORY) "", NULL};
#undef METRICS_CATEGORY
	const struct metrics_keys by_category = {
	    "category", categories, "none"};
	const struct metrics_keys by_status = {"status", NULL, NULL};
	const struct metrics_keys by_unit = {NULL, NULL, NULL};

	metrics_render_counts(t, cfg, "mandate_cases",
	    "Cases in the database, not purged, by the unit that holds them "
	    "now and their category (none: routed by content). Submissions "
	    "raise it; referrals move a case between units; purges lower it.",
	    &by_category, m->cases, m->ncases);
	metrics_render_counts(t, cfg, "mandate_cases_open",
	    "Queue depth: cases not closed, by unit and lifecycle status.",
	    &by_status, m->open, m->nopen);
	metrics_render_counts(t, cfg, "mandate_cases_overdue",
	    "Open cases past their deadline (marked at 100 %, or past due "
	    "with the clock running), by unit.",
	    &by_unit, m->overdue, m->noverdue);
	metrics_render_counts(t, cfg, "mandate_officers",
	    "Officers enrolled, by unit.", &by_unit, m->officers, m->nofficers);
	metrics_render_gauge(t, "mandate_audit_entries",
	    "Entries in the audit log's hash chain.", m->audit_entries);
	metrics_render_gauge(t, "mandate_audit_last_signed_seq",
	    "Sequence number of the last audit entry covered by a signed "
	    "head (0: none yet).",
	    m->audit_signed_seq);
	metrics_render_gauge(t, "mandate_database_size_bytes",
	    "Size of the database: page count times page size.", m->db_bytes);
	metrics_render_gauge(t, "mandate_database_wal_size_bytes",
	    "Size of the database's write-ahead log file.", m->wal_bytes);
}

char *
metrics_render(
    const struct config *cfg, const struct db_metrics *m, size_t *len)
{
	struct metrics_text t = {NULL, 0, 0};
	const char *build[] = {"version", MANDATE_VERSION, "api", NULL, NULL};
	char api[16];

	snprintf(api, sizeof api, "%d", MANDATE_API_VERSION);
	build[3] = api;
	metrics_text_family(&t, "mandate_build_info", "gauge",
	    "Always 1: the version of mandated and of its API.");
	metrics_text_sample(&t, "mandate_build_info", build, 1);
	metrics_render_gauge(&t, "process_start_time_seconds",
	    "Start time of the process since the epoch, in seconds.",
	    metrics_start_time());
	metrics_render_db(&t, cfg, m);
	metrics_render_requests(&t);
	*len = t.len;
	return t.buf;
}

int
metrics_serve_unauthenticated(struct request *req, struct response *res)
{
	extern const struct route route_metrics_get;

	res->status = 0;
	res->body = NULL;
	res->stream = NULL;
	if (req->path == NULL || strcmp(req->path, route_metrics_get.path) != 0)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, NULL,
		    "this address serves only /metrics");
	req->route = &route_metrics_get;
	if (req->method != route_metrics_get.method)
		return reply_error(
		    res, MANDATE_ERR_METHOD_NOT_ALLOWED, NULL, NULL);
	if (req->body_len != 0)
		return reply_error(res, MANDATE_ERR_BAD_JSON, NULL,
		    "this request takes no body");
	return route_metrics_get.handle(req, res);
}
