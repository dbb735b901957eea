/*
 * mandate stats: case counts, median times to acknowledge and to close,
 * and deadline compliance per unit (auditors).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "out.h"
#include "xmalloc.h"

enum { STATS_OPT_BY = CMD_OPT_LOCAL };

/* A duration in seconds as days with one decimal, or "-". */
static const char *
stats_days(char *buf, size_t size, const json_t *v)
{
	if (!json_is_integer(v))
		return "-";
	snprintf(buf, size, "%.1f d", (double)json_integer_value(v) / 86400.0);
	return buf;
}

static const char *
stats_count(char *buf, size_t size, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_true(json_object_get(o, "suppressed")))
		return "<5";
	if (!json_is_integer(v))
		return "-";
	snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	return buf;
}

static void
stats_print_groups(const json_t *reply)
{
	static const char *const headers[] = {
	    "GROUP", "UNIT", "CASES", "MEDIAN ACK", "MEDIAN CLOSE"};
	struct out_table *t = out_table_new(5, headers);
	char n[32], a[32], c[32];
	const char *row[5];
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(reply, "groups"), i, g)
	{
		row[0] = out_str(g, "key");
		row[1] = out_str(g, "unit");
		row[2] = stats_count(n, sizeof n, g, "count");
		row[3] = stats_days(a, sizeof a,
		    json_object_get(g, "median_acknowledge_seconds"));
		row[4] = stats_days(
		    c, sizeof c, json_object_get(g, "median_close_seconds"));
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static void
stats_print_compliance(const json_t *reply)
{
	static const char *const headers[] = {
	    "UNIT", "MET", "MISSED", "PENDING", "COMPLIANCE"};
	struct out_table *t = out_table_new(5, headers);
	char m[32], x[32], p[32], r[32];
	const char *row[5];
	json_t *u, *rate;
	size_t i;

	json_array_foreach(json_object_get(reply, "compliance"), i, u)
	{
		rate = json_object_get(u, "rate");
		row[0] = out_str(u, "unit");
		row[1] = stats_count(m, sizeof m, u, "met");
		row[2] = stats_count(x, sizeof x, u, "missed");
		row[3] = stats_count(p, sizeof p, u, "pending");
		if (json_is_number(rate)) {
			snprintf(r, sizeof r, "%.0f%%",
			    json_number_value(rate) * 100.0);
			row[4] = r;
		} else
			row[4] = "-";
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static int
stats_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"by", required_argument, NULL, STATS_OPT_BY}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	const char *by = "unit";
	json_t *reply = NULL;
	char *path;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == STATS_OPT_BY)
			by = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (strcmp(by, "unit") && strcmp(by, "category") &&
	    strcmp(by, "status") && strcmp(by, "month"))
		return cmd_usage_error(
		    env, "--by is unit, category, status or month");
	path = xasprintf("/v1/stats?by=%s", by);
	rc = cmd_request(env, "GET", path, NULL, &reply);
	free(path);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		stats_print_groups(reply);
		printf("\nAcknowledgement deadlines:\n");
		stats_print_compliance(reply);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_stats = {
    .name = "stats",
    .summary = "Case counts, median times and deadline compliance "
               "(auditors)",
    .usage = "[--by unit|category|status|month]",
    .help = "Options:\n"
            "  --by DIMENSION        unit (default), category, status or "
            "month of\n"
            "                        receipt; Ombudsperson groups under 5 "
            "cases show <5\n",
    .exec = stats_exec,
};
