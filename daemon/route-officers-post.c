/*
 * POST /v1/officers {"unit", "user", "public_key"}: an administrator enrols
 * a user as an officer of a unit with their X25519 public key.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static int
route_officers_user_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > MANDATE_USER_MAX_BYTES)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    !(i > 0 && strchr("._-", s[i]) != NULL))
			return 0;
	return 1;
}

static int
route_officers_fields(struct request *req, struct response *res,
    const char **unit, const char **user, const char **pk)
{
	static const char *const names[] = {"unit", "user", "public_key"};
	const char **slots[] = {unit, user, pk};
	const char *key;
	json_t *v;

	json_object_foreach(req->json, key, v)
	{
		if (strcmp(key, "unit") && strcmp(key, "user") &&
		    strcmp(key, "public_key"))
			return reply_error(res, MANDATE_ERR_UNKNOWN_FIELD, key,
			           "not a field of an officer"),
			       -1;
	}
	for (size_t i = 0; i < 3; i++) {
		v = json_object_get(req->json, names[i]);
		if (v == NULL)
			return reply_error(res, MANDATE_ERR_MISSING_FIELD,
			           names[i], NULL),
			       -1;
		if (!json_is_string(v))
			return reply_error(res, MANDATE_ERR_WRONG_TYPE,
			           names[i], "must be a string"),
			       -1;
		*slots[i] = json_string_value(v);
	}
	return 0;
}

/* Enrols the officer with its audit entry, in one transaction: as
 * db_officer_insert(). */
static int
route_officers_store(struct request *req, const char *user, const char *unit,
    const unsigned char *pk, struct db_officer *o, char **cause)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1];
	int r;

	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	r = db_officer_insert(req->srv->db, user, unit, pk, req->now, o, cause);
	if (r == 1) {
		crypt_fingerprint(fp, pk);
		if (audit_record(req, AUDIT_ROLE_ADMIN, AUDIT_OFFICER_ENROL,
		        NULL, unit,
		        json_pack(
		            "{s:s, s:s}", "user", user, "fingerprint", fp),
		        cause) < 0)
			r = -1;
	}
	if (r >= 0 && db_commit(req->srv->db, cause) < 0)
		r = -1;
	if (r < 0)
		db_rollback(req->srv->db);
	return r;
}

static int
route_officers_post_handle(struct request *req, struct response *res)
{
	const char *unit, *user, *pk64;
	unsigned char *pk;
	struct db_officer o;
	char fp[CRYPT_FINGERPRINT_LEN + 1], when[32], *cause = NULL;
	size_t pklen = 0;
	int r;

	if (route_officers_fields(req, res, &unit, &user, &pk64) < 0)
		return 0;
	if (config_unit_find(req->srv->cfg, unit) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL);
	if (!route_officers_user_valid(user))
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "user",
		    "user must be a login name: letters, digits, '.', '_', "
		    "'-', at most 64");
	pk = crypt_b64_decode(pk64, strlen(pk64), &pklen);
	if (pk == NULL || pklen != CRYPT_PK_LEN) {
		free(pk);
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "public_key",
		    "public_key must be a base64 X25519 public key (32 bytes)");
	}
	r = route_officers_store(req, user, unit, pk, &o, &cause);
	free(pk);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, "user",
		    "this user is already an officer of this unit");
	crypt_fingerprint(fp, o.public_key);
	format_time(when, sizeof when, o.enrolled_at);
	log_info("officers: %s enrolled in %s by %s (key %s)", o.user, o.unit,
	    req->who.user, fp);
	return reply_json(res, 201,
	    json_pack("{s:s, s:s, s:s, s:s}", "user", o.user, "unit", o.unit,
	        "fingerprint", fp, "enrolled_at", when));
}

const struct route route_officers_post = {
    HTTP_POST, "/v1/officers", ROLE_ADMIN, 4096, route_officers_post_handle, 0};
