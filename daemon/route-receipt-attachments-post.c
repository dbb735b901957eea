/*
 * POST /v1/receipt/attachments {"id", "size", "header", "meta"}: the
 * submitter declares an attachment, encrypted by their client.
 */
#include "attach.h"
#include "db.h"
#include "routes.h"

static int
route_receipt_attachments_post_handle(struct request *req, struct response *res)
{
	return attach_create(req, res, req->rcase->id, "submitter");
}

const struct route route_receipt_attachments_post = {HTTP_POST,
    "/v1/receipt/attachments", ROLE_ANY, 16 * 1024,
    route_receipt_attachments_post_handle, ROUTE_RECEIPT};
