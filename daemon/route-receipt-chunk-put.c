/*
 * PUT /v1/receipt/attachments/{aid}/chunks/{n} {"data", "final"}: the
 * submitter sends an attachment's chunks, in order.
 */
#include "attach.h"
#include "db.h"
#include "routes.h"

static int
route_receipt_chunk_put_handle(struct request *req, struct response *res)
{
	return attach_chunk(req, res, req->rcase->id, req->param, req->param2);
}

const struct route route_receipt_chunk_put = {HTTP_PUT,
    "/v1/receipt/attachments/{aid}/chunks/{n}", ROLE_ANY,
    (ATTACH_CHUNK_MAX + 64) * 4 / 3 + 1024, route_receipt_chunk_put_handle,
    ROUTE_RECEIPT};
