/*
 * mandate officers grant --user NAME [--unit U]: an officer hands a
 * newcomer of their unit the unit's open cases.  Batches of at most 100
 * come from the daemon with this officer's sealed copies; each case key
 * is opened here with this officer's key and sealed to the newcomer's
 * public key.  The daemon lists only what the newcomer lacks, so a rerun
 * continues where an interrupted one stopped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "crypt.h"
#include "keyfile.h"
#include "officer.h"
#include "out.h"
#include "pass.h"
#include "xmalloc.h"

enum {
	GRANT_OPT_USER = CMD_OPT_LOCAL,
	GRANT_OPT_UNIT,
	GRANT_OPT_KEY,
	GRANT_OPT_PASSPHRASE_FD,
};

struct grant_args {
	const char *user, *unit, *key, *passfd;
	struct keyfile kf;
	unsigned char *sk;
	size_t sent, skipped;
};

/* Re-seals one {"case", "sealed"} to pk: a new {"case", "sealed"}, or
 * NULL when the copy does not open with this officer's key. */
static json_t *
grant_reseal(
    const struct grant_args *a, const json_t *k, const unsigned char *pk)
{
	const char *b64 = json_string_value(json_object_get(k, "sealed"));
	unsigned char *sealed = NULL, *key = crypt_key_new(0);
	unsigned char out[CRYPT_SEALED_LEN];
	size_t len = 0;
	json_t *res = NULL;
	char *s;

	if (b64 != NULL)
		sealed = crypt_b64_decode(b64, strlen(b64), &len);
	if (sealed != NULL && len == CRYPT_SEALED_LEN &&
	    crypt_unseal(key, sealed, len, a->kf.pk, a->sk) == 0 &&
	    crypt_seal(out, key, pk) == 0) {
		s = crypt_b64_encode(out, sizeof out);
		res = json_pack("{s:O, s:s}", "case",
		    json_object_get(k, "case"), "sealed", s);
		free(s);
	}
	crypt_key_free(key);
	free(sealed);
	return res;
}

/* One batch from the cursor *after (updated): 0 with *more, or a status. */
static int
grant_batch(struct cmd_env *env, struct grant_args *a, char **after, int *more)
{
	char *u = conn_escape(a->user), *path;
	json_t *page = NULL, *keys = json_array(), *k, *body, *reply = NULL;
	unsigned char *pk = NULL;
	size_t i, pklen = 0;
	int rc;

	path = xasprintf("/v1/officers/grant?user=%s&limit=100%s%s%s%s", u,
	    a->unit ? "&unit=" : "", a->unit ? a->unit : "",
	    *after ? "&after=" : "", *after ? *after : "");
	free(u);
	rc = cmd_request(env, "GET", path, NULL, &page);
	free(path);
	if (rc != 0)
		goto out;
	pk = crypt_b64_decode(out_str(page, "public_key"),
	    strlen(out_str(page, "public_key")), &pklen);
	if (pk == NULL || pklen != CRYPT_PK_LEN) {
		rc = cmd_fail(EX_PROTOCOL, xstrdup("no valid public_key"));
		goto out;
	}
	json_array_foreach(json_object_get(page, "keys"), i, k)
	{
		json_t *r = grant_reseal(a, k, pk);
		if (r == NULL)
			a->skipped++;
		else
			json_array_append_new(keys, r);
	}
	*more = json_is_string(json_object_get(page, "next"));
	free(*after);
	*after = *more ? xstrdup(out_str(page, "next")) : NULL;
	if (json_array_size(keys) > 0) {
		body = json_pack("{s:s, s:s, s:O}", "user", a->user, "unit",
		    out_str(page, "unit"), "keys", keys);
		rc = cmd_request(
		    env, "POST", "/v1/officers/grant", body, &reply);
		json_decref(body);
		if (rc == 0)
			a->sent += (size_t)json_integer_value(
			    json_object_get(reply, "stored"));
	}
out:
	free(pk);
	json_decref(page);
	json_decref(keys);
	json_decref(reply);
	return rc;
}

static int
grant_options(struct cmd_env *env, int argc, char **argv, struct grant_args *a)
{
	static const struct option opts[] = {
	    {"user", required_argument, NULL, GRANT_OPT_USER},
	    {"unit", required_argument, NULL, GRANT_OPT_UNIT},
	    {"key", required_argument, NULL, GRANT_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL, GRANT_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char **slot[] = {&a->user, &a->unit, &a->key, &a->passfd};
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch >= GRANT_OPT_USER && ch <= GRANT_OPT_PASSPHRASE_FD)
			*slot[ch - GRANT_OPT_USER] = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if (a->user == NULL)
		return cmd_usage_error(env, "--user NAME is needed");
	return CMD_CONTINUE;
}

static int
grant_exec(struct cmd_env *env, int argc, char **argv)
{
	struct grant_args a = {0};
	char *keypath = NULL, *cause = NULL, *after = NULL;
	int rc, passfd, more = 1;

	if ((rc = grant_options(env, argc, argv, &a)) != CMD_CONTINUE)
		return rc;
	if ((rc = pass_resolve_fd(a.passfd, &passfd, &cause)) != 0)
		return cmd_fail(rc, cause);
	if ((rc = cmd_key_load(a.key, &a.kf, &keypath)) != 0)
		return rc;
	rc = officer_unlock(&a.kf, keypath, passfd, &a.sk);
	while (rc == 0 && more)
		rc = grant_batch(env, &a, &after, &more);
	crypt_key_free(a.sk);
	crypt_wipe(&a.kf, sizeof a.kf);
	free(keypath);
	free(after);
	if (rc != 0)
		return rc;
	if (env->json) {
		json_t *j =
		    json_pack("{s:s, s:I, s:I}", "user", a.user, "granted",
		        (json_int_t)a.sent, "skipped", (json_int_t)a.skipped);
		rc = out_json(j);
		json_decref(j);
		return rc;
	}
	printf("Granted %zu case%s to %s%s.\n", a.sent, a.sent == 1 ? "" : "s",
	    a.user,
	    a.skipped ? " (some copies did not open with your key)" : "");
	return out_flush();
}

const struct cmd cmd_officers_grant = {
    .name = "officers grant",
    .summary = "Give a newcomer of your unit its open cases",
    .usage = "--user NAME [--unit U] [--key FILE] [--passphrase-fd N]",
    .help = "Options:\n"
            "  --user NAME           the newcomer, enrolled in the unit "
            "already\n"
            "  --unit U              the unit, when you are an officer of "
            "several\n"
            "  --key FILE            your key file\n"
            "  --passphrase-fd N     read the passphrase from descriptor "
            "N\n"
            "\n"
            "Each case key is opened on this machine and sealed to the "
            "newcomer's public\n"
            "key, 100 cases a batch.  Run it again after an interruption: "
            "only what the\n"
            "newcomer still lacks is sent.\n",
    .exec = grant_exec,
};
