/*
 * Streaming the audit log to an auditor: see audit-export.h.  Entries are
 * read from the database a batch at a time, after the range and its seal
 * were fixed in one transaction, so the export is a consistent view even
 * while new entries are appended behind it.
 */
#include "audit-export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auditfmt.h"
#include "crypt.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "routes.h"
#include "server.h"

#define AUDIT_EXPORT_BATCH 256

enum audit_export_stage {
	EXPORT_HEADER,
	EXPORT_ENTRIES,
	EXPORT_SEAL,
	EXPORT_DONE
};

struct audit_export {
	struct server *srv;
	int csv;
	enum audit_export_stage stage;
	int64_t first, last; /* the seq range, first > last when empty */
	int64_t after;       /* the last seq sent */
	int64_t exported_at;
	struct db_audit_head seal;
};

static const char *const audit_export_columns[] = {AUDIT_EXPORT_COLUMNS, NULL};

int
audit_export_time(const char *s, int64_t *t)
{
	char *end;
	long long v;

	if (s[0] >= '0' && s[0] <= '9' && strchr(s, '-') == NULL) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno || *end != '\0')
			return -1;
		*t = v;
		return 0;
	}
	return auditfmt_time_parse(s, t);
}

static json_t *
audit_export_hex(const unsigned char *h, size_t len)
{
	char hex[2 * CRYPT_SIGNATURE_LEN + 1];

	crypt_hex(hex, h, len);
	return json_string(hex);
}

static json_t *
audit_export_time_json(int64_t t)
{
	char when[32];

	auditfmt_time_text(when, sizeof when, t);
	return json_string(when);
}

/* Appends obj as a line of the export's format to *buf, and frees it. */
static void
audit_export_line(
    const struct audit_export *x, json_t *obj, char **buf, size_t *len)
{
	char *line = x->csv ? csv_row(obj, audit_export_columns)
	                    : json_dump_compact(obj);
	size_t n = strlen(line);

	if ((*buf = realloc(*buf, *len + n + 2)) == NULL)
		abort();
	memcpy(*buf + *len, line, n);
	*len += n;
	if (!x->csv)
		(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	free(line);
	json_decref(obj);
}

static json_t *
audit_export_header(const struct audit_export *x)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:I}", "record", "header",
	    "format", AUDITFMT_EXPORT_FORMAT, "version",
	    AUDITFMT_EXPORT_VERSION, "first_seq", (json_int_t)x->first);
	char fp[CRYPT_FINGERPRINT_LEN + 1], *b64;

	json_object_set_new(o, "prev_hash",
	    audit_export_hex(x->seal.prev_hash, CRYPT_HASH_LEN));
	if (x->srv->audit != NULL) {
		b64 = crypt_b64_encode(
		    audit_public_key(x->srv->audit), CRYPT_SIGN_PK_LEN);
		audit_fingerprint(x->srv->audit, fp, sizeof fp);
		json_object_set_new(o, "public_key", json_string(b64));
		json_object_set_new(o, "fingerprint", json_string(fp));
		free(b64);
	}
	json_object_set_new(
	    o, "exported_at", audit_export_time_json(x->exported_at));
	return o;
}

/* An entry as an auditor sees it: an Ombudsperson entry carries its field
 * hashes and its day in place of its identifying fields and time. */
static json_t *
audit_export_entry(const struct db_audit *e)
{
	json_t *o = json_pack(
	    "{s:s, s:I}", "record", "entry", "seq", (json_int_t)e->seq);
	char day[16];

	if (e->redacted) {
		auditfmt_day_text(day, sizeof day, e->time);
		json_object_set_new(o, "day", json_string(day));
		json_object_set_new(o, "time_hash",
		    audit_export_hex(e->time_hash, CRYPT_HASH_LEN));
	} else
		json_object_set_new(o, "time", audit_export_time_json(e->time));
	json_object_set_new(o, "redacted", json_boolean(e->redacted));
	if (!e->redacted)
		json_object_set_new(o, "actor", json_string(e->actor));
	json_object_set_new(o, "role", json_string(e->role));
	json_object_set_new(o, "action", json_string(e->action));
	if (e->redacted) {
		json_object_set_new(o, "case_hash",
		    audit_export_hex(e->case_hash, CRYPT_HASH_LEN));
		json_object_set_new(o, "actor_hash",
		    audit_export_hex(e->actor_hash, CRYPT_HASH_LEN));
		json_object_set_new(o, "details_hash",
		    audit_export_hex(e->details_hash, CRYPT_HASH_LEN));
	} else {
		json_object_set_new(o, "case_id",
		    e->case_id[0] ? json_string(e->case_id) : json_null());
		json_object_set_new(o, "details", json_string(e->details));
	}
	json_object_set_new(
	    o, "unit", e->unit[0] ? json_string(e->unit) : json_null());
	json_object_set_new(
	    o, "prev_hash", audit_export_hex(e->prev_hash, CRYPT_HASH_LEN));
	json_object_set_new(
	    o, "hash", audit_export_hex(e->hash, CRYPT_HASH_LEN));
	return o;
}

static json_t *
audit_export_head(const char *record, const struct db_audit_head *h)
{
	json_t *o = json_pack("{s:s, s:I, s:I}", "record", record, "from_seq",
	    (json_int_t)h->from_seq, "seq", (json_int_t)h->seq);

	json_object_set_new(
	    o, "prev_hash", audit_export_hex(h->prev_hash, CRYPT_HASH_LEN));
	json_object_set_new(
	    o, "hash", audit_export_hex(h->hash, CRYPT_HASH_LEN));
	json_object_set_new(
	    o, "signed_at", audit_export_time_json(h->signed_at));
	json_object_set_new(o, "signature",
	    audit_export_hex(h->signature, CRYPT_SIGNATURE_LEN));
	return o;
}

/* The heads stored for (after, last], but not this export's own seal. */
static int
audit_export_heads(struct audit_export *x, int64_t after, int64_t last,
    char **buf, size_t *len, char **cause)
{
	struct db_audit_head *h = NULL;
	ssize_t n = db_audit_heads(x->srv->db, after, last, &h, cause);

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		if (memcmp(h[i].signature, x->seal.signature,
		        CRYPT_SIGNATURE_LEN) != 0)
			audit_export_line(
			    x, audit_export_head("head", &h[i]), buf, len);
	free(h);
	return 0;
}

/* One batch of entries, with the heads that fall among them. */
static int
audit_export_batch(
    struct audit_export *x, char **buf, size_t *len, char **cause)
{
	struct db_audit *e = NULL;
	int64_t from = x->after;
	ssize_t n = db_audit_range(
	    x->srv->db, x->after, x->last, AUDIT_EXPORT_BATCH, &e, cause);

	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++) {
		if (e[i].seq != x->after + 1) {
			free(e);
			if (asprintf(cause,
			        "audit: entry %lld is missing from "
			        "the database",
			        (long long)(x->after + 1)) < 0)
				abort();
			return -1;
		}
		audit_export_line(x, audit_export_entry(&e[i]), buf, len);
		x->after = e[i].seq;
	}
	free(e);
	if (n == 0 && x->after < x->last) {
		if (asprintf(cause, "audit: entries after %lld are missing",
		        (long long)x->after) < 0)
			abort();
		return -1;
	}
	return audit_export_heads(x, from, x->after, buf, len, cause);
}

int
audit_export_next(void *arg, char **piece, size_t *len)
{
	struct audit_export *x = arg;
	char *cause = NULL;

	*piece = NULL;
	*len = 0;
	switch (x->stage) {
	case EXPORT_HEADER:
		if (x->csv) {
			*piece = csv_header(audit_export_columns);
			*len = strlen(*piece);
		}
		audit_export_line(x, audit_export_header(x), piece, len);
		x->stage = x->first <= x->last ? EXPORT_ENTRIES : EXPORT_SEAL;
		return 1;
	case EXPORT_ENTRIES:
		if (audit_export_batch(x, piece, len, &cause) < 0) {
			log_warnx("%s", cause);
			free(cause);
			free(*piece);
			*piece = NULL;
			x->stage = EXPORT_DONE;
			return -1;
		}
		if (x->after >= x->last)
			x->stage = EXPORT_SEAL;
		return 1;
	case EXPORT_SEAL:
		audit_export_line(
		    x, audit_export_head("seal", &x->seal), piece, len);
		x->stage = EXPORT_DONE;
		return 1;
	case EXPORT_DONE:
		break;
	}
	return 0;
}

void
audit_export_free(void *arg)
{
	free(arg);
}

/* Fixes the range, then signs the seal: entries first..last, the hash of
 * first - 1 before them. */
static int
audit_export_seal(
    struct audit_export *x, int64_t since, int64_t until, char **cause)
{
	unsigned char prev[CRYPT_HASH_LEN], hash[CRYPT_HASH_LEN];

	if (db_audit_bounds(
	        x->srv->db, since, until, &x->first, &x->last, cause) < 0)
		return -1;
	if (x->first > x->last)
		x->first = x->last + 1;
	x->after = x->first - 1;
	if (audit_hash_at(x->srv, x->first - 1, prev, cause) < 0 ||
	    audit_hash_at(x->srv, x->last, hash, cause) < 0)
		return -1;
	return audit_sign(x->srv, x->first, prev, x->last, hash, x->exported_at,
	    &x->seal, cause);
}

struct audit_export *
audit_export_open(
    struct request *req, int64_t since, int64_t until, int csv, char **cause)
{
	struct audit_export *x = calloc(1, sizeof *x);
	char s[32] = "", u[32] = "";

	if (x == NULL)
		abort();
	x->srv = req->srv;
	x->csv = csv;
	x->exported_at = req->now;
	if (since > 0)
		auditfmt_time_text(s, sizeof s, since);
	if (until < INT64_MAX)
		auditfmt_time_text(u, sizeof u, until);
	if (db_begin(req->srv->db, cause) < 0)
		goto fail;
	if (audit_record(req, AUDIT_ROLE_AUDITOR, AUDIT_EXPORT, NULL, NULL,
	        json_pack("{s:s?, s:s?, s:s}", "since", s[0] ? s : NULL,
	            "until", u[0] ? u : NULL, "format", csv ? "csv" : "jsonl"),
	        cause) < 0 ||
	    audit_export_seal(x, since, until, cause) < 0 ||
	    db_commit(req->srv->db, cause) < 0) {
		db_rollback(req->srv->db);
		goto fail;
	}
	return x;
fail:
	free(x);
	return NULL;
}
