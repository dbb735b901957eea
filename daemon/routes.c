/*
 * The router: matches a request against the route table and does every
 * check the table declares before the handler runs.
 */
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "db.h"
#include "log.h"
#include "receipt.h"
#include "storage.h"

extern const struct route route_health_get;
extern const struct route route_cases_post;
extern const struct route route_case_get;
extern const struct route route_case_content_get;
extern const struct route route_queue_get;
extern const struct route route_officers_post;
extern const struct route route_officers_get;
extern const struct route route_units_get;
extern const struct route route_route_post;
extern const struct route route_cases_get;
extern const struct route route_case_messages_post;
extern const struct route route_case_chunk_get;
extern const struct route route_receipt_get;
extern const struct route route_receipt_messages_post;
extern const struct route route_receipt_consents_post;
extern const struct route route_receipt_attachments_post;
extern const struct route route_receipt_chunk_put;
extern const struct route route_audit_key_get;
extern const struct route route_audit_export_get;
extern const struct route route_audit_cases_get;
extern const struct route route_stats_get;
extern const struct route route_case_hold_post;
extern const struct route route_case_hold_delete;
extern const struct route route_case_transition_post;
extern const struct route route_case_assign_post;
extern const struct route route_case_notes_post;
extern const struct route route_unit_officers_get;
extern const struct route route_case_refer_post;
extern const struct route route_case_recuse_post;
extern const struct route route_officers_delete;
extern const struct route route_officers_grant_get;
extern const struct route route_officers_grant_post;
extern const struct route route_conflicts_post;
extern const struct route route_conflicts_get;
extern const struct route route_backup_post;
extern const struct route route_backup_get;
extern const struct route route_metrics_get;

const struct route *const routes_table[] = {
    &route_health_get,
    &route_cases_post,
    &route_case_get,
    &route_case_content_get,
    &route_queue_get,
    &route_officers_post,
    &route_officers_get,
    &route_units_get,
    &route_route_post,
    &route_cases_get,
    &route_case_messages_post,
    &route_case_chunk_get,
    &route_receipt_get,
    &route_receipt_messages_post,
    &route_receipt_consents_post,
    &route_receipt_attachments_post,
    &route_receipt_chunk_put,
    &route_audit_key_get,
    &route_audit_export_get,
    &route_audit_cases_get,
    &route_stats_get,
    &route_case_hold_post,
    &route_case_hold_delete,
    &route_case_transition_post,
    &route_case_assign_post,
    &route_case_notes_post,
    &route_unit_officers_get,
    &route_case_refer_post,
    &route_case_recuse_post,
    &route_officers_delete,
    &route_officers_grant_get,
    &route_officers_grant_post,
    &route_conflicts_post,
    &route_conflicts_get,
    &route_backup_post,
    &route_backup_get,
    &route_metrics_get,
};
const size_t routes_count = sizeof routes_table / sizeof routes_table[0];

int
reply_json(struct response *res, int status, json_t *body)
{
	if (res->stream != NULL) {
		res->stream->free(res->stream->arg);
		free(res->stream);
		res->stream = NULL;
	}
	json_decref(res->body);
	res->status = status;
	res->body = body;
	return 0;
}

int
reply_stream(struct response *res, int status, const char *content_type,
    void *arg, int (*next)(void *, char **, size_t *), void (*free_arg)(void *))
{
	struct reply_stream *s = calloc(1, sizeof *s);

	if (s == NULL)
		fatalx("routes: out of memory");
	json_decref(res->body);
	res->body = NULL;
	s->content_type = content_type;
	s->arg = arg;
	s->next = next;
	s->free = free_arg;
	res->status = status;
	res->stream = s;
	return 0;
}

int
reply_error(struct response *res, enum mandate_err err, const char *field,
    const char *message)
{
	const struct mandate_error_info *e = mandate_error_get(err);

	return reply_json(res, e->http_status,
	    json_error_body(e->code, field, message ? message : e->message));
}

const char *
query_get(const struct query *q, const char *key)
{
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->key[i], key) == 0)
			return q->value[i];
	return NULL;
}

int
query_only(
    const struct request *req, struct response *res, const char *const *allowed)
{
	for (size_t i = 0; i < req->query.n; i++) {
		size_t j;
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(req->query.key[i], allowed[j]) == 0)
				break;
		if (allowed[j] == NULL) {
			reply_error(res, MANDATE_ERR_BAD_QUERY,
			    req->query.key[i], "unknown query parameter");
			return -1;
		}
	}
	return 0;
}

void
format_time(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const struct db_officer *
identity_officer(const struct identity *who, const char *unit)
{
	for (size_t i = 0; i < who->nofficers; i++)
		if (strcmp(who->officers[i].unit, unit) == 0)
			return &who->officers[i];
	return NULL;
}

/*
 * Matches path against a template whose placeholder segments ("{id}")
 * capture the path's segment at the same place into param, param2, param3.
 * Returns 1 on a match.
 */
static int
routes_match_path(const char *tmpl, const char *path, struct request *req)
{
	char *slots[] = {req->param, req->param2, req->param3};
	size_t nslot = 0;

	while (*tmpl != '\0' && *path != '\0') {
		size_t tl = strcspn(tmpl, "/"), pl = strcspn(path, "/");
		if (tmpl[0] == '{') {
			if (pl == 0 || pl >= sizeof req->param || nslot == 3)
				return 0;
			memcpy(slots[nslot], path, pl);
			slots[nslot++][pl] = '\0';
		} else if (tl != pl || strncmp(tmpl, path, tl) != 0)
			return 0;
		tmpl += tl;
		path += pl;
		if (*tmpl != *path)
			return 0;
		if (*tmpl == '/') {
			tmpl++;
			path++;
		}
	}
	return *tmpl == '\0' && *path == '\0';
}

static int
routes_is_json(const char *content_type)
{
	size_t n = strlen("application/json");

	if (content_type == NULL ||
	    strncasecmp(content_type, "application/json", n) != 0)
		return 0;
	return content_type[n] == '\0' || content_type[n] == ';' ||
	       content_type[n] == ' ';
}

/* The checks that come with a body: size, content type, JSON shape. */
static int
routes_check_body(
    const struct route *r, struct request *req, struct response *res)
{
	char *cause = NULL;

	if (r->body_max == 0) {
		if (req->body_len != 0)
			return reply_error(res, MANDATE_ERR_BAD_JSON, NULL,
			           "this request takes no body"),
			       -1;
		return 0;
	}
	if (req->body_len > r->body_max)
		return reply_error(res, MANDATE_ERR_BODY_TOO_LARGE, NULL, NULL),
		       -1;
	if (!routes_is_json(req->content_type))
		return reply_error(
		           res, MANDATE_ERR_BAD_CONTENT_TYPE, NULL, NULL),
		       -1;
	if (!json_utf8_valid((const char *)req->body, req->body_len))
		return reply_error(res, MANDATE_ERR_BAD_UTF8, NULL,
		           "the request body is not valid UTF-8"),
		       -1;
	req->json =
	    json_parse_strict((const char *)req->body, req->body_len, &cause);
	if (req->json == NULL) {
		char msg[300];
		snprintf(msg, sizeof msg,
		    "the request body is not valid JSON: %s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_BAD_JSON, NULL, msg), -1;
	}
	if (!json_is_object(req->json))
		return reply_error(res, MANDATE_ERR_BAD_JSON, NULL,
		           "the request body must be a JSON object"),
		       -1;
	return 0;
}

int
routes_dispatch(struct request *req, struct response *res)
{
	const struct route *r = NULL;
	int path_seen = 0;

	res->status = 0;
	res->body = NULL;
	res->stream = NULL;
	res->retry_after = 0;
	for (size_t i = 0; i < routes_count && r == NULL; i++) {
		if (!routes_match_path(routes_table[i]->path, req->path, req))
			continue;
		path_seen = 1;
		if (routes_table[i]->method == req->method)
			r = routes_table[i];
	}
	if (r == NULL)
		return reply_error(res,
		    path_seen ? MANDATE_ERR_METHOD_NOT_ALLOWED
		              : MANDATE_ERR_NOT_FOUND,
		    NULL, NULL);
	req->route = r;
	if ((r->roles & req->who.roles) == 0)
		return reply_error(res, MANDATE_ERR_FORBIDDEN, NULL, NULL);
	/* Below the free-space reserve a write changes nothing; reads go on
	 * (storage.c). */
	if (req->method != HTTP_GET && !(r->flags & ROUTE_NO_WRITE) &&
	    !storage_reserve_ok(req->srv))
		return reply_error(
		    res, MANDATE_ERR_STORAGE_FULL, NULL, STORAGE_FULL_MESSAGE);
	if (!(r->flags & ROUTE_QUERY) && req->query.n > 0)
		return reply_error(res, MANDATE_ERR_BAD_QUERY,
		    req->query.key[0],
		    "this resource takes no query parameters");
	if ((r->flags & ROUTE_RECEIPT) && !receipt_check(req, res))
		return 0;
	/* Nothing done on an anonymous case by its submitter is timed finer
	 * than the minute: not a message, an answer, an attachment, a log
	 * entry. */
	if (req->rcase != NULL && req->rcase->anonymous)
		req->now -= req->now % 60;
	if (routes_check_body(r, req, res) == 0)
		r->handle(req, res);
	free(req->rcase);
	free(req->rsub);
	req->rcase = NULL;
	req->rsub = NULL;
	if (res->body == NULL && res->stream == NULL) {
		log_warnx("http: handler for %s returned no reply", r->path);
		reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	return 0;
}
