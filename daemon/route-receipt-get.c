/*
 * GET /v1/receipt: what the holder of a receipt may know of their case:
 * its unit, coarse status and due date, the case key sealed to the
 * receipt's key pair, and the thread (messages marked new since the last
 * look, consent requests, attachments).  With ?seen=1 (mandate status) the
 * messages count as read from now on; other commands leave the marks.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "receipt.h"
#include "routes.h"
#include "server.h"
#include "thread.h"

static int
route_receipt_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"seen", NULL};
	const char *mark = query_get(&req->query, "seen");
	const struct db_case *c = req->rcase;
	char received[32], due[32], *sealed, *cause = NULL;
	int64_t seen = db_case_seen(req->srv->db, c->id), last;
	json_t *body;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (mark != NULL && strcmp(mark, "1") != 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "seen",
		    "seen=1 marks the thread as read; leave it out otherwise");
	format_time(received, sizeof received, c->received_at);
	format_time(due, sizeof due, c->due_at);
	sealed = crypt_b64_encode(req->rsub->sealed, CRYPT_SEALED_LEN);
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id", c->id,
	    "unit", c->unit, "status", receipt_coarse_status(c->status),
	    "received_at", received, "due_at", due, "anonymous", c->anonymous,
	    "sealed_key", sealed);
	free(sealed);
	if (db_begin(req->srv->db, &cause) < 0)
		last = -1;
	else
		last = thread_add_json(
		    req->srv, c->id, THREAD_SUBMITTER, seen, body, &cause);
	if (last < 0 ||
	    (mark != NULL &&
	        db_case_set_seen(req->srv->db, c->id, last, &cause) < 0) ||
	    audit_record_case(req->srv, AUDIT_ACTOR_SUBMITTER,
	        AUDIT_ROLE_SUBMITTER, AUDIT_RECEIPT_READ, c->id, NULL, req->now,
	        &cause) < 0 ||
	    db_commit(req->srv->db, &cause) < 0) {
		db_rollback(req->srv->db);
		log_warnx("%s", cause);
		free(cause);
		json_decref(body);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	return reply_json(res, 200, body);
}

const struct route route_receipt_get = {HTTP_GET, "/v1/receipt", ROLE_ANY, 0,
    route_receipt_get_handle, ROUTE_RECEIPT | ROUTE_QUERY};
