/*
 * GET /v1/units/{unit}/officers: the officers of a unit with their public
 * keys, for an officer's client that seals a case key to each of them
 * (referral), and for administrators.
 */
#include <stdlib.h>

#include "config.h"
#include "crypt.h"
#include "db.h"
#include "routes.h"
#include "server.h"
#include "work.h"

static int
route_unit_officers_get_handle(struct request *req, struct response *res)
{
	struct db_officer *rows = NULL;
	char fp[CRYPT_FINGERPRINT_LEN + 1], *cause = NULL, *pk;
	json_t *list;
	ssize_t n;

	if (config_unit_find(req->srv->cfg, req->param) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL);
	n = db_officer_list(req->srv->db, req->param, &rows, &cause);
	if (n < 0)
		return work_internal(res, cause);
	list = json_array();
	for (ssize_t i = 0; i < n; i++) {
		crypt_fingerprint(fp, rows[i].public_key);
		pk = crypt_b64_encode(rows[i].public_key, CRYPT_PK_LEN);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s}", "user", rows[i].user,
		              "public_key", pk, "fingerprint", fp));
		free(pk);
	}
	free(rows);
	return reply_json(res, 200,
	    json_pack("{s:s, s:o}", "unit", req->param, "officers", list));
}

const struct route route_unit_officers_get = {HTTP_GET,
    "/v1/units/{unit}/officers", ROLE_OFFICER | ROLE_ADMIN, 0,
    route_unit_officers_get_handle, 0};
