/*
 * GET /v1/cases/{id}: a case's metadata, to those who may see it; the
 * reading is an audit entry in the same transaction.
 */
#include <stdlib.h>

#include "audit.h"
#include "casejson.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "visibility.h"

static int
route_case_get_handle(struct request *req, struct response *res)
{
	struct db_case c;
	int64_t officer_id = -1;
	char *cause = NULL;
	int r = db_begin(req->srv->db, &cause) < 0 ? -1 : 0;

	if (r == 0)
		r = visibility_case(
		    req->srv, &req->who, req->param, &c, &officer_id, &cause);
	if (r == 1 &&
	    audit_record(req,
	        officer_id >= 0 ? AUDIT_ROLE_OFFICER : AUDIT_ROLE_AUDITOR,
	        AUDIT_CASE_READ, c.id, c.unit, NULL, &cause) < 0)
		r = -1;
	if (r >= 0 && db_commit(req->srv->db, &cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	switch (r) {
	case 1:
		return reply_json(res, 200, casejson_metadata(&c));
	case 0:
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	}
	log_warnx("%s", cause);
	free(cause);
	return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
}

const struct route route_case_get = {HTTP_GET, "/v1/cases/{id}",
    ROLE_STAFF | ROLE_OFFICER | ROLE_AUDITOR, 0, route_case_get_handle, 0};
