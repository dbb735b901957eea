/*
 * GET /v1/audit/key: the public key that signs the audit log's heads, for
 * auditors and administrators to keep and verify exports offline with.
 */
#include <stdlib.h>

#include "audit.h"
#include "crypt.h"
#include "routes.h"
#include "server.h"

static int
route_audit_key_get_handle(struct request *req, struct response *res)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1], *b64;

	if (req->srv->audit == NULL)
		return reply_error(res, MANDATE_ERR_UNAVAILABLE, NULL,
		    "this daemon has no audit signing key");
	audit_fingerprint(req->srv->audit, fp, sizeof fp);
	b64 = crypt_b64_encode(
	    audit_public_key(req->srv->audit), CRYPT_SIGN_PK_LEN);
	reply_json(res, 200,
	    json_pack("{s:s, s:s, s:s}", "algorithm", "ed25519", "public_key",
	        b64, "fingerprint", fp));
	free(b64);
	return 0;
}

const struct route route_audit_key_get = {HTTP_GET, "/v1/audit/key",
    ROLE_AUDITOR | ROLE_ADMIN, 0, route_audit_key_get_handle, 0};
