/*
 * mandate officers remove --unit U --user NAME: an administrator removes an
 * officer from a unit, with every copy of a case key they hold.  Refused
 * while they are the last holder of a case.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "conn.h"
#include "out.h"
#include "xmalloc.h"

enum {
	OFFICERS_REMOVE_OPT_UNIT = CMD_OPT_LOCAL,
	OFFICERS_REMOVE_OPT_USER,
};

static int
officers_remove_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"unit", required_argument, NULL, OFFICERS_REMOVE_OPT_UNIT},
	    {"user", required_argument, NULL, OFFICERS_REMOVE_OPT_USER},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *unit = NULL, *user = NULL;
	json_t *reply = NULL;
	char *path;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == OFFICERS_REMOVE_OPT_UNIT)
			unit = optarg;
		else if (ch == OFFICERS_REMOVE_OPT_USER)
			user = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (unit == NULL || user == NULL)
		return cmd_usage_error(env, "--unit and --user are needed");
	{
		char *u = conn_escape(unit), *n = conn_escape(user);
		path = xasprintf("/v1/officers?unit=%s&user=%s", u, n);
		free(u);
		free(n);
	}
	rc = cmd_request(env, "DELETE", path, NULL, &reply);
	free(path);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf(
		    "Removed %s from %s; %lld copies of case keys deleted.\n",
		    user, unit,
		    (long long)json_integer_value(
		        json_object_get(reply, "key_copies")));
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_officers_remove = {
    .name = "officers remove",
    .summary = "Remove an officer from a unit, with their key copies",
    .usage = "--unit U --user NAME",
    .help = "Every copy of a case key the officer holds is deleted.  "
            "Refused while they\n"
            "are the last holder of a case: grant or refer it first.\n",
    .exec = officers_remove_exec,
};
