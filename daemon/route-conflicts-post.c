/*
 * POST /v1/conflicts {"unit", "user", "name"}: an administrator records
 * that an officer of a unit may not read cases about a name (conflict.h).
 * The name is kept only as its keyed hash.  Existing cases about it lose
 * the officer's key copy where another copy remains; those of which the
 * officer is the last holder are listed in the reply: they need a
 * referral first (no path leaves a case with no copy).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "conflict.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static int
route_conflicts_fields(struct request *req, struct response *res,
    const char **unit, const char **user, const json_t **name)
{
	static const char *const names[] = {"unit", "user", "name"};
	const char *key;
	json_t *v, *got[3];

	json_object_foreach(req->json, key, v)
	{
		if (strcmp(key, "unit") && strcmp(key, "user") &&
		    strcmp(key, "name"))
			return reply_error(res, MANDATE_ERR_UNKNOWN_FIELD, key,
			           "not a field of a conflict"),
			       -1;
	}
	for (size_t i = 0; i < 3; i++) {
		if ((got[i] = json_object_get(req->json, names[i])) == NULL)
			return reply_error(res, MANDATE_ERR_MISSING_FIELD,
			           names[i], NULL),
			       -1;
		if (!json_is_string(got[i]))
			return reply_error(res, MANDATE_ERR_WRONG_TYPE,
			           names[i], "must be a string"),
			       -1;
	}
	*unit = json_string_value(got[0]);
	*user = json_string_value(got[1]);
	*name = got[2];
	return 0;
}

/* The officer user of unit: 1 found (*o), 0 not, -1 error. */
static int
route_conflicts_officer(struct server *srv, const char *user, const char *unit,
    struct db_officer *o, char **cause)
{
	struct db_officer *list;
	ssize_t n = db_officer_of_user(srv->db, user, &list, cause);
	int found = 0;

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n && !found; i++)
		if (strcmp(list[i].unit, unit) == 0) {
			*o = list[i];
			found = 1;
		}
	free(list);
	return found;
}

/* One case about the name: drops the officer's copy unless it is the
 * last, with an audit entry; appends the id to dropped or last. */
static int
route_conflicts_case(struct request *req, const struct db_officer *o,
    const char *case_id, json_t *dropped, json_t *last, char **cause)
{
	int64_t copies = db_case_key_count(req->srv->db, case_id);
	int drop = copies > 1;

	if (copies < 0) {
		if (asprintf(cause, "conflicts: key count of %s", case_id) < 0)
			abort();
		return -1;
	}
	if (drop && db_case_key_delete(req->srv->db, case_id, o->id, cause) < 0)
		return -1;
	json_array_append_new(drop ? dropped : last, json_string(case_id));
	return audit_record_case(req->srv, req->who.user, AUDIT_ROLE_ADMIN,
	    AUDIT_CASE_CONFLICT, case_id,
	    json_pack("{s:s, s:b}", "officer", o->user, "dropped", drop),
	    req->now, cause);
}

/* The entry and its consequences, in one transaction: 1 new, 0 known. */
static int
route_conflicts_store(struct request *req, const struct db_officer *o,
    const unsigned char *hash, json_t *dropped, json_t *last, char **cause)
{
	struct db_case_ref *ids = NULL;
	ssize_t n;
	int created;

	if (db_begin(req->srv->db, cause) < 0)
		return -1;
	if ((created = db_conflict_insert(
	         req->srv->db, o->id, hash, req->now, cause)) < 0 ||
	    (n = db_conflict_cases(req->srv->db, hash, o->id, &ids, cause)) < 0)
		goto fail;
	for (ssize_t i = 0; i < n; i++)
		if (route_conflicts_case(
		        req, o, ids[i].id, dropped, last, cause) < 0)
			goto fail;
	if (audit_record(req, AUDIT_ROLE_ADMIN, AUDIT_CONFLICT_ADD, NULL,
	        o->unit,
	        json_pack("{s:s, s:I, s:I}", "user", o->user, "dropped",
	            (json_int_t)json_array_size(dropped), "last_holder",
	            (json_int_t)json_array_size(last)),
	        cause) < 0 ||
	    db_commit(req->srv->db, cause) < 0)
		goto fail;
	free(ids);
	return created;
fail:
	free(ids);
	db_rollback(req->srv->db);
	return -1;
}

static int
route_conflicts_post_handle(struct request *req, struct response *res)
{
	const char *unit, *user;
	const json_t *name;
	unsigned char hash[CRYPT_HASH_LEN];
	struct db_officer o;
	json_t *dropped, *last;
	char *cause = NULL;
	int r;

	if (route_conflicts_fields(req, res, &unit, &user, &name) < 0)
		return 0;
	if (config_unit_find(req->srv->cfg, unit) == NULL)
		return reply_error(res, MANDATE_ERR_UNKNOWN_UNIT, "unit", NULL);
	if ((r = route_conflicts_officer(req->srv, user, unit, &o, &cause)) ==
	    0)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, "user",
		    "this user is not an officer of this unit");
	if (r > 0 && (r = conflict_name_hash(req->srv, json_string_value(name),
	                  json_string_length(name), hash, &cause)) == 0)
		return reply_error(res, MANDATE_ERR_BAD_FIELD, "name",
		    "the name has no letter or digit in it");
	dropped = json_array();
	last = json_array();
	if (r > 0)
		r = route_conflicts_store(req, &o, hash, dropped, last, &cause);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		json_decref(dropped);
		json_decref(last);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	log_info("conflicts: %s of %s registered by %s; %zu copies dropped",
	    o.user, o.unit, req->who.user, json_array_size(dropped));
	return reply_json(res, r == 1 ? 201 : 200,
	    json_pack("{s:s, s:s, s:b, s:o, s:o}", "unit", o.unit, "user",
	        o.user, "created", r == 1, "dropped", dropped, "last_holder",
	        last));
}

const struct route route_conflicts_post = {HTTP_POST, "/v1/conflicts",
    ROLE_ADMIN, 4096, route_conflicts_post_handle, 0};
