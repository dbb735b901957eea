/*
 * mandate keys init: create an officer's key pair, the secret key wrapped
 * under a passphrase in a 0600 key file, the public key in FILE.pub for an
 * administrator to enrol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "keyfile.h"
#include "out.h"
#include "pass.h"
#include "xmalloc.h"

enum {
	KEYS_INIT_OPT_KDF = CMD_OPT_LOCAL,
	KEYS_INIT_OPT_PASSPHRASE_FD,
	KEYS_INIT_OPT_FORCE,
};

struct keys_init_args {
	const char *path; /* -o */
	const char *fd;   /* --passphrase-fd */
	enum crypt_kdf_strength kdf;
	int force;
};

static int
keys_init_kdf(const char *s, enum crypt_kdf_strength *kdf)
{
	static const struct {
		const char *name;
		enum crypt_kdf_strength kdf;
	} names[] = {
	    {"interactive", CRYPT_KDF_INTERACTIVE},
	    {"moderate", CRYPT_KDF_MODERATE},
	    {"sensitive", CRYPT_KDF_SENSITIVE},
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i].name) == 0) {
			*kdf = names[i].kdf;
			return 0;
		}
	}
	return -1;
}

static int
keys_init_report(
    const struct cmd_env *env, const char *path, const unsigned char *pk)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1], *pub = keyfile_pub_path(path);
	char *pk64 = crypt_b64_encode(pk, CRYPT_PK_LEN);
	json_t *v;
	int rc;

	crypt_fingerprint(fp, pk);
	if (env->json) {
		v = json_pack("{ssssssss}", "key_file", path, "public_key_file",
		    pub, "public_key", pk64, "fingerprint", fp);
		rc = v != NULL ? out_json(v) : EX_SOFTWARE;
		json_decref(v);
	} else {
		out_field("Key file", path);
		out_field("Public key", pub);
		out_field("Fingerprint", fp);
		printf("\nGive %s to an administrator, who enrols you with\n"
		       "  mandate officers add --unit UNIT --user NAME --key "
		       "%s\n",
		    pub, pub);
		rc = out_flush();
	}
	free(pub);
	free(pk64);
	return rc;
}

/* Asks the passphrase and writes the key files. */
static int
keys_init_create(
    const struct cmd_env *env, const struct keys_init_args *a, const char *path)
{
	unsigned char pk[CRYPT_PK_LEN];
	struct pass pass = {0};
	char *cause = NULL;
	int fd, rc;

	if (!a->force && (rc = keyfile_check_absent(path, &cause)) != 0)
		return cmd_fail(rc, cause);
	if ((rc = pass_resolve_fd(a->fd, &fd, &cause)) != 0)
		return cmd_fail(rc, cause);
	if ((rc = pass_read_new(&pass, fd, &cause)) != 0)
		return cmd_fail(rc, cause);
	rc = keyfile_create(
	    path, pass.buf, pass.len, a->kdf, a->force, pk, &cause);
	pass_clear(&pass);
	if (rc != 0)
		return cmd_fail(rc, cause);
	return keys_init_report(env, path, pk);
}

static int
keys_init_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"kdf", required_argument, NULL, KEYS_INIT_OPT_KDF},
	    {"passphrase-fd", required_argument, NULL,
	        KEYS_INIT_OPT_PASSPHRASE_FD},
	    {"force", no_argument, NULL, KEYS_INIT_OPT_FORCE}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	struct keys_init_args a = {.kdf = CRYPT_KDF_MODERATE};
	char *path = NULL, *cause = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS "o:", opts, NULL)) !=
	       -1) {
		if (ch == 'o')
			a.path = optarg;
		else if (ch == KEYS_INIT_OPT_KDF) {
			if (keys_init_kdf(optarg, &a.kdf) != 0)
				return cmd_usage_error(env,
				    "--kdf: interactive, moderate or "
				    "sensitive");
		} else if (ch == KEYS_INIT_OPT_PASSPHRASE_FD)
			a.fd = optarg;
		else if (ch == KEYS_INIT_OPT_FORCE)
			a.force = 1;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (a.path != NULL)
		path = xstrdup(a.path);
	else if ((rc = keyfile_default_path(&path, 1, &cause)) != 0)
		return cmd_fail(rc, cause);
	rc = keys_init_create(env, &a, path);
	free(path);
	return rc;
}

const struct cmd cmd_keys_init = {
    .name = "keys init",
    .summary = "Create your officer key pair",
    .usage = "[-o FILE] [--kdf interactive|moderate|sensitive] "
             "[--passphrase-fd N] [--force]",
    .help = "Options:\n"
            "  -o, --output FILE     the key file to write (MANDATE_KEY; "
            "default\n"
            "                        ~/.config/mandate/officer.key); "
            "FILE.pub beside it\n"
            "  --kdf STRENGTH        how costly guessing the passphrase "
            "is (default moderate)\n"
            "  --passphrase-fd N     read the passphrase once from file "
            "descriptor N\n"
            "                        (MANDATE_PASSPHRASE_FD), not twice "
            "from the terminal\n"
            "  --force               replace existing files\n",
    .exec = keys_init_exec,
};
