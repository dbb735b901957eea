/*
 * GET /v1/cases: a confidential submitter's own cases (found by the blind
 * index of their user name), with the coarse status they may see.
 * Anonymous cases are not linked to anyone and never appear here.
 */
#include <stdlib.h>

#include "audit.h"
#include "db.h"
#include "intake.h"
#include "log.h"
#include "receipt.h"
#include "routes.h"
#include "server.h"

/*
 * The caller's cases, read in the transaction of the audit entry that
 * records the reading: it names neither the caller nor the cases nor how
 * many, so that the log does not link a person to their cases.
 */
static ssize_t
route_cases_read(struct request *req, const unsigned char *tag,
    struct db_case **rows, char **cause)
{
	struct audit_event ev = {AUDIT_ACTOR_SUBMITTER, AUDIT_ROLE_STAFF,
	    AUDIT_CASE_LIST_OWN, NULL, NULL, NULL, req->now, 0};
	ssize_t n;

	*rows = NULL;
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	n = db_case_of_submitter(req->srv->db, tag, rows, cause);
	/* The actor is "submitter", not the user: auditors never learn who
	 * submits or follows cases, and the time of a named listing could
	 * point at who filed an anonymous case just before. */
	if (n >= 0 && (audit_append(req->srv, &ev, NULL, cause) < 0 ||
	                  db_commit(req->srv->db, cause) < 0)) {
		free(*rows);
		*rows = NULL;
		n = -1;
	}
	if (n < 0)
		db_rollback(req->srv->db);
	return n;
}

static int
route_cases_get_handle(struct request *req, struct response *res)
{
	unsigned char tag[CRYPT_HASH_LEN];
	struct db_case *rows = NULL;
	char received[32], due[32], *cause = NULL;
	json_t *list;
	ssize_t n;

	intake_submitter_tag(req->srv, req->who.user, tag);
	n = route_cases_read(req, tag, &rows, &cause);
	if (n < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	list = json_array();
	for (ssize_t i = 0; i < n; i++) {
		format_time(received, sizeof received, rows[i].received_at);
		format_time(due, sizeof due, rows[i].due_at);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id",
		              rows[i].id, "unit", rows[i].unit, "status",
		              receipt_coarse_status(rows[i].status),
		              "received_at", received, "due_at", due));
	}
	free(rows);
	return reply_json(res, 200, json_pack("{s:o}", "cases", list));
}

const struct route route_cases_get = {
    HTTP_GET, "/v1/cases", ROLE_ANY, 0, route_cases_get_handle, 0};
