/*
 * GET /v1/audit/cases?format=jsonl|csv: the auditors' case log, streamed
 * (report.h).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "report.h"
#include "routes.h"

static int
route_audit_cases_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"format", NULL};
	const char *format = query_get(&req->query, "format");
	struct report_cases *x;
	char *cause = NULL;
	int csv;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (format != NULL && strcmp(format, "jsonl") && strcmp(format, "csv"))
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "format",
		    "format is jsonl or csv");
	csv = format != NULL && strcmp(format, "csv") == 0;
	if ((x = report_cases_open(req, csv, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	return reply_stream(res, 200,
	    csv ? "text/csv; charset=utf-8" : "application/x-ndjson", x,
	    report_cases_next, report_cases_free);
}

const struct route route_audit_cases_get = {HTTP_GET, "/v1/audit/cases",
    ROLE_AUDITOR, 0, route_audit_cases_get_handle, ROUTE_QUERY};
