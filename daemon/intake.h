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
};

/*
 * Takes in one case for who at time now.  Returns 0 with *out filled (clear
 * out->decision with rules_decision_clear()), or -1 with *err set to the
 * error the caller should answer (and *cause to a log message for
 * internal errors, caller frees).
 */
int intake_submit(struct server *srv, const struct identity *who,
    const struct case_input *in, int64_t now, struct intake_result *out,
    struct case_error *err, char **cause) __attribute__((warn_unused_result));

#endif
