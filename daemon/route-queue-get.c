/*
 * GET /v1/queue?unit=U&limit=N&after=CURSOR&status=&category=&overdue=1&
 * urgent=1&mine=1&unassigned=1&sort=due|received: one page of an
 * officer's queue, by due date with urgent cases first (sort=due, the
 * default) or newest first (sort=received).  The cursor is opaque to
 * clients: "d.<k1>.<k2>.<id>" or "r.<received_at>.<id>" of the last case
 * of the previous page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casejson.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

#define QUEUE_DEFAULT_LIMIT 50
#define QUEUE_MAX_LIMIT 200

static int
route_queue_limit(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (s == NULL) {
		*out = QUEUE_DEFAULT_LIMIT;
		return 0;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < 1 ||
	    v > QUEUE_MAX_LIMIT)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
route_queue_cursor(const char *s, struct db_queue_filter *f)
{
	char *end;
	long long a = 0, b;

	if ((s[0] != 'd' && s[0] != 'r') || s[1] != '.' ||
	    (s[0] == 'r') != f->by_received)
		return -1;
	errno = 0;
	if (s[0] == 'd') {
		a = strtoll(s + 2, &end, 10);
		if (errno || end == s + 2 || *end != '.')
			return -1;
		s = end - 1;
	}
	b = strtoll(s + 2, &end, 10);
	if (errno || end == s + 2 || *end != '.' || b < 0 ||
	    !mandate_case_id_valid(end + 1))
		return -1;
	f->after_k1 = a;
	f->after_k2 = b;
	snprintf(f->after_id, sizeof f->after_id, "%s", end + 1);
	return 0;
}

/* A flag: absent, or "1"/"0". */
static int
route_queue_flag(struct request *req, const char *name, int *out)
{
	const char *v = query_get(&req->query, name);

	*out = v != NULL && strcmp(v, "1") == 0;
	return v == NULL || strcmp(v, "1") == 0 || strcmp(v, "0") == 0 ? 0 : -1;
}

/* The filters and the sort of the query string; 0, or -1 after replying. */
static int
route_queue_filter(
    struct request *req, struct response *res, struct db_queue_filter *f)
{
	static const char *const flags[] = {
	    "overdue", "urgent", "mine", "unassigned"};
	int *slots[] = {&f->overdue, &f->urgent, NULL, &f->unassigned}, mine;
	const char *sort = query_get(&req->query, "sort");
	const char *after = query_get(&req->query, "after");

	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < 4; i++)
		if (route_queue_flag(
		        req, flags[i], slots[i] ? slots[i] : &mine) < 0)
			return reply_error(res, MANDATE_ERR_BAD_QUERY, flags[i],
			           "expected 1 or 0"),
			       -1;
	if (sort != NULL && strcmp(sort, "due") && strcmp(sort, "received"))
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "sort",
		           "sort must be due or received"),
		       -1;
	f->by_received = sort != NULL && strcmp(sort, "received") == 0;
	f->status = query_get(&req->query, "status");
	f->category = query_get(&req->query, "category");
	f->assignee = mine ? req->who.user : NULL;
	f->now = req->now;
	if (after != NULL && route_queue_cursor(after, f) < 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "after",
		           "after must be the next cursor of a previous page"),
		       -1;
	return 0;
}

/* The caller's officer row for the requested unit (or their only one). */
static const struct db_officer *
route_queue_officer(struct request *req, struct response *res)
{
	const char *unit = query_get(&req->query, "unit");
	const struct db_officer *o;

	if (unit == NULL && req->who.nofficers > 1) {
		reply_error(res, MANDATE_ERR_BAD_QUERY, "unit",
		    "you are an officer of several units: name one with unit=");
		return NULL;
	}
	o = unit ? identity_officer(&req->who, unit) : &req->who.officers[0];
	if (o == NULL)
		reply_error(res, MANDATE_ERR_FORBIDDEN, "unit",
		    "you are not an officer of this unit");
	return o;
}

/* One page, read and recorded in one transaction: count, or -1. */
static ssize_t
route_queue_read(struct request *req, const struct db_officer *o,
    const struct db_queue_filter *f, unsigned limit, struct db_case **rows,
    int64_t *k1, int64_t *k2, char **cause)
{
	ssize_t n;

	*rows = NULL;
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	n = db_case_queue(
	    req->srv->db, o->id, o->unit, f, limit, rows, k1, k2, cause);
	if (n >= 0 &&
	    (audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_QUEUE_LIST, NULL,
	         o->unit, json_pack("{s:I}", "count", (json_int_t)n),
	         cause) < 0 ||
	        db_commit(req->srv->db, cause) < 0)) {
		free(*rows);
		*rows = NULL;
		n = -1;
	}
	if (n < 0)
		db_rollback(req->srv->db);
	return n;
}

static int
route_queue_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"unit", "limit", "after",
	    "status", "category", "overdue", "urgent", "mine", "unassigned",
	    "sort", NULL};
	const struct db_officer *o;
	struct db_queue_filter f;
	char next[96], *cause = NULL;
	struct db_case *rows = NULL;
	int64_t k1 = 0, k2 = 0;
	unsigned limit;
	ssize_t n;
	json_t *cases;

	if (query_only(req, res, allowed) < 0 ||
	    route_queue_filter(req, res, &f) < 0)
		return 0;
	if (route_queue_limit(query_get(&req->query, "limit"), &limit) < 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "limit",
		    "limit must be a whole number from 1 to 200");
	if ((o = route_queue_officer(req, res)) == NULL)
		return 0;
	n = route_queue_read(req, o, &f, limit, &rows, &k1, &k2, &cause);
	if (n < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	cases = json_array();
	for (ssize_t i = 0; i < n; i++)
		json_array_append_new(cases, casejson_metadata(&rows[i]));
	if ((size_t)n == limit && f.by_received)
		snprintf(next, sizeof next, "r.%lld.%s", (long long)k2,
		    rows[n - 1].id);
	else if ((size_t)n == limit)
		snprintf(next, sizeof next, "d.%lld.%lld.%s", (long long)k1,
		    (long long)k2, rows[n - 1].id);
	reply_json(res, 200,
	    json_pack("{s:s, s:o, s:s?}", "unit", o->unit, "cases", cases,
	        "next", (size_t)n == limit ? next : NULL));
	free(rows);
	return 0;
}

const struct route route_queue_get = {HTTP_GET, "/v1/queue", ROLE_OFFICER, 0,
    route_queue_get_handle, ROUTE_QUERY};
