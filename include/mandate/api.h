/*
 * What the daemon and the client agree on: versions, default paths, the
 * limits of the case JSON, the vocabulary of categories, and key sizes.
 */
#ifndef MANDATE_API_H
#define MANDATE_API_H

#include <stddef.h>

#define MANDATE_VERSION "0.1.0"
#define MANDATE_API_VERSION 1
#define MANDATE_API_PREFIX "/v1"

#define MANDATE_DEFAULT_SOCKET "/run/mandated/mandated.sock"
#define MANDATE_DEFAULT_STATE_DIR "/var/lib/mandated"
#define MANDATE_DEFAULT_CONFIG "/etc/mandate/mandated.conf"

/* Case JSON limits (DESIGN.md, "Case JSON"). */
#define MANDATE_TITLE_MAX_CHARS 200
#define MANDATE_NARRATIVE_MAX_BYTES (64 * 1024)
#define MANDATE_SUBJECTS_MAX 10
#define MANDATE_SUBJECT_MAX_CHARS 200
#define MANDATE_LANGUAGE_MAX_BYTES 35
#define MANDATE_USER_MAX_BYTES 64
#define MANDATE_UNIT_ID_MAX_BYTES 32

/* Case ids: CASE_ID_GROUPS groups of CASE_ID_GROUP characters from an
 * alphabet with no look-alikes, joined by '-': "K7QM-3XRD". */
#define MANDATE_CASE_ID_ALPHABET "23456789ABCDEFGHJKMNPQRSTVWXYZ"
#define MANDATE_CASE_ID_GROUP 4
#define MANDATE_CASE_ID_GROUPS 2
#define MANDATE_CASE_ID_LEN                               \
	(MANDATE_CASE_ID_GROUP * MANDATE_CASE_ID_GROUPS + \
	    MANDATE_CASE_ID_GROUPS - 1)

/* The seven categories of DESIGN.md. */
#define MANDATE_CATEGORIES(X)     \
	X("misconduct")           \
	X("fraud")                \
	X("retaliation")          \
	X("workplace-dispute")    \
	X("conflict-of-interest") \
	X("data-protection")      \
	X("legal")

/* Nonzero when s names one of the seven categories. */
int mandate_category_valid(const char *s);

/* Nonzero when s is a valid case id (shape only, not existence). */
int mandate_case_id_valid(const char *s);

#endif
