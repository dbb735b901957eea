/*
 * GET /v1/audit/export?since=T&until=T&format=jsonl|csv: the audit log
 * for auditors, streamed (audit-export.h).  since is inclusive, until
 * exclusive; each is a date, a UTC time or Unix seconds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit-export.h"
#include "log.h"
#include "routes.h"

/* A time parameter, or dflt when absent; -1 (res filled) when bad. */
static int
route_audit_export_param(struct request *req, struct response *res,
    const char *name, int64_t dflt, int64_t *t)
{
	const char *v = query_get(&req->query, name);

	*t = dflt;
	if (v == NULL)
		return 0;
	if (audit_export_time(v, t) == 0 && *t >= 0)
		return 0;
	reply_error(res, MANDATE_ERR_BAD_QUERY, name,
	    "a time is YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or Unix seconds");
	return -1;
}

static int
route_audit_export_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"since", "until", "format", NULL};
	const char *format = query_get(&req->query, "format");
	struct audit_export *x;
	int64_t since, until;
	char *cause = NULL;
	int csv;

	if (query_only(req, res, allowed) < 0 ||
	    route_audit_export_param(req, res, "since", 0, &since) < 0 ||
	    route_audit_export_param(req, res, "until", INT64_MAX, &until) < 0)
		return 0;
	if (format != NULL && strcmp(format, "jsonl") && strcmp(format, "csv"))
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "format",
		    "format is jsonl or csv");
	csv = format != NULL && strcmp(format, "csv") == 0;
	if ((x = audit_export_open(req, since, until, csv, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	return reply_stream(res, 200,
	    csv ? "text/csv; charset=utf-8" : "application/x-ndjson", x,
	    audit_export_next, audit_export_free);
}

const struct route route_audit_export_get = {HTTP_GET, "/v1/audit/export",
    ROLE_AUDITOR, 0, route_audit_export_get_handle, ROUTE_QUERY};
