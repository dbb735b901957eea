/*
 * mandate audit export: the audit log (auditors), streamed to a file or
 * standard output, with its signed heads and a fresh signed seal; check
 * it with `mandate audit verify`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "fetch.h"
#include "out.h"
#include "xmalloc.h"

enum {
	AUDIT_EXPORT_OPT_SINCE = CMD_OPT_LOCAL,
	AUDIT_EXPORT_OPT_UNTIL,
	AUDIT_EXPORT_OPT_FORMAT,
};

struct audit_export_args {
	const char *since, *until, *format, *file;
};

/* Appends "?name=value" or "&name=value", the value escaped. */
static void
audit_export_param(char **path, const char *name, const char *value)
{
	char *escaped, *grown;

	if (value == NULL)
		return;
	escaped = conn_escape(value);
	grown = xasprintf("%s%c%s=%s", *path,
	    strchr(*path, '?') != NULL ? '&' : '?', name, escaped);
	free(escaped);
	free(*path);
	*path = grown;
}

static int
audit_export_report(
    const struct cmd_env *env, const struct audit_export_args *a, int64_t bytes)
{
	json_t *v;
	int rc;

	if (a->file == NULL)
		return 0;
	if (env->json) {
		v = json_pack("{s:s, s:I, s:s}", "file", a->file, "bytes",
		    (json_int_t)bytes, "format",
		    a->format ? a->format : "jsonl");
		rc = out_json(v);
		json_decref(v);
		return rc;
	}
	printf("%" PRId64 " bytes written to ", bytes);
	out_text(stdout, a->file, 0);
	printf("; check it with: mandate audit verify FILE --key KEY\n");
	return out_flush();
}

static int
audit_export_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"since", required_argument, NULL, AUDIT_EXPORT_OPT_SINCE},
	    {"until", required_argument, NULL, AUDIT_EXPORT_OPT_UNTIL},
	    {"format", required_argument, NULL, AUDIT_EXPORT_OPT_FORMAT},
	    {"output", required_argument, NULL, 'o'}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	struct audit_export_args a = {0};
	char *path;
	int64_t bytes = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS "o:", opts, NULL)) !=
	       -1) {
		if (ch == AUDIT_EXPORT_OPT_SINCE)
			a.since = optarg;
		else if (ch == AUDIT_EXPORT_OPT_UNTIL)
			a.until = optarg;
		else if (ch == AUDIT_EXPORT_OPT_FORMAT)
			a.format = optarg;
		else if (ch == 'o')
			a.file = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (a.format != NULL && strcmp(a.format, "jsonl") != 0 &&
	    strcmp(a.format, "csv") != 0)
		return cmd_usage_error(env, "--format is jsonl or csv");
	path = xstrdup("/v1/audit/export");
	audit_export_param(&path, "since", a.since);
	audit_export_param(&path, "until", a.until);
	audit_export_param(&path, "format", a.format);
	rc = fetch_export(env, "/v1/audit/key", path, a.file, "seal", &bytes);
	free(path);
	if (rc != 0)
		return rc;
	return audit_export_report(env, &a, bytes);
}

const struct cmd cmd_audit_export = {
    .name = "audit export",
    .summary = "Export the audit log with its signed heads (auditors)",
    .usage = "[--since T] [--until T] [--format jsonl|csv] [-o FILE]",
    .help = "Options:\n"
            "  --since T             from the first entry at or after T "
            "(YYYY-MM-DD,\n"
            "                        YYYY-MM-DDTHH:MM:SSZ or Unix seconds)\n"
            "  --until T             to the last entry before T\n"
            "  --format FORMAT       jsonl (default) or csv\n"
            "  -o, --output FILE     write to FILE (mode 600) instead of "
            "standard output\n",
    .exec = audit_export_exec,
};
