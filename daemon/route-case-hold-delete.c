/*
 * DELETE /v1/cases/{id}/hold: lifts a legal hold (retention.h); the case
 * is purged at the next daily run once its retention has run out.
 */
#include "retention.h"
#include "routes.h"

static int
route_case_hold_delete_handle(struct request *req, struct response *res)
{
	return retention_hold(req, res, 0);
}

const struct route route_case_hold_delete = {HTTP_DELETE, "/v1/cases/{id}/hold",
    ROLE_OFFICER | ROLE_ADMIN, 0, route_case_hold_delete_handle, 0};
