/*
 * Shared by the officers' endpoints: the case an officer holds, notes,
 * small JSON checks and the move of a case to its next state.
 */
#include "work.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypt.h"
#include "deadline.h"
#include "lifecycle.h"
#include "log.h"
#include "server.h"
#include "thread.h"
#include "visibility.h"

#define WORK_NOTE_MAX (64 * 1024 + CRYPT_BOX_OVERHEAD)

int
work_internal(struct response *res, char *cause)
{
	log_warnx("%s", cause ? cause : "work: internal error");
	free(cause);
	return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
}

int
work_case(struct request *req, struct response *res, struct db_case *c,
    const struct db_officer **o, const struct config_unit **unit)
{
	char *cause = NULL;
	int64_t officer_id;
	int r;

	r = visibility_case(
	    req->srv, &req->who, req->param, c, &officer_id, &cause);
	if (r < 0)
		return work_internal(res, cause), -1;
	if (r == 0 || officer_id < 0)
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL),
		       -1;
	*o = NULL;
	for (size_t i = 0; i < req->who.nofficers; i++)
		if (req->who.officers[i].id == officer_id)
			*o = &req->who.officers[i];
	*unit = config_unit_find(req->srv->cfg, c->unit);
	if (*o == NULL || *unit == NULL)
		return work_internal(res, NULL), -1;
	return 0;
}

int
work_only(struct request *req, struct response *res, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(req->json, key, v)
	{
		size_t j;
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(key, allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			return reply_error(
			           res, MANDATE_ERR_UNKNOWN_FIELD, key, NULL),
			       -1;
	}
	return 0;
}

int
work_string(struct request *req, struct response *res, const char *name,
    const char **out)
{
	json_t *v = json_object_get(req->json, name);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return reply_error(res, MANDATE_ERR_WRONG_TYPE, name,
		           "expected a string"),
		       -1;
	*out = json_string_value(v);
	return 0;
}

int
work_note_parse(struct response *res, const json_t *obj, const char *field,
    struct db_note *n)
{
	json_t *id = json_object_get(obj, "id"), *body;

	memset(n, 0, sizeof n[0]);
	if (!json_is_object(obj) || json_object_size(obj) != 2 ||
	    !json_is_string(id) || !thread_id_valid(json_string_value(id)) ||
	    !json_is_string(body = json_object_get(obj, "body")))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, field,
		           "a note is {\"id\": 32 hex digits, \"body\": "
		           "base64}"),
		       -1;
	snprintf(n->id, sizeof n->id, "%s", json_string_value(id));
	n->body = crypt_b64_decode(
	    json_string_value(body), json_string_length(body), &n->bodylen);
	if (n->body == NULL || n->bodylen <= CRYPT_BOX_OVERHEAD ||
	    n->bodylen > WORK_NOTE_MAX) {
		free(n->body);
		n->body = NULL;
		return reply_error(res, MANDATE_ERR_BAD_FIELD, field,
		           "a note's body must be a base64 box of 1 byte to "
		           "64 KiB"),
		       -1;
	}
	return 0;
}

void
work_next_state(const struct config_unit *unit, const struct db_case *c,
    const char *to, const char *outcome, int64_t now, struct db_case *next)
{
	struct deadline_clock k = {
	    c->stage_started_at, c->due_at, c->paused_at};
	int leaving_received = strcmp(c->status, LIFECYCLE_START) == 0;

	*next = *c;
	snprintf(next->status, sizeof next->status, "%s", to);
	snprintf(
	    next->outcome, sizeof next->outcome, "%s", outcome ? outcome : "");
	deadline_transition(&k, leaving_received,
	    lifecycle_paused(&unit->lc, c->status),
	    lifecycle_paused(&unit->lc, to), unit->assess_days, now);
	next->stage_started_at = k.started_at;
	next->due_at = k.due_at;
	next->paused_at = k.paused_at;
	if (leaving_received)
		next->escalated &= DB_ESCALATED_URGENT;
}
