/*
 * POST /v1/cases/{id}/messages: an officer holding a key copy writes to
 * the submitter ("message") or asks their consent ("consent-request",
 * with a purpose and, for a referral, the unit).
 */
#include <stdlib.h>

#include "db.h"
#include "log.h"
#include "routes.h"
#include "thread.h"
#include "visibility.h"

static int
route_case_messages_post_handle(struct request *req, struct response *res)
{
	static const char *const kinds[] = {"message", "consent-request", NULL};
	struct db_case c;
	int64_t officer_id;
	char *cause = NULL;
	int r;

	r = visibility_case(
	    req->srv, &req->who, req->param, &c, &officer_id, &cause);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0 || officer_id < 0)
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	return thread_post_message(
	    req, res, c.id, "officer", req->who.user, kinds, 0);
}

const struct route route_case_messages_post = {HTTP_POST,
    "/v1/cases/{id}/messages", ROLE_OFFICER, 128 * 1024,
    route_case_messages_post_handle, 0};
