/*
 * Verifying an audit export offline: see auditv.h.  The records are read
 * one line at a time (a CSV row is first turned into the object its JSON
 * line would be), so an export of any size is checked in one pass, in
 * memory that does not grow with it: only the hashes of the last
 * AUDITV_WINDOW entries are kept, for the signed heads that follow them
 * (the daemon writes each head right after the batch of 256 entries that
 * holds its entry) to be checked against.
 */
#include "auditv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "auditfmt.h"
#include "crypt.h"
#include "csv.h"
#include "json.h"
#include "xmalloc.h"

#define AUDITV_MAX_COLUMNS 64
#define AUDITV_WINDOW 65536 /* entries a head may come after its own: 2 MiB */

struct auditv {
	struct auditv_result *r;
	unsigned char pk[CRYPT_SIGN_PK_LEN];
	int have_pk;
	int csv;
	char *columns[AUDITV_MAX_COLUMNS];
	int ncolumns;
	int seen_header, sealed;
	int64_t next_seq; /* the seq the next entry must have */
	unsigned char prev[AUDITFMT_HASH_LEN];       /* hash of next_seq - 1 */
	unsigned char first_prev[AUDITFMT_HASH_LEN]; /* the header's */
	/* the hashes of the last AUDITV_WINDOW entries, by seq modulo it */
	unsigned char (*hashes)[AUDITFMT_HASH_LEN];
};

/* Records the first fault and stops the walk: returns 1. */
static int auditv_fail(struct auditv *v, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
auditv_fail(struct auditv *v, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	v->r->ok = 0;
	v->r->broken_seq = seq;
	va_start(ap, fmt);
	vsnprintf(v->r->reason, sizeof v->r->reason, fmt, ap);
	va_end(ap);
	return 1;
}

static const char *
auditv_str(const json_t *rec, const char *key)
{
	return json_string_value(json_object_get(rec, key));
}

/* An integer member (a JSON integer); -1 when missing or negative. */
static int64_t
auditv_int(const json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);

	return json_is_integer(v) && json_integer_value(v) >= 0
	           ? (int64_t)json_integer_value(v)
	           : -1;
}

static int
auditv_hash(const json_t *rec, const char *key, unsigned char *out)
{
	const char *s = auditv_str(rec, key);

	return s != NULL ? auditfmt_unhex(out, s) : -1;
}

static int
auditv_time(const json_t *rec, const char *key, int64_t *t)
{
	const char *s = auditv_str(rec, key);

	return s != NULL ? auditfmt_time_parse(s, t) : -1;
}

/* The hash of entry seq, or NULL when it is not in the export or no
 * longer in the window. */
static const unsigned char *
auditv_hash_of(const struct auditv *v, int64_t seq)
{
	if (seq == v->r->first_seq - 1)
		return v->first_prev;
	if (seq < v->r->first_seq || seq >= v->next_seq ||
	    seq < v->next_seq - AUDITV_WINDOW)
		return NULL;
	return v->hashes[seq % AUDITV_WINDOW];
}

static int
auditv_header(struct auditv *v, const json_t *rec)
{
	const char *format = auditv_str(rec, "format"), *pk;
	unsigned char *key;
	size_t len = 0;

	if (format == NULL || strcmp(format, AUDITFMT_EXPORT_FORMAT) != 0 ||
	    auditv_int(rec, "version") != AUDITFMT_EXPORT_VERSION)
		return auditv_fail(v, 0,
		    "not a mandate audit export of a "
		    "version this client knows");
	v->r->first_seq = auditv_int(rec, "first_seq");
	if (v->r->first_seq < 1 || auditv_hash(rec, "prev_hash", v->prev) < 0)
		return auditv_fail(v, 0,
		    "the header's first_seq or prev_hash "
		    "is malformed");
	memcpy(v->first_prev, v->prev, sizeof v->prev);
	v->next_seq = v->r->first_seq;
	v->seen_header = 1;
	if (v->have_pk)
		return 0;
	pk = auditv_str(rec, "public_key");
	key = pk ? crypt_b64_decode(pk, strlen(pk), &len) : NULL;
	if (key == NULL || len != CRYPT_SIGN_PK_LEN) {
		free(key);
		return auditv_fail(v, 0,
		    "no key given (--key) and none in the "
		    "export's header");
	}
	memcpy(v->pk, key, CRYPT_SIGN_PK_LEN);
	free(key);
	v->have_pk = 1;
	crypt_fingerprint(v->r->fingerprint, v->pk);
	v->r->key_from_export = 1;
	return 0;
}

/* The field hashes of a clear entry, recomputed from its fields. */
static int
auditv_clear_fields(
    struct auditv *v, const json_t *rec, struct auditfmt_entry *e)
{
	const char *actor = auditv_str(rec, "actor"),
	           *details = auditv_str(rec, "details"),
	           *case_id = auditv_str(rec, "case_id");
	int64_t t;

	if (actor == NULL || details == NULL ||
	    auditv_time(rec, "time", &t) < 0)
		return auditv_fail(v, e->seq,
		    "entry %lld: its time, actor or details are missing or "
		    "malformed",
		    (long long)e->seq);
	e->day = auditfmt_day(t);
	auditfmt_time_hash(e->time_hash, t, NULL);
	auditfmt_field_hash(e->case_hash, "case", case_id ? case_id : "", NULL);
	auditfmt_field_hash(e->actor_hash, "actor", actor, NULL);
	auditfmt_field_hash(e->details_hash, "details", details, NULL);
	return 0;
}

/* The field hashes a redacted entry carries in place of its fields. */
static int
auditv_redacted_fields(
    struct auditv *v, const json_t *rec, struct auditfmt_entry *e)
{
	if (auditv_time(rec, "day", &e->day) < 0 ||
	    e->day != auditfmt_day(e->day) ||
	    auditv_hash(rec, "time_hash", e->time_hash) < 0 ||
	    auditv_hash(rec, "case_hash", e->case_hash) < 0 ||
	    auditv_hash(rec, "actor_hash", e->actor_hash) < 0 ||
	    auditv_hash(rec, "details_hash", e->details_hash) < 0)
		return auditv_fail(v, e->seq,
		    "entry %lld: a redacted entry's day or field hashes are "
		    "missing or malformed",
		    (long long)e->seq);
	v->r->redacted++;
	return 0;
}

static void
auditv_keep(struct auditv *v, int64_t seq, const unsigned char *hash)
{
	if (v->hashes == NULL)
		v->hashes = xmalloc(AUDITV_WINDOW * sizeof *v->hashes);
	memcpy(v->hashes[seq % AUDITV_WINDOW], hash, AUDITFMT_HASH_LEN);
}

/* Checks an entry's place in the chain, then its hash. */
static int
auditv_entry(struct auditv *v, const json_t *rec)
{
	struct auditfmt_entry e;
	unsigned char stated[AUDITFMT_HASH_LEN], hash[AUDITFMT_HASH_LEN];
	json_t *red = json_object_get(rec, "redacted");

	memset(&e, 0, sizeof e);
	e.seq = auditv_int(rec, "seq");
	if (e.seq != v->next_seq)
		return auditv_fail(v, v->next_seq,
		    "entry %lld: not where it belongs: entry %lld comes in its "
		    "place (an entry was removed or reordered)",
		    (long long)v->next_seq, (long long)e.seq);
	e.role = auditv_str(rec, "role");
	e.action = auditv_str(rec, "action");
	e.unit = auditv_str(rec, "unit") ? auditv_str(rec, "unit") : "";
	if (e.role == NULL || e.action == NULL || !json_is_boolean(red) ||
	    auditv_hash(rec, "prev_hash", e.prev_hash) < 0 ||
	    auditv_hash(rec, "hash", stated) < 0)
		return auditv_fail(v, e.seq,
		    "entry %lld: a field is missing or malformed",
		    (long long)e.seq);
	if (!crypt_equal(e.prev_hash, v->prev, sizeof v->prev))
		return auditv_fail(v, e.seq,
		    "entry %lld: its link to entry %lld does not match (the "
		    "entry before it was changed, removed or reordered)",
		    (long long)e.seq, (long long)e.seq - 1);
	e.redacted = json_is_true(red);
	if ((e.redacted ? auditv_redacted_fields(v, rec, &e)
	                : auditv_clear_fields(v, rec, &e)) != 0)
		return 1;
	auditfmt_entry_hash(hash, &e);
	if (!crypt_equal(hash, stated, sizeof hash))
		return auditv_fail(v, e.seq,
		    "entry %lld: its hash does not match its contents (the "
		    "entry was changed)",
		    (long long)e.seq);
	memcpy(v->prev, hash, sizeof hash);
	auditv_keep(v, e.seq, hash);
	v->next_seq++;
	v->r->entries++;
	v->r->last_seq = e.seq;
	return 0;
}

/* A signed head or the seal: its signature, and the entries it names. */
static int
auditv_head(struct auditv *v, const json_t *rec, int seal)
{
	struct auditfmt_head h;
	unsigned char sig[CRYPT_SIGNATURE_LEN], *msg;
	const unsigned char *have;
	const char *s = auditv_str(rec, "signature");
	size_t len;
	int good;

	memset(&h, 0, sizeof h);
	h.from_seq = auditv_int(rec, "from_seq");
	h.seq = auditv_int(rec, "seq");
	if (h.from_seq < 1 || h.seq < 0 ||
	    auditv_hash(rec, "prev_hash", h.prev_hash) < 0 ||
	    auditv_hash(rec, "hash", h.hash) < 0 ||
	    auditv_time(rec, "signed_at", &h.signed_at) < 0 || s == NULL ||
	    strlen(s) != 2 * CRYPT_SIGNATURE_LEN ||
	    crypt_unhex(sig, sizeof sig, s) < 0)
		return auditv_fail(v, h.seq > 0 ? h.seq : 0,
		    "the signed head after entry %lld is malformed",
		    (long long)v->next_seq - 1);
	if ((msg = auditfmt_head_message(&h, &len)) == NULL)
		xmalloc_fatal();
	good = crypt_sign_verify(sig, msg, len, v->pk);
	free(msg);
	if (!good)
		return auditv_fail(v, h.seq,
		    "the signed head of entry %lld: its signature does not "
		    "verify with key %s (forged, changed, or another key)",
		    (long long)h.seq, v->r->fingerprint);
	if (h.seq >= v->r->first_seq && h.seq < v->next_seq - AUDITV_WINDOW)
		return auditv_fail(v, h.seq,
		    "entry %lld: its signed head comes more than %d entries "
		    "after it, too far to be checked in one pass",
		    (long long)h.seq, AUDITV_WINDOW);
	have = auditv_hash_of(v, h.seq);
	if (have == NULL || !crypt_equal(have, h.hash, sizeof h.hash))
		return auditv_fail(v, h.seq,
		    "entry %lld: the signed head of it names another hash",
		    (long long)h.seq);
	have = auditv_hash_of(v, h.from_seq - 1);
	if (have != NULL && !crypt_equal(have, h.prev_hash, sizeof h.prev_hash))
		return auditv_fail(v, h.from_seq,
		    "entry %lld: a signed head names another hash before it",
		    (long long)h.from_seq);
	v->r->heads++;
	if (!seal)
		return 0;
	if (h.from_seq != v->r->first_seq || h.seq != v->next_seq - 1)
		return auditv_fail(v, v->next_seq,
		    "the seal covers entries %lld to %lld, the export %lld to "
		    "%lld",
		    (long long)h.from_seq, (long long)h.seq,
		    (long long)v->r->first_seq, (long long)v->next_seq - 1);
	v->sealed = 1;
	snprintf(v->r->sealed_at, sizeof v->r->sealed_at, "%s",
	    auditv_str(rec, "signed_at"));
	return 0;
}

/* One record, whatever its kind; 0 to go on, 1 at the first fault. */
static int
auditv_record(struct auditv *v, const json_t *rec)
{
	const char *kind = auditv_str(rec, "record");

	if (kind == NULL)
		return auditv_fail(v, v->next_seq,
		    "a record without a kind after entry %lld",
		    (long long)v->next_seq - 1);
	if (!v->seen_header)
		return strcmp(kind, "header") == 0
		           ? auditv_header(v, rec)
		           : auditv_fail(v, 0,
		                 "the export does not start with its "
		                 "header");
	if (v->sealed)
		return auditv_fail(v, v->next_seq,
		    "records follow the seal: entry %lld onwards were added",
		    (long long)v->next_seq);
	if (strcmp(kind, "entry") == 0)
		return auditv_entry(v, rec);
	if (strcmp(kind, "head") == 0 || strcmp(kind, "seal") == 0)
		return auditv_head(v, rec, strcmp(kind, "seal") == 0);
	return auditv_fail(v, v->next_seq, "an unknown record after entry %lld",
	    (long long)v->next_seq - 1);
}

/* The columns whose CSV fields are numbers, and the boolean one. */
static int
auditv_int_column(const char *name)
{
	return strcmp(name, "seq") == 0 || strcmp(name, "from_seq") == 0 ||
	       strcmp(name, "first_seq") == 0 || strcmp(name, "version") == 0;
}

/* A CSV row as the object its JSON line would be; NULL when malformed. */
static json_t *
auditv_csv_row(struct auditv *v, const char *line, size_t len)
{
	char *f[AUDITV_MAX_COLUMNS], *end;
	json_t *o;
	int n = csv_split(line, len, f, AUDITV_MAX_COLUMNS);

	if (n != v->ncolumns) {
		if (n > 0)
			csv_fields_free(f, n);
		return NULL;
	}
	o = json_object();
	for (int i = 0; i < n; i++) {
		if (f[i][0] == '\0')
			continue;
		if (auditv_int_column(v->columns[i])) {
			errno = 0;
			long long x = strtoll(f[i], &end, 10);
			json_object_set_new(o, v->columns[i],
			    errno || *end ? json_string(f[i])
			                  : json_integer(x));
		} else if (strcmp(v->columns[i], "redacted") == 0)
			json_object_set_new(o, v->columns[i],
			    strcmp(f[i], "true") == 0    ? json_true()
			    : strcmp(f[i], "false") == 0 ? json_false()
			                                 : json_string(f[i]));
		else
			json_object_set_new(
			    o, v->columns[i], json_string(f[i]));
	}
	csv_fields_free(f, n);
	return o;
}

/* The first line decides the format: a JSON object, or a CSV header. */
static int
auditv_first_line(struct auditv *v, const char *line, size_t len)
{
	if (len > 0 && line[0] == '{')
		return 0;
	v->csv = 1;
	v->ncolumns = csv_split(line, len, v->columns, AUDITV_MAX_COLUMNS);
	if (v->ncolumns < 0) {
		v->ncolumns = 0;
		return auditv_fail(v, 0, "neither JSON lines nor CSV");
	}
	return 0;
}

/* One line of the file: 0 go on, 1 stop. */
static int
auditv_line(struct auditv *v, const char *line, size_t len, int last)
{
	json_t *rec;
	char *why = NULL;
	int r;

	rec = v->csv ? auditv_csv_row(v, line, len)
	             : json_parse_strict(line, len, &why);
	free(why);
	if (rec == NULL || !json_is_object(rec)) {
		json_decref(rec);
		if (last)
			return auditv_fail(v, v->next_seq,
			    "the export is cut off after entry %lld (its last "
			    "line is incomplete): the tail is missing",
			    (long long)v->next_seq - 1);
		return auditv_fail(v, v->next_seq,
		    "line %lu, after entry %lld, is not a valid record (it was "
		    "changed)",
		    v->r->line, (long long)v->next_seq - 1);
	}
	r = auditv_record(v, rec);
	json_decref(rec);
	return r;
}

/* Reads f line by line through auditv_line(). */
static int
auditv_walk(struct auditv *v, FILE *f, char **cause)
{
	char *line = NULL;
	size_t cap = 0, len;
	ssize_t n;
	int stop = 0, c;

	while (!stop && (n = getline(&line, &cap, f)) > 0) {
		len = (size_t)n;
		v->r->line++;
		while (
		    len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		c = fgetc(f);
		if (c != EOF)
			ungetc(c, f);
		if (v->r->line == 1 && auditv_first_line(v, line, len) != 0)
			stop = 1;
		else if (!(v->csv && v->r->line == 1))
			stop = auditv_line(
			    v, line, len, c == EOF && line[n - 1] != '\n');
	}
	free(line);
	if (ferror(f)) {
		*cause =
		    xasprintf("cannot read the export: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int
auditv_verify(
    FILE *f, const unsigned char *pk, struct auditv_result *r, char **cause)
{
	struct auditv v;
	int rc;

	memset(&v, 0, sizeof v);
	memset(r, 0, sizeof *r);
	r->ok = 1;
	v.r = r;
	if (pk != NULL) {
		memcpy(v.pk, pk, sizeof v.pk);
		v.have_pk = 1;
		crypt_fingerprint(r->fingerprint, v.pk);
	}
	rc = auditv_walk(&v, f, cause);
	if (rc == 0 && r->ok && !v.seen_header)
		auditv_fail(&v, 0, "the export is empty");
	else if (rc == 0 && r->ok && !v.sealed)
		auditv_fail(&v, v.next_seq,
		    "the export ends after entry %lld without its signed seal: "
		    "the tail is missing",
		    (long long)v.next_seq - 1);
	csv_fields_free(v.columns, v.ncolumns);
	free(v.hashes);
	return rc;
}
