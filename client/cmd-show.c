/*
 * mandate show ID: an officer reads a case.  The daemon hands over the
 * encrypted content and the officer's sealed copy of the case key; the
 * client opens them here with the officer's key file and passphrase.  The
 * secret key, the case key and the plaintext are wiped after use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "json.h"
#include "keyfile.h"
#include "mandate/api.h"
#include "out.h"
#include "pass.h"
#include "xmalloc.h"

enum { SHOW_OPT_KEY = CMD_OPT_LOCAL, SHOW_OPT_PASSPHRASE_FD };

/* Decodes member key of reply, base64, of at least min bytes. */
static unsigned char *
show_decode(const json_t *reply, const char *key, size_t min, size_t *len)
{
	const char *s = json_string_value(json_object_get(reply, key));
	unsigned char *bin;

	if (s == NULL || (bin = crypt_b64_decode(s, strlen(s), len)) == NULL)
		return NULL;
	if (*len < min) {
		free(bin);
		return NULL;
	}
	return bin;
}

/* Asks the passphrase and unwraps the secret key into *sk. */
static int
show_unlock(const struct keyfile *kf, const char *keypath, int passfd,
    unsigned char **sk)
{
	struct pass pass = {0};
	char *prompt, *cause = NULL;
	int rc;

	prompt = xasprintf("Passphrase for %s: ", keypath);
	rc = pass_read(&pass, passfd, prompt, &cause);
	free(prompt);
	if (rc != 0)
		return cmd_fail(rc, cause);
	rc = keyfile_unlock(kf, pass.buf, pass.len, sk, &cause);
	pass_clear(&pass);
	if (rc != 0) {
		out_error("%s: %s", keypath, cause);
		free(cause);
	}
	return rc;
}

/* Opens the officer's sealed copy of the case key into *casekey. */
static int
show_open_key(const json_t *content, const struct keyfile *kf,
    const unsigned char *sk, unsigned char **casekey)
{
	const char *fp =
	    json_string_value(json_object_get(content, "fingerprint"));
	char own[CRYPT_FINGERPRINT_LEN + 1];
	unsigned char *sealed;
	size_t len;

	crypt_fingerprint(own, kf->pk);
	if (fp != NULL && strcmp(fp, own) != 0)
		return cmd_fail(EX_NOPERM, xasprintf("the case key is sealed "
		                                     "to key %s, not to this "
		                                     "key file's %s",
		                               fp, own));
	sealed = show_decode(content, "sealed_key", CRYPT_SEALED_LEN, &len);
	if (sealed == NULL || len != CRYPT_SEALED_LEN) {
		free(sealed);
		return cmd_fail(
		    EX_PROTOCOL, xstrdup("the reply has no valid sealed_key"));
	}
	*casekey = crypt_key_new(0);
	if (crypt_unseal(*casekey, sealed, len, kf->pk, sk) != 0) {
		free(sealed);
		crypt_key_free(*casekey);
		*casekey = NULL;
		return cmd_fail(EX_NOPERM,
		    xstrdup("the case key is not sealed to this key"));
	}
	free(sealed);
	return 0;
}

/* Decrypts the content box bound to case id into the plaintext object. */
static int
show_open_content(const json_t *content, const char *id,
    const unsigned char *casekey, json_t **plain)
{
	unsigned char ad[CRYPT_AD_MAX], *box = NULL;
	char *pt = NULL, *why = NULL;
	size_t adlen, boxlen, ptlen = 0;
	int rc = EX_PROTOCOL;

	box = show_decode(content, "content", CRYPT_BOX_OVERHEAD, &boxlen);
	adlen = crypt_ad(ad, sizeof ad, "cases", "content", id);
	if (box == NULL || adlen == 0) {
		rc = cmd_fail(rc, xstrdup("the reply has no valid content"));
		goto out;
	}
	ptlen = boxlen - CRYPT_BOX_OVERHEAD;
	pt = xmalloc(ptlen + 1);
	if (crypt_unbox((unsigned char *)pt, box, boxlen, ad, adlen, casekey) !=
	    0) {
		rc = cmd_fail(EX_DATAERR,
		    xstrdup("the case content fails authentication: it was "
		            "altered, or belongs to another case"));
		goto out;
	}
	*plain = json_parse_strict(pt, ptlen, &why);
	if (!json_is_object(*plain)) {
		json_decref(*plain);
		*plain = NULL;
		rc = cmd_fail(EX_DATAERR,
		    xstrdup("the decrypted content is not a JSON object"));
		goto out;
	}
	rc = 0;

out:
	if (pt != NULL)
		crypt_wipe(pt, ptlen + 1);
	free(pt);
	free(box);
	free(why);
	return rc;
}

/* The metadata, readable by the daemon too. */
static void
show_print_meta(const json_t *meta, const json_t *plain)
{
	const json_t *routing = json_object_get(plain, "routing");
	char buf[1024];

	out_field("Case", out_str(meta, "id"));
	out_field("Unit", out_str(meta, "unit"));
	out_field("Status", out_str(meta, "status"));
	out_field("Category", out_str(meta, "category"));
	out_field("Subject office", out_str(meta, "subject_office"));
	out_field("Language", out_str(meta, "language"));
	out_field("Received", out_str(meta, "received_at"));
	out_field("Due", out_str(meta, "due_at"));
	out_field("Rule", out_str(meta, "rule"));
	/* The words that matched come from the content: sealed with it. */
	if (!json_is_array(json_object_get(routing, "matched")))
		routing = meta;
	out_field("Matched", out_list(buf, sizeof buf, routing, "matched"));
	out_field("Recused", out_bool(meta, "recused"));
	out_field("Urgent", out_bool(meta, "urgent"));
}

/* The decrypted content: who submitted it, title, subjects, narrative. */
static void
show_print_content(const json_t *meta, const json_t *plain)
{
	const char *user = json_string_value(
	    json_object_get(json_object_get(plain, "submitter"), "user"));
	char buf[1024];

	if (user != NULL)
		out_field("Submitted by", user);
	else if (json_is_true(json_object_get(meta, "anonymous")))
		out_field("Submitted by", "anonymous");
	out_field("Title", out_str(plain, "title"));
	if (json_array_size(json_object_get(plain, "subjects")) > 0)
		out_field(
		    "Subjects", out_list(buf, sizeof buf, plain, "subjects"));
	putchar('\n');
	out_text(stdout, out_str(plain, "narrative"), OUT_TEXT_MULTILINE);
	putchar('\n');
	crypt_wipe(buf, sizeof buf);
}

static int
show_output(const struct cmd_env *env, json_t *meta, json_t *plain)
{
	json_t *both;
	int rc;

	if (!env->json) {
		show_print_meta(meta, plain);
		putchar('\n');
		show_print_content(meta, plain);
		return out_flush();
	}
	both = json_object();
	json_object_set(both, "case", meta);
	json_object_set(both, "content", plain);
	rc = out_json(both);
	json_decref(both);
	return rc;
}

/* Fetches, unlocks and decrypts; then prints. */
static int
show_case(struct cmd_env *env, const char *id, const struct keyfile *kf,
    const char *keypath, int passfd)
{
	json_t *meta = NULL, *content = NULL, *plain = NULL;
	unsigned char *sk = NULL, *casekey = NULL;
	char *path = xasprintf("/v1/cases/%s", id), *cpath;
	int rc;

	cpath = xasprintf("%s/content", path);
	if ((rc = cmd_request(env, "GET", path, NULL, &meta)) != 0)
		goto out;
	/* Unlock before fetching the content: a wrong passphrase then
	 * costs no read of the case on the server. */
	if ((rc = show_unlock(kf, keypath, passfd, &sk)) != 0)
		goto out;
	if ((rc = cmd_request(env, "GET", cpath, NULL, &content)) != 0)
		goto out;
	rc = show_open_key(content, kf, sk, &casekey);
	crypt_key_free(sk);
	sk = NULL;
	if (rc != 0)
		goto out;
	rc = show_open_content(content, id, casekey, &plain);
	crypt_key_free(casekey);
	casekey = NULL;
	if (rc == 0)
		rc = show_output(env, meta, plain);

out:
	crypt_key_free(sk);
	crypt_key_free(casekey);
	json_decref(meta);
	json_decref(content);
	json_decref(plain); /* wiped on free: json_init() */
	free(path);
	free(cpath);
	return rc;
}

static int
show_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, SHOW_OPT_KEY},
	    {"passphrase-fd", required_argument, NULL, SHOW_OPT_PASSPHRASE_FD},
	    CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	const char *keyopt = NULL, *fdopt = NULL;
	char id[MANDATE_CASE_ID_LEN + 1], *keypath = NULL, *cause = NULL;
	struct keyfile kf;
	int ch, rc, passfd;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == SHOW_OPT_KEY)
			keyopt = optarg;
		else if (ch == SHOW_OPT_PASSPHRASE_FD)
			fdopt = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	if ((rc = pass_resolve_fd(fdopt, &passfd, &cause)) != 0)
		return cmd_fail(rc, cause);
	if ((rc = cmd_key_load(keyopt, &kf, &keypath)) != 0)
		return rc;
	if (!kf.has_secret)
		rc = cmd_fail(EX_DATAERR,
		    xasprintf("%s holds a public key only: give the key file "
		              "beside it",
		        keypath));
	else
		rc = show_case(env, id, &kf, keypath, passfd);
	crypt_wipe(&kf, sizeof kf);
	free(keypath);
	return rc;
}

const struct cmd cmd_show = {
    .name = "show",
    .summary = "Read a case of your unit, decrypted with your key",
    .usage = "[--key FILE] [--passphrase-fd N] ID",
    .help = "Options:\n"
            "  --key FILE            your key file (MANDATE_KEY; default "
            "~/.config/mandate/officer.key)\n"
            "  --passphrase-fd N     read the passphrase from file "
            "descriptor N\n"
            "                        (MANDATE_PASSPHRASE_FD), not from "
            "the terminal\n",
    .exec = show_exec,
};
