/*
 * GET /v1/health: the daemon is up; who the caller is and in which role.
 */
#include "auth.h"
#include "config.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static int
route_health_get_handle(struct request *req, struct response *res)
{
	return reply_json(res, 200,
	    json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "status", "ok",
	        "version", MANDATE_VERSION, "api", MANDATE_API_VERSION, "user",
	        req->who.user, "role", auth_role_name(&req->who), "units",
	        (int)req->srv->cfg->nunits));
}

const struct route route_health_get = {
    HTTP_GET, "/v1/health", ROLE_ANY, 0, route_health_get_handle, 0};
