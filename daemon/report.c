/*
 * The auditors' case log, streamed a batch of cases at a time: see
 * report.h.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auditfmt.h"
#include "config.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"

#define REPORT_BATCH 100

enum report_stage {
	REPORT_HEADER,
	REPORT_CASES,
	REPORT_COUNTS,
	REPORT_END,
	REPORT_DONE
};

struct report_cases {
	struct server *srv;
	int csv;
	enum report_stage stage;
	char after[16]; /* the last case id sent */
	int64_t now;
	int64_t sent; /* case records */
};

static const char *const report_columns[] = {REPORT_COLUMNS, NULL};

const char *
report_deadline(int64_t due_at, int64_t acknowledged_at, int64_t now)
{
	if (acknowledged_at > 0)
		return acknowledged_at <= due_at ? "met" : "missed";
	return now > due_at ? "missed" : "pending";
}

static json_t *
report_time(int64_t t)
{
	char when[32];

	if (t <= 0)
		return json_null();
	auditfmt_time_text(when, sizeof when, t);
	return json_string(when);
}

static void
report_line(const struct report_cases *x, json_t *obj, char **buf, size_t *len)
{
	char *line =
	    x->csv ? csv_row(obj, report_columns) : json_dump_compact(obj);
	size_t n = strlen(line);

	if ((*buf = realloc(*buf, *len + n + 2)) == NULL)
		abort();
	memcpy(*buf + *len, line, n);
	*len += n;
	if (!x->csv)
		(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	free(line);
	json_decref(obj);
}

/* The status history: an array, or for CSV one text field
 * "TIME STATUS (ROLE); ...". */
static json_t *
report_events(const struct report_cases *x, const char *id, char **cause)
{
	struct db_event *ev = NULL;
	ssize_t n = db_event_list(x->srv->db, id, &ev, cause);
	json_t *list;
	char when[32], *text = NULL, *grown;

	if (n < 0)
		return NULL;
	list = json_array();
	for (ssize_t i = 0; i < n; i++) {
		auditfmt_time_text(when, sizeof when, ev[i].time);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s}", "time", when, "status",
		              ev[i].status, "actor_role", ev[i].actor_role));
		if (asprintf(&grown, "%s%s%s %s (%s)", text ? text : "",
		        text ? "; " : "", when, ev[i].status,
		        ev[i].actor_role) < 0)
			abort();
		free(text);
		text = grown;
	}
	free(ev);
	if (x->csv) {
		json_decref(list);
		list = json_string(text ? text : "");
	}
	free(text);
	return list;
}

static json_t *
report_case(
    const struct report_cases *x, const struct db_report_case *c, char **cause)
{
	json_t *events = report_events(x, c->id, cause), *o;

	if (events == NULL)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s, s:b, s:b, s:b}",
	    "record", "case", "id", c->id, "unit", c->unit, "category",
	    c->category[0] ? c->category : NULL, "status", c->status, "rule",
	    c->rule, "anonymous", c->anonymous, "urgent", c->urgent, "recused",
	    c->recused);
	json_object_set_new(o, "received_at", report_time(c->received_at));
	json_object_set_new(o, "due_at", report_time(c->due_at));
	json_object_set_new(
	    o, "acknowledged_at", report_time(c->acknowledged_at));
	json_object_set_new(o, "acknowledge",
	    json_string(
	        report_deadline(c->due_at, c->acknowledged_at, x->now)));
	json_object_set_new(o, "closed_at", report_time(c->closed_at));
	json_object_set_new(o, "purged_at", report_time(c->purged_at));
	json_object_set_new(o, "legal_hold", json_boolean(c->hold_since > 0));
	json_object_set_new(o, "events", events);
	return o;
}

/* The next batch of cases, those of counts-only units left out. */
static int
report_batch(struct report_cases *x, char **buf, size_t *len, char **cause)
{
	struct db_report_case *c = NULL;
	ssize_t n =
	    db_report_cases(x->srv->db, x->after, REPORT_BATCH, &c, cause);
	json_t *o;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++) {
		snprintf(x->after, sizeof x->after, "%s", c[i].id);
		if (audit_unit_redacted(x->srv, c[i].unit))
			continue;
		if ((o = report_case(x, &c[i], cause)) == NULL) {
			free(c);
			return -1;
		}
		report_line(x, o, buf, len);
		x->sent++;
	}
	free(c);
	if (n < REPORT_BATCH)
		x->stage = REPORT_COUNTS;
	return 0;
}

/* Counts by quarter and category for every counts-only unit. */
static int
report_counts(struct report_cases *x, char **buf, size_t *len, char **cause)
{
	const struct config *cfg = x->srv->cfg;
	struct db_report_count *r;
	ssize_t n;
	json_t *o;

	for (size_t u = 0; u < cfg->nunits; u++) {
		if (!cfg->units[u].auditors_counts_only)
			continue;
		if ((n = db_report_counts(
		         x->srv->db, cfg->units[u].id, &r, cause)) < 0)
			return -1;
		for (ssize_t i = 0; i < n; i++) {
			int small = r[i].count < REPORT_K_MIN;
			o = json_pack("{s:s, s:s, s:s, s:s?, s:b}", "record",
			    "counts", "unit", cfg->units[u].id, "quarter",
			    r[i].quarter, "category",
			    r[i].category[0] ? r[i].category : NULL,
			    "suppressed", small);
			json_object_set_new(o, "count",
			    small ? json_null() : json_integer(r[i].count));
			report_line(x, o, buf, len);
		}
		free(r);
	}
	x->stage = REPORT_END;
	return 0;
}

int
report_cases_next(void *arg, char **piece, size_t *len)
{
	struct report_cases *x = arg;
	char *cause = NULL;
	int r = 0;

	*piece = NULL;
	*len = 0;
	switch (x->stage) {
	case REPORT_HEADER:
		if (x->csv) {
			*piece = csv_header(report_columns);
			*len = strlen(*piece);
		}
		x->stage = REPORT_CASES;
		return 1;
	case REPORT_CASES:
		r = report_batch(x, piece, len, &cause);
		break;
	case REPORT_COUNTS:
		r = report_counts(x, piece, len, &cause);
		break;
	case REPORT_END:
		report_line(x,
		    json_pack("{s:s, s:I}", "record", "end", "cases",
		        (json_int_t)x->sent),
		    piece, len);
		x->stage = REPORT_DONE;
		return 1;
	case REPORT_DONE:
		return 0;
	}
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		free(*piece);
		*piece = NULL;
		x->stage = REPORT_DONE;
		return -1;
	}
	return 1;
}

void
report_cases_free(void *arg)
{
	free(arg);
}

struct report_cases *
report_cases_open(struct request *req, int csv, char **cause)
{
	struct report_cases *x;

	if (db_begin(req->srv->db, cause) < 0)
		return NULL;
	if (audit_record(req, AUDIT_ROLE_AUDITOR, AUDIT_CASES_EXPORT, NULL,
	        NULL, json_pack("{s:s}", "format", csv ? "csv" : "jsonl"),
	        cause) < 0 ||
	    db_commit(req->srv->db, cause) < 0) {
		db_rollback(req->srv->db);
		return NULL;
	}
	if ((x = calloc(1, sizeof *x)) == NULL)
		abort();
	x->srv = req->srv;
	x->csv = csv;
	x->now = req->now;
	return x;
}
