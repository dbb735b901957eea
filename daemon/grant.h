/*
 * What the two grant endpoints share: who grants to whom in which unit.
 * An officer's client grants a newcomer the unit's open cases by sealing
 * each case key it holds to the newcomer's public key, in batches.
 */
#ifndef MANDATE_GRANT_H
#define MANDATE_GRANT_H

#include "db.h"
#include "routes.h"

#define GRANT_BATCH_MAX 100

struct grant_parties {
	char unit[33];
	struct db_officer holder;   /* the caller's row in unit */
	struct db_officer newcomer; /* the grantee's row in unit */
};

/*
 * Resolves unit (NULL: the caller's only unit) and user (the newcomer,
 * an officer of that unit who is not the caller) into *p.  0, or -1
 * after replying (400 without a unit when the caller has several, 403
 * when the caller is no officer of it, 404 when user is not).
 */
int grant_parties(struct request *req, struct response *res, const char *unit,
    const char *user, struct grant_parties *p)
    __attribute__((warn_unused_result));

#endif
