/*
 * An officer's access to a case: key file, passphrase, sealed case key.
 * See officer.h.
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

int
officer_unlock(const struct keyfile *kf, const char *keypath, int passfd,
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

int
officer_open_key(const json_t *content, const struct keyfile *kf,
    const unsigned char *sk, unsigned char **casekey)
{
	const char *fp =
	    json_string_value(json_object_get(content, "fingerprint"));
	const char *b64 =
	    json_string_value(json_object_get(content, "sealed_key"));
	char own[CRYPT_FINGERPRINT_LEN + 1];
	unsigned char *sealed = NULL;
	size_t len = 0;

	crypt_fingerprint(own, kf->pk);
	if (fp != NULL && strcmp(fp, own) != 0)
		return cmd_fail(EX_NOPERM, xasprintf("the case key is sealed "
		                                     "to key %s, not to this "
		                                     "key file's %s",
		                               fp, own));
	if (b64 != NULL)
		sealed = crypt_b64_decode(b64, strlen(b64), &len);
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

/* The metadata, the passphrase, the content and the case key. */
static int
officer_fetch(struct cmd_env *env, const char *id, const struct keyfile *kf,
    const char *keypath, int passfd, struct officer_case *oc)
{
	char *path = xasprintf("/v1/cases/%s", id), *cpath;
	unsigned char *sk = NULL;
	int rc;

	cpath = xasprintf("%s/content", path);
	if ((rc = cmd_request(env, "GET", path, NULL, &oc->meta)) != 0)
		goto out;
	/* Unlock before fetching the content: a wrong passphrase then
	 * costs no read of the case on the server. */
	if ((rc = officer_unlock(kf, keypath, passfd, &sk)) != 0)
		goto out;
	if ((rc = cmd_request(env, "GET", cpath, NULL, &oc->content)) != 0)
		goto out;
	rc = officer_open_key(oc->content, kf, sk, &oc->casekey);

out:
	crypt_key_free(sk);
	free(path);
	free(cpath);
	return rc;
}

int
officer_open(struct cmd_env *env, const char *id, const char *keyopt,
    const char *fdopt, struct officer_case *oc)
{
	struct keyfile kf;
	char *keypath = NULL, *cause = NULL;
	int rc, passfd;

	memset(oc, 0, sizeof *oc);
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
		rc = officer_fetch(env, id, &kf, keypath, passfd, oc);
	crypt_wipe(&kf, sizeof kf);
	free(keypath);
	if (rc != 0)
		officer_close(oc);
	return rc;
}

void
officer_close(struct officer_case *oc)
{
	json_decref(oc->meta);
	json_decref(oc->content);
	crypt_key_free(oc->casekey);
	memset(oc, 0, sizeof *oc);
}
