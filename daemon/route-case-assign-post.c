/*
 * POST /v1/cases/{id}/assign {"to"?}: an officer holding a key copy
 * assigns the case to an officer of its unit who holds one too, or to
 * themselves without "to" (claim); "to": null unassigns it.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casejson.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "work.h"

/* Whether user is an officer of c's unit holding a copy: 1, 0, -1. */
static int
route_assign_holder(struct request *req, const struct db_case *c,
    const char *user, char **cause)
{
	struct db_officer *rows = NULL;
	ssize_t n = db_officer_of_user(req->srv->db, user, &rows, cause);
	int r = 0;

	for (ssize_t i = 0; n > 0 && i < n && r == 0; i++)
		if (strcmp(rows[i].unit, c->unit) == 0)
			r = db_case_key_held(
			    req->srv->db, c->id, rows[i].id, cause);
	free(rows);
	return n < 0 ? -1 : r;
}

static int
route_assign_store(
    struct request *req, struct db_case *c, const char *user, char **cause)
{
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	if (db_case_assign(req->srv->db, c->id, user, cause) < 0 ||
	    audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_ASSIGN, c->id,
	        c->unit, json_pack("{s:s?}", "officer", user), cause) < 0 ||
	    db_commit(req->srv->db, cause) < 0) {
		db_rollback(req->srv->db);
		return -1;
	}
	snprintf(c->assignee, sizeof c->assignee, "%s", user ? user : "");
	return 0;
}

static int
route_case_assign_post_handle(struct request *req, struct response *res)
{
	static const char *const fields[] = {"to", NULL};
	const struct config_unit *unit;
	const struct db_officer *o;
	const char *to = req->who.user;
	json_t *v = json_object_get(req->json, "to");
	struct db_case c;
	char *cause = NULL;
	int r;

	if (work_only(req, res, fields) < 0 ||
	    (v != NULL && !json_is_null(v) &&
	        work_string(req, res, "to", &to) < 0))
		return 0;
	if (v != NULL && json_is_null(v))
		to = NULL;
	if (work_case(req, res, &c, &o, &unit) < 0)
		return 0;
	if (to != NULL && strcmp(to, req->who.user) != 0) {
		r = route_assign_holder(req, &c, to, &cause);
		if (r < 0)
			return work_internal(res, cause);
		if (r == 0)
			return reply_error(res, MANDATE_ERR_BAD_FIELD, "to",
			    "not an officer of this case's unit holding a "
			    "copy of its key");
	}
	if (route_assign_store(req, &c, to, &cause) < 0)
		return work_internal(res, cause);
	log_info("case: %s assigned to %s by %s", c.id, to ? to : "nobody",
	    req->who.user);
	return reply_json(res, 200, casejson_metadata(&c));
}

const struct route route_case_assign_post = {HTTP_POST, "/v1/cases/{id}/assign",
    ROLE_OFFICER, 4096, route_case_assign_post_handle, 0};
