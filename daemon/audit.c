/*
 * Appending to the audit log and signing its head.  See audit.h; the
 * encoding that the hashes and signatures cover is in auditfmt.c.
 */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditfmt.h"
#include "config.h"
#include "crypt.h"
#include "log.h"
#include "routes.h"
#include "secret.h"
#include "server.h"

struct audit {
	unsigned char pk[CRYPT_SIGN_PK_LEN];
	unsigned char *sk; /* guarded */
	unsigned sign_every;
};

struct audit *
audit_open(const char *path, unsigned sign_every, char **cause)
{
	struct audit *a;
	unsigned char *seed;

	if ((seed = secret_load(path, cause)) == NULL)
		return NULL;
	if ((a = calloc(1, sizeof *a)) == NULL)
		abort();
	a->sk = crypt_sign_key_new();
	crypt_sign_keypair(a->pk, a->sk, seed);
	crypt_key_free(seed);
	a->sign_every = sign_every ? sign_every : 1000;
	return a;
}

void
audit_free(struct audit *a)
{
	if (a == NULL)
		return;
	crypt_key_free(a->sk);
	free(a);
}

void
audit_set_sign_every(struct audit *a, unsigned sign_every)
{
	if (a != NULL && sign_every > 0)
		a->sign_every = sign_every;
}

const unsigned char *
audit_public_key(const struct audit *a)
{
	return a->pk;
}

void
audit_fingerprint(const struct audit *a, char *out, size_t size)
{
	char fp[CRYPT_FINGERPRINT_LEN + 1];

	crypt_fingerprint(fp, a->pk);
	snprintf(out, size, "%s", fp);
}

void
audit_sign_message(
    const struct audit *a, unsigned char *sig, const void *msg, size_t len)
{
	crypt_sign(sig, msg, len, a->sk);
}

int
audit_unit_redacted(const struct server *srv, const char *unit)
{
	const struct config_unit *u;

	if (unit == NULL || unit[0] == '\0')
		return 0;
	u = config_unit_find(srv->cfg, unit);
	return u != NULL && u->auditors_counts_only;
}

int
audit_hash_at(
    struct server *srv, int64_t seq, unsigned char *hash, char **cause)
{
	if (seq <= 0) {
		memset(hash, 0, CRYPT_HASH_LEN);
		return 0;
	}
	switch (db_audit_hash_at(srv->db, seq, hash, cause)) {
	case 1:
		return 0;
	case 0:
		if (asprintf(cause, "audit: no entry %lld", (long long)seq) < 0)
			abort();
	}
	return -1;
}

/* Fills e's clear fields and field hashes from ev; -1 when the details
 * do not fit. */
static int
audit_fill(struct server *srv, const struct audit_event *ev, struct db_audit *e,
    char **cause)
{
	char *details = ev->details ? json_dump_compact(ev->details) : NULL;
	const unsigned char *salt = NULL;
	size_t n = details ? strlen(details) : 2;

	memset(e, 0, sizeof *e);
	if (n >= sizeof e->details) {
		free(details);
		if (asprintf(
		        cause, "audit: details of %s too long", ev->action) < 0)
			abort();
		return -1;
	}
	snprintf(e->details, sizeof e->details, "%s", details ? details : "{}");
	free(details);
	e->time = ev->time;
	snprintf(e->actor, sizeof e->actor, "%s", ev->actor);
	snprintf(e->role, sizeof e->role, "%s", ev->role);
	snprintf(e->action, sizeof e->action, "%s", ev->action);
	snprintf(e->case_id, sizeof e->case_id, "%s",
	    ev->case_id ? ev->case_id : "");
	snprintf(e->unit, sizeof e->unit, "%s", ev->unit ? ev->unit : "");
	e->redacted = audit_unit_redacted(srv, ev->unit);
	e->shredded = ev->shred && e->redacted;
	if (e->redacted) {
		crypt_random(e->salt, sizeof e->salt);
		e->has_salt = 1;
		salt = e->salt;
	}
	auditfmt_time_hash(e->time_hash, e->time, salt);
	auditfmt_field_hash(e->case_hash, "case", e->case_id, salt);
	auditfmt_field_hash(e->actor_hash, "actor", e->actor, salt);
	auditfmt_field_hash(e->details_hash, "details", e->details, salt);
	return 0;
}

static void
audit_chain(struct db_audit *e)
{
	struct auditfmt_entry f;

	memset(&f, 0, sizeof f);
	f.seq = e->seq;
	memcpy(f.prev_hash, e->prev_hash, sizeof f.prev_hash);
	f.redacted = e->redacted;
	f.day = auditfmt_day(e->time);
	f.role = e->role;
	f.action = e->action;
	f.unit = e->unit;
	memcpy(f.time_hash, e->time_hash, sizeof f.time_hash);
	memcpy(f.case_hash, e->case_hash, sizeof f.case_hash);
	memcpy(f.actor_hash, e->actor_hash, sizeof f.actor_hash);
	memcpy(f.details_hash, e->details_hash, sizeof f.details_hash);
	auditfmt_entry_hash(e->hash, &f);
}

int
audit_append(struct server *srv, const struct audit_event *ev, int64_t *seq,
    char **cause)
{
	static const unsigned char zero[CRYPT_HASH_LEN];
	struct db_audit e;
	int64_t last = 0;
	int r;

	if (audit_fill(srv, ev, &e, cause) < 0)
		return -1;
	if ((r = db_audit_last(srv->db, &last, e.prev_hash, cause)) < 0)
		goto fail;
	if (r == 0)
		memcpy(e.prev_hash, zero, sizeof zero);
	e.seq = last + 1;
	audit_chain(&e);
	if (e.shredded)
		e.time = auditfmt_day(e.time);
	if (db_audit_insert(srv->db, &e, cause) < 0)
		goto fail;
	if (seq != NULL)
		*seq = e.seq;
	if (srv->audit != NULL && e.seq % srv->audit->sign_every == 0 &&
	    audit_sign(srv, 1, zero, e.seq, e.hash, ev->time, NULL, cause) < 0)
		goto fail;
	crypt_wipe(&e, sizeof e);
	return 0;
fail:
	crypt_wipe(&e, sizeof e);
	return -1;
}

int
audit_record(struct request *req, const char *role, const char *action,
    const char *case_id, const char *unit, json_t *details, char **cause)
{
	struct audit_event ev = {
	    req->who.user, role, action, case_id, unit, details, req->now, 0};
	int r = audit_append(req->srv, &ev, NULL, cause);

	json_decref(details);
	return r;
}

int
audit_record_case(struct server *srv, const char *actor, const char *role,
    const char *action, const char *case_id, json_t *details, int64_t time,
    char **cause)
{
	struct audit_event ev = {
	    actor, role, action, case_id, NULL, details, time, 0};
	struct db_case c;
	int r = db_case_get(srv->db, case_id, &c, cause);

	if (r == 0 && asprintf(cause, "audit: no case %s", case_id) < 0)
		abort();
	if (r == 1) {
		/* Times of an anonymous submitter's actions arrive rounded
		 * to the minute: routes_dispatch() rounds req->now. */
		ev.unit = c.unit;
		r = audit_append(srv, &ev, NULL, cause) < 0 ? -1 : 1;
	}
	json_decref(details);
	return r == 1 ? 0 : -1;
}

int
audit_sign(struct server *srv, int64_t from_seq, const unsigned char *prev_hash,
    int64_t seq, const unsigned char *hash, int64_t now,
    struct db_audit_head *out, char **cause)
{
	struct auditfmt_head h;
	struct db_audit_head row;
	unsigned char *msg;
	size_t len;

	memset(&row, 0, sizeof row);
	if (srv->audit == NULL) {
		if (out != NULL)
			*out = row;
		return 0;
	}
	h.from_seq = row.from_seq = from_seq;
	h.seq = row.seq = seq;
	h.signed_at = row.signed_at = now;
	memcpy(h.prev_hash, prev_hash, sizeof h.prev_hash);
	memcpy(row.prev_hash, prev_hash, sizeof row.prev_hash);
	memcpy(h.hash, hash, sizeof h.hash);
	memcpy(row.hash, hash, sizeof row.hash);
	if ((msg = auditfmt_head_message(&h, &len)) == NULL)
		abort();
	crypt_sign(row.signature, msg, len, srv->audit->sk);
	free(msg);
	memcpy(row.public_key, srv->audit->pk, sizeof row.public_key);
	if (db_audit_head_insert(srv->db, &row, cause) < 0)
		return -1;
	if (out != NULL)
		*out = row;
	return 0;
}

/* Signs the current head (entries 1 to the last) in the open
 * transaction. */
static int
audit_sign_last(struct server *srv, int64_t now, char **cause)
{
	static const unsigned char zero[CRYPT_HASH_LEN];
	unsigned char hash[CRYPT_HASH_LEN];
	int64_t last = 0;
	int r = db_audit_last(srv->db, &last, hash, cause);

	if (r <= 0)
		return r;
	return audit_sign(srv, 1, zero, last, hash, now, NULL, cause);
}

int
audit_system(struct server *srv, const char *action, json_t *details, int sign)
{
	struct audit_event ev = {AUDIT_ACTOR_SYSTEM, AUDIT_ROLE_SYSTEM, action,
	    NULL, NULL, details, server_now(), 0};
	char *cause = NULL;

	if (db_begin(srv->db, &cause) < 0 ||
	    audit_append(srv, &ev, NULL, &cause) < 0 ||
	    (sign && audit_sign_last(srv, ev.time, &cause) < 0) ||
	    db_commit(srv->db, &cause) < 0) {
		db_rollback(srv->db);
		log_warnx("audit: cannot record %s: %s", action, cause);
		free(cause);
		json_decref(details);
		return -1;
	}
	json_decref(details);
	return 0;
}
