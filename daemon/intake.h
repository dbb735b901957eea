/*
 * Intake: route a validated case, encrypt its content under a fresh case
 * key, seal that key to every officer of the destination unit, and store
 * it all in one transaction.  The plaintext and the case key are wiped
 * before intake returns, whatever the outcome.
 */
#ifndef MANDATE_INTAKE_H
#define MANDATE_INTAKE_H

#include "casejson.h"
#include "db.h"
#include "rules.h"

struct server;
struct identity;

struct intake_result {
	struct db_case c;
	struct rules_decision decision;
	/* The receipt, when the daemon drew it (the client did not send one
	 * of its own): shown once in the reply, stored nowhere. */
	char receipt[CRYPT_RECEIPT_TEXT_LEN + 1];
};

/* A submission's idempotency key and request, as keyed hashes. */
struct intake_idem {
	unsigned char key_hash[CRYPT_HASH_LEN];
	unsigned char body_hash[CRYPT_HASH_LEN];
};

/*
 * Takes in one case for who at time now; with idem, records its
 * idempotency key in the same transaction.  Returns 0 with *out filled (clear
 * out->decision with rules_decision_clear()), or -1 with *err set to the
 * error the caller should answer (and *cause to a log message for
 * internal errors, caller frees).
 */
int intake_submit(struct server *srv, const struct identity *who,
    const struct case_input *in, const struct intake_idem *idem, int64_t now,
    struct intake_result *out, struct case_error *err, char **cause)
    __attribute__((warn_unused_result));

/* The blind index of a user's cases under the daemon's index key. */
void intake_submitter_tag(
    const struct server *srv, const char *user, unsigned char *tag);

#endif
