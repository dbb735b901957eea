/*
 * mandate conflicts add | list: the conflict register (administrators).
 * The person's name is read from a file or stdin, never from the command
 * line (where ps(1) and shell histories would show it); the daemon keeps
 * only its keyed hash, and lists entries without names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "out.h"
#include "xmalloc.h"

#define CONFLICTS_NAME_MAX 1024

enum {
	CONFLICTS_OPT_UNIT = CMD_OPT_LOCAL,
	CONFLICTS_OPT_USER,
	CONFLICTS_OPT_NAME_FILE
};

/* The name in path ("-": stdin), its first line: 0 with *out (caller
 * wipes and frees), or -1 with *cause. */
static int
conflicts_read_name(const char *path, char **out, char **cause)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *buf = xcalloc(1, CONFLICTS_NAME_MAX + 2);
	size_t n;

	if (f == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	n = fread(buf, 1, CONFLICTS_NAME_MAX + 1, f);
	if (f != stdin)
		fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (n > CONFLICTS_NAME_MAX || buf[0] == '\0') {
		*cause =
		    xasprintf("%s: expected a name of 1 to %d bytes on its "
		              "first line",
		        path, CONFLICTS_NAME_MAX);
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static void
conflicts_add_print(const json_t *reply)
{
	json_t *v;
	size_t i;

	printf("Conflict of %s (%s) %s.\n", out_str(reply, "user"),
	    out_str(reply, "unit"),
	    json_is_true(json_object_get(reply, "created"))
	        ? "registered"
	        : "was already registered");
	json_array_foreach(json_object_get(reply, "dropped"), i, v)
	    printf("  key copy dropped: %s\n", json_string_value(v));
	json_array_foreach(json_object_get(reply, "last_holder"), i, v)
	    printf("  last holder of %s: refer it, then recuse\n",
	        json_string_value(v));
}

/* Sends the entry; an exit status. */
static int
conflicts_add_send(
    struct cmd_env *env, const char *unit, const char *user, const char *name)
{
	json_t *body = json_pack(
	           "{s:s, s:s, s:s}", "unit", unit, "user", user, "name", name),
	       *reply = NULL;
	int rc = cmd_request(env, "POST", "/v1/conflicts", body, &reply);

	json_decref(body);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		conflicts_add_print(reply);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

static int
conflicts_add_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"unit", required_argument, NULL, CONFLICTS_OPT_UNIT},
	    {"user", required_argument, NULL, CONFLICTS_OPT_USER},
	    {"name-file", required_argument, NULL, CONFLICTS_OPT_NAME_FILE},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *unit = NULL, *user = NULL, *file = NULL;
	char *name = NULL, *cause = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == CONFLICTS_OPT_UNIT)
			unit = optarg;
		else if (ch == CONFLICTS_OPT_USER)
			user = optarg;
		else if (ch == CONFLICTS_OPT_NAME_FILE)
			file = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (unit == NULL || user == NULL)
		return cmd_usage_error(env, "--unit and --user are required");
	if (conflicts_read_name(file ? file : "-", &name, &cause) < 0)
		return cmd_fail(EX_DATAERR, cause);
	rc = conflicts_add_send(env, unit, user, name);
	explicit_bzero(name, strlen(name));
	free(name);
	return rc;
}

const struct cmd cmd_conflicts_add = {
    .name = "conflicts add",
    .summary = "Register that an officer may not read cases about a person",
    .usage = "--unit UNIT --user NAME [--name-file FILE]",
    .help = "The person's name is read from the first line of FILE, or of\n"
            "the standard input (never from the command line).  The daemon\n"
            "keeps only a keyed hash of it, never seals later cases about\n"
            "it to the officer, and drops the officer's copies of existing\n"
            "ones (except where they are the last holder: listed, refer\n"
            "them first).\n\n"
            "Options:\n"
            "  --unit UNIT           the officer's unit\n"
            "  --user NAME           the officer's login name\n"
            "  --name-file FILE      the person's name ('-': stdin, the "
            "default)\n",
    .exec = conflicts_add_exec,
};

static void
conflicts_list_print(const json_t *reply)
{
	static const char *const headers[] = {
	    "ID", "USER", "UNIT", "NAME HASH", "CREATED"};
	struct out_table *t = out_table_new(5, headers);
	const char *row[5];
	char when[32], id[32], hash[20];
	json_t *o;
	size_t i;

	json_array_foreach(json_object_get(reply, "conflicts"), i, o)
	{
		snprintf(id, sizeof id, "%lld",
		    (long long)json_integer_value(json_object_get(o, "id")));
		snprintf(hash, sizeof hash, "%.16s", out_str(o, "name_hash"));
		row[0] = id;
		row[1] = out_str(o, "user");
		row[2] = out_str(o, "unit");
		row[3] = hash;
		row[4] = out_time(when, sizeof when, out_str(o, "created_at"));
		out_table_add(t, row);
	}
	out_table_print(t);
	out_table_free(t);
}

static int
conflicts_list_exec(struct cmd_env *env, int argc, char **argv)
{
	return cmd_get_and_show(
	    env, argc, argv, "/v1/conflicts", conflicts_list_print);
}

const struct cmd cmd_conflicts_list = {
    .name = "conflicts list",
    .summary = "List the conflict register (hashes only, never names)",
    .usage = "",
    .help = "",
    .exec = conflicts_list_exec,
};
