/*
 * GET /v1/stats?by=unit|category|status|month: statistics for auditors
 * (stats.h), computed in the transaction that records their reading.
 */
#include <stdlib.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "stats.h"

static int
route_stats_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"by", NULL};
	const char *by = query_get(&req->query, "by");
	json_t *body = NULL;
	char *cause = NULL;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (by == NULL)
		by = "unit";
	if (!stats_by_valid(by))
		return reply_error(
		    res, MANDATE_ERR_BAD_QUERY, "by", "by is " STATS_BY_NAMES);
	if (db_begin(req->srv->db, &cause) < 0 ||
	    (body = stats_compute(req->srv, by, req->now, &cause)) == NULL ||
	    audit_record(req, AUDIT_ROLE_AUDITOR, AUDIT_STATS, NULL, NULL,
	        json_pack("{s:s}", "by", by), &cause) < 0 ||
	    db_commit(req->srv->db, &cause) < 0) {
		db_rollback(req->srv->db);
		json_decref(body);
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	return reply_json(res, 200, body);
}

const struct route route_stats_get = {HTTP_GET, "/v1/stats", ROLE_AUDITOR, 0,
    route_stats_get_handle, ROUTE_QUERY};
