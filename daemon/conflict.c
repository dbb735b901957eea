/*
 * The conflict register's hashing and the check at intake: see conflict.h.
 */
#include "conflict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "norm.h"
#include "server.h"

/* Domain separation from the other blind indexes ("user:" tags). */
#define CONFLICT_PREFIX "subject:"

int
conflict_name_hash(const struct server *srv, const char *name, size_t len,
    unsigned char *out, char **cause)
{
	char *words = NULL, *buf;
	size_t wlen = 0, blen;

	if (norm_text_words(name, len, &words, &wlen, cause) < 0)
		return -1;
	if (wlen == 0) {
		free(words);
		return 0;
	}
	blen = sizeof CONFLICT_PREFIX - 1 + wlen;
	if ((buf = malloc(blen)) == NULL)
		abort();
	memcpy(buf, CONFLICT_PREFIX, sizeof CONFLICT_PREFIX - 1);
	memcpy(buf + sizeof CONFLICT_PREFIX - 1, words, wlen);
	crypt_keyed_hash(out, srv->index_key, buf, blen);
	crypt_wipe(buf, blen);
	crypt_wipe(words, wlen);
	free(buf);
	free(words);
	return 1;
}

int
conflict_subjects_hash(const struct server *srv, const json_t *subjects,
    struct conflict_subjects *out, char **cause)
{
	size_t i;
	json_t *item;

	out->n = 0;
	if (subjects == NULL)
		return 0;
	json_array_foreach(subjects, i, item)
	{
		if (out->n == MANDATE_SUBJECTS_MAX)
			break;
		switch (conflict_name_hash(srv, json_string_value(item),
		    json_string_length(item), out->hash[out->n], cause)) {
		case -1:
			return -1;
		case 1:
			out->n++; /* a name without words matches nothing */
		}
	}
	return 0;
}

/* 1 when officer o has a conflict with one of subj, 0 not, -1 error. */
static int
conflict_officer_has(struct server *srv, const struct conflict_subjects *subj,
    const struct db_officer *o, char **cause)
{
	int r;

	for (size_t i = 0; i < subj->n; i++)
		if ((r = db_conflict_has(
		         srv->db, o->id, subj->hash[i], cause)) != 0)
			return r;
	return 0;
}

ssize_t
conflict_filter_officers(struct server *srv,
    const struct conflict_subjects *subj, struct db_officer *officers, size_t n,
    char **cause)
{
	size_t kept = 0;
	int r;

	for (size_t i = 0; i < n; i++) {
		if ((r = conflict_officer_has(srv, subj, &officers[i], cause)) <
		    0)
			return -1;
		if (r == 0)
			officers[kept++] = officers[i];
	}
	return (ssize_t)kept;
}
