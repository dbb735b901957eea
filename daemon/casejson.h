/*
 * The case JSON of DESIGN.md: strict validation of a submission (or a
 * dry-run routing input) into borrowed views of its fields, and the JSON
 * form of a case's metadata.
 */
#ifndef MANDATE_CASEJSON_H
#define MANDATE_CASEJSON_H

#include <stddef.h>

#include "json.h"
#include "mandate/errors.h"

struct config;
struct db_case;

/* Views into the parsed JSON object: valid while it lives. */
struct case_input {
	const char *title;
	size_t title_len;
	const char *narrative;
	size_t narrative_len;
	const char *category;       /* NULL when absent or null */
	const char *subject_office; /* NULL when absent or null */
	const char *language;       /* NULL when absent or null */
	int anonymous;
	json_t *subjects; /* borrowed array of strings, or NULL */
	int has_receipt;  /* the client derived a receipt of its own: */
	unsigned char receipt_lookup[32];   /* its lookup hash, */
	unsigned char receipt_verifier[32]; /* the hash of its authenticator */
	unsigned char receipt_pk[32];       /* and its public key */
	const char *id; /* dry-run routing only: echoed back */
};

struct case_error {
	enum mandate_err err;
	const char *field;
	char message[160];
};

/*
 * Validates obj as case JSON: unknown fields, wrong types, empty or oversize
 * values, unknown category or unit are refused.  allow_id accepts the "id"
 * of dry-run routing input.  Returns 0 with *out filled, or -1 with *err
 * naming the first problem.
 */
int casejson_parse(const json_t *obj, const struct config *cfg, int allow_id,
    struct case_input *out, struct case_error *err)
    __attribute__((warn_unused_result));

/* The metadata of a case as a JSON object (new reference). */
json_t *casejson_metadata(const struct db_case *c);

#endif
