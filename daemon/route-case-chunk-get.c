/*
 * GET /v1/cases/{id}/attachments/{aid}/chunks/{n}: one encrypted chunk of
 * an attachment, for an officer holding a key copy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "thread.h"
#include "visibility.h"

/* The chunk, read and recorded in the caller's transaction: 1 with
 * *data, 0 not found, -1 error. */
static int
route_case_chunk_read(struct request *req, struct db_attachment *a,
    long long *seqp, unsigned char **data, size_t *len, char **cause)
{
	struct db_case c;
	char *end;
	int64_t officer_id;
	long long seq;
	int r;

	errno = 0;
	seq = *seqp = strtoll(req->param3, &end, 10);
	r = visibility_case(
	    req->srv, &req->who, req->param, &c, &officer_id, cause);
	if (r == 1 && (officer_id < 0 || !thread_id_valid(req->param2)))
		r = 0;
	if (r == 1)
		r = db_attachment_get(req->srv->db, req->param2, a, cause);
	if (r == 1 && (strcmp(a->case_id, c.id) != 0 || !a->complete || errno ||
	                  *end || end == req->param3 || seq < 0))
		r = 0;
	if (r == 1)
		r = db_attachment_chunk_get(
		    req->srv->db, a->id, seq, data, len, cause);
	if (r == 1 && audit_record(req, AUDIT_ROLE_OFFICER,
	                  AUDIT_ATTACHMENT_READ, c.id, c.unit,
	                  json_pack("{s:s, s:I}", "attachment", a->id, "chunk",
	                      (json_int_t)seq),
	                  cause) < 0)
		r = -1;
	return r;
}

static int
route_case_chunk_get_handle(struct request *req, struct response *res)
{
	struct db_attachment a = {0};
	unsigned char *data = NULL;
	char *cause = NULL, *b64;
	long long seq = 0;
	size_t len = 0;
	int r = db_begin(req->srv->db, &cause) < 0 ? -1 : 0;

	if (r == 0)
		r = route_case_chunk_read(req, &a, &seq, &data, &len, &cause);
	if (r >= 0 && db_commit(req->srv->db, &cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	free(a.meta);
	if (r < 0) {
		free(data);
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, NULL,
		    "no such attachment chunk");
	b64 = crypt_b64_encode(data, len);
	reply_json(res, 200,
	    json_pack("{s:s, s:I, s:s, s:b}", "id", a.id, "chunk",
	        (json_int_t)seq, "data", b64, "final", seq == a.chunks - 1));
	free(b64);
	free(data);
	return 0;
}

const struct route route_case_chunk_get = {HTTP_GET,
    "/v1/cases/{id}/attachments/{aid}/chunks/{n}", ROLE_OFFICER, 0,
    route_case_chunk_get_handle, 0};
