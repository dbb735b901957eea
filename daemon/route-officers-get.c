/*
 * GET /v1/officers[?unit=U]: the enrolled officers and their key
 * fingerprints, for administrators.
 */
#include <stdlib.h>

#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"

static int
route_officers_get_handle(struct request *req, struct response *res)
{
	static const char *const allowed[] = {"unit", NULL};
	const char *unit = query_get(&req->query, "unit");
	struct db_officer *rows = NULL;
	char fp[CRYPT_FINGERPRINT_LEN + 1], when[32], *cause = NULL;
	json_t *list;
	ssize_t n;

	if (query_only(req, res, allowed) < 0)
		return 0;
	if (unit != NULL && config_unit_find(req->srv->cfg, unit) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL);
	n = db_officer_list(req->srv->db, unit, &rows, &cause);
	if (n < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	list = json_array();
	for (ssize_t i = 0; i < n; i++) {
		crypt_fingerprint(fp, rows[i].public_key);
		format_time(when, sizeof when, rows[i].enrolled_at);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s}", "user",
		              rows[i].user, "unit", rows[i].unit, "fingerprint",
		              fp, "enrolled_at", when));
	}
	free(rows);
	return reply_json(res, 200, json_pack("{s:o}", "officers", list));
}

const struct route route_officers_get = {HTTP_GET, "/v1/officers", ROLE_ADMIN,
    0, route_officers_get_handle, ROUTE_QUERY};
