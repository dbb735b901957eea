/*
 * GET /v1/queue?unit=U&limit=N&after=CURSOR: one page of an officer's
 * queue, newest first.  The cursor is "<received_at>.<case id>" of the
 * last case of the previous page.
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
route_queue_cursor(const char *s, int64_t *t, char *id, size_t idsize)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '.' || v < 0 ||
	    !mandate_case_id_valid(end + 1))
		return -1;
	*t = v;
	snprintf(id, idsize, "%s", end + 1);
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
    int64_t after_t, const char *after_id, unsigned limit,
    struct db_case **rows, char **cause)
{
	ssize_t n;

	*rows = NULL;
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	n = db_case_queue(req->srv->db, o->id, o->unit, after_t, after_id,
	    limit, rows, cause);
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
	static const char *const allowed[] = {"unit", "limit", "after", NULL};
	const struct db_officer *o;
	const char *after = query_get(&req->query, "after");
	char after_id[16] = "", next[64], *cause = NULL;
	struct db_case *rows = NULL;
	int64_t after_t = 0;
	unsigned limit;
	ssize_t n;
	json_t *cases;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (route_queue_limit(query_get(&req->query, "limit"), &limit) < 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "limit",
		    "limit must be a whole number from 1 to 200");
	if (after != NULL &&
	    route_queue_cursor(after, &after_t, after_id, sizeof after_id) < 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "after",
		    "after must be the next cursor of a previous page");
	if ((o = route_queue_officer(req, res)) == NULL)
		return 0;
	n = route_queue_read(
	    req, o, after_t, after ? after_id : NULL, limit, &rows, &cause);
	if (n < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	cases = json_array();
	for (ssize_t i = 0; i < n; i++)
		json_array_append_new(cases, casejson_metadata(&rows[i]));
	if ((size_t)n == limit)
		snprintf(next, sizeof next, "%lld.%s",
		    (long long)rows[n - 1].received_at, rows[n - 1].id);
	reply_json(res, 200,
	    json_pack("{s:s, s:o, s:s?}", "unit", o->unit, "cases", cases,
	        "next", (size_t)n == limit ? next : NULL));
	free(rows);
	return 0;
}

const struct route route_queue_get = {
    HTTP_GET, "/v1/queue", ROLE_OFFICER, 0, route_queue_get_handle, 0};
