/*
 * mandate route: ask where a case would go and why, without storing it.
 */
#include <stdio.h>
#include <sysexits.h>

#include "cmd.h"
#include "input.h"
#include "out.h"

enum { ROUTE_OPT_ID = CMD_OPT_LOCAL };

static void
route_print(const json_t *reply)
{
	char matched[1024];

	if (json_object_get(reply, "id") != NULL)
		out_field("Id", out_str(reply, "id"));
	out_field("Unit", out_str(reply, "unit"));
	out_field("Rule", out_str(reply, "rule"));
	out_field(
	    "Matched", out_list(matched, sizeof matched, reply, "matched"));
	out_field("Recused", out_bool(reply, "recused"));
	out_field("Urgent", out_bool(reply, "urgent"));
}

static int
route_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {INPUT_LONGOPTS,
	    {"id", required_argument, NULL, ROUTE_OPT_ID}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	struct input_case in = {0};
	json_t *c = NULL, *reply = NULL;
	char *cause = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == ROUTE_OPT_ID)
			in.id = optarg;
		else if (!input_option(&in, ch, optarg) &&
		         (rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			goto out;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		goto out;
	if ((rc = input_read_case(&c, &in, &cause)) != 0) {
		rc = cmd_fail(rc, cause);
		goto out;
	}
	if ((rc = cmd_request(env, "POST", "/v1/route", c, &reply)) != 0)
		goto out;
	if (env->json)
		rc = out_json(reply);
	else {
		route_print(reply);
		rc = out_flush();
	}

out:
	json_decref(c);
	json_decref(reply);
	input_case_clear(&in);
	return rc;
}

const struct cmd cmd_route = {
    .name = "route",
    .summary = "Show where a case would go and why, storing nothing",
    .usage = INPUT_USAGE " [--id ID]",
    .help = INPUT_HELP_OPTIONS "  --id ID               an id of yours, "
                               "echoed in the reply\n" INPUT_HELP_NOTE,
    .exec = route_exec,
};
