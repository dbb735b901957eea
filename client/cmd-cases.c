/*
 * mandate cases: the caller's own confidential cases, with the status a
 * submitter may see.  Anonymous cases are linked to nobody and never
 * appear.
 */
#include <stdio.h>
#include <sysexits.h>

#include "cmd.h"
#include "out.h"

static void
cases_print(const json_t *reply)
{
	static const char *const headers[] = {
	    "ID", "UNIT", "STATUS", "RECEIVED", "DUE"};
	const json_t *list = json_object_get(reply, "cases"), *c;
	struct out_table *t;
	const char *row[5];
	char received[32], due[32];
	size_t i;

	if (json_array_size(list) == 0) {
		printf("You have no confidential cases.  Anonymous cases are "
		       "linked to nobody:\n"
		       "follow them with mandate status and their "
		       "receipt.\n");
		return;
	}
	t = out_table_new(5, headers);
	json_array_foreach(list, i, c)
	{
		row[0] = out_str(c, "id");
		row[1] = out_str(c, "unit");
		row[2] = out_str(c, "status");
		row[3] = out_time(
		    received, sizeof received, out_str(c, "received_at"));
		row[4] = out_time(due, sizeof due, out_str(c, "due_at"));
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static int
cases_exec(struct cmd_env *env, int argc, char **argv)
{
	return cmd_get_and_show(env, argc, argv, "/v1/cases", cases_print);
}

const struct cmd cmd_cases = {
    .name = "cases",
    .summary = "List the confidential cases you submitted",
    .usage = "",
    .help = NULL,
    .exec = cases_exec,
};
