/*
 * Offline verification of an audit export (JSON lines or CSV, as
 * `mandate audit export` saves it): every entry's hash is recomputed from
 * its fields with the canonical encoding (auditfmt.h), every link to the
 * previous entry checked, every signed head and the final seal checked
 * against the daemon's Ed25519 key.  The first fault is named: the entry
 * it breaks, and why.
 */
#ifndef MANDATE_CLIENT_AUDITV_H
#define MANDATE_CLIENT_AUDITV_H

#include <stdint.h>
#include <stdio.h>

struct auditv_result {
	int ok;             /* every check held */
	int64_t broken_seq; /* the first broken entry's seq (0: none) */
	unsigned long line; /* the line of the file where it shows */
	char reason[256];   /* why, when not ok */
	int64_t first_seq;  /* the range the export covers */
	int64_t last_seq;
	int64_t entries;
	int64_t redacted;     /* Ombudsperson entries among them */
	int64_t heads;        /* signed heads checked, the seal included */
	char fingerprint[48]; /* of the key the signatures were checked with */
	int key_from_export;  /* that key came from the export itself */
	char sealed_at[24];
};

/*
 * Verifies the export read from f with the public key pk
 * (CRYPT_SIGN_PK_LEN bytes), or, when pk is NULL, with the key the export
 * names (which proves only that the export is whole, not who made it).
 * Returns 0 with *r filled (r->ok says whether it verified), or -1 with
 * *cause set when f cannot be read.
 */
int auditv_verify(FILE *f, const unsigned char *pk, struct auditv_result *r,
    char **cause) __attribute__((warn_unused_result));

#endif
