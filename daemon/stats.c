/*
 * Computing the statistics: one pass over the cases' metadata a batch at
 * a time, into groups that keep the durations they need for medians.
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "report.h"
#include "server.h"

#define STATS_BATCH 500

struct stats_list {
	int64_t *v;
	size_t n, cap;
};

struct stats_group {
	char key[40];
	char scope[33]; /* a counts-only unit, or "" */
	int64_t count;
	struct stats_list ack, close;
};

struct stats_unit {
	char unit[33];
	int64_t met, missed, pending;
};

struct stats {
	const char *by;
	int64_t now;
	struct stats_group *g;
	size_t ng;
	struct stats_unit *u;
	size_t nu;
};

int
stats_by_valid(const char *by)
{
	return strcmp(by, "unit") == 0 || strcmp(by, "category") == 0 ||
	       strcmp(by, "status") == 0 || strcmp(by, "month") == 0;
}

static void
stats_push(struct stats_list *l, int64_t v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((l->v = realloc(l->v, l->cap * sizeof *l->v)) == NULL)
			abort();
	}
	l->v[l->n++] = v;
}

static int
stats_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static json_t *
stats_median(struct stats_list *l)
{
	if (l->n == 0)
		return json_null();
	qsort(l->v, l->n, sizeof *l->v, stats_cmp);
	if (l->n % 2)
		return json_integer(l->v[l->n / 2]);
	return json_integer((l->v[l->n / 2 - 1] + l->v[l->n / 2]) / 2);
}

static void
stats_key(const struct stats *s, const struct db_report_case *c, char *key,
    size_t size)
{
	time_t t = (time_t)c->received_at;
	struct tm tm;

	if (strcmp(s->by, "unit") == 0)
		snprintf(key, size, "%s", c->unit);
	else if (strcmp(s->by, "category") == 0)
		snprintf(
		    key, size, "%s", c->category[0] ? c->category : "none");
	else if (strcmp(s->by, "status") == 0)
		snprintf(key, size, "%s", c->status);
	else {
		gmtime_r(&t, &tm);
		strftime(key, size, "%Y-%m", &tm);
	}
}

static struct stats_group *
stats_group(struct stats *s, const char *key, const char *scope)
{
	for (size_t i = 0; i < s->ng; i++)
		if (strcmp(s->g[i].key, key) == 0 &&
		    strcmp(s->g[i].scope, scope) == 0)
			return &s->g[i];
	if ((s->g = realloc(s->g, (s->ng + 1) * sizeof *s->g)) == NULL)
		abort();
	memset(&s->g[s->ng], 0, sizeof *s->g);
	snprintf(s->g[s->ng].key, sizeof s->g[s->ng].key, "%s", key);
	snprintf(s->g[s->ng].scope, sizeof s->g[s->ng].scope, "%s", scope);
	return &s->g[s->ng++];
}

static struct stats_unit *
stats_unit(struct stats *s, const char *unit)
{
	for (size_t i = 0; i < s->nu; i++)
		if (strcmp(s->u[i].unit, unit) == 0)
			return &s->u[i];
	if ((s->u = realloc(s->u, (s->nu + 1) * sizeof *s->u)) == NULL)
		abort();
	memset(&s->u[s->nu], 0, sizeof *s->u);
	snprintf(s->u[s->nu].unit, sizeof s->u[s->nu].unit, "%s", unit);
	return &s->u[s->nu++];
}

static void
stats_add(struct stats *s, struct server *srv, const struct db_report_case *c)
{
	int counts_only = audit_unit_redacted(srv, c->unit);
	const char *d = report_deadline(c->due_at, c->acknowledged_at, s->now);
	struct stats_group *g;
	struct stats_unit *u;
	char key[40];

	stats_key(s, c, key, sizeof key);
	g = stats_group(s, key, counts_only ? c->unit : "");
	g->count++;
	if (c->acknowledged_at > 0)
		stats_push(&g->ack, c->acknowledged_at - c->received_at);
	if (c->closed_at > 0)
		stats_push(&g->close, c->closed_at - c->received_at);
	u = stats_unit(s, c->unit);
	if (strcmp(d, "met") == 0)
		u->met++;
	else if (strcmp(d, "missed") == 0)
		u->missed++;
	else
		u->pending++;
}

static json_t *
stats_groups_json(struct stats *s)
{
	json_t *list = json_array(), *o;

	for (size_t i = 0; i < s->ng; i++) {
		struct stats_group *g = &s->g[i];
		int hide = g->scope[0] && g->count < REPORT_K_MIN;
		o = json_pack("{s:s, s:s?, s:b}", "key", g->key, "unit",
		    g->scope[0] ? g->scope : NULL, "suppressed", hide);
		json_object_set_new(
		    o, "count", hide ? json_null() : json_integer(g->count));
		json_object_set_new(o, "median_acknowledge_seconds",
		    hide ? json_null() : stats_median(&g->ack));
		json_object_set_new(o, "median_close_seconds",
		    hide ? json_null() : stats_median(&g->close));
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *
stats_compliance_json(struct server *srv, struct stats *s)
{
	json_t *list = json_array(), *o;

	for (size_t i = 0; i < s->nu; i++) {
		struct stats_unit *u = &s->u[i];
		int64_t decided = u->met + u->missed;
		int hide = audit_unit_redacted(srv, u->unit) &&
		           decided + u->pending < REPORT_K_MIN;
		o = json_pack(
		    "{s:s, s:b}", "unit", u->unit, "suppressed", hide);
		json_object_set_new(
		    o, "met", hide ? json_null() : json_integer(u->met));
		json_object_set_new(
		    o, "missed", hide ? json_null() : json_integer(u->missed));
		json_object_set_new(o, "pending",
		    hide ? json_null() : json_integer(u->pending));
		json_object_set_new(o, "rate",
		    hide || decided == 0
		        ? json_null()
		        : json_real((double)u->met / (double)decided));
		json_array_append_new(list, o);
	}
	return list;
}

static void
stats_clear(struct stats *s)
{
	for (size_t i = 0; i < s->ng; i++) {
		free(s->g[i].ack.v);
		free(s->g[i].close.v);
	}
	free(s->g);
	free(s->u);
}

json_t *
stats_compute(struct server *srv, const char *by, int64_t now, char **cause)
{
	struct stats s = {by, now, NULL, 0, NULL, 0};
	struct db_report_case *c = NULL;
	char after[16] = "";
	ssize_t n;
	json_t *out;

	do {
		n = db_report_cases(srv->db, after, STATS_BATCH, &c, cause);
		if (n < 0) {
			stats_clear(&s);
			return NULL;
		}
		for (ssize_t i = 0; i < n; i++)
			stats_add(&s, srv, &c[i]);
		if (n > 0)
			snprintf(after, sizeof after, "%s", c[n - 1].id);
		free(c);
	} while (n == STATS_BATCH);
	out = json_pack("{s:s, s:o, s:o, s:i}", "by", by, "groups",
	    stats_groups_json(&s), "compliance", stats_compliance_json(srv, &s),
	    "suppressed_below", REPORT_K_MIN);
	stats_clear(&s);
	return out;
}
