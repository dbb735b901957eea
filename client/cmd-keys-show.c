/*
 * mandate keys show: the fingerprint and public key of a key file, with no
 * passphrase asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "keyfile.h"
#include "out.h"

enum { KEYS_SHOW_OPT_KEY = CMD_OPT_LOCAL };

static int
keys_show_print(
    const struct cmd_env *env, const char *path, const struct keyfile *kf)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1];
	char *pk64 = crypt_b64_encode(kf->pk, sizeof kf->pk);
	json_t *v;
	int rc;

	crypt_fingerprint(fp, kf->pk);
	if (env->json) {
		v = json_pack("{sssssssb}", "key_file", path, "public_key",
		    pk64, "fingerprint", fp, "secret", kf->has_secret);
		rc = v != NULL ? out_json(v) : EX_SOFTWARE;
		json_decref(v);
	} else {
		out_field("Key file", path);
		out_field("Fingerprint", fp);
		out_field("Public key", pk64);
		if (!kf->has_secret)
			out_field("Secret key", "not in this file");
		rc = out_flush();
	}
	free(pk64);
	return rc;
}

static int
keys_show_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, KEYS_SHOW_OPT_KEY}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	const char *keyopt = NULL;
	struct keyfile kf;
	char *path = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == KEYS_SHOW_OPT_KEY)
			keyopt = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_key_load(keyopt, &kf, &path)) != 0)
		return rc;
	rc = keys_show_print(env, path, &kf);
	crypt_wipe(&kf, sizeof kf);
	free(path);
	return rc;
}

const struct cmd cmd_keys_show = {
    .name = "keys show",
    .summary = "Show the fingerprint and public key of your key file",
    .usage = "[--key FILE]",
    .help = "Options:\n"
            "  --key FILE            the key file or .pub file (MANDATE_KEY; "
            "default\n"
            "                        ~/.config/mandate/officer.key)\n",
    .exec = keys_show_exec,
};
