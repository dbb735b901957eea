/*
 * POST /v1/cases/{id}/refer {"to", "keys": [{"user", "sealed"}], "keep",
 * "note"?}: an officer holding a key copy refers the case to another
 * unit.  Their client has sealed the case key to every officer of that
 * unit (the daemon checks the set is complete); the case enters the
 * unit's lifecycle at "received" with a new due date, keeps its history,
 * and the referring unit's copies stay (keep) or go.  A referral out of a
 * unit with referral_needs_consent needs the submitter's recorded yes.
 * Copies, move, history, note and audit entry: one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casejson.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "deadline.h"
#include "lifecycle.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "work.h"

struct refer {
	const struct config_unit *to;
	struct db_officer *officers; /* the target unit's */
	size_t nofficers;
	unsigned char (*sealed)[CRYPT_SEALED_LEN]; /* one per officer */
	int keep;
	struct db_note note, *np;
};

/* Fills rf->sealed from "keys": exactly one 80-byte copy per officer of
 * the target unit.  0, or -1 after replying. */
static int
route_refer_keys(struct response *res, const json_t *keys, struct refer *rf)
{
	size_t i, j, len;
	json_t *k;
	unsigned char *blob;
	char *seen = calloc(rf->nofficers + 1, 1), msg[200];

	if (seen == NULL)
		abort();
	json_array_foreach(keys, i, k)
	{
		const char *u = json_string_value(json_object_get(k, "user"));
		const char *b = json_string_value(json_object_get(k, "sealed"));
		for (j = 0; u != NULL && j < rf->nofficers; j++)
			if (strcmp(rf->officers[j].user, u) == 0)
				break;
		if (u == NULL || b == NULL || json_object_size(k) != 2 ||
		    j == rf->nofficers || seen[j]) {
			snprintf(msg, sizeof msg,
			    "keys[%zu]: one {\"user\", \"sealed\"} per officer "
			    "of %s, each once",
			    i, rf->to->id);
			free(seen);
			return reply_error(
			           res, MANDATE_ERR_BAD_FIELD, "keys", msg),
			       -1;
		}
		blob = crypt_b64_decode(b, strlen(b), &len);
		if (blob == NULL || len != CRYPT_SEALED_LEN) {
			free(blob);
			free(seen);
			return reply_error(res, MANDATE_ERR_BAD_FIELD, "keys",
			           "each sealed copy is 80 bytes of base64"),
			       -1;
		}
		memcpy(rf->sealed[j], blob, len);
		free(blob);
		seen[j] = 1;
	}
	for (j = 0; j < rf->nofficers && seen[j]; j++)
		;
	free(seen);
	if (j == rf->nofficers)
		return 0;
	snprintf(msg, sizeof msg,
	    "no sealed copy for %s: every officer of %s needs one (mandate "
	    "refer fetches the list again)",
	    rf->officers[j].user, rf->to->id);
	return reply_error(res, MANDATE_ERR_CONFLICT, "keys", msg), -1;
}

/* The target unit, its officers and the consent rule.  0 or -1 (replied). */
static int
route_refer_target(struct request *req, struct response *res,
    const struct db_case *c, const struct config_unit *from, struct refer *rf)
{
	const char *to = json_string_value(json_object_get(req->json, "to"));
	char msg[300], *cause = NULL;
	ssize_t n;
	int r;

	if (to == NULL)
		return reply_error(res, MANDATE_ERR_MISSING_FIELD, "to", NULL),
		       -1;
	if ((rf->to = config_unit_find(req->srv->cfg, to)) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "to", NULL),
		       -1;
	if (strcmp(to, c->unit) == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, "to",
		           "the case is in this unit already"),
		       -1;
	if (from->referral_consent) {
		r = db_consent_refer_given(req->srv->db, c->id, to);
		if (r < 0)
			return work_internal(res, NULL), -1;
		if (r == 0) {
			snprintf(msg, sizeof msg,
			    "a referral out of %s needs the submitter's "
			    "consent: ask for it with mandate message %s "
			    "--ask-consent refer --unit %s",
			    c->unit, c->id, to);
			return reply_error(
			           res, MANDATE_ERR_CONFLICT, "to", msg),
			       -1;
		}
	}
	n = db_officer_list(req->srv->db, to, &rf->officers, &cause);
	if (n < 0)
		return work_internal(res, cause), -1;
	rf->nofficers = (size_t)n;
	if (n == 0)
		return reply_error(res, MANDATE_ERR_UNIT_HAS_NO_OFFICER, "to",
		           "the target unit has no enrolled officer"),
		       -1;
	return 0;
}

/* The audit entry of a referral. */
static int
route_refer_audit(struct request *req, const struct db_case *c,
    const struct refer *rf, int64_t copies, char **cause)
{
	json_t *d = json_pack("{s:s, s:s, s:b, s:I, s:b}", "from", c->unit,
	    "to", rf->to->id, "keep", rf->keep, "key_copies",
	    (json_int_t)copies, "reason", rf->np != NULL);

	return audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_REFER, c->id,
	    c->unit, d, cause);
}

/* The one transaction.  0 or -1. */
static int
route_refer_store(struct request *req, const struct db_case *c,
    const struct refer *rf, char **cause)
{
	struct db *db = req->srv->db;
	int64_t due =
	    deadline_add_working_days(req->now, rf->to->acknowledge_days);
	int64_t copies;
	int r = db_begin(db, cause);

	for (size_t i = 0; r == 0 && i < rf->nofficers; i++)
		if (db_case_key_put(db, c->id, rf->officers[i].id,
		        rf->sealed[i], cause) < 0)
			r = -1;
	if (r == 0 && !rf->keep &&
	    db_case_key_drop_unit(db, c->id, c->unit, cause) < 0)
		r = -1;
	if (r == 0 &&
	    (db_case_move(db, c->id, rf->to->id, req->now, due, cause) < 0 ||
	        db_event_insert(db, c->id, req->now, LIFECYCLE_START,
	            AUDIT_ROLE_OFFICER, cause) < 0))
		r = -1;
	if (r == 0 && rf->np != NULL &&
	    db_note_insert(db, c->id, rf->np, cause) != 1)
		r = -1;
	copies = r == 0 ? db_case_key_count(db, c->id) : -1;
	if (r == 0 && copies <= 0) /* no path leaves a case without a copy */
		r = -1;
	if (r == 0 && (route_refer_audit(req, c, rf, copies, cause) < 0 ||
	                  db_commit(db, cause) < 0))
		r = -1;
	if (r < 0)
		db_rollback(db);
	return r;
}

/* The fields' shapes: 0, or -1 after replying. */
static int
route_refer_fields(struct request *req, struct response *res, struct refer *rf)
{
	static const char *const fields[] = {
	    "to", "keys", "keep", "note", NULL};
	const char *to;
	json_t *keep = json_object_get(req->json, "keep");
	json_t *note = json_object_get(req->json, "note");

	if (work_only(req, res, fields) < 0 ||
	    work_string(req, res, "to", &to) < 0)
		return -1;
	if (!json_is_array(json_object_get(req->json, "keys")))
		return reply_error(res, MANDATE_ERR_MISSING_FIELD, "keys",
		           "keys: an array of {\"user\", \"sealed\"}"),
		       -1;
	if (keep != NULL && !json_is_boolean(keep))
		return reply_error(res, MANDATE_ERR_WRONG_TYPE, "keep",
		           "expected true or false"),
		       -1;
	rf->keep = keep != NULL && json_is_true(keep);
	if (note != NULL && !json_is_null(note)) {
		if (work_note_parse(res, note, "note", &rf->note) < 0)
			return -1;
		snprintf(rf->note.author, sizeof rf->note.author, "%s",
		    req->who.user);
		rf->note.created_at = req->now;
		rf->np = &rf->note;
	}
	return 0;
}

static int
route_case_refer_post_handle(struct request *req, struct response *res)
{
	struct refer rf = {0};
	const struct config_unit *unit;
	const struct db_officer *o;
	struct db_case c;
	char *cause = NULL;
	int r = -1;

	if (route_refer_fields(req, res, &rf) < 0 ||
	    work_case(req, res, &c, &o, &unit) < 0 ||
	    route_refer_target(req, res, &c, unit, &rf) < 0)
		goto out;
	rf.sealed = calloc(rf.nofficers, sizeof rf.sealed[0]);
	if (rf.sealed == NULL)
		abort();
	if (route_refer_keys(res, json_object_get(req->json, "keys"), &rf) < 0)
		goto out;
	if (route_refer_store(req, &c, &rf, &cause) < 0) {
		work_internal(res, cause);
		goto out;
	}
	log_info("case: %s referred from %s to %s by %s (%s)", c.id, c.unit,
	    rf.to->id, req->who.user, rf.keep ? "kept" : "dropped");
	if (db_case_get(req->srv->db, c.id, &c, &cause) != 1) {
		work_internal(res, cause);
		goto out;
	}
	r = reply_json(res, 200, casejson_metadata(&c));
out:
	free(rf.officers);
	if (rf.sealed != NULL)
		crypt_wipe(rf.sealed, rf.nofficers * sizeof rf.sealed[0]);
	free(rf.sealed);
	free(rf.note.body);
	return r < 0 ? 0 : r;
}

const struct route route_case_refer_post = {HTTP_POST, "/v1/cases/{id}/refer",
    ROLE_OFFICER, 256 * 1024, route_case_refer_post_handle, 0};
