/*
 * The conflict register: an administrator records that an officer may
 * not read cases about a name.  Names are never stored in clear: each is
 * normalised (norm_text_words()) and kept as a keyed BLAKE2b under the
 * daemon's index key, in the register and in the blind index of each
 * case's subjects (filled at intake), so that intake leaves conflicted
 * officers out of the sealed copies and a later entry finds the cases it
 * concerns.  Whoever holds the index key can test a guessed name against
 * both; without it the hashes say nothing (README, "Conflict register").
 */
#ifndef MANDATE_CONFLICT_H
#define MANDATE_CONFLICT_H

#include <stddef.h>
#include <sys/types.h>

#include "crypt.h"
#include "json.h"
#include "mandate/api.h"

struct server;
struct db_officer;

/* The blind index of a case's subjects. */
struct conflict_subjects {
	unsigned char hash[MANDATE_SUBJECTS_MAX][CRYPT_HASH_LEN];
	size_t n;
};

/*
 * The keyed hash of name (len bytes of UTF-8) once normalised, in out
 * (CRYPT_HASH_LEN bytes).  Returns 1, 0 (out untouched) when the name
 * has no word in it, or -1 with *cause set.
 */
int conflict_name_hash(const struct server *srv, const char *name, size_t len,
    unsigned char *out, char **cause) __attribute__((warn_unused_result));

/* The hashes of subjects (a validated array of strings, or NULL) into
 * out.  0, or -1 with *cause set. */
int conflict_subjects_hash(const struct server *srv, const json_t *subjects,
    struct conflict_subjects *out, char **cause)
    __attribute__((warn_unused_result));

/*
 * Removes from officers (n of them, compacted in place, order kept) those
 * with a conflict with one of subj.  Returns how many remain, or -1 with
 * *cause set.
 */
ssize_t conflict_filter_officers(struct server *srv,
    const struct conflict_subjects *subj, struct db_officer *officers, size_t n,
    char **cause) __attribute__((warn_unused_result));

#endif
