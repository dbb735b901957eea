/*
 * The canonical encoding of audit entries and signed heads: netstrings in
 * a fixed order, hashed with BLAKE2b-256 (crypt.c).  See auditfmt.h and
 * the README's "Audit log" section.
 */
#include "auditfmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypt.h"

/* A growing byte string of netstrings: on the stack while it is short
 * (every entry and field of the hot paths), on the heap beyond. */
struct auditfmt_buf {
	unsigned char *p;
	size_t len, cap;
	unsigned char small[384];
};

static void
auditfmt_grow(struct auditfmt_buf *b, size_t n)
{
	unsigned char *q;

	if (b->p == NULL) {
		b->p = b->small;
		b->cap = sizeof b->small;
	}
	if (b->len + n <= b->cap)
		return;
	b->cap = (b->len + n) * 2;
	if (b->p == b->small) {
		if ((q = malloc(b->cap)) == NULL)
			abort();
		memcpy(q, b->small, b->len);
		crypt_wipe(b->small, b->len);
	} else if ((q = realloc(b->p, b->cap)) == NULL)
		abort();
	b->p = q;
}

/* The decimal digits of v into out (room for 24); returns their number. */
static size_t
auditfmt_digits(char *out, uint64_t v, int negative)
{
	char tmp[24];
	size_t n = 0, k = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (negative)
		out[k++] = '-';
	while (n > 0)
		out[k++] = tmp[--n];
	out[k] = '\0';
	return k;
}

/* Appends ns(data): "<len>:" data ",". */
static void
auditfmt_put(struct auditfmt_buf *b, const void *data, size_t n)
{
	char prefix[24];
	size_t k = auditfmt_digits(prefix, n, 0);

	prefix[k++] = ':';
	auditfmt_grow(b, k + n + 1);
	memcpy(b->p + b->len, prefix, k);
	b->len += k;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len++] = ',';
}

static void
auditfmt_put_str(struct auditfmt_buf *b, const char *s)
{
	auditfmt_put(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
auditfmt_put_int(struct auditfmt_buf *b, int64_t v)
{
	char num[24];
	size_t n = v < 0 ? auditfmt_digits(num, 0 - (uint64_t)v, 1)
	                 : auditfmt_digits(num, (uint64_t)v, 0);

	auditfmt_put(b, num, n);
}

static void
auditfmt_free(struct auditfmt_buf *b)
{
	if (b->p != NULL)
		crypt_wipe(b->p, b->len);
	if (b->p != b->small)
		free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int64_t
auditfmt_day(int64_t t)
{
	int64_t r = t % AUDITFMT_DAY;

	return t - (r < 0 ? r + AUDITFMT_DAY : r);
}

void
auditfmt_field_hash(unsigned char *out, const char *name, const char *value,
    const unsigned char *salt)
{
	struct auditfmt_buf b = {0};

	auditfmt_put_str(&b, AUDITFMT_FIELD_TAG);
	auditfmt_put_str(&b, name);
	auditfmt_put_str(&b, value);
	if (salt != NULL)
		crypt_keyed_hash(out, salt, b.p, b.len);
	else
		crypt_hash(out, b.p, b.len);
	auditfmt_free(&b);
}

void
auditfmt_time_hash(unsigned char *out, int64_t t, const unsigned char *salt)
{
	char num[24];

	if (t < 0)
		auditfmt_digits(num, 0 - (uint64_t)t, 1);
	else
		auditfmt_digits(num, (uint64_t)t, 0);
	auditfmt_field_hash(out, "time", num, salt);
}

void
auditfmt_entry_hash(unsigned char *out, const struct auditfmt_entry *e)
{
	struct auditfmt_buf b = {0};

	auditfmt_put_str(&b, AUDITFMT_ENTRY_TAG);
	auditfmt_put_int(&b, e->seq);
	auditfmt_put(&b, e->prev_hash, AUDITFMT_HASH_LEN);
	auditfmt_put_int(&b, e->redacted ? 1 : 0);
	auditfmt_put_int(&b, e->day);
	auditfmt_put_str(&b, e->role);
	auditfmt_put_str(&b, e->action);
	auditfmt_put_str(&b, e->unit);
	auditfmt_put(&b, e->time_hash, AUDITFMT_HASH_LEN);
	auditfmt_put(&b, e->case_hash, AUDITFMT_HASH_LEN);
	auditfmt_put(&b, e->actor_hash, AUDITFMT_HASH_LEN);
	auditfmt_put(&b, e->details_hash, AUDITFMT_HASH_LEN);
	crypt_hash(out, b.p, b.len);
	auditfmt_free(&b);
}

unsigned char *
auditfmt_head_message(const struct auditfmt_head *h, size_t *len)
{
	struct auditfmt_buf b = {0};
	unsigned char *msg;

	auditfmt_put_str(&b, AUDITFMT_HEAD_TAG);
	auditfmt_put_int(&b, h->from_seq);
	auditfmt_put(&b, h->prev_hash, AUDITFMT_HASH_LEN);
	auditfmt_put_int(&b, h->seq);
	auditfmt_put(&b, h->hash, AUDITFMT_HASH_LEN);
	auditfmt_put_int(&b, h->signed_at);
	*len = b.len;
	if (b.p == b.small) {
		if ((msg = malloc(b.len)) == NULL)
			abort();
		memcpy(msg, b.small, b.len);
		crypt_wipe(b.small, b.len);
		return msg;
	}
	return b.p;
}

void
auditfmt_time_text(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
auditfmt_day_text(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)auditfmt_day(t);
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%d", &tm);
}

int
auditfmt_time_parse(const char *s, int64_t *t)
{
	struct tm tm;
	char back[32];
	const char *end;
	size_t n = strlen(s);

	memset(&tm, 0, sizeof tm);
	if (n == 10)
		end = strptime(s, "%Y-%m-%d", &tm);
	else if (n == 20)
		end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		return -1;
	if (end == NULL || *end != '\0')
		return -1;
	*t = (int64_t)timegm(&tm);
	/* strptime accepts 2026-02-31; writing it back catches that. */
	if (n == 10)
		auditfmt_day_text(back, sizeof back, *t);
	else
		auditfmt_time_text(back, sizeof back, *t);
	return strcmp(back, s) == 0 ? 0 : -1;
}

int
auditfmt_unhex(unsigned char *hash, const char *hex)
{
	size_t n = strlen(hex);

	if (n != AUDITFMT_HEX_LEN)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		        (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	return crypt_unhex(hash, AUDITFMT_HASH_LEN, hex);
}
