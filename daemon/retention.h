/*
 * Retention and legal hold.  Each unit keeps a closed case for its
 * configured retention_days; then a daily timer crypto-shreds it: every
 * sealed copy of its key (officers' and the submitter's), its content,
 * thread and attachments are deleted (secure_delete is on and the WAL is
 * truncated after), leaving a content-free tombstone of metadata where
 * the unit allows one (never for a unit whose auditors see only counts:
 * there the case and the clear fields of its audit entries go too).  Each
 * purge is an audit entry in the purge's transaction.  A case under legal
 * hold is never purged; an officer of the RETENTION_HOLD_UNIT or an
 * administrator places and lifts holds.
 */
#ifndef MANDATE_RETENTION_H
#define MANDATE_RETENTION_H

#include <stdint.h>

struct server;
struct request;
struct response;

/* The unit whose officers may place legal holds (Legal Affairs). */
#define RETENTION_HOLD_UNIT "legal"

/*
 * Purges every closed case whose retention ran out by now, one
 * transaction each.  Returns the number purged, or -1 with *cause set
 * (the cases purged before the error stay purged).
 */
int retention_purge(struct server *srv, int64_t now, char **cause)
    __attribute__((warn_unused_result));

/* The daily timer's callback (arg: the server): purges and logs. */
void retention_tick(void *arg);

/*
 * POST (place nonzero) or DELETE /v1/cases/{id}/hold for req: checks who
 * may, records the change and its audit entry in one transaction, and
 * fills res.  Returns 0.
 */
int retention_hold(struct request *req, struct response *res, int place);

#endif
