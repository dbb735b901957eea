/*
 * mandate cases export: the auditors' case log, streamed to a file or
 * standard output: per case its metadata, status history and whether its
 * acknowledgement deadline was met; units whose auditors see only counts
 * (the Ombudsperson) as counts by quarter and category.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fetch.h"
#include "out.h"
#include "xmalloc.h"

enum { CASES_EXPORT_OPT_FORMAT = CMD_OPT_LOCAL };

static int
cases_export_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, CASES_EXPORT_OPT_FORMAT},
	    {"output", required_argument, NULL, 'o'}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	const char *format = NULL, *file = NULL;
	char *path;
	int64_t bytes = 0;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS "o:", opts, NULL)) !=
	       -1) {
		if (ch == CASES_EXPORT_OPT_FORMAT)
			format = optarg;
		else if (ch == 'o')
			file = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (format != NULL && strcmp(format, "jsonl") != 0 &&
	    strcmp(format, "csv") != 0)
		return cmd_usage_error(env, "--format is csv or jsonl");
	path = xasprintf("/v1/audit/cases%s%s", format ? "?format=" : "",
	    format ? format : "");
	rc = fetch_export(env, "/v1/health", path, file, "end", &bytes);
	free(path);
	if (rc != 0 || file == NULL)
		return rc;
	printf("%" PRId64 " bytes written to ", bytes);
	out_text(stdout, file, 0);
	putchar('\n');
	return out_flush();
}

const struct cmd cmd_cases_export = {
    .name = "cases export",
    .summary = "Export the case log: metadata, status history, deadlines "
               "(auditors)",
    .usage = "[--format csv|jsonl] [-o FILE]",
    .help = "Options:\n"
            "  --format FORMAT       jsonl (default) or csv\n"
            "  -o, --output FILE     write to FILE (mode 600) instead of "
            "standard output\n",
    .exec = cases_export_exec,
};
