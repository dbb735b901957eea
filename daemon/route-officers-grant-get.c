/*
 * GET /v1/officers/grant?user=&unit=&after=&limit=: a batch (at most 100,
 * by case id after the cursor) of the unit's open cases the calling
 * officer holds and the newcomer lacks, with the caller's sealed copies
 * and the newcomer's public key, for the caller's client to re-seal.
 */
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "db.h"
#include "grant.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"
#include "work.h"

/* The query's limit (default and maximum GRANT_BATCH_MAX) and cursor:
 * 0, or -1 after replying. */
static int
route_grant_page(struct request *req, struct response *res, unsigned *limit,
    const char **after)
{
	const char *l = query_get(&req->query, "limit");
	char *end;
	long v = GRANT_BATCH_MAX;

	if (l != NULL) {
		v = strtol(l, &end, 10);
		if (*l == '\0' || *end != '\0' || v < 1 || v > GRANT_BATCH_MAX)
			return reply_error(res, MANDATE_ERR_BAD_QUERY, "limit",
			           "limit: 1 to 100"),
			       -1;
	}
	*limit = (unsigned)v;
	*after = query_get(&req->query, "after");
	if (*after == NULL)
		*after = "";
	else if (!mandate_case_id_valid(*after))
		return reply_error(res, MANDATE_ERR_BAD_QUERY, "after",
		           "after: a case id"),
		       -1;
	return 0;
}

static int
route_officers_grant_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {
	    "user", "unit", "after", "limit", NULL};
	struct grant_parties p;
	struct db_grant *rows = NULL;
	const char *after;
	char fp[CRYPT_FINGERPRINT_LEN + 1], *cause = NULL, *b64;
	unsigned limit;
	json_t *keys, *body;
	ssize_t n;

	if (query_only(req, res, allowed) < 0 ||
	    route_grant_page(req, res, &limit, &after) < 0 ||
	    grant_parties(req, res, query_get(&req->query, "unit"),
	        query_get(&req->query, "user"), &p) < 0)
		return 0;
	n = db_grant_list(req->srv->db, p.holder.id, p.unit, p.newcomer.id,
	    after, limit, &rows, &cause);
	if (n < 0)
		return work_internal(res, cause);
	keys = json_array();
	for (ssize_t i = 0; i < n; i++) {
		b64 = crypt_b64_encode(rows[i].sealed, CRYPT_SEALED_LEN);
		json_array_append_new(
		    keys, json_pack("{s:s, s:s}", "case", rows[i].case_id,
		              "sealed", b64));
		free(b64);
	}
	crypt_fingerprint(fp, p.newcomer.public_key);
	b64 = crypt_b64_encode(p.newcomer.public_key, CRYPT_PK_LEN);
	body = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?}", "user",
	    p.newcomer.user, "unit", p.unit, "public_key", b64, "fingerprint",
	    fp, "keys", keys, "next",
	    (size_t)n == limit ? rows[n - 1].case_id : NULL);
	free(b64);
	free(rows);
	return reply_json(res, 200, body);
}

const struct route route_officers_grant_get = {HTTP_GET, "/v1/officers/grant",
    ROLE_OFFICER, 0, route_officers_grant_get_handle, ROUTE_QUERY};
