/*
 * The purge of expired cases and legal holds: see retention.h.
 */
#include "retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auditfmt.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"
#include "storage.h"

#define RETENTION_BATCH 50

/* Purges one case and records it, in one transaction. */
static int
retention_purge_case(struct server *srv, const struct config_unit *u,
    const char *id, int64_t now, char **cause)
{
	int redacted = audit_unit_redacted(srv, u->id);
	int tombstone = u->tombstone && !redacted;
	json_t *details = json_pack("{s:b, s:I}", "tombstone", tombstone,
	    "retention_days", (json_int_t)u->retention_days);
	struct audit_event ev = {AUDIT_ACTOR_SYSTEM, AUDIT_ROLE_SYSTEM,
	    AUDIT_CASE_PURGE, id, u->id, details, now, !tombstone};
	int r = -1;

	if (db_begin(srv->db, cause) < 0)
		goto out;
	if (db_case_purge(srv->db, id, tombstone, now, cause) < 0 ||
	    (!tombstone && db_audit_shred_case(srv->db, id, cause) < 0) ||
	    audit_append(srv, &ev, NULL, cause) < 0 ||
	    db_commit(srv->db, cause) < 0) {
		db_rollback(srv->db);
		goto out;
	}
	r = 0;
out:
	json_decref(details);
	return r;
}

/* The expired cases of one unit; the number purged, or -1. */
static int
retention_purge_unit(
    struct server *srv, const struct config_unit *u, int64_t now, char **cause)
{
	int64_t cutoff = now - (int64_t)u->retention_days * AUDITFMT_DAY;
	struct db_case_ref *ids;
	ssize_t n;
	int purged = 0;

	do {
		if ((n = db_case_expired(srv->db, u->id, cutoff,
		         RETENTION_BATCH, &ids, cause)) < 0)
			return -1;
		for (ssize_t i = 0; i < n; i++) {
			if (retention_purge_case(
			        srv, u, ids[i].id, now, cause) < 0) {
				free(ids);
				return -1;
			}
			purged++;
		}
		free(ids);
	} while (n == RETENTION_BATCH);
	return purged;
}

int
retention_purge(struct server *srv, int64_t now, char **cause)
{
	const struct config *cfg = srv->cfg;
	int total = 0, n;

	for (size_t i = 0; i < cfg->nunits; i++) {
		if (cfg->units[i].retention_days == 0)
			continue; /* kept for ever */
		if ((n = retention_purge_unit(
		         srv, &cfg->units[i], now, cause)) < 0)
			return -1;
		if (n > 0)
			log_info("retention: %d case(s) of %s purged", n,
			    cfg->units[i].id);
		total += n;
	}
	if (total > 0 && db_checkpoint(srv->db, cause) < 0)
		return -1;
	return total;
}

void
retention_tick(void *arg)
{
	struct server *srv = arg;
	char *cause = NULL;
	int n;

	if (!storage_reserve_ok(srv)) {
		log_warnx("retention: daily purge put off: below the "
		          "free-space reserve");
		return;
	}
	if ((n = retention_purge(srv, server_now(), &cause)) < 0) {
		log_warnx("retention: purge failed: %s", cause);
		free(cause);
	} else
		log_info("retention: daily purge done, %d case(s) purged", n);
}

/* Who may place and lift holds; -1 (res filled) for anyone else. */
static int
retention_hold_role(
    struct request *req, struct response *res, const char **role)
{
	if (identity_officer(&req->who, RETENTION_HOLD_UNIT) != NULL)
		*role = AUDIT_ROLE_OFFICER;
	else if (req->who.roles & ROLE_ADMIN)
		*role = AUDIT_ROLE_ADMIN;
	else {
		reply_error(res, MANDATE_ERR_FORBIDDEN, NULL,
		    "only an officer of " RETENTION_HOLD_UNIT
		    " or an administrator places and lifts legal holds");
		return -1;
	}
	return 0;
}

/* The change itself: 1 done, 0 refused (res filled), -1 error. */
static int
retention_hold_apply(struct request *req, struct response *res, int place,
    const char *role, struct db_case *c, char **cause)
{
	struct db_retention ret;
	int r;

	if ((r = db_case_get(req->srv->db, req->param, c, cause)) <= 0) {
		if (r == 0)
			reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
		return r;
	}
	if (db_case_retention(req->srv->db, c->id, &ret, cause) < 0)
		return -1;
	if (ret.purged_at > 0)
		return reply_error(res, MANDATE_ERR_CONFLICT, NULL,
		           "this case has been purged"),
		       0;
	if ((r = db_case_hold(
	         req->srv->db, c->id, place ? req->now : 0, cause)) <= 0) {
		if (r == 0)
			reply_error(res, MANDATE_ERR_CONFLICT, NULL,
			    place ? "this case is already under legal hold"
			          : "this case is not under legal hold");
		return r;
	}
	if (audit_record(req, role,
	        place ? AUDIT_CASE_HOLD : AUDIT_CASE_HOLD_LIFT, c->id, c->unit,
	        NULL, cause) < 0)
		return -1;
	return 1;
}

int
retention_hold(struct request *req, struct response *res, int place)
{
	const char *role;
	struct db_case c;
	char *cause = NULL, when[32];
	int r;

	if (retention_hold_role(req, res, &role) < 0)
		return 0;
	if (!mandate_case_id_valid(req->param))
		return reply_error(res, MANDATE_ERR_BAD_CASE_ID, NULL, NULL);
	if (db_begin(req->srv->db, &cause) < 0)
		r = -1;
	else
		r = retention_hold_apply(req, res, place, role, &c, &cause);
	if (r == 1 && db_commit(req->srv->db, &cause) < 0)
		r = -1;
	if (r != 1)
		db_rollback(req->srv->db);
	if (r < 0) {
		log_warnx("%s", cause);
		free(cause);
		return reply_error(res, MANDATE_ERR_INTERNAL, NULL, NULL);
	}
	if (r == 0)
		return 0;
	log_info("retention: legal hold on %s %s by %s", c.id,
	    place ? "placed" : "lifted", req->who.user);
	format_time(when, sizeof when, req->now);
	return reply_json(res, 200,
	    json_pack("{s:s, s:b, s:s}", "id", c.id, "legal_hold", place,
	        place ? "since" : "lifted_at", when));
}
