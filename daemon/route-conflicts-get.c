/*
 * GET /v1/conflicts: the conflict register for administrators, without
 * names: each entry shows the officer, the unit and the keyed hash of the
 * name (the register holds no name in clear).
 */
#include <stdlib.h>

#include "conflict.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static int
route_conflicts_get_handle(struct request *req, struct response *res)
{
	struct db_conflict *rows;
	char hex[2 * CRYPT_HASH_LEN + 1], when[32], *cause = NULL;
	json_t *list;
	ssize_t n;

	if ((n = db_conflict_list(req->srv->db, &rows, &cause)) < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	list = json_array();
	for (ssize_t i = 0; i < n; i++) {
		crypt_hex(hex, rows[i].hash, CRYPT_HASH_LEN);
		format_time(when, sizeof when, rows[i].created_at);
		json_array_append_new(list,
		    json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		        (json_int_t)rows[i].id, "unit", rows[i].unit, "user",
		        rows[i].user, "name_hash", hex, "created_at", when));
	}
	free(rows);
	return reply_json(res, 200, json_pack("{s:o}", "conflicts", list));
}

const struct route route_conflicts_get = {
    HTTP_GET, "/v1/conflicts", ROLE_ADMIN, 0, route_conflicts_get_handle, 0};
