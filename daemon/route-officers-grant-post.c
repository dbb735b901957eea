/*
 * POST /v1/officers/grant {"user", "unit"?, "keys": [{"case", "sealed"}]}:
 * the calling officer's client hands a newcomer copies of case keys it
 * re-sealed to them (at most 100 a batch).  Each case must be an open
 * case of the unit the caller holds; one the newcomer holds already is
 * skipped, so a rerun sends and stores only what is missing.  The batch
 * and its audit entry are one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypt.h"
#include "db.h"
#include "grant.h"
#include "lifecycle.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"
#include "work.h"

/* Stores one copy: 1 stored, 0 held already, 2 not grantable, -1 error. */
static int
route_grant_one(struct request *req, const struct grant_parties *p,
    const json_t *k, char **cause)
{
	const char *id = json_string_value(json_object_get(k, "case"));
	const char *b64 = json_string_value(json_object_get(k, "sealed"));
	unsigned char *sealed;
	struct db_case c;
	size_t len = 0;
	int r;

	if (id == NULL || b64 == NULL || !mandate_case_id_valid(id))
		return 2;
	if ((r = db_case_get(req->srv->db, id, &c, cause)) <= 0)
		return r < 0 ? -1 : 2;
	if (strcmp(c.unit, p->unit) != 0 ||
	    strcmp(c.status, LIFECYCLE_END) == 0)
		return 2;
	if ((r = db_case_key_held(req->srv->db, id, p->holder.id, cause)) != 1)
		return r < 0 ? -1 : 2;
	sealed = crypt_b64_decode(b64, strlen(b64), &len);
	if (sealed == NULL || len != CRYPT_SEALED_LEN)
		r = 2;
	else
		r = db_case_key_put(
		    req->srv->db, id, p->newcomer.id, sealed, cause);
	free(sealed);
	return r;
}

/* The batch: 0 with *stored, 1 when keys[*bad] is not grantable, -1. */
static int
route_grant_store(struct request *req, const struct grant_parties *p,
    const json_t *keys, size_t *stored, size_t *bad, char **cause)
{
	struct db *db = req->srv->db;
	json_t *k;
	size_t i;
	int r = db_begin(db, cause) < 0 ? -1 : 0;

	*stored = 0;
	json_array_foreach(keys, i, k)
	{
		int one = r == 0 ? route_grant_one(req, p, k, cause) : 0;
		if (one < 0 || one == 2) {
			r = one < 0 ? -1 : 1;
			*bad = i;
			break;
		}
		*stored += (size_t)one;
	}
	if (r == 0 && (audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_GRANT,
	                   NULL, p->unit,
	                   json_pack("{s:s, s:I}", "officer", p->newcomer.user,
	                       "key_copies", (json_int_t)*stored),
	                   cause) < 0 ||
	                  db_commit(db, cause) < 0))
		r = -1;
	if (r != 0)
		db_rollback(db);
	return r;
}

static int
route_officers_grant_post_handle(struct request *req, struct response *res)
{
	static const char *const fields[] = {"user", "unit", "keys", NULL};
	const char *user, *unit;
	json_t *keys = json_object_get(req->json, "keys");
	struct grant_parties p;
	size_t stored = 0, bad = 0;
	char msg[256], *cause = NULL;
	int r;

	if (work_only(req, res, fields) < 0 ||
	    work_string(req, res, "user", &user) < 0 ||
	    work_string(req, res, "unit", &unit) < 0)
		return 0;
	if (!json_is_array(keys) || json_array_size(keys) > GRANT_BATCH_MAX)
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "keys",
		    "keys: an array of at most 100 {\"case\", \"sealed\"}");
	if (grant_parties(req, res, unit, user, &p) < 0)
		return 0;
	r = route_grant_store(req, &p, keys, &stored, &bad, &cause);
	if (r < 0)
		return work_internal(res, cause);
	if (r == 1) {
		snprintf(msg, sizeof msg,
		    "keys[%zu]: not an open case of %s of which you hold a "
		    "copy, or not 80 bytes of base64",
		    bad, p.unit);
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "keys", msg);
	}
	log_info("officers: %s granted %zu case keys of %s to %s",
	    req->who.user, stored, p.unit, p.newcomer.user);
	return reply_json(res, 200,
	    json_pack("{s:s, s:s, s:I}", "user", p.newcomer.user, "unit",
	        p.unit, "stored", (json_int_t)stored));
}

const struct route route_officers_grant_post = {HTTP_POST, "/v1/officers/grant",
    ROLE_OFFICER, 64 * 1024, route_officers_grant_post_handle, 0};
