/*
 * POST /v1/cases/{id}/hold: places a legal hold (retention.h), for an
 * officer of Legal Affairs or an administrator.  A held case is never
 * purged.
 */
#include "retention.h"
#include "routes.h"

static int
route_case_hold_post_handle(struct request *req, struct response *res)
{
	return retention_hold(req, res, 1);
}

const struct route route_case_hold_post = {HTTP_POST, "/v1/cases/{id}/hold",
    ROLE_OFFICER | ROLE_ADMIN, 0, route_case_hold_post_handle, 0};
