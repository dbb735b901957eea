/*
 * mandate claim ID: an officer holding a key copy of a case assigns it to
 * themselves.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "mandate/api.h"
#include "out.h"
#include "xmalloc.h"

static int
claim_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	char id[MANDATE_CASE_ID_LEN + 1], *path;
	json_t *body, *reply = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1)
		if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE ||
	    (rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	body = json_object();
	path = xasprintf("/v1/cases/%s/assign", id);
	rc = cmd_request(env, "POST", path, body, &reply);
	free(path);
	json_decref(body);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Case %s is assigned to you.\n", id);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_claim = {
    .name = "claim",
    .summary = "Assign a case to yourself",
    .usage = "ID",
    .help = NULL,
    .exec = claim_exec,
};
