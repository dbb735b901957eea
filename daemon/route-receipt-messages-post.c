/*
 * POST /v1/receipt/messages: the submitter writes to the officers
 * ("message") or adds to the narrative ("addition"), encrypted by their
 * client under the case key.
 */
#include "db.h"
#include "routes.h"
#include "thread.h"

static int
route_receipt_messages_post_handle(struct request *req, struct response *res)
{
	static const char *const kinds[] = {"message", "addition", NULL};

	return thread_post_message(req, res, req->rcase->id, "submitter", NULL,
	    kinds, req->rcase->anonymous);
}

const struct route route_receipt_messages_post = {HTTP_POST,
    "/v1/receipt/messages", ROLE_ANY, 128 * 1024,
    route_receipt_messages_post_handle, ROUTE_RECEIPT};
