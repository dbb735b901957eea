/*
 * mandate help [COMMAND...]: the command list, or a command's help.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "xmalloc.h"

static int
help_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	char **words;
	int ch, rc, n, i;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1)
		if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	if ((n = argc - optind) == 0) {
		cmd_print_list(stdout, NULL);
		return EX_OK;
	}
	if ((rc = cmd_operands(env, n, 1, 2)) != CMD_CONTINUE)
		return rc;
	/* "help keys init" is "keys init --help". */
	words = xcalloc((size_t)n + 2, sizeof *words);
	for (i = 0; i < n; i++)
		words[i] = argv[optind + i];
	words[n] = (char *)"--help";
	env->cmd = NULL;
	rc = cmd_dispatch(env, n + 1, words);
	free(words);
	return rc;
}

const struct cmd cmd_help = {
    .name = "help",
    .summary = "Show the commands, or the help of one",
    .usage = "[COMMAND]",
    .help = NULL,
    .exec = help_exec,
};
