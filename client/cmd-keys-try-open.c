/*
 * mandate keys try-open --key FILE --sealed-hex HEX: a test and forensics
 * aid: says whether a sealed copy of a case
 * key (as stored in case_keys.sealed, in hex) opens with a key file.
 * Exits 0 when it does, 77 when it does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "keyfile.h"
#include "officer.h"
#include "out.h"
#include "pass.h"
#include "xmalloc.h"

enum {
	TRY_OPEN_OPT_KEY = CMD_OPT_LOCAL,
	TRY_OPEN_OPT_HEX,
	TRY_OPEN_OPT_PASSPHRASE_FD,
};

/* Whether sealed opens with kf: EX_OK, EX_NOPERM, or a status. */
static int
try_open_run(const char *keyopt, const char *fdopt, const unsigned char *sealed)
{
	struct keyfile kf;
	unsigned char *sk = NULL, *key = crypt_key_new(0);
	char *keypath = NULL, *cause = NULL;
	int rc, passfd;

	if ((rc = pass_resolve_fd(fdopt, &passfd, &cause)) != 0) {
		crypt_key_free(key);
		return cmd_fail(rc, cause);
	}
	if ((rc = cmd_key_load(keyopt, &kf, &keypath)) != 0) {
		crypt_key_free(key);
		return rc;
	}
	rc = officer_unlock(&kf, keypath, passfd, &sk);
	if (rc == 0)
		rc = crypt_unseal(key, sealed, CRYPT_SEALED_LEN, kf.pk, sk) == 0
		         ? EX_OK
		         : EX_NOPERM;
	crypt_key_free(sk);
	crypt_key_free(key);
	crypt_wipe(&kf, sizeof kf);
	free(keypath);
	return rc;
}

static int
try_open_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, TRY_OPEN_OPT_KEY},
	    {"sealed-hex", required_argument, NULL, TRY_OPEN_OPT_HEX},
	    {"passphrase-fd", required_argument, NULL,
	        TRY_OPEN_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *key = NULL, *hex = NULL, *passfd = NULL;
	unsigned char sealed[CRYPT_SEALED_LEN];
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == TRY_OPEN_OPT_KEY)
			key = optarg;
		else if (ch == TRY_OPEN_OPT_HEX)
			hex = optarg;
		else if (ch == TRY_OPEN_OPT_PASSPHRASE_FD)
			passfd = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (hex == NULL || strlen(hex) != 2 * CRYPT_SEALED_LEN ||
	    crypt_unhex(sealed, sizeof sealed, hex) != 0)
		return cmd_usage_error(
		    env, "--sealed-hex needs 160 hex digits (80 bytes)");
	rc = try_open_run(key, passfd, sealed);
	if (rc == EX_OK || rc == EX_NOPERM) {
		if (!env->json)
			printf("%s\n", rc == EX_OK ? "opens" : "does not open");
		out_flush();
	}
	return rc;
}

const struct cmd cmd_keys_try_open = {
    .name = "keys try-open",
    .summary = "Test/forensics aid: does a sealed key copy open with a key",
    .usage = "--key FILE --sealed-hex HEX [--passphrase-fd N]",
    .help = "A test and forensics aid: says whether a sealed copy of a case "
            "key, as stored\n"
            "in the database (case_keys.sealed, in hex), opens with the "
            "key file FILE.\n"
            "Exits 0 when it opens, 77 when it does not.  Nothing is sent "
            "to the daemon.\n",
    .exec = try_open_exec,
};
