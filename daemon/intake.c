/*
 * Taking in a case: routing, the content document, encryption, sealing,
 * and the one transaction that stores it all.
 */
#include "intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "conflict.h"
#include "crypt.h"
#include "deadline.h"
#include "log.h"
#include "mandate/api.h"
#include "routes.h"
#include "server.h"

static void
intake_set_error(
    struct case_error *e, enum mandate_err err, const char *message)
{
	e->err = err;
	e->field = NULL;
	snprintf(e->message, sizeof e->message, "%s",
	    message ? message : mandate_error_get(err)->message);
}

/* The submitter as recorded inside the encrypted content (confidential
 * submissions only): uid, login name and full name. */
static json_t *
intake_identity_json(const struct identity *who)
{
	json_t *o;

	o = json_pack("{s:s}", "user", who->user);
	if (who->uid != (uid_t)-1) {
		json_object_set_new(
		    o, "uid", json_integer((json_int_t)who->uid));
		/* From auth.c's look at the user database; a name that is not
		 * UTF-8 is left out (json_string refuses it). */
		if (who->name[0] != '\0')
			json_object_set_new(o, "name", json_string(who->name));
	}
	return o;
}

/* The plaintext content document, encoded; the caller wipes and frees. */
static char *
intake_content(const struct identity *who, const struct case_input *in,
    const struct rules_decision *d, size_t *len)
{
	json_t *doc, *matched;
	char *text;

	matched = json_array();
	for (size_t i = 0; i < d->nmatched; i++)
		json_array_append_new(matched, json_string(d->matched[i]));
	doc = json_object();
	json_object_set_new(
	    doc, "title", json_stringn(in->title, in->title_len));
	json_object_set_new(
	    doc, "narrative", json_stringn(in->narrative, in->narrative_len));
	if (in->language != NULL)
		json_object_set_new(doc, "language", json_string(in->language));
	if (in->subjects != NULL)
		json_object_set(doc, "subjects", in->subjects);
	if (!in->anonymous)
		json_object_set_new(
		    doc, "submitter", intake_identity_json(who));
	json_object_set_new(doc, "routing",
	    json_pack("{s:s, s:o}", "rule", d->rule, "matched", matched));
	text = json_dump_compact(doc);
	json_decref(doc);
	*len = strlen(text);
	return text;
}

/* Draws a case id not yet in use. */
static int
intake_new_id(struct server *srv, char *id, size_t size, char **cause)
{
	struct db_case existing;

	for (int tries = 0; tries < 16; tries++) {
		crypt_case_id(id, size);
		switch (db_case_get(srv->db, id, &existing, cause)) {
		case 0:
			return 0;
		case -1:
			return -1;
		}
	}
	if (asprintf(cause, "intake: no free case id after 16 draws") < 0)
		abort();
	return -1;
}

void
intake_submitter_tag(
    const struct server *srv, const char *user, unsigned char *tag)
{
	char buf[MANDATE_USER_MAX_BYTES + 8];

	snprintf(buf, sizeof buf, "user:%s", user);
	crypt_keyed_hash(tag, srv->index_key, buf, strlen(buf));
}

/*
 * What the case keeps of its submitter: the receipt's lookup hash and
 * verifier (from the client, or from a receipt drawn here and returned
 * once), and the blind index of a confidential submitter.  The public key
 * the case key is to be sealed to goes to pk.
 */
static void
intake_submitter(struct server *srv, const struct identity *who,
    const struct case_input *in, struct db_submitter *sub, unsigned char *pk,
    char *receipt, size_t receiptsize)
{
	unsigned char raw[CRYPT_RECEIPT_RAW_LEN], auth[CRYPT_HASH_LEN];

	memset(sub, 0, sizeof *sub);
	receipt[0] = '\0';
	if (in->has_receipt) {
		memcpy(sub->lookup, in->receipt_lookup, CRYPT_HASH_LEN);
		memcpy(sub->verifier, in->receipt_verifier, CRYPT_HASH_LEN);
		memcpy(pk, in->receipt_pk, CRYPT_PK_LEN);
	} else {
		crypt_receipt_new(raw, receipt, receiptsize);
		crypt_receipt_derive(raw, sub->lookup, auth, pk, NULL);
		crypt_hash(sub->verifier, auth, sizeof auth);
		crypt_wipe(raw, sizeof raw);
		crypt_wipe(auth, sizeof auth);
	}
	if (!in->anonymous) {
		intake_submitter_tag(srv, who->user, sub->tag);
		sub->has_tag = 1;
	}
}

/*
 * The case's first status and its audit entry.  Auditors never see who
 * submitted a case (DESIGN.md, "Who sees what"): the actor of a
 * confidential submission is "submitter" (its identity is inside the
 * encrypted content, for the unit's officers), that of an anonymous one
 * "anonymous", at the case's minute.
 */
static int
intake_record(
    struct server *srv, const struct db_case *c, size_t nofficers, char **cause)
{
	struct audit_event ev = {
	    c->anonymous ? AUDIT_ACTOR_ANONYMOUS : AUDIT_ACTOR_SUBMITTER,
	    AUDIT_ROLE_SUBMITTER, AUDIT_CASE_SUBMIT, c->id, c->unit, NULL,
	    c->received_at, 0};
	int r;

	if (db_event_insert(srv->db, c->id, c->received_at, c->status,
	        AUDIT_ROLE_SUBMITTER, cause) < 0)
		return -1;
	ev.details = json_pack("{s:s, s:s?, s:b, s:b, s:b, s:I}", "rule",
	    c->rule, "category", c->category[0] ? c->category : NULL,
	    "anonymous", c->anonymous, "urgent", c->urgent, "recused",
	    c->recused, "key_copies", (json_int_t)nofficers);
	r = audit_append(srv, &ev, NULL, cause);
	json_decref(ev.details);
	return r;
}

/*
 * Seals the case key to every officer who may read the case and to the
 * submitter's receipt key, with one ephemeral key pair for all the copies
 * (crypt_seal_many): sealed gets nofficers copies, sub->sealed the
 * submitter's.  0, or -1 with *cause set.
 */
static int
intake_seal(const unsigned char *key, const struct db_officer *officers,
    size_t nofficers, const unsigned char *submitter_pk,
    struct db_submitter *sub, unsigned char *sealed, char **cause)
{
	const unsigned char **pks = calloc(nofficers + 1, sizeof *pks);
	int r;

	if (pks == NULL)
		abort();
	for (size_t i = 0; i < nofficers; i++)
		pks[i] = officers[i].public_key;
	pks[nofficers] = submitter_pk;
	r = crypt_seal_many(sealed, key, pks, nofficers + 1);
	free(pks);
	if (r < 0) {
		if (asprintf(cause, "intake: an officer's or the receipt's "
		                    "public key is of small order") < 0)
			abort();
		return -1;
	}
	memcpy(sub->sealed, sealed + nofficers * CRYPT_SEALED_LEN,
	    CRYPT_SEALED_LEN);
	return 0;
}

/* Stores the case and one sealed key copy per officer, in one transaction
 * with its first status and its audit entry. */
static int
intake_store(struct server *srv, const struct db_case *c,
    const unsigned char *box, size_t boxlen, const unsigned char *sealed,
    const struct db_submitter *sub, const struct intake_idem *idem,
    const struct db_officer *officers, size_t nofficers,
    const struct conflict_subjects *subj, char **cause)
{
	int r;

	if (db_begin(srv->db, cause) < 0)
		return -1;
	if ((r = db_case_insert(srv->db, c, box, boxlen, sub, cause)) != 1) {
		if (r == 0 && asprintf(cause, "intake: case id collision") < 0)
			abort();
		goto fail;
	}
	if (idem != NULL && db_idem_insert(srv->db, idem->key_hash, c->id,
	                        idem->body_hash, c->received_at, cause) < 0)
		goto fail;
	for (size_t i = 0; i < nofficers; i++)
		if (db_case_key_insert(srv->db, c->id, officers[i].id,
		        sealed + i * CRYPT_SEALED_LEN, cause) < 0)
			goto fail;
	for (size_t i = 0; i < subj->n; i++)
		if (db_case_subject_insert(
		        srv->db, c->id, subj->hash[i], cause) < 0)
			goto fail;
	if (intake_record(srv, c, nofficers, cause) < 0 ||
	    db_commit(srv->db, cause) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(srv->db);
	return -1;
}

static void
intake_fill_case(struct db_case *c, const struct case_input *in,
    const struct rules_decision *d, const struct config_unit *unit, int64_t now)
{
	memset(c, 0, sizeof *c);
	snprintf(c->unit, sizeof c->unit, "%s", d->unit);
	snprintf(c->category, sizeof c->category, "%s",
	    in->category ? in->category : "");
	snprintf(c->subject_office, sizeof c->subject_office, "%s",
	    in->subject_office ? in->subject_office : "");
	snprintf(c->language, sizeof c->language, "%s",
	    in->language ? in->language : "");
	snprintf(c->status, sizeof c->status, "received");
	snprintf(c->rule, sizeof c->rule, "%s", d->rule);
	c->anonymous = in->anonymous;
	c->urgent = d->urgent;
	c->recused = d->recused;
	/* An anonymous submission keeps no time finer than the minute. */
	c->received_at = in->anonymous ? now - now % 60 : now;
	c->due_at =
	    deadline_add_working_days(c->received_at, unit->acknowledge_days);
}

/*
 * The officers of unit that may read the case: every one enrolled but
 * those with a registered conflict with one of its subjects (whose blind
 * index goes to *subj).  Returns how many (0 with *err set when none),
 * or -1 with *cause set; *officers is the caller's to free.
 */
static ssize_t
intake_officers(struct server *srv, const struct config_unit *unit,
    const struct case_input *in, struct db_officer **officers,
    struct conflict_subjects *subj, struct case_error *err, char **cause)
{
	ssize_t n, enrolled;

	if ((enrolled = db_officer_list(srv->db, unit->id, officers, cause)) <
	        0 ||
	    conflict_subjects_hash(srv, in->subjects, subj, cause) < 0)
		return -1;
	if ((n = conflict_filter_officers(
	         srv, subj, *officers, (size_t)enrolled, cause)) != 0)
		return n;
	intake_set_error(err, MANDATE_ERR_UNIT_HAS_NO_OFFICER, NULL);
	if (enrolled == 0)
		snprintf(err->message, sizeof err->message,
		    "the unit this case is routed to (%s) has no enrolled "
		    "officer; nothing was stored",
		    unit->id);
	else
		snprintf(err->message, sizeof err->message,
		    "every officer of the unit this case is routed to (%s) "
		    "has a registered conflict with a subject of this case; "
		    "nothing was stored",
		    unit->id);
	return 0;
}

int
intake_submit(struct server *srv, const struct identity *who,
    const struct case_input *in, const struct intake_idem *idem, int64_t now,
    struct intake_result *out, struct case_error *err, char **cause)
{
	struct rules_case rc = {in->title, in->title_len, in->narrative,
	    in->narrative_len, in->category, in->subject_office};
	struct db_officer *officers = NULL;
	struct conflict_subjects subj;
	struct db_submitter sub;
	const struct config_unit *unit;
	unsigned char ad[CRYPT_AD_MAX], *key = NULL, *box = NULL;
	unsigned char submitter_pk[CRYPT_PK_LEN], *sealed = NULL;
	char *plain = NULL;
	size_t plainlen = 0, adlen;
	ssize_t n;
	int ret = -1;

	memset(out, 0, sizeof *out);
	intake_set_error(err, MANDATE_ERR_INTERNAL, NULL);
	if (rules_route(srv->rules, &rc, &out->decision, cause) < 0)
		goto out;
	unit = config_unit_find(srv->cfg, out->decision.unit);
	if (unit == NULL) {
		if (asprintf(cause, "intake: rules chose unknown unit %s",
		        out->decision.unit) < 0)
			abort();
		goto out;
	}
	if ((n = intake_officers(
	         srv, unit, in, &officers, &subj, err, cause)) <= 0)
		goto out;
	intake_fill_case(&out->c, in, &out->decision, unit, now);
	if (intake_new_id(srv, out->c.id, sizeof out->c.id, cause) < 0)
		goto out;
	plain = intake_content(who, in, &out->decision, &plainlen);
	adlen = crypt_ad(ad, sizeof ad, "cases", "content", out->c.id);
	key = crypt_key_new(1);
	box = malloc(plainlen + CRYPT_BOX_OVERHEAD);
	if (box == NULL)
		abort();
	crypt_box(box, (unsigned char *)plain, plainlen, ad, adlen, key);
	intake_submitter(srv, who, in, &sub, submitter_pk, out->receipt,
	    sizeof out->receipt);
	if ((sealed = calloc((size_t)n + 1, CRYPT_SEALED_LEN)) == NULL)
		abort();
	if (intake_seal(key, officers, (size_t)n, submitter_pk, &sub, sealed,
	        cause) < 0 ||
	    intake_store(srv, &out->c, box, plainlen + CRYPT_BOX_OVERHEAD,
	        sealed, &sub, idem, officers, (size_t)n, &subj, cause) < 0) {
		crypt_wipe(out->receipt, sizeof out->receipt);
		goto out;
	}
	ret = 0;
out:
	if (plain != NULL)
		crypt_wipe(plain, plainlen);
	free(plain);
	free(box);
	free(sealed);
	crypt_key_free(key);
	free(officers);
	if (ret < 0 && err->err != MANDATE_ERR_UNIT_HAS_NO_OFFICER)
		intake_set_error(err, MANDATE_ERR_INTERNAL, NULL);
	if (ret < 0)
		rules_decision_clear(&out->decision);
	return ret;
}
