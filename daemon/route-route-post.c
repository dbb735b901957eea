/*
 * POST /v1/route: where a case would go and why, without storing anything.
 */
#include <stdlib.h>

#include "casejson.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "rules.h"
#include "server.h"

/* The decision as JSON: {"id"?, "unit", "rule", "matched", "recused",
 * "urgent"}; shared with mandated --route. */
json_t *route_decision_json(const char *id, const struct rules_decision *d);

json_t *
route_decision_json(const char *id, const struct rules_decision *d)
{
	json_t *o = json_object(), *matched = json_array();

	for (size_t i = 0; i < d->nmatched; i++)
		json_array_append_new(matched, json_string(d->matched[i]));
	if (id != NULL)
		json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "unit", json_string(d->unit));
	json_object_set_new(o, "rule", json_string(d->rule));
	json_object_set_new(o, "matched", matched);
	json_object_set_new(o, "recused", json_boolean(d->recused));
	json_object_set_new(o, "urgent", json_boolean(d->urgent));
	return o;
}

static int
route_route_post_handle(struct request *req, struct response *res)
{
	struct case_input in;
	struct case_error err;
	struct rules_decision d;
	char *cause = NULL;

	if (casejson_parse(req->json, req->srv->cfg, 1, &in, &err) < 0)
		return reply_error(res, err.err, err.field, err.message);
	struct rules_case rc = {in.title, in.title_len, in.narrative,
	    in.narrative_len, in.category, in.subject_office};
	if (rules_route(req->srv->rules, &rc, &d, &cause) < 0) {
		log_warnx("route: %s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	reply_json(res, 200, route_decision_json(in.id, &d));
	rules_decision_clear(&d);
	return 0;
}

const struct route route_route_post = {HTTP_POST, "/v1/route", ROLE_ANY,
    MANDATE_NARRATIVE_MAX_BYTES * 7 + 16384, route_route_post_handle,
    ROUTE_NO_WRITE};
