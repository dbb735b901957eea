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

enum {
	QUEUE_OPT_UNIT = CMD_OPT_LOCAL,
	QUEUE_OPT_LIMIT,
	QUEUE_OPT_ALL,
	QUEUE_OPT_STATUS,
	QUEUE_OPT_CATEGORY,
	QUEUE_OPT_SORT,
	QUEUE_OPT_OVERDUE,
	QUEUE_OPT_URGENT,
	QUEUE_OPT_MINE,
	QUEUE_OPT_UNASSIGNED,
};

/* The query parameters of the filters, in QUEUE_OPT_ order from STATUS. */
static const char *const queue_filter_names[] = {
    "status", "category", "sort", "overdue", "urgent", "mine", "unassigned"};
#define QUEUE_NFILTERS 7

struct queue_args {
	const char *unit; /* NULL: the server picks the officer's one unit */
	long limit;       /* 0: the server's default */
	int all;
	const char *filter[QUEUE_NFILTERS]; /* NULL: not given */
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
	for (size_t i = 0; i < QUEUE_NFILTERS; i++)
		if (a->filter[i] != NULL)
			queue_param(&path, queue_filter_names[i], a->filter[i]);
	if (after != NULL)
		queue_param(&path, "after", after);
	return path;
}

static void
queue_add_rows(struct out_table *t, const json_t *cases)
{
	const char *row[8];
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
		row[5] = json_is_string(json_object_get(c, "due_at"))
		             ? out_time(due, sizeof due, out_str(c, "due_at"))
		             : "-";
		row[6] = json_is_true(json_object_get(c, "urgent")) ? "urgent"
		         : json_is_true(json_object_get(c, "overdue"))
		             ? "overdue"
		             : "";
		row[7] = json_is_string(json_object_get(c, "assignee"))
		             ? out_str(c, "assignee")
		             : "";
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
	    {"all", no_argument, NULL, QUEUE_OPT_ALL},
	    {"status", required_argument, NULL, QUEUE_OPT_STATUS},
	    {"category", required_argument, NULL, QUEUE_OPT_CATEGORY},
	    {"sort", required_argument, NULL, QUEUE_OPT_SORT},
	    {"overdue", no_argument, NULL, QUEUE_OPT_OVERDUE},
	    {"urgent", no_argument, NULL, QUEUE_OPT_URGENT},
	    {"mine", no_argument, NULL, QUEUE_OPT_MINE},
	    {"unassigned", no_argument, NULL, QUEUE_OPT_UNASSIGNED},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	static const char *const headers[] = {"ID", "RECEIVED", "STATUS",
	    "CATEGORY", "RULE", "DUE", "FLAG", "ASSIGNEE"};
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
		else if (ch >= QUEUE_OPT_STATUS && ch <= QUEUE_OPT_SORT)
			a.filter[ch - QUEUE_OPT_STATUS] = optarg;
		else if (ch >= QUEUE_OPT_OVERDUE && ch <= QUEUE_OPT_UNASSIGNED)
			a.filter[ch - QUEUE_OPT_STATUS] = "1";
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
	t = out_table_new(8, headers);
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
    .summary = "List the cases of your unit, urgent and soonest due first",
    .usage = "[--unit UNIT] [--limit N] [--all] [--status S] [--category C]\n"
             "        [--overdue] [--urgent] [--mine] [--unassigned] "
             "[--sort due|received]",
    .help = "Options:\n"
            "  --unit UNIT           the unit (needed when you serve in "
            "more than one)\n"
            "  --limit N             cases per page, 1 to 200 (default "
            "50)\n"
            "  --all                 follow the pages to the end\n"
            "  --status S            only cases in state S\n"
            "  --category C          only cases of category C\n"
            "  --overdue             only cases past their deadline\n"
            "  --urgent              only urgent cases\n"
            "  --mine                only cases assigned to you\n"
            "  --unassigned          only cases assigned to nobody\n"
            "  --sort due|received   by due date, urgent first (the "
            "default), or newest first\n",
    .exec = queue_exec,
};
