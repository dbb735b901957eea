/*
 * mandate assign ID --to USER: assigns a case to an officer of its unit
 * who holds a key copy of it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "mandate/api.h"
#include "out.h"
#include "xmalloc.h"

enum { ASSIGN_OPT_TO = CMD_OPT_LOCAL };

static int
assign_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"to", required_argument, NULL, ASSIGN_OPT_TO}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	char id[MANDATE_CASE_ID_LEN + 1], *path;
	const char *to = NULL;
	json_t *body, *reply = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == ASSIGN_OPT_TO)
			to = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if (to == NULL)
		return cmd_usage_error(env, "--to USER is required");
	if ((rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	body = json_pack("{s:s}", "to", to);
	path = xasprintf("/v1/cases/%s/assign", id);
	rc = cmd_request(env, "POST", path, body, &reply);
	free(path);
	json_decref(body);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Case %s is assigned to ", id);
		out_text(stdout, to, 0);
		printf(".\n");
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_assign = {
    .name = "assign",
    .summary = "Assign a case to an officer of its unit",
    .usage = "ID --to USER",
    .help = "Options:\n"
            "  --to USER             an officer of the case's unit who "
            "holds a copy of its key\n",
    .exec = assign_exec,
};
