/*
 * POST /v1/cases/{id}/notes {"id", "body"}: an officer holding a key copy
 * adds an internal note, encrypted by their client under the case key
 * (associated data "mandate/1/notes/body/<case>:<id>").  Notes are shown
 * to the case's officers only, never to the submitter.
 */
#include <stdlib.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "work.h"

static int
route_case_notes_post_handle(struct request *req, struct response *res)
{
	const struct config_unit *unit;
	const struct db_officer *o;
	struct db_case c;
	struct db_note n;
	char *cause = NULL, when[32];
	int r;

	if (work_case(req, res, &c, &o, &unit) < 0)
		return 0;
	if (work_note_parse(res, req->json, NULL, &n) < 0)
		return 0;
	snprintf(n.author, sizeof n.author, "%s", req->who.user);
	n.created_at = req->now;
	r = db_begin(req->srv->db, &cause) < 0 ? -1 : 0;
	if (r == 0)
		r = db_note_insert(req->srv->db, c.id, &n, &cause);
	if (r == 1 &&
	    (audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_NOTE, c.id,
	         c.unit, json_pack("{s:s}", "note", n.id), &cause) < 0 ||
	        db_commit(req->srv->db, &cause) < 0))
		r = -1;
	if (r != 1)
		db_rollback(req->srv->db);
	free(n.body);
	if (r < 0)
		return work_internal(res, cause);
	if (r == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, "id",
		    "a note with this id exists already");
	format_time(when, sizeof when, req->now);
	return reply_json(
	    res, 201, json_pack("{s:s, s:s}", "id", n.id, "created_at", when));
}

const struct route route_case_notes_post = {HTTP_POST, "/v1/cases/{id}/notes",
    ROLE_OFFICER, 128 * 1024, route_case_notes_post_handle, 0};
