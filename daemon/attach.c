/*
 * Storing attachments chunk by chunk, within the configured limits.
 */
#include "attach.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "server.h"
#include "thread.h"

static int
attach_internal(struct response *res, char *cause)
{
	log_warnx("%s", cause);
	free(cause);
	return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
}

/* A base64 member of exactly want bytes (0: 1..max bytes) into *out. */
static unsigned char *
attach_b64(
    const json_t *obj, const char *name, size_t want, size_t max, size_t *len)
{
	json_t *v = json_object_get(obj, name);
	unsigned char *bin;

	if (!json_is_string(v))
		return NULL;
	bin =
	    crypt_b64_decode(json_string_value(v), json_string_length(v), len);
	if (bin != NULL && (want ? *len != want : (*len == 0 || *len > max))) {
		free(bin);
		bin = NULL;
	}
	return bin;
}

/* The audit entry of an attachment's life, in the caller's transaction:
 * the receipt holder is "submitter", an officer their login name. */
static int
attach_record(struct request *req, const char *case_id, const char *author_role,
    const char *action, json_t *details, char **cause)
{
	int officer = strcmp(author_role, "officer") == 0;

	return audit_record_case(req->srv,
	    officer ? req->who.user : AUDIT_ACTOR_SUBMITTER,
	    officer ? AUDIT_ROLE_OFFICER : AUDIT_ROLE_SUBMITTER, action,
	    case_id, details, req->now, cause);
}

/* Stores a new attachment and records it: as db_attachment_insert(). */
static int
attach_store(struct request *req, const struct db_attachment *a, char **cause)
{
	int r;

	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	r = db_attachment_insert(req->srv->db, a, cause);
	if (r == 1 && attach_record(req, a->case_id, a->author_role,
	                  AUDIT_ATTACHMENT_CREATE,
	                  json_pack("{s:s, s:I}", "attachment", a->id, "size",
	                      (json_int_t)a->size),
	                  cause) < 0)
		r = -1;
	if (r >= 0 && db_commit(req->srv->db, cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	return r;
}

static int
attach_check_fields(
    struct request *req, struct response *res, const char *const *known)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(req->json, key, v)
	{
		for (i = 0; known[i] != NULL && strcmp(key, known[i]); i++)
			;
		if (known[i] == NULL)
			return reply_error(res, MANDATE_ERR_UNKNOWN_FIELD, key,
			           "not a field of an attachment"),
			       -1;
	}
	return 0;
}

/* An upload left incomplete this long is abandoned: it is deleted and no
 * longer counts against the case's limit. */
#define ATTACH_STALE_SECONDS 86400

/* The declared size against the per-file and per-case limits. */
static int
attach_check_size(struct request *req, struct response *res,
    const char *case_id, json_int_t size)
{
	const struct config *cfg = req->srv->cfg;
	int64_t since = req->now - ATTACH_STALE_SECONDS, used;
	char msg[160], *cause = NULL;

	if (db_attachment_delete_stale(req->srv->db, case_id, since, &cause) <
	    0)
		return attach_internal(res, cause), -1;
	used = db_attachment_case_bytes(req->srv->db, case_id, since);

	if (size < 0)
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "size",
		           "size must be the file's size in bytes"),
		       -1;
	if (size > cfg->attachment_max) {
		snprintf(msg, sizeof msg,
		    "the file has %lld bytes; at most %lld are allowed per "
		    "file",
		    (long long)size, (long long)cfg->attachment_max);
		return reply_error(
		           res, MANDATE_ERR_ATTACHMENT_TOO_LARGE, "size", msg),
		       -1;
	}
	if (used < 0 || used + size > cfg->case_attachments_max) {
		snprintf(msg, sizeof msg,
		    "this case would hold more than %lld bytes of attachments",
		    (long long)cfg->case_attachments_max);
		return reply_error(
		           res, MANDATE_ERR_ATTACHMENT_TOO_LARGE, "size", msg),
		       -1;
	}
	return 0;
}

/*
 * A declaration whose id exists already: the same declaration again (a
 * retry after a lost reply) answers 200; anything else 409.  Returns 0
 * when the id is new, 1 when res is filled.
 */
static int
attach_replay(
    struct request *req, struct response *res, const struct db_attachment *a)
{
	struct db_attachment old = {0};
	char *cause = NULL;
	int r = db_attachment_get(req->srv->db, a->id, &old, &cause);

	if (r < 0)
		return attach_internal(res, cause), 1;
	if (r == 0)
		return 0;
	if (strcmp(old.case_id, a->case_id) == 0 && old.size == a->size &&
	    memcmp(old.header, a->header, sizeof a->header) == 0 &&
	    old.metalen == a->metalen &&
	    memcmp(old.meta, a->meta, a->metalen) == 0)
		reply_json(res, 200,
		    json_pack("{s:s, s:b}", "id", a->id, "replayed", 1));
	else
		reply_error(res, MANDATE_ERR_CONFLICT, "id",
		    "this attachment id is taken: draw another");
	free(old.meta);
	return 1;
}

int
attach_create(struct request *req, struct response *res, const char *case_id,
    const char *author_role)
{
	static const char *const known[] = {
	    "id", "size", "header", "meta", NULL};
	struct db_attachment a;
	json_t *id = json_object_get(req->json, "id"),
	       *size = json_object_get(req->json, "size");
	unsigned char *header = NULL;
	size_t len = 0;
	char *cause = NULL;
	int r;

	if (attach_check_fields(req, res, known) < 0)
		return 0;
	if (!json_is_string(id) || !thread_id_valid(json_string_value(id)))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "id",
		    "id must be 32 lower-case hex digits chosen by the client");
	if (!json_is_integer(size))
		return reply_error(res, MANDATE_ERR_WRONG_TYPE, "size",
		    "size must be a whole number of bytes");
	memset(&a, 0, sizeof a);
	header =
	    attach_b64(req->json, "header", CRYPT_STREAM_HEADER_LEN, 0, &len);
	a.meta = attach_b64(req->json, "meta", 0, 4096, &a.metalen);
	if (header == NULL || a.meta == NULL) {
		reply_error(res, MANDATE_ERR_BAD_FIELD,
		    header ? "meta" : "header",
		    header ? "meta must be a base64 box of at most 4 KiB"
		           : "header must be a base64 secretstream header");
		goto out;
	}
	snprintf(a.id, sizeof a.id, "%s", json_string_value(id));
	snprintf(a.case_id, sizeof a.case_id, "%s", case_id);
	snprintf(a.author_role, sizeof a.author_role, "%s", author_role);
	memcpy(a.header, header, CRYPT_STREAM_HEADER_LEN);
	a.created_at = req->now;
	a.size = json_integer_value(size);
	r = attach_replay(req, res, &a);
	if (r != 0 ||
	    attach_check_size(req, res, case_id, json_integer_value(size)) < 0)
		goto out;
	r = attach_store(req, &a, &cause);
	if (r < 0)
		attach_internal(res, cause);
	else if (r == 0)
		reply_error(res, MANDATE_ERR_CONFLICT, "id",
		    "this attachment id is taken: draw another");
	else
		reply_json(res, 201, json_pack("{s:s}", "id", a.id));
out:
	free(header);
	free(a.meta);
	return 0;
}

/* Deletes a file that broke its declaration, and says why. */
static int
attach_reject(struct request *req, struct response *res,
    const struct db_attachment *a, const char *why)
{
	char *cause = NULL;

	if (db_begin(req->srv->db, &cause) < 0 ||
	    db_attachment_delete(req->srv->db, a->id, &cause) < 0 ||
	    attach_record(req, a->case_id, a->author_role,
	        AUDIT_ATTACHMENT_DISCARD,
	        json_pack("{s:s}", "attachment", a->id), &cause) < 0 ||
	    db_commit(req->srv->db, &cause) < 0) {
		db_rollback(req->srv->db);
		return attach_internal(res, cause);
	}
	return reply_error(res, MANDATE_ERR_BAD_FIELD, "data", why);
}

static int
attach_store_chunk(struct request *req, const struct db_attachment *a,
    const unsigned char *data, size_t len, int final, char **cause)
{
	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	if (db_attachment_chunk_add(
	        req->srv->db, a->id, a->chunks, data, len, cause) < 0 ||
	    (final && db_attachment_complete(req->srv->db, a->id, cause) < 0) ||
	    (final && attach_record(req, a->case_id, a->author_role,
	                  AUDIT_ATTACHMENT_COMPLETE,
	                  json_pack("{s:s, s:I}", "attachment", a->id, "chunks",
	                      (json_int_t)(a->chunks + 1)),
	                  cause) < 0) ||
	    db_commit(req->srv->db, cause) < 0) {
		db_rollback(req->srv->db);
		return -1;
	}
	return 0;
}

/* Checks one chunk against the declared size; 0, or -1 with res filled. */
static int
attach_check_chunk(struct request *req, struct response *res,
    const struct db_attachment *a, size_t len, int final)
{
	int64_t allowed = a->size + (a->chunks + 1) * CRYPT_STREAM_ABYTES;
	int64_t after = a->stored + (int64_t)len;

	if (after > allowed)
		return attach_reject(req, res, a,
		           "the chunks bring more bytes than the declared "
		           "size: the "
		           "attachment is discarded"),
		       -1;
	if (final && after != allowed)
		return attach_reject(req, res, a,
		           "the chunks bring fewer bytes than the declared "
		           "size: the "
		           "attachment is discarded"),
		       -1;
	return 0;
}

int
attach_chunk(struct request *req, struct response *res, const char *case_id,
    const char *aid, const char *n)
{
	static const char *const known[] = {"data", "final", NULL};
	struct db_attachment a = {0};
	json_t *final = json_object_get(req->json, "final");
	unsigned char *data = NULL;
	char *cause = NULL, *end;
	size_t len = 0;
	long long seq;
	int r;

	errno = 0;
	seq = strtoll(n, &end, 10);
	if (attach_check_fields(req, res, known) < 0)
		return 0;
	r = thread_id_valid(aid)
	        ? db_attachment_get(req->srv->db, aid, &a, &cause)
	        : 0;
	if (r < 0)
		return attach_internal(res, cause);
	if (r == 0 || strcmp(a.case_id, case_id) != 0 || errno || *end ||
	    end == n || seq < 0) {
		reply_error(res, MANDATE_ERR_NOT_FOUND, NULL,
		    "no such attachment chunk");
		goto out;
	}
	if (seq == a.chunks - 1) { /* a retry of the chunk just stored */
		reply_json(res, 200,
		    json_pack("{s:s, s:I, s:b}", "id", a.id, "chunk",
		        (json_int_t)seq, "replayed", 1));
		goto out;
	}
	if (a.complete || seq != a.chunks) {
		reply_error(res, MANDATE_ERR_CONFLICT, "chunk",
		    a.complete ? "the attachment is complete"
		               : "chunks must come in order");
		goto out;
	}
	data = attach_b64(
	    req->json, "data", 0, ATTACH_CHUNK_MAX + CRYPT_STREAM_ABYTES, &len);
	if (data == NULL || len < CRYPT_STREAM_ABYTES ||
	    (final != NULL && !json_is_boolean(final))) {
		reply_error(res, MANDATE_ERR_BAD_FIELD, data ? "final" : "data",
		    data ? "final must be true or false"
		         : "data must be one base64 secretstream chunk of at "
		           "most 256 KiB");
		goto out;
	}
	if (attach_check_chunk(req, res, &a, len, json_is_true(final)) < 0)
		goto out;
	if (attach_store_chunk(
	        req, &a, data, len, json_is_true(final), &cause) < 0)
		attach_internal(res, cause);
	else
		reply_json(res, 200,
		    json_pack("{s:s, s:I, s:b}", "id", a.id, "chunk",
		        (json_int_t)seq, "complete", json_is_true(final)));
out:
	free(data);
	free(a.meta);
	return 0;
}
