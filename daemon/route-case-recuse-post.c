/*
 * POST /v1/cases/{id}/recuse {"note"?}: an officer holding a key copy
 * declares a conflict and drops every copy they hold, so the case leaves
 * their queue and answers 404 to them.  The reason, when given, travels
 * as an internal note encrypted under the case key; the audit entry says
 * only that there was one.  The last holder is refused (409): no path
 * leaves a case with no copy, so their client refers the case first.
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

/* Drops the caller's copies, with the note, unassignment and audit entry:
 * 1 done, 0 last holder (rolled back), -1 error. */
static int
route_recuse_store(struct request *req, const struct db_case *c,
    const struct db_note *note, char **cause)
{
	struct db *db = req->srv->db;
	int64_t left;
	int r = db_begin(db, cause) < 0 ? -1 : 1;

	for (size_t i = 0; r == 1 && i < req->who.nofficers; i++)
		if (db_case_key_delete(
		        db, c->id, req->who.officers[i].id, cause) < 0)
			r = -1;
	if (r == 1 && (left = db_case_key_count(db, c->id)) <= 0)
		r = left < 0 ? -1 : 0;
	if (r == 1 && strcmp(c->assignee, req->who.user) == 0 &&
	    db_case_assign(db, c->id, NULL, cause) < 0)
		r = -1;
	if (r == 1 && note != NULL &&
	    db_note_insert(db, c->id, note, cause) != 1)
		r = -1;
	if (r == 1 && (audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_RECUSE,
	                   c->id, c->unit,
	                   json_pack("{s:s, s:b}", "officer", req->who.user,
	                       "reason", note != NULL),
	                   cause) < 0 ||
	                  db_commit(db, cause) < 0))
		r = -1;
	if (r != 1)
		db_rollback(db);
	return r;
}

static int
route_case_recuse_post_handle(struct request *req, struct response *res)
{
	static const char *const fields[] = {"note", NULL};
	const struct config_unit *unit;
	const struct db_officer *o;
	json_t *nj = json_object_get(req->json, "note");
	struct db_note note, *np = NULL;
	struct db_case c;
	char *cause = NULL;
	int r;

	if (work_only(req, res, fields) < 0 ||
	    work_case(req, res, &c, &o, &unit) < 0)
		return 0;
	if (nj != NULL && !json_is_null(nj)) {
		if (work_note_parse(res, nj, "note", &note) < 0)
			return 0;
		snprintf(note.author, sizeof note.author, "%s", req->who.user);
		note.created_at = req->now;
		np = &note;
	}
	r = route_recuse_store(req, &c, np, &cause);
	if (np != NULL)
		free(note.body);
	if (r < 0)
		return work_internal(res, cause);
	if (r == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, NULL,
		    "last holder: refer first (mandate recuse refers the case "
		    "to the recusal alternate unit)");
	log_info("case: %s recused by %s", c.id, req->who.user);
	return reply_json(
	    res, 200, json_pack("{s:s, s:b}", "id", c.id, "recused", 1));
}

const struct route route_case_recuse_post = {HTTP_POST, "/v1/cases/{id}/recuse",
    ROLE_OFFICER, 128 * 1024, route_case_recuse_post_handle, 0};
