/*
 * Receipt authentication and the submitter's coarse view of a case.
 */
#include "receipt.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "ratelimit.h"
#include "server.h"

/* Splits "<lookup>.<auth>" into its two 32-byte halves; 0 or -1. */
static int
receipt_parse_header(const char *h, unsigned char *lookup, unsigned char *auth)
{
	const char *dot = h ? strchr(h, '.') : NULL;
	unsigned char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int ret = -1;

	if (dot == NULL || strlen(h) > 200)
		return -1;
	a = crypt_b64_decode(h, (size_t)(dot - h), &alen);
	b = crypt_b64_decode(dot + 1, strlen(dot + 1), &blen);
	if (a != NULL && b != NULL && alen == CRYPT_HASH_LEN &&
	    blen == CRYPT_HASH_LEN) {
		memcpy(lookup, a, CRYPT_HASH_LEN);
		memcpy(auth, b, CRYPT_HASH_LEN);
		ret = 0;
	}
	if (b != NULL)
		crypt_wipe(b, blen);
	free(a);
	free(b);
	return ret;
}

static int
receipt_refuse(struct request *req, struct response *res)
{
	ratelimit_fail(req->srv->receipts, req->peer, req->now);
	return reply_error(res, MANDATE_ERR_BAD_RECEIPT, "receipt",
	    "no case answers to this receipt: check it and try again");
}

int
receipt_check(struct request *req, struct response *res)
{
	static const unsigned char dummy[CRYPT_HASH_LEN];
	unsigned char lookup[CRYPT_HASH_LEN], auth[CRYPT_HASH_LEN],
	    h[CRYPT_HASH_LEN];
	struct db_case *c = calloc(1, sizeof *c);
	struct db_submitter *sub = calloc(1, sizeof *sub);
	char *cause = NULL, msg[128];
	unsigned wait;
	int found, ok;

	if (c == NULL || sub == NULL)
		fatalx("receipt: out of memory");
	wait = ratelimit_wait(req->srv->receipts, req->peer, req->now);
	if (wait > 0) {
		snprintf(msg, sizeof msg,
		    "too many wrong receipts: try again in %u seconds", wait);
		reply_error(res, MANDATE_ERR_TOO_MANY_REQUESTS, "receipt", msg);
		res->retry_after = wait;
		goto fail;
	}
	if (receipt_parse_header(req->receipt, lookup, auth) < 0) {
		receipt_refuse(req, res);
		goto fail;
	}
	found = db_case_by_receipt(req->srv->db, lookup, c, sub, &cause);
	if (found < 0) {
		log_warnx("%s", cause);
		free(cause);
		reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
		goto fail;
	}
	/* The same work whether or not the lookup found a case. */
	crypt_hash(h, auth, sizeof auth);
	ok = crypt_equal(h, found ? sub->verifier : dummy, sizeof h) && found;
	crypt_wipe(auth, sizeof auth);
	if (!ok) {
		receipt_refuse(req, res);
		goto fail;
	}
	req->rcase = c;
	req->rsub = sub;
	return 1;
fail:
	free(c);
	free(sub);
	return 0;
}

const char *
receipt_coarse_status(const char *status)
{
	static const struct {
		const char *status, *coarse;
	} map[] = {
	    {"received", "received"},
	    {"acknowledged", "in assessment"},
	    {"assessment", "in assessment"},
	    {"in-conversation", "in assessment"},
	    {"in-review", "in assessment"},
	    {"investigation", "in assessment"},
	    {"referred", "referred"},
	    {"advice-given", "closed"},
	    {"closed", "closed"},
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(status, map[i].status) == 0)
			return map[i].coarse;
	return "in assessment";
}
