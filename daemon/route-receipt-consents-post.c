/*
 * POST /v1/receipt/consents {"request", "answer": "yes"|"no"}: the
 * submitter answers an officer's request for consent; the answer is
 * recorded in clear on the case so that the daemon can enforce it.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "thread.h"

/* The answer and its audit entry, in one transaction: as
 * db_consent_answer(). */
static int
route_receipt_consents_store(
    struct request *req, const char *request, const char *answer, char **cause)
{
	int r;

	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	r = db_consent_answer(
	    req->srv->db, request, req->rcase->id, answer, req->now, cause);
	if (r == 1 &&
	    audit_record_case(req->srv, AUDIT_ACTOR_SUBMITTER,
	        AUDIT_ROLE_SUBMITTER, AUDIT_CONSENT_ANSWER, req->rcase->id,
	        json_pack("{s:s, s:s}", "request", request, "answer", answer),
	        req->now, cause) < 0)
		r = -1;
	if (r >= 0 && db_commit(req->srv->db, cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	return r;
}

static int
route_receipt_consents_post_handle(struct request *req, struct response *res)
{
	const char *key, *request = NULL, *answer = NULL;
	char *cause = NULL;
	json_t *v;
	int r;

	json_object_foreach(req->json, key, v)
	{
		if (strcmp(key, "request") && strcmp(key, "answer"))
			return reply_error(res, MANDATE_ERR_UNKNOWN_FIELD, key,
			    "not a field of a consent answer");
	}
	v = json_object_get(req->json, "request");
	request = json_is_string(v) ? json_string_value(v) : NULL;
	v = json_object_get(req->json, "answer");
	answer = json_is_string(v) ? json_string_value(v) : NULL;
	if (request == NULL || !thread_id_valid(request))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "request",
		    "request must be the id of a consent request");
	if (answer == NULL || (strcmp(answer, "yes") && strcmp(answer, "no")))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "answer",
		    "answer must be yes or no");
	r = route_receipt_consents_store(req, request, answer, &cause);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, "request",
		    "no such consent request on this case");
	if (r == 2)
		return reply_error(res, MANDATE_ERR_CONFLICT, "request",
		    "this request has been answered already");
	return reply_json(res, 200,
	    json_pack("{s:s, s:s}", "request", request, "answer", answer));
}

const struct route route_receipt_consents_post = {HTTP_POST,
    "/v1/receipt/consents", ROLE_ANY, 4096, route_receipt_consents_post_handle,
    ROUTE_RECEIPT};
