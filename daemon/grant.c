/*
 * Who grants to whom: see grant.h.
 */
#include "grant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "server.h"
#include "work.h"

int
grant_parties(struct request *req, struct response *res, const char *unit,
    const char *user, struct grant_parties *p)
{
	const struct db_officer *me;
	struct db_officer *rows = NULL;
	char *cause = NULL;
	ssize_t n;

	memset(p, 0, sizeof *p);
	if (user == NULL)
		return reply_error(
		           res, MANDATE_ERR_MISSING_FIELD, "user", NULL),
		       -1;
	if (unit == NULL && req->who.nofficers != 1)
		return reply_error(res, MANDATE_ERR_MISSING_FIELD, "unit",
		           "you are an officer of several units: name one"),
		       -1;
	if (unit == NULL)
		unit = req->who.officers[0].unit;
	if ((me = identity_officer(&req->who, unit)) == NULL)
		return reply_error(res, MANDATE_ERR_FORBIDDEN, "unit",
		           "you are not an officer of this unit"),
		       -1;
	p->holder = *me;
	snprintf(p->unit, sizeof p->unit, "%s", unit);
	if ((n = db_officer_of_user(req->srv->db, user, &rows, &cause)) < 0)
		return work_internal(res, cause), -1;
	for (ssize_t i = 0; i < n; i++)
		if (strcmp(rows[i].unit, unit) == 0)
			p->newcomer = rows[i];
	free(rows);
	if (p->newcomer.id == 0 || p->newcomer.id == me->id)
		return reply_error(res, MANDATE_ERR_NOT_FOUND, "user",
		           "not another officer of this unit: enrol them "
		           "first (mandate officers add)"),
		       -1;
	return 0;
}
