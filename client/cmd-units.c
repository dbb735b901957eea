/*
 * mandate units: the units cases can go to, and how many officers each has
 * enrolled (a unit with none refuses the cases routed to it).
 */
#include <stdio.h>
#include <sysexits.h>

#include "cmd.h"
#include "out.h"

static void
units_print(const json_t *reply)
{
	static const char *const headers[] = {"ID", "NAME", "OFFICERS"};
	struct out_table *t = out_table_new(3, headers);
	const char *row[3];
	char count[32];
	json_t *u, *n;
	size_t i;

	json_array_foreach(json_object_get(reply, "units"), i, u)
	{
		n = json_object_get(u, "officers");
		snprintf(count, sizeof count, "%lld",
		    (long long)json_integer_value(n));
		row[0] = out_str(u, "id");
		row[1] = out_str(u, "name");
		row[2] = json_is_integer(n) ? count : "-";
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static int
units_exec(struct cmd_env *env, int argc, char **argv)
{
	return cmd_get_and_show(env, argc, argv, "/v1/units", units_print);
}

const struct cmd cmd_units = {
    .name = "units",
    .summary = "List the units and how many officers each has",
    .usage = "",
    .help = NULL,
    .exec = units_exec,
};
