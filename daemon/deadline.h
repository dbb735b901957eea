/*
 * Deadlines: due dates counted in working days (Monday to Friday, UTC).
 */
#ifndef MANDATE_DEADLINE_H
#define MANDATE_DEADLINE_H

#include <stdint.h>

/* The time days working days after t (weekends skipped; the time of day is
 * kept).  A start on a weekend counts from the next Monday. */
int64_t deadline_add_working_days(int64_t t, unsigned days);

/*
 * A case's deadline clock: the current stage started at started_at and
 * is due at due_at (0: the stage has no deadline); paused_at is when the
 * clock stopped (a state that waits for the submitter), 0 while it runs.
 */
struct deadline_clock {
	int64_t started_at;
	int64_t due_at;
	int64_t paused_at;
};

/*
 * Moves the clock through a transition at now: leaving a paused state
 * resumes it (the stage start and the due date move on by the time it
 * stood still); leaving "received" starts the assessment stage, due
 * assess_days working days later (0: no deadline); entering a paused
 * state stops it.
 */
void deadline_transition(struct deadline_clock *k, int leaving_received,
    int from_paused, int to_paused, unsigned assess_days, int64_t now);

/*
 * How far the clock has run at now, in percent of its stage (0 with no
 * deadline); a paused clock counts up to its pause.
 */
int deadline_percent(const struct deadline_clock *k, int64_t now);

/* Whole days past the due date at now (0 when not yet due). */
int64_t deadline_days_overdue(const struct deadline_clock *k, int64_t now);

#endif
