/*
 * GET /v1/cases/{id}/content: the encrypted content and the caller's own
 * sealed copy of the case key, with the thread (messages, consents,
 * attachments); only an officer holding a copy gets them, and decrypts on
 * their own machine.
 */
#include <stdlib.h>

#include "audit.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"
#include "thread.h"
#include "visibility.h"

/* Adds "notes": the officers' internal notes, as stored. */
static int
route_case_content_notes(
    struct request *req, const char *case_id, json_t *body, char **cause)
{
	struct db_note *notes = NULL;
	ssize_t n = db_note_list(req->srv->db, case_id, &notes, cause);
	json_t *arr;
	char when[32], *b64;

	if (n < 0)
		return -1;
	arr = json_array();
	for (ssize_t i = 0; i < n; i++) {
		format_time(when, sizeof when, notes[i].created_at);
		b64 = crypt_b64_encode(notes[i].body, notes[i].bodylen);
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:s, s:s}", "id", notes[i].id,
		             "author", notes[i].author, "created_at", when,
		             "body", b64));
		free(b64);
	}
	db_note_list_free(notes, (size_t)n);
	json_object_set_new(body, "notes", arr);
	return 0;
}

/* The reply body: content, key copy and thread, fetched and recorded in
 * the caller's transaction.  1 with *body, 0 not visible, -1 error. */
static int
route_case_content_body(
    struct request *req, struct db_case *c, json_t **body, char **cause)
{
	unsigned char sealed[CRYPT_SEALED_LEN], *content = NULL;
	char fp[CRYPT_FINGERPRINT_LEN + 1], *b64c, *b64k;
	const struct db_officer *o = NULL;
	size_t len = 0;
	int64_t officer_id;
	int r;

	r = visibility_case(
	    req->srv, &req->who, req->param, c, &officer_id, cause);
	if (r == 1 && officer_id >= 0)
		r = db_case_content(req->srv->db, c->id, officer_id, &content,
		    &len, sealed, cause);
	else if (r == 1)
		r = 0; /* visible as metadata (auditor), but no key copy */
	if (r <= 0)
		return r;
	for (size_t i = 0; i < req->who.nofficers; i++)
		if (req->who.officers[i].id == officer_id)
			o = &req->who.officers[i];
	crypt_fingerprint(fp, o->public_key);
	b64c = crypt_b64_encode(content, len);
	b64k = crypt_b64_encode(sealed, sizeof sealed);
	*body = json_pack("{s:s, s:s, s:s, s:s}", "id", c->id, "content", b64c,
	    "sealed_key", b64k, "fingerprint", fp);
	free(b64c);
	free(b64k);
	free(content);
	if (thread_add_json(req->srv, c->id, THREAD_OFFICER, 0, *body, cause) <
	        0 ||
	    route_case_content_notes(req, c->id, *body, cause) < 0 ||
	    audit_record(req, AUDIT_ROLE_OFFICER, AUDIT_CASE_READ_CONTENT,
	        c->id, c->unit, json_pack("{s:s}", "key_copy", fp),
	        cause) < 0) {
		json_decref(*body);
		*body = NULL;
		return -1;
	}
	return 1;
}

static int
route_case_content_get_handle(struct request *req, struct response *res)
{
	struct db_case c;
	json_t *body = NULL;
	char *cause = NULL;
	int r = db_begin(req->srv->db, &cause) < 0 ? -1 : 0;

	if (r == 0)
		r = route_case_content_body(req, &c, &body, &cause);
	if (r >= 0 && db_commit(req->srv->db, &cause) < 0)
		r = -1;
	if (r < 0) {
		db_rollback(req->srv->db);
		json_decref(body);
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0)
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	log_info("case: %s content fetched by %s", c.id, req->who.user);
	return reply_json(res, 200, body);
}

const struct route route_case_content_get = {HTTP_GET, "/v1/cases/{id}/content",
    ROLE_OFFICER, 0, route_case_content_get_handle, 0};
