/*
 * A referral from an officer's client: see refer.h.
 */
#include "refer.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "crypt.h"
#include "xmalloc.h"

/* {"user", "sealed"} for one officer of the list, or NULL when its public
 * key is not 32 bytes of base64. */
static json_t *
refer_seal_one(const json_t *officer, const unsigned char *casekey)
{
	const char *user = json_string_value(json_object_get(officer, "user"));
	const char *b64 =
	    json_string_value(json_object_get(officer, "public_key"));
	unsigned char *pk = NULL, sealed[CRYPT_SEALED_LEN];
	size_t len = 0;
	json_t *out = NULL;
	char *s;

	if (user != NULL && b64 != NULL)
		pk = crypt_b64_decode(b64, strlen(b64), &len);
	if (pk != NULL && len == CRYPT_PK_LEN &&
	    crypt_seal(sealed, casekey, pk) == 0) {
		s = crypt_b64_encode(sealed, sizeof sealed);
		out = json_pack("{s:s, s:s}", "user", user, "sealed", s);
		free(s);
	}
	free(pk);
	return out;
}

int
refer_send(struct cmd_env *env, const char *id, const unsigned char *casekey,
    const char *to, int keep, json_t *note, json_t **reply)
{
	json_t *list = NULL, *keys = json_array(), *o, *k, *body;
	char *path = xasprintf("/v1/units/%s/officers", to);
	size_t i;
	int rc = cmd_request(env, "GET", path, NULL, &list);

	free(path);
	if (rc != 0)
		goto out;
	json_array_foreach(json_object_get(list, "officers"), i, o)
	{
		if ((k = refer_seal_one(o, casekey)) == NULL) {
			rc = cmd_fail(EX_PROTOCOL,
			    xstrdup("the daemon listed an officer without a "
			            "valid public key"));
			goto out;
		}
		json_array_append_new(keys, k);
	}
	body =
	    json_pack("{s:s, s:O, s:b}", "to", to, "keys", keys, "keep", keep);
	if (note != NULL)
		json_object_set(body, "note", note);
	path = xasprintf("/v1/cases/%s/refer", id);
	rc = cmd_request(env, "POST", path, body, reply);
	free(path);
	json_decref(body);
out:
	json_decref(list);
	json_decref(keys);
	return rc;
}
