/*
 * mandate officers add: an administrator enrols a user as an officer of a
 * unit with the public key of their key pair (a .pub file or a key file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "keyfile.h"
#include "out.h"
#include "xmalloc.h"

enum {
	OFFICERS_ADD_OPT_UNIT = CMD_OPT_LOCAL,
	OFFICERS_ADD_OPT_USER,
	OFFICERS_ADD_OPT_KEY,
};

static int
officers_add_send(struct cmd_env *env, const char *unit, const char *user,
    const struct keyfile *kf)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1], *pk64;
	json_t *body, *reply = NULL;
	const char *theirs;
	int rc;

	pk64 = crypt_b64_encode(kf->pk, sizeof kf->pk);
	body = json_pack(
	    "{ssssss}", "unit", unit, "user", user, "public_key", pk64);
	free(pk64);
	if (body == NULL)
		return cmd_fail(EX_DATAERR,
		    xstrdup("--unit and --user must be UTF-8 text"));
	rc = cmd_request(env, "POST", "/v1/officers", body, &reply);
	json_decref(body);
	if (rc != 0)
		return rc;
	crypt_fingerprint(fp, kf->pk);
	theirs = json_string_value(json_object_get(reply, "fingerprint"));
	if (theirs != NULL && strcmp(theirs, fp) != 0)
		out_error("warning: the daemon reports fingerprint %s, the "
		          "key file has %s",
		    theirs, fp);
	if (env->json)
		rc = out_json(reply);
	else {
		printf("Enrolled ");
		out_text(stdout, out_str(reply, "user"), 0);
		printf(" as an officer of ");
		out_text(stdout, out_str(reply, "unit"), 0);
		printf("\n");
		out_field("Fingerprint", out_str(reply, "fingerprint"));
		out_field("Enrolled", out_str(reply, "enrolled_at"));
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

static int
officers_add_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"unit", required_argument, NULL, OFFICERS_ADD_OPT_UNIT},
	    {"user", required_argument, NULL, OFFICERS_ADD_OPT_USER},
	    {"key", required_argument, NULL, OFFICERS_ADD_OPT_KEY},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *unit = NULL, *user = NULL, *key = NULL;
	struct keyfile kf;
	char *path = NULL;
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == OFFICERS_ADD_OPT_UNIT)
			unit = optarg;
		else if (ch == OFFICERS_ADD_OPT_USER)
			user = optarg;
		else if (ch == OFFICERS_ADD_OPT_KEY)
			key = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (unit == NULL || user == NULL || key == NULL)
		return cmd_usage_error(env, "--unit, --user and --key are all "
		                            "needed");
	if ((rc = cmd_key_load(key, &kf, &path)) != 0)
		return rc;
	rc = officers_add_send(env, unit, user, &kf);
	crypt_wipe(&kf, sizeof kf);
	free(path);
	return rc;
}

const struct cmd cmd_officers_add = {
    .name = "officers add",
    .summary = "Enrol a user as an officer of a unit (administrators)",
    .usage = "--unit UNIT --user NAME --key FILE",
    .help = "Options:\n"
            "  --unit UNIT           the unit the officer serves in\n"
            "  --user NAME           the officer's user name\n"
            "  --key FILE            their public key: a .pub file, or "
            "a key file\n",
    .exec = officers_add_exec,
};
