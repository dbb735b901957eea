/*
 * POST /v1/cases: submit a case.  201 with its id, unit, status and due
 * date once it is durable.
 */
#include <stdlib.h>

#include "casejson.h"
#include "intake.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static json_t *
route_cases_post_body(const struct intake_result *r)
{
	json_t *body = casejson_metadata(&r->c), *matched = json_array();

	for (size_t i = 0; i < r->decision.nmatched; i++)
		json_array_append_new(matched,
		    json_string(r->decision.matched[i]));
	json_object_set_new(body, "matched", matched);
	return body;
}

static int
route_cases_post_handle(struct request *req, struct response *res)
{
	struct case_input in;
	struct case_error err;
	struct intake_result r;
	char *cause = NULL;

	if (casejson_parse(req->json, req->srv->cfg, 0, &in, &err) < 0)
		return reply_error(res, err.err, err.field, err.message);
	if (intake_submit(req->srv, &req->who, &in, req->now, &r, &err,
		&cause) < 0) {
		if (cause != NULL)
			log_warnx("%s", cause);
		free(cause);
		return reply_error(res, err.err, err.field, err.message);
	}
	log_info("intake: case %s to %s by rule %s%s", r.c.id, r.c.unit,
	    r.c.rule, r.c.recused ? " (recused)" : "");
	reply_json(res, 201, route_cases_post_body(&r));
	rules_decision_clear(&r.decision);
	return 0;
}

const struct route route_cases_post = {HTTP_POST, "/v1/cases", ROLE_ANY,
    MANDATE_NARRATIVE_MAX_BYTES * 7 + 16384, route_cases_post_handle};
