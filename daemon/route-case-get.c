/*
 * GET /v1/cases/{id}: a case's metadata, to those who may see it.
 */
#include <stdlib.h>

#include "casejson.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "visibility.h"

static int
route_case_get_handle(struct request *req, struct response *res)
{
	struct db_case c;
	char *cause = NULL;

	switch (visibility_case(req->srv, &req->who, req->param, &c, NULL,
	    &cause)) {
	case 1:
		return reply_json(res, 200, casejson_metadata(&c));
	case 0:
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	}
	log_warnx("%s", cause);
	free(cause);
	return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
}

const struct route route_case_get = {HTTP_GET, "/v1/cases/{id}",
    ROLE_STAFF | ROLE_OFFICER | ROLE_AUDITOR, 0, route_case_get_handle, 0};
