/*
 * Rendering a case's thread, and storing new messages.
 */
#include "thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "server.h"

#define THREAD_BODY_MAX (64 * 1024 + CRYPT_BOX_OVERHEAD)

int
thread_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		        (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 32;
}

static json_t *
thread_messages_json(
    struct db_message *m, size_t n, enum thread_view view, int64_t seen)
{
	json_t *list = json_array(), *o;
	char when[32], *b64;

	for (size_t i = 0; i < n; i++) {
		format_time(when, sizeof when, m[i].created_at);
		b64 = crypt_b64_encode(m[i].body, m[i].bodylen);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", m[i].id,
		    "author_role", m[i].author_role, "kind", m[i].kind,
		    "created_at", when, "body", b64);
		if (view == THREAD_OFFICER)
			json_object_set_new(o, "author",
			    m[i].author[0] ? json_string(m[i].author)
			                   : json_null());
		else
			json_object_set_new(o, "new",
			    json_boolean(
			        m[i].seq > seen &&
			        strcmp(m[i].author_role, "officer") == 0));
		json_array_append_new(list, o);
		free(b64);
	}
	return list;
}

static json_t *
thread_consents_json(const struct db_consent *c, size_t n)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s?, s:s?}", "request",
		              c[i].request_id, "purpose", c[i].purpose, "unit",
		              c[i].unit[0] ? c[i].unit : NULL, "answer",
		              c[i].answer[0] ? c[i].answer : NULL));
	return list;
}

static json_t *
thread_attachments_json(const struct db_attachment *a, size_t n)
{
	json_t *list = json_array();
	char when[32], *h, *m;

	for (size_t i = 0; i < n; i++) {
		if (!a[i].complete)
			continue;
		format_time(when, sizeof when, a[i].created_at);
		h = crypt_b64_encode(a[i].header, sizeof a[i].header);
		m = crypt_b64_encode(a[i].meta, a[i].metalen);
		json_array_append_new(list,
		    json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id",
		        a[i].id, "author_role", a[i].author_role, "created_at",
		        when, "size", (json_int_t)a[i].size, "chunks",
		        (json_int_t)a[i].chunks, "header", h, "meta", m));
		free(h);
		free(m);
	}
	return list;
}

int64_t
thread_add_json(struct server *srv, const char *case_id, enum thread_view view,
    int64_t seen, json_t *obj, char **cause)
{
	struct db_message *m = NULL;
	struct db_consent *c = NULL;
	struct db_attachment *a = NULL;
	ssize_t nm, nc = -1, na = -1;
	int64_t last = -1;

	nm = db_message_list(srv->db, case_id, &m, cause);
	if (nm >= 0)
		nc = db_consent_list(srv->db, case_id, &c, cause);
	if (nc >= 0)
		na = db_attachment_list(srv->db, case_id, &a, cause);
	if (na >= 0) {
		json_object_set_new(obj, "messages",
		    thread_messages_json(m, (size_t)nm, view, seen));
		json_object_set_new(
		    obj, "consents", thread_consents_json(c, (size_t)nc));
		json_object_set_new(
		    obj, "attachments", thread_attachments_json(a, (size_t)na));
		last = nm > 0 ? m[nm - 1].seq : 0;
	}
	db_message_list_free(m, nm > 0 ? (size_t)nm : 0);
	free(c);
	db_attachment_list_free(a, na > 0 ? (size_t)na : 0);
	return last;
}

static int
thread_kind_allowed(const char *kind, const char *const *allowed)
{
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(kind, allowed[i]) == 0)
			return 1;
	return 0;
}

struct thread_input {
	const char *id, *kind, *purpose, *unit;
	unsigned char *body;
	size_t bodylen;
};

/* Reads and checks the message fields; 0, or -1 with res filled. */
static int
thread_parse(struct request *req, struct response *res,
    const char *const *allowed, struct thread_input *in)
{
	static const char *const known[] = {
	    "id", "kind", "body", "purpose", "unit", NULL};
	const char *key,
	    **slots[] = {&in->id, &in->kind, NULL, &in->purpose, &in->unit};
	json_t *v;
	size_t i;

	memset(in, 0, sizeof *in);
	json_object_foreach(req->json, key, v)
	{
		for (i = 0; known[i] != NULL && strcmp(key, known[i]); i++)
			;
		if (known[i] == NULL)
			return reply_error(res, MANDATE_ERR_UNKNOWN_FIELD, key,
			           "not a field of a message"),
			       -1;
		if (!json_is_string(v))
			return reply_error(res, MANDATE_ERR_WRONG_TYPE, key,
			           "must be a string"),
			       -1;
		if (slots[i] != NULL)
			*slots[i] = json_string_value(v);
	}
	if (in->id == NULL || !thread_id_valid(in->id))
		return reply_error(res,
		           in->id ? MANDATE_ERR_BAD_FIELD
		                  : MANDATE_ERR_MISSING_FIELD,
		           "id",
		           "id must be 32 lower-case hex digits chosen by the "
		           "client"),
		       -1;
	if (in->kind == NULL || !thread_kind_allowed(in->kind, allowed))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "kind",
		           "this kind of message is not yours to write"),
		       -1;
	v = json_object_get(req->json, "body");
	if (v != NULL)
		in->body = crypt_b64_decode(
		    json_string_value(v), json_string_length(v), &in->bodylen);
	if (in->body == NULL || in->bodylen <= CRYPT_BOX_OVERHEAD ||
	    in->bodylen > THREAD_BODY_MAX) {
		free(in->body);
		in->body = NULL;
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "body",
		           "body must be a base64 box of 1 byte to 64 KiB"),
		       -1;
	}
	return 0;
}

/* Checks what a consent request names. */
static int
thread_check_consent(
    struct request *req, struct response *res, const struct thread_input *in)
{
	if (strcmp(in->kind, "consent-request") != 0)
		return in->purpose || in->unit
		       ? reply_error(res, MANDATE_ERR_UNKNOWN_FIELD,
		             in->purpose ? "purpose" : "unit",
		             "only a consent request has a purpose and a unit"),
		       -1 : 0;
	if (in->purpose == NULL || (strcmp(in->purpose, "refer") &&
	                               strcmp(in->purpose, "reveal-identity")))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "purpose",
		           "purpose must be refer or reveal-identity"),
		       -1;
	if (in->unit != NULL &&
	    config_unit_find(req->srv->cfg, in->unit) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL),
		       -1;
	return 0;
}

/* The message's audit entry: who wrote what kind, never what. */
static int
thread_record(struct request *req, const struct db_message *m,
    const struct thread_input *in, char **cause)
{
	int consent = strcmp(in->kind, "consent-request") == 0;
	int officer = strcmp(m->author_role, "officer") == 0;
	json_t *details =
	    json_pack("{s:s, s:s}", "message", m->id, "kind", m->kind);

	if (consent)
		json_object_set_new(
		    details, "purpose", json_string(in->purpose));
	if (consent && in->unit != NULL)
		json_object_set_new(details, "to_unit", json_string(in->unit));
	return audit_record_case(req->srv,
	    officer ? m->author : AUDIT_ACTOR_SUBMITTER,
	    officer ? AUDIT_ROLE_OFFICER : AUDIT_ROLE_SUBMITTER,
	    consent ? AUDIT_CONSENT_REQUEST : AUDIT_MESSAGE_POST, m->case_id,
	    details, m->created_at, cause);
}

static int
thread_store(struct request *req, const struct db_message *m,
    const struct thread_input *in, char *existing, size_t size, char **cause)
{
	int r;

	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	r = db_message_insert(req->srv->db, m, existing, size, cause);
	if (r == 1 && strcmp(in->kind, "consent-request") == 0 &&
	    db_consent_insert(req->srv->db, in->id, m->case_id, in->purpose,
	        in->unit, cause) < 0)
		r = -1;
	if (r == 1 && thread_record(req, m, in, cause) < 0)
		r = -1;
	if (r >= 0 && db_commit(req->srv->db, cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	return r;
}

int
thread_post_message(struct request *req, struct response *res,
    const char *case_id, const char *author_role, const char *author,
    const char *const *allowed, int round_minutes)
{
	struct thread_input in;
	struct db_message m;
	char existing[16] = "", when[32], *cause = NULL;
	int r;

	if (thread_parse(req, res, allowed, &in) < 0)
		return 0;
	if (thread_check_consent(req, res, &in) < 0)
		goto out;
	memset(&m, 0, sizeof m);
	snprintf(m.id, sizeof m.id, "%s", in.id);
	snprintf(m.case_id, sizeof m.case_id, "%s", case_id);
	snprintf(m.author_role, sizeof m.author_role, "%s", author_role);
	snprintf(m.author, sizeof m.author, "%s", author ? author : "");
	snprintf(m.kind, sizeof m.kind, "%s", in.kind);
	m.created_at = round_minutes ? req->now - req->now % 60 : req->now;
	m.body = in.body;
	m.bodylen = in.bodylen;
	r = thread_store(req, &m, &in, existing, sizeof existing, &cause);
	format_time(when, sizeof when, m.created_at);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	} else if (r == 0 && strcmp(existing, case_id) != 0)
		reply_error(res, MANDATE_ERR_CONFLICT, "id",
		    "this message id is taken: draw another");
	else
		reply_json(res, r == 1 ? 201 : 200,
		    json_pack("{s:s, s:s, s:b}", "id", m.id, "created_at", when,
		        "replayed", r == 0));
out:
	free(in.body);
	return 0;
}
