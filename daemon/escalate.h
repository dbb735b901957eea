/*
 * Deadline alerts: a timer (every ESCALATE_EVERY seconds, the first one a
 * second after start) finds open cases whose clock reached 80 % or 100 % of the
 * current stage, and urgent cases not yet escalated; marks each threshold once
 * on the case, with an audit entry in the same transaction, then runs
 * the configured escalation command (fork + execve, no shell) with only
 * the case id, unit, state, threshold and days overdue in its
 * environment: never content, never a submitter.  Units with
 * escalate = no (the Ombudsperson's) are marked but run nothing: their
 * alerts never leave the unit.
 */
#ifndef MANDATE_ESCALATE_H
#define MANDATE_ESCALATE_H

#include <stdint.h>

struct server;

#define ESCALATE_EVERY 60    /* seconds between two looks */
#define ESCALATE_BATCH 32    /* cases marked per look, at most */
#define ESCALATE_CHILDREN 16 /* commands running at once, at most */

/*
 * Marks (and escalates) every case that needs it at now, up to
 * ESCALATE_BATCH, each in its own transaction.  Returns the number of
 * thresholds marked, or -1 with *cause set (the marks made before the
 * error stay).
 */
int escalate_run(struct server *srv, int64_t now, char **cause)
    __attribute__((warn_unused_result));

/* The timer's callback (arg: the server): reaps finished commands, then
 * escalate_run() at server_now(); logs failures. */
void escalate_tick(void *arg);

/* Commands started and not yet reaped. */
unsigned escalate_running(void);

#endif
