/*
 * POST /v1/cases: submit a case.  201 with its id, unit, status and due
 * date once it is durable; with the receipt when the daemon drew it.  An
 * Idempotency-Key header makes a retry return the first answer (200,
 * "replayed": true) instead of a second case.
 */
#include <stdlib.h>
#include <string.h>

#include "casejson.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "intake.h"
#include "log.h"
#include "mandate/api.h"
#include "ratelimit.h"
#include "routes.h"
#include "server.h"

static json_t *
route_cases_post_body(const struct intake_result *r)
{
	json_t *body = casejson_metadata(&r->c), *matched = json_array();

	for (size_t i = 0; i < r->decision.nmatched; i++)
		json_array_append_new(
		    matched, json_string(r->decision.matched[i]));
	json_object_set_new(body, "matched", matched);
	json_object_set_new(body, "receipt",
	    r->receipt[0] ? json_string(r->receipt) : json_null());
	return body;
}

/*
 * Hashes the idempotency key and the body under the index key.  Returns 1
 * when the request carries a key, 0 when not, -1 (res filled) when the key
 * is malformed.
 */
static int
route_cases_post_idem(
    struct request *req, struct response *res, struct intake_idem *idem)
{
	const char *k = req->idempotency_key;
	size_t n = k ? strlen(k) : 0;

	if (k == NULL)
		return 0;
	if (n < 16 || n > 128) {
		reply_error(res, MANDATE_ERR_BAD_FIELD, "Idempotency-Key",
		    "the Idempotency-Key header must have 16 to 128 "
		    "characters");
		return -1;
	}
	crypt_keyed_hash(idem->key_hash, req->srv->index_key, k, n);
	crypt_keyed_hash(
	    idem->body_hash, req->srv->index_key, req->body, req->body_len);
	return 1;
}

/* A retry of a submission already taken in: its answer again. */
static int
route_cases_post_replay(struct request *req, struct response *res,
    const struct intake_idem *idem, int *done)
{
	unsigned char body_hash[CRYPT_HASH_LEN];
	char case_id[16], *cause = NULL;
	struct db_case c;
	json_t *body;
	int r;

	*done = 1;
	r = db_idem_get(req->srv->db, idem->key_hash, case_id, sizeof case_id,
	    body_hash, &cause);
	if (r == 1)
		r = db_case_get(req->srv->db, case_id, &c, &cause);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0) {
		*done = 0;
		return 0;
	}
	if (!crypt_equal(body_hash, idem->body_hash, sizeof body_hash))
		return reply_error(res, MANDATE_ERR_IDEMPOTENCY_KEY_REUSED,
		    "Idempotency-Key", NULL);
	body = casejson_metadata(&c);
	json_object_set_new(body, "replayed", json_true());
	json_object_set_new(body, "receipt", json_null());
	log_info("intake: retry of case %s answered again", c.id);
	return reply_json(res, 200, body);
}

/*
 * The per-peer submission limit ([daemon] submit_limit in
 * submit_window_seconds): 1 with res filled (429, Retry-After) when the
 * peer has reached it, else 0.  The counts live in memory only, and the
 * refusal is logged without the peer, so that an anonymous submitter is
 * linked to nothing.  A server without a limiter (unit tests) has none.
 */
static int
route_cases_post_limited(struct request *req, struct response *res)
{
	char msg[160];
	unsigned wait;

	if (req->srv->submissions == NULL || req->peer == NULL)
		return 0;
	wait = ratelimit_wait(req->srv->submissions, req->peer, req->now);
	if (wait == 0)
		return 0;
	log_notice("intake: submission refused: the per-peer limit of %u "
	           "in %u s is reached",
	    req->srv->cfg->submit_limit, req->srv->cfg->submit_window);
	snprintf(msg, sizeof msg,
	    "too many submissions from you: try again in %u seconds", wait);
	res->retry_after = wait;
	reply_error(res, MANDATE_ERR_TOO_MANY_REQUESTS, NULL, msg);
	return 1;
}

static int
route_cases_post_handle(struct request *req, struct response *res)
{
	struct case_input in;
	struct case_error err;
	struct intake_result r;
	struct intake_idem idem;
	char *cause = NULL;
	int has_idem, done;

	if (casejson_parse(req->json, req->srv->cfg, 0, &in, &err) < 0)
		return reply_error(res, err.err, err.field, err.message);
	if ((has_idem = route_cases_post_idem(req, res, &idem)) < 0)
		return 0;
	if (has_idem) {
		route_cases_post_replay(req, res, &idem, &done);
		if (done)
			return 0;
	}
	if (route_cases_post_limited(req, res))
		return 0;
	if (intake_submit(req->srv, &req->who, &in, has_idem ? &idem : NULL,
	        req->now, &r, &err, &cause) < 0) {
		if (cause != NULL)
			log_warnx("%s", cause);
		free(cause);
		return reply_error(res, err.err, err.field, err.message);
	}
	log_info("intake: case %s to %s by rule %s%s", r.c.id, r.c.unit,
	    r.c.rule, r.c.recused ? " (recused)" : "");
	if (req->srv->submissions != NULL && req->peer != NULL)
		ratelimit_count(req->srv->submissions, req->peer, req->now);
	reply_json(res, 201, route_cases_post_body(&r));
	crypt_wipe(r.receipt, sizeof r.receipt);
	rules_decision_clear(&r.decision);
	return 0;
}

const struct route route_cases_post = {HTTP_POST, "/v1/cases", ROLE_ANY,
    MANDATE_NARRATIVE_MAX_BYTES * 7 + 16384, route_cases_post_handle, 0};
