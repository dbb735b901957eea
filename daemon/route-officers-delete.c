/*
 * DELETE /v1/officers?unit=U&user=NAME: an administrator removes an
 * officer from a unit, and with them every sealed copy of a case key they
 * hold (the audit entry counts them).  Refused (409) while they are the
 * last holder of any case: no path leaves a case with no copy.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "work.h"

/* The officer row of user in unit: 1 with *o, 0 none, -1 error. */
static int
route_officers_find(struct request *req, const char *unit, const char *user,
    struct db_officer *o, char **cause)
{
	struct db_officer *rows = NULL;
	ssize_t n = db_officer_of_user(req->srv->db, user, &rows, cause);
	int r = n < 0 ? -1 : 0;

	for (ssize_t i = 0; i < n && r == 0; i++)
		if (strcmp(rows[i].unit, unit) == 0) {
			*o = rows[i];
			r = 1;
		}
	free(rows);
	return r;
}

/* The removal: 1 done with *copies, 0 last holder of *copies cases (rolled
 * back), -1 error. */
static int
route_officers_remove(struct request *req, const struct db_officer *o,
    int64_t *copies, char **cause)
{
	struct db *db = req->srv->db;
	int r = db_begin(db, cause) < 0 ? -1 : 1;

	if (r == 1 && (*copies = db_officer_key_count(db, o->id, 1)) != 0)
		r = *copies < 0 ? -1 : 0;
	if (r == 1 && (*copies = db_officer_key_count(db, o->id, 0)) < 0)
		r = -1;
	if (r == 1 && db_officer_delete(db, o->id, cause) != 1)
		r = -1;
	if (r == 1 && (audit_record(req, AUDIT_ROLE_ADMIN, AUDIT_OFFICER_REMOVE,
	                   NULL, o->unit,
	                   json_pack("{s:s, s:I}", "user", o->user,
	                       "key_copies", (json_int_t)*copies),
	                   cause) < 0 ||
	                  db_commit(db, cause) < 0))
		r = -1;
	if (r != 1)
		db_rollback(db);
	return r;
}

static int
route_officers_delete_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"unit", "user", NULL};
	const char *unit = query_get(&req->query, "unit");
	const char *user = query_get(&req->query, "user");
	struct db_officer o;
	char msg[256], *cause = NULL;
	int64_t copies = 0;
	int r;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (unit == NULL || user == NULL)
		return reply_error(res, MANDATE_ERR_BAD_QUERY,
		    unit == NULL ? "unit" : "user", "unit and user are needed");
	if (config_unit_find(req->srv->cfg, unit) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL);
	if ((r = route_officers_find(req, unit, user, &o, &cause)) < 0)
		return work_internal(res, cause);
	if (r == 0)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, "user",
		    "no such officer in this unit");
	if ((r = route_officers_remove(req, &o, &copies, &cause)) < 0)
		return work_internal(res, cause);
	if (r == 0) {
		snprintf(msg, sizeof msg,
		    "%s is the last holder of %lld case%s: grant them to "
		    "another officer or refer them first",
		    user, (long long)copies, copies == 1 ? "" : "s");
		return reply_error(res, MANDATE_ERR_CONFLICT, "user", msg);
	}
	log_info("officers: %s removed from %s by %s (%lld key copies)", user,
	    unit, req->who.user, (long long)copies);
	return reply_json(res, 200,
	    json_pack("{s:s, s:s, s:I}", "user", user, "unit", unit,
	        "key_copies", (json_int_t)copies));
}

const struct route route_officers_delete = {HTTP_DELETE, "/v1/officers",
    ROLE_ADMIN, 0, route_officers_delete_handle, ROUTE_QUERY};
