/*
 * GET /v1/units: the units cases can be routed to.  Everyone may list ids
 * and names (they are needed for subject_office); administrators also see
 * how many officers each unit has.
 */
#include "config.h"
#include "db.h"
#include "routes.h"
#include "server.h"

static int
route_units_get_handle(struct request *req, struct response *res)
{
	const struct config *cfg = req->srv->cfg;
	json_t *list = json_array(), *u;

	for (size_t i = 0; i < cfg->nunits; i++) {
		u = json_pack("{s:s, s:s}", "id", cfg->units[i].id, "name",
		    cfg->units[i].name);
		if (req->who.roles & ROLE_ADMIN)
			json_object_set_new(u, "officers",
			    json_integer(db_officer_count(
			        req->srv->db, cfg->units[i].id)));
		json_array_append_new(list, u);
	}
	return reply_json(res, 200, json_pack("{s:o}", "units", list));
}

const struct route route_units_get = {
    HTTP_GET, "/v1/units", ROLE_ANY, 0, route_units_get_handle, 0};
