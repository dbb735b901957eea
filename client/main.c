/*
 * mandate: the command-line client of mandated.  Parses the options that
 * come before the command, then hands over to the command table (cmd.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "crypt.h"
#include "json.h"
#include "mandate/api.h"
#include "out.h"

static int
main_version(void)
{
	printf("mandate %s (API %d)\n%s\n%s\njansson %s\n", MANDATE_VERSION,
	    MANDATE_API_VERSION, conn_library_version(),
	    crypt_library_version(), jansson_version_str());
	return out_flush();
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"version", no_argument, NULL, CMD_OPT_VERSION}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	struct cmd_env env = {0};
	int ch, rc;

	/* Decrypted case content passes through jansson strings. */
	json_init();
	if (crypt_init() != 0) {
		out_error("libsodium cannot be initialised");
		return EX_SOFTWARE;
	}
	opterr = 0;
	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt_long(
	            argc, argv, "+" CMD_SHORTOPTS "V", opts, NULL)) != -1) {
		if (ch == 'V' || ch == CMD_OPT_VERSION)
			return main_version();
		if ((rc = cmd_option(&env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if (optind >= argc) {
		cmd_print_list(stderr, NULL);
		return EX_USAGE;
	}
	rc = cmd_dispatch(&env, argc - optind, argv + optind);
	conn_free(env.conn);
	if (rc == EX_OK)
		rc = out_flush();
	return rc;
}
