/*
 * mandate officers list: the enrolled officers, of one unit or all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "out.h"
#include "xmalloc.h"

enum { OFFICERS_LIST_OPT_UNIT = CMD_OPT_LOCAL };

static void
officers_list_print(const json_t *reply)
{
	static const char *const headers[] = {
	    "USER", "UNIT", "FINGERPRINT", "ENROLLED"};
	struct out_table *t = out_table_new(4, headers);
	const char *row[4];
	char when[32];
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(reply, "officers"), i, o)
	{
		row[0] = out_str(o, "user");
		row[1] = out_str(o, "unit");
		row[2] = out_str(o, "fingerprint");
		row[3] = out_time(when, sizeof when, out_str(o, "enrolled_at"));
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static int
officers_list_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"unit", required_argument, NULL, OFFICERS_LIST_OPT_UNIT},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *unit = NULL;
	char *path, *escaped;
	json_t *reply = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == OFFICERS_LIST_OPT_UNIT)
			unit = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (unit != NULL) {
		escaped = conn_escape(unit);
		path = xasprintf("/v1/officers?unit=%s", escaped);
		free(escaped);
	} else
		path = xstrdup("/v1/officers");
	rc = cmd_request(env, "GET", path, NULL, &reply);
	free(path);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		officers_list_print(reply);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_officers_list = {
    .name = "officers list",
    .summary = "List the enrolled officers",
    .usage = "[--unit UNIT]",
    .help = "Options:\n"
            "  --unit UNIT           only the officers of this unit\n",
    .exec = officers_list_exec,
};
