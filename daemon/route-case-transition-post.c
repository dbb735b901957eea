/*
 * POST /v1/cases/{id}/transition {"to", "outcome"?, "note"?}: an officer
 * holding a key copy moves the case along its unit's lifecycle.  A
 * transition the lifecycle does not allow is refused (409) with the
 * states that are allowed; closing needs one of the unit's outcomes.
 * The status, its history (case_events), closed_at, the deadline clock,
 * the note and the audit entry change in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casejson.h"
#include "config.h"
#include "db.h"
#include "lifecycle.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "work.h"

/* 409 with {"error", "allowed": [the next states]}. */
static int
route_transition_refuse(struct response *res, const struct config_unit *unit,
    const struct db_case *c, const char *to)
{
	const char *next[LIFECYCLE_STATES_MAX];
	size_t n =
	    lifecycle_next(&unit->lc, c->status, next, LIFECYCLE_STATES_MAX);
	char msg[512];
	size_t len;
	json_t *allowed = json_array(), *body;

	len = (size_t)snprintf(msg, sizeof msg,
	    "a %s case cannot go from %s to %s; allowed:", unit->id, c->status,
	    to);
	for (size_t i = 0; i < n && i < LIFECYCLE_STATES_MAX; i++) {
		json_array_append_new(allowed, json_string(next[i]));
		if (len < sizeof msg)
			len += (size_t)snprintf(msg + len, sizeof msg - len,
			    "%s %s", i ? "," : "", next[i]);
	}
	if (n == 0 && len < sizeof msg)
		snprintf(msg + len, sizeof msg - len, " none");
	body = json_error_body("conflict", "to", msg);
	json_object_set_new(body, "allowed", allowed);
	return reply_json(res, 409, body);
}

/* Checks "outcome" against the target state and the unit's list. */
static int
route_transition_outcome(struct response *res, const struct config_unit *unit,
    const char *to, const char *outcome)
{
	int closing = strcmp(to, LIFECYCLE_END) == 0;

	if (closing && outcome == NULL)
		return reply_error(res, MANDATE_ERR_MISSING_FIELD, "outcome",
		           "closing a case needs an outcome"),
		       -1;
	if (!closing && outcome != NULL)
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "outcome",
		           "only closing a case records an outcome"),
		       -1;
	if (closing && !lifecycle_outcome_valid(&unit->lc, outcome))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "outcome",
		           "not an outcome of this unit (mandate units "
		           "--json lists them)"),
		       -1;
	return 0;
}

/* The one transaction: 1 done, 0 moved meanwhile, -1 error. */
static int
route_transition_store(struct request *req, const struct db_case *c,
    const struct db_case *next, const struct db_note *note, char **cause)
{
	struct db *db = req->srv->db;
	json_t *details;
	int r;

	if (db_begin(db, cause) < 0)
		return -1;
	r = db_case_transition(db, c->status, next, req->now, cause);
	if (r == 1 && db_event_insert(db, c->id, req->now, next->status,
	                  AUDIT_ROLE_OFFICER, cause) < 0)
		r = -1;
	if (r == 1 && note != NULL &&
	    db_note_insert(db, c->id, note, cause) != 1) {
		if (asprintf(cause, "transition: note id already used") < 0)
			abort();
		r = -1;
	}
	if (r == 1) {
		details = json_pack(
		    "{s:s, s:s}", "from", c->status, "to", next->status);
		if (next->outcome[0])
			json_object_set_new(
			    details, "outcome", json_string(next->outcome));
		if (note != NULL)
			json_object_set_new(
			    details, "note", json_string(note->id));
		if (audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_TRANSITION,
		        c->id, c->unit, details, cause) < 0)
			r = -1;
	}
	if (r == 1 && db_commit(db, cause) < 0)
		r = -1;
	if (r != 1)
		db_rollback(db);
	return r;
}

static int
route_case_transition_post_handle(struct request *req, struct response *res)
{
	static const char *const fields[] = {"to", "outcome", "note", NULL};
	const struct config_unit *unit;
	const struct db_officer *o;
	const char *to, *outcome;
	struct db_case c, next;
	struct db_note note, *np = NULL;
	json_t *nj = json_object_get(req->json, "note");
	char *cause = NULL;
	int r;

	if (work_only(req, res, fields) < 0 ||
	    work_string(req, res, "to", &to) < 0 ||
	    work_string(req, res, "outcome", &outcome) < 0)
		return 0;
	if (to == NULL)
		return reply_error(res, MANDATE_ERR_MISSING_FIELD, "to", NULL);
	if (work_case(req, res, &c, &o, &unit) < 0)
		return 0;
	if (!lifecycle_allowed(&unit->lc, c.status, to))
		return route_transition_refuse(res, unit, &c, to);
	if (route_transition_outcome(res, unit, to, outcome) < 0)
		return 0;
	if (nj != NULL && !json_is_null(nj)) {
		if (work_note_parse(res, nj, "note", &note) < 0)
			return 0;
		snprintf(note.author, sizeof note.author, "%s", req->who.user);
		note.created_at = req->now;
		np = &note;
	}
	work_next_state(unit, &c, to, outcome, req->now, &next);
	r = route_transition_store(req, &c, &next, np, &cause);
	if (np != NULL)
		free(note.body);
	if (r < 0)
		return work_internal(res, cause);
	if (r == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, "to",
		    "the case changed meanwhile: look again");
	log_info("case: %s %s -> %s by %s", c.id, c.status, to, req->who.user);
	return reply_json(res, 200, casejson_metadata(&next));
}

const struct route route_case_transition_post = {HTTP_POST,
    "/v1/cases/{id}/transition", ROLE_OFFICER, 128 * 1024,
    route_case_transition_post_handle, 0};
