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
#include "rules.h"
#include "server.h"
#include "visibility.h"

/* What an officer holding a copy needs to recuse: the unit their client
 * refers the case to when they are its last holder. */
static json_t *
route_case_get_officer(struct request *req, const struct db_case *c)
{
	json_t *meta = casejson_metadata(c);
	const char *alt = rules_recusal_alternate(req->srv->rules, c->unit);
	int64_t copies = db_case_key_count(req->srv->db, c->id);

	json_object_set_new(
	    meta, "recusal_alternate", alt ? json_string(alt) : json_null());
	json_object_set_new(meta, "last_holder", json_boolean(copies == 1));
	return meta;
}

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
		return reply_json(res, 200,
		    officer_id >= 0 ? route_case_get_officer(req, &c)
		                    : casejson_metadata(&c));
	case 0:
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	}
	log_warnx("%s", cause);
	free(cause);
	return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
}

const struct route route_case_get = {HTTP_GET, "/v1/cases/{id}",
    ROLE_STAFF | ROLE_OFFICER | ROLE_AUDITOR, 0, route_case_get_handle, 0};
