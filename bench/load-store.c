/*
 * The storage side of the load benchmark, through the daemon's own
 * modules (mandated_core): the floor, a bare loop of the crypto and the
 * durable insert a submission costs, with no HTTP and no routing; and the
 * filler that puts a million cases in a database, with the key copies,
 * status rows and audit entries the daemon would have written.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "deadline.h"
#include "intake.h"
#include "json.h"
#include "load.h"
#include "rules.h"
#include "ruleset.h"
#include "secret.h"
#include "server.h"

#define LS_FLOOR_OFFICERS 3
#define LS_FILL_BATCH 10000
#define LS_UNITS_MAX 16
#define LS_OFFICERS_MAX 32

/* What one stored case needs beyond the generated text. */
struct ls_item {
	const struct lg_case *gc;
	const char *unit;
	const char *rule;
	int urgent, recused;
	int64_t received_at, due_at;
	const unsigned char *key; /* the case key */
	const struct db_officer *officers;
	const unsigned char (*sealed)[CRYPT_SEALED_LEN]; /* per officer, or
	                                                     NULL: seal now */
	size_t nofficers;
	const unsigned char *sub_pk;     /* seal to it, */
	const unsigned char *sub_sealed; /* or copy this */
	unsigned char sealed_out[LS_OFFICERS_MAX][CRYPT_SEALED_LEN];
	unsigned char sub_sealed_out[CRYPT_SEALED_LEN];
	char id[16];
};

static void
ls_fail(struct ls_result *r, const char *what, char *cause)
{
	snprintf(r->why, sizeof r->why, "%.200s: %.300s", what,
	    cause ? cause : "failed");
	free(cause);
}

static void
ls_unlink_db(const char *path)
{
	char buf[4096];

	unlink(path);
	snprintf(buf, sizeof buf, "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof buf, "%s-shm", path);
	unlink(buf);
}

/*
 * Stores one case as intake_store() does, in the open transaction: the
 * content box, the case row with its submitter's data, one sealed key
 * copy per officer, the first status and the audit entry.  0, or -1.
 */
static int
ls_store(struct server *srv, struct ls_item *it, char **cause)
{
	unsigned char ad[CRYPT_AD_MAX], *box;
	const struct lg_case *gc = it->gc;
	struct db_submitter sub;
	struct db_case c;
	struct audit_event ev;
	size_t adlen, boxlen = gc->content_len + CRYPT_BOX_OVERHEAD;
	int r;

	memset(&c, 0, sizeof c);
	snprintf(c.unit, sizeof c.unit, "%s", it->unit);
	snprintf(c.category, sizeof c.category, "%s",
	    gc->category ? gc->category : "");
	snprintf(c.subject_office, sizeof c.subject_office, "%s",
	    gc->subject_office ? gc->subject_office : "");
	snprintf(c.language, sizeof c.language, "%s", gc->language);
	snprintf(c.status, sizeof c.status, "received");
	snprintf(c.rule, sizeof c.rule, "%s", it->rule);
	c.anonymous = gc->anonymous;
	c.urgent = it->urgent;
	c.recused = it->recused;
	c.received_at = it->received_at;
	c.due_at = it->due_at;
	memset(&sub, 0, sizeof sub);
	crypt_random(sub.lookup, sizeof sub.lookup);
	crypt_random(sub.verifier, sizeof sub.verifier);
	if (it->sub_sealed != NULL)
		memcpy(sub.sealed, it->sub_sealed, sizeof sub.sealed);
	else
		crypt_seal(sub.sealed, it->key, it->sub_pk);
	memcpy(it->sub_sealed_out, sub.sealed, sizeof sub.sealed);
	if (!gc->anonymous) {
		intake_submitter_tag(srv, "bench-staff", sub.tag);
		sub.has_tag = 1;
	}
	if ((box = malloc(boxlen)) == NULL)
		abort();
	do {
		crypt_case_id(c.id, sizeof c.id);
		adlen = crypt_ad(ad, sizeof ad, "cases", "content", c.id);
		crypt_box(box, (const unsigned char *)gc->content,
		    gc->content_len, ad, adlen, it->key);
	} while (
	    (r = db_case_insert(srv->db, &c, box, boxlen, &sub, cause)) == 0);
	free(box);
	if (r < 0)
		return -1;
	memcpy(it->id, c.id, sizeof it->id);
	for (size_t i = 0; i < it->nofficers; i++) {
		if (it->sealed != NULL)
			memcpy(
			    it->sealed_out[i], it->sealed[i], CRYPT_SEALED_LEN);
		else
			crypt_seal(it->sealed_out[i], it->key,
			    it->officers[i].public_key);
		if (db_case_key_insert(srv->db, c.id, it->officers[i].id,
		        it->sealed_out[i], cause) < 0)
			return -1;
	}
	if (db_event_insert(srv->db, c.id, c.received_at, c.status,
	        AUDIT_ROLE_SUBMITTER, cause) < 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	ev.actor = c.anonymous ? AUDIT_ACTOR_ANONYMOUS : AUDIT_ACTOR_SUBMITTER;
	ev.role = AUDIT_ROLE_SUBMITTER;
	ev.action = AUDIT_CASE_SUBMIT;
	ev.case_id = c.id;
	ev.unit = c.unit;
	ev.time = c.received_at;
	ev.details = json_pack("{s:s, s:s?, s:b, s:b, s:b, s:I}", "rule",
	    c.rule, "category", c.category[0] ? c.category : NULL, "anonymous",
	    c.anonymous, "urgent", c.urgent, "recused", c.recused, "key_copies",
	    (json_int_t)it->nofficers);
	r = audit_append(srv, &ev, NULL, cause);
	json_decref(ev.details);
	return r;
}

/* The server of a bench: configuration, database, index key, audit key
 * (from keydir, created there when missing). */
static int
ls_server(struct server *srv, const char *conf, const char *dbpath,
    const char *keydir, struct ls_result *r)
{
	char *cause = NULL, path[4096];

	memset(srv, 0, sizeof *srv);
	if ((srv->cfg = config_load(conf, &cause)) == NULL) {
		ls_fail(r, "configuration", cause);
		return -1;
	}
	if ((srv->db = db_open(dbpath, 0, &cause)) == NULL) {
		ls_fail(r, dbpath, cause);
		return -1;
	}
	snprintf(path, sizeof path, "%s/index.key", keydir);
	if ((srv->index_key = secret_load(path, &cause)) == NULL) {
		ls_fail(r, path, cause);
		return -1;
	}
	snprintf(path, sizeof path, "%s/audit-signing.key", keydir);
	if ((srv->audit = audit_open(
	         path, srv->cfg->audit_sign_every, &cause)) == NULL) {
		ls_fail(r, path, cause);
		return -1;
	}
	return 0;
}

static void
ls_server_free(struct server *srv)
{
	db_close(srv->db);
	audit_free(srv->audit);
	crypt_key_free(srv->index_key);
	rules_free(srv->rules);
	config_free(srv->cfg);
}

int
ls_floor(const char *dbpath, const struct lg_pool *pool, unsigned batch,
    double duration, uint64_t warmup, struct ls_result *r)
{
	struct db_officer officers[LS_FLOOR_OFFICERS];
	unsigned char pk[CRYPT_PK_LEN], sub_pk[CRYPT_PK_LEN], *sk;
	struct server srv;
	struct ls_item it;
	char *cause = NULL, *dir, *dbcopy, user[32];
	const struct config_unit *unit;
	uint64_t done = 0, i = 0;
	double t0 = 0, now;
	int ret = -1;

	memset(r, 0, sizeof *r);
	ls_unlink_db(dbpath);
	if ((dbcopy = strdup(dbpath)) == NULL)
		abort();
	dir = dirname(dbcopy);
	if (ls_server(&srv, NULL, dbpath, dir, r) < 0)
		goto out;
	unit = config_unit_find(srv.cfg, "ethics");
	for (int k = 0; k < LS_FLOOR_OFFICERS; k++) {
		sk = crypt_key_new(0);
		crypt_keypair(pk, sk);
		crypt_key_free(sk);
		snprintf(user, sizeof user, "floor-officer-%d", k + 1);
		if (db_officer_insert(srv.db, user, "ethics", pk, server_now(),
		        &officers[k], &cause) != 1) {
			ls_fail(r, "enrolling the floor's officers", cause);
			goto out;
		}
	}
	sk = crypt_key_new(0);
	crypt_keypair(sub_pk, sk);
	crypt_key_free(sk);
	memset(&it, 0, sizeof it);
	it.unit = "ethics";
	it.rule = "category-misconduct";
	it.officers = officers;
	it.nofficers = LS_FLOOR_OFFICERS;
	it.sub_pk = sub_pk;
	for (;;) {
		if (i == warmup - warmup % batch)
			t0 = lp_now();
		if (db_begin(srv.db, &cause) < 0) {
			ls_fail(r, "BEGIN", cause);
			goto out;
		}
		for (unsigned j = 0; j < batch; j++, i++) {
			unsigned char *key = crypt_key_new(1);

			it.gc = &pool->c[i % pool->n];
			it.received_at = server_now();
			it.due_at = deadline_add_working_days(
			    it.received_at, unit->acknowledge_days);
			it.key = key;
			if (ls_store(&srv, &it, &cause) < 0) {
				crypt_key_free(key);
				db_rollback(srv.db);
				ls_fail(r, "storing a case", cause);
				goto out;
			}
			crypt_key_free(key);
		}
		if (db_commit(srv.db, &cause) < 0) {
			ls_fail(r, "COMMIT", cause);
			goto out;
		}
		if (i <= warmup - warmup % batch)
			continue;
		done += batch;
		now = lp_now();
		if (now - t0 >= duration) {
			r->elapsed = now - t0;
			break;
		}
	}
	r->cases = done;
	r->sealed_real = done;
	ret = 0;
out:
	ls_server_free(&srv);
	ls_unlink_db(dbpath);
	free(dbcopy);
	return ret;
}

/* A unit as the filler sees it: its officers and the case key and
 * sealed copies of its last really sealed case. */
struct ls_unit {
	const struct config_unit *cu;
	struct db_officer officers[LS_OFFICERS_MAX];
	size_t nofficers;
	unsigned char *key;
	unsigned char sealed[LS_OFFICERS_MAX][CRYPT_SEALED_LEN];
	unsigned char sub_sealed[CRYPT_SEALED_LEN];
	int has_real;
};

struct ls_route {
	struct ls_unit *unit;
	char rule[65];
	int urgent, recused;
};

/* The units of the configuration with their enrolled officers: 0, or -1
 * with r->why when one has none. */
static int
ls_units(struct server *srv, struct ls_unit *units, struct ls_result *r)
{
	struct db_officer *all = NULL;
	char *cause = NULL;
	ssize_t n;

	if (srv->cfg->nunits > LS_UNITS_MAX) {
		snprintf(
		    r->why, sizeof r->why, "more than %d units", LS_UNITS_MAX);
		return -1;
	}
	if ((n = db_officer_list(srv->db, NULL, &all, &cause)) < 0) {
		ls_fail(r, "officers", cause);
		return -1;
	}
	for (size_t u = 0; u < srv->cfg->nunits; u++) {
		memset(&units[u], 0, sizeof units[u]);
		units[u].cu = &srv->cfg->units[u];
		for (ssize_t i = 0; i < n; i++)
			if (strcmp(all[i].unit, units[u].cu->id) == 0 &&
			    units[u].nofficers < LS_OFFICERS_MAX)
				units[u].officers[units[u].nofficers++] =
				    all[i];
		if (units[u].nofficers == 0) {
			snprintf(r->why, sizeof r->why,
			    "unit %s has no enrolled officer: enrol the "
			    "officers (mandate officers add) first",
			    units[u].cu->id);
			free(all);
			return -1;
		}
	}
	free(all);
	return 0;
}

/* Routes every case of the pool once with the configured rules. */
static int
ls_route_pool(struct server *srv, const struct lg_pool *pool,
    struct ls_unit *units, struct ls_route *routes, struct ls_result *r)
{
	struct rules_decision d;
	char *cause = NULL;

	for (size_t i = 0; i < pool->n; i++) {
		const struct lg_case *gc = &pool->c[i];
		struct rules_case rc = {gc->title, strlen(gc->title),
		    gc->narrative, gc->narrative_len, gc->category,
		    gc->subject_office};

		if (rules_route(srv->rules, &rc, &d, &cause) < 0) {
			ls_fail(r, "routing", cause);
			return -1;
		}
		routes[i].unit = NULL;
		for (size_t u = 0; u < srv->cfg->nunits; u++)
			if (strcmp(units[u].cu->id, d.unit) == 0)
				routes[i].unit = &units[u];
		snprintf(routes[i].rule, sizeof routes[i].rule, "%s", d.rule);
		routes[i].urgent = d.urgent;
		routes[i].recused = d.recused;
		rules_decision_clear(&d);
		if (routes[i].unit == NULL) {
			snprintf(r->why, sizeof r->why,
			    "the rules chose an unknown unit");
			return -1;
		}
	}
	return 0;
}

/* Fills it for case i of n, sealing for real or reusing its unit's last
 * real key and copies. */
static void
ls_fill_item(struct ls_item *it, struct ls_route *rt, const struct lg_case *gc,
    int real, int64_t received_at, unsigned char *sub_pk)
{
	struct ls_unit *u = rt->unit;
	unsigned char raw[CRYPT_RECEIPT_RAW_LEN], lookup[CRYPT_HASH_LEN],
	    auth[CRYPT_HASH_LEN];
	char text[CRYPT_RECEIPT_TEXT_LEN + 1];

	memset(it, 0, sizeof *it);
	it->gc = gc;
	it->unit = u->cu->id;
	it->rule = rt->rule;
	it->urgent = rt->urgent;
	it->recused = rt->recused;
	it->received_at =
	    gc->anonymous ? received_at - received_at % 60 : received_at;
	it->due_at =
	    deadline_add_working_days(it->received_at, u->cu->acknowledge_days);
	it->officers = u->officers;
	it->nofficers = u->nofficers;
	if (real) {
		crypt_key_free(u->key);
		u->key = crypt_key_new(1);
		crypt_receipt_new(raw, text, sizeof text);
		crypt_receipt_derive(raw, lookup, auth, sub_pk, NULL);
		crypt_wipe(raw, sizeof raw);
		crypt_wipe(text, sizeof text);
		it->sub_pk = sub_pk;
	} else {
		it->sealed =
		    (const unsigned char(*)[CRYPT_SEALED_LEN])u->sealed;
		it->sub_sealed = u->sub_sealed;
	}
	it->key = u->key;
}

int
ls_populate(const char *dbpath, const char *conf, uint64_t n, uint64_t seed,
    size_t narrative, uint64_t real_seals, const char *idspath, size_t nids,
    struct ls_result *r)
{
	struct ls_unit units[LS_UNITS_MAX];
	struct ls_route *routes = NULL;
	unsigned char sub_pk[CRYPT_PK_LEN];
	struct lg_pool pool = {NULL, 0};
	struct server srv;
	struct ls_item it;
	char *cause = NULL, *dbcopy, *dir;
	uint64_t step = nids ? (n / nids ? n / nids : 1) : 0;
	int64_t span = 365 * 86400, start = server_now() - span;
	double t0 = lp_now();
	FILE *ids = NULL;
	int ret = -1, real;

	memset(r, 0, sizeof *r);
	memset(units, 0, sizeof units);
	if ((dbcopy = strdup(dbpath)) == NULL)
		abort();
	dir = dirname(dbcopy);
	if (ls_server(&srv, conf, dbpath, dir, r) < 0)
		goto out;
	if ((srv.rules = ruleset_load(srv.cfg, &cause)) == NULL) {
		ls_fail(r, "rules", cause);
		goto out;
	}
	if (ls_units(&srv, units, r) < 0)
		goto out;
	lg_pool_make(&pool, 4096, seed, narrative, narrative);
	if ((routes = calloc(pool.n, sizeof *routes)) == NULL)
		abort();
	if (ls_route_pool(&srv, &pool, units, routes, r) < 0)
		goto out;
	if (idspath != NULL && (ids = fopen(idspath, "w")) == NULL) {
		snprintf(r->why, sizeof r->why, "cannot write %s", idspath);
		goto out;
	}
	for (uint64_t i = 0; i < n; i++) {
		struct ls_route *rt = &routes[i % pool.n];

		if (i % LS_FILL_BATCH == 0 && db_begin(srv.db, &cause) < 0) {
			ls_fail(r, "BEGIN", cause);
			goto out;
		}
		real = i < real_seals || i % 1000 == 0 || !rt->unit->has_real;
		ls_fill_item(&it, rt, &pool.c[i % pool.n], real,
		    start + (int64_t)((double)i * (double)span / (double)n),
		    sub_pk);
		if (ls_store(&srv, &it, &cause) < 0) {
			db_rollback(srv.db);
			ls_fail(r, "storing a case", cause);
			goto out;
		}
		if (real) {
			memcpy(rt->unit->sealed, it.sealed_out,
			    sizeof rt->unit->sealed);
			memcpy(rt->unit->sub_sealed, it.sub_sealed_out,
			    sizeof rt->unit->sub_sealed);
			rt->unit->has_real = 1;
			r->sealed_real++;
		}
		if (ids != NULL && i % step == 0)
			fprintf(ids, "%s %s\n", it.id, it.unit);
		if ((i + 1) % LS_FILL_BATCH == 0 || i + 1 == n) {
			if (db_commit(srv.db, &cause) < 0) {
				ls_fail(r, "COMMIT", cause);
				goto out;
			}
		}
		if ((i + 1) % 100000 == 0)
			fprintf(stderr, "  populate: %llu cases, %.0f s\n",
			    (unsigned long long)(i + 1), lp_now() - t0);
	}
	r->cases = n;
	r->elapsed = lp_now() - t0;
	ret = 0;
out:
	if (ids != NULL && fclose(ids) != 0 && ret == 0) {
		snprintf(r->why, sizeof r->why, "cannot write %s", idspath);
		ret = -1;
	}
	for (size_t u = 0; u < LS_UNITS_MAX; u++)
		crypt_key_free(units[u].key);
	ls_server_free(&srv);
	lg_pool_free(&pool);
	free(routes);
	free(dbcopy);
	return ret;
}
