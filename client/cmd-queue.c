/*
 * mandate queue: the cases of an officer's unit, newest first, one page or
 * (--all) every page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "out.h"
#include "xmalloc.h"

#define QUEUE_LIMIT_MAX 200

enum { QUEUE_OPT_UNIT = CMD_OPT_LOCAL, QUEUE_OPT_LIMIT, QUEUE_OPT_ALL };

struct queue_args {
	const char *unit; /* NULL: the server picks the officer's one unit */
	long limit;       /* 0: the server's default */
	int all;
};

/* Appends "?name=value" or "&name=value", the value escaped. */
static void
queue_param(char **path, const char *name, const char *value)
{
	char *escaped = conn_escape(value), *grown;

	grown = xasprintf("%s%c%s=%s", *path,
	    strchr(*path, '?') != NULL ? '&' : '?', name, escaped);
	free(escaped);
	free(*path);
	*path = grown;
}

static char *
queue_path(const struct queue_args *a, const char *after)
{
	char *path = xstrdup("/v1/queue"), limit[32];

	if (a->unit != NULL)
		queue_param(&path, "unit", a->unit);
	if (a->limit > 0) {
		snprintf(limit, sizeof limit, "%ld", a->limit);
		queue_param(&path, "limit", limit);
	}
	if (after != NULL)
		queue_param(&path, "after", after);
	return path;
}

static void
queue_add_rows(struct out_table *t, const json_t *cases)
{
	const char *row[6];
	char received[32], due[32];
	json_t *c;
	size_t i;

	json_array_foreach(cases, i, c)
	{
		row[0] = out_str(c, "id");
		row[1] = out_time(
		    received, sizeof received, out_str(c, "received_at"));
		row[2] = out_str(c, "status");
		row[3] = out_str(c, "category");
		row[4] = out_str(c, "rule");
		row[5] = out_time(due, sizeof due, out_str(c, "due_at"));
		out_table_add(t, row);
	}
}

/* Fetches one page, or every page with --all, into *all (the last reply
 * with every page's cases). */
static int
queue_fetch(struct cmd_env *env, const struct queue_args *a, json_t **all)
{
	json_t *reply = NULL, *cases;
	char *path, *after = NULL;
	const char *next;
	int rc;

	*all = NULL;
	for (;;) {
		path = queue_path(a, after);
		rc = cmd_request(env, "GET", path, NULL, &reply);
		free(path);
		if (rc != 0)
			break;
		if (!json_is_array(cases = json_object_get(reply, "cases"))) {
			rc = cmd_fail(EX_PROTOCOL,
			    xstrdup("the queue reply has no cases array"));
			break;
		}
		if (*all == NULL)
			*all = json_incref(reply);
		else
			json_array_extend(
			    json_object_get(*all, "cases"), cases);
		next = json_string_value(json_object_get(reply, "next"));
		if (!a->all || next == NULL)
			break;
		if (after != NULL && strcmp(after, next) == 0) {
			rc = cmd_fail(EX_PROTOCOL,
			    xstrdup("the queue cursor does not advance"));
			break;
		}
		free(after);
		after = xstrdup(next);
		json_decref(reply);
		reply = NULL;
	}
	if (rc == 0 && a->all)
		json_object_set_new(*all, "next", json_null());
	json_decref(reply);
	free(after);
	return rc;
}

static int
queue_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"unit", required_argument, NULL, QUEUE_OPT_UNIT},
	    {"limit", required_argument, NULL, QUEUE_OPT_LIMIT},
	    {"all", no_argument, NULL, QUEUE_OPT_ALL}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	static const char *const headers[] = {
	    "ID", "RECEIVED", "STATUS", "CATEGORY", "RULE", "DUE"};
	struct queue_args a = {0};
	struct out_table *t;
	json_t *all = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == QUEUE_OPT_UNIT)
			a.unit = optarg;
		else if (ch == QUEUE_OPT_ALL)
			a.all = 1;
		else if (ch == QUEUE_OPT_LIMIT) {
			if (cmd_parse_number(
			        optarg, 1, QUEUE_LIMIT_MAX, &a.limit) != 0)
				return cmd_usage_error(env,
				    "--limit: a number from 1 to %d",
				    QUEUE_LIMIT_MAX);
		} else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (a.all && a.limit == 0)
		a.limit = QUEUE_LIMIT_MAX; /* fewer round trips */
	if ((rc = queue_fetch(env, &a, &all)) != 0)
		goto out;
	if (env->json) {
		rc = out_json(all);
		goto out;
	}
	t = out_table_new(6, headers);
	queue_add_rows(t, json_object_get(all, "cases"));
	out_table_print(t);
	out_table_free(t);
	if (!a.all && json_is_string(json_object_get(all, "next")))
		printf("(more: --all, or --limit up to %d)\n", QUEUE_LIMIT_MAX);
	rc = out_flush();

out:
	json_decref(all);
	return rc;
}

const struct cmd cmd_queue = {
    .name = "queue",
    .summary = "List the cases of your unit, newest first",
    .usage = "[--unit UNIT] [--limit N] [--all]",
    .help = "Options:\n"
            "  --unit UNIT           the unit (needed when you serve in "
            "more than one)\n"
            "  --limit N             cases per page, 1 to 200 (default "
            "50)\n"
            "  --all                 follow the pages to the end\n",
    .exec = queue_exec,
};
