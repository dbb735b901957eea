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

/* The escalation ladder's thresholds, as the bits a case keeps of those
 * already raised in its current stage (the cases table's escalated). */
#define DEADLINE_URGENT 1
#define DEADLINE_WARN 2    /* 80 % of the stage */
#define DEADLINE_OVERDUE 4 /* 100 %: due */
#define DEADLINE_WARN_PERCENT 80

/*
 * The threshold to raise now for a case whose clock is k, with the bits
 * in marked already raised: DEADLINE_URGENT first (an urgent case is
 * escalated at once, whatever its clock), else the highest of
 * DEADLINE_OVERDUE and DEADLINE_WARN reached and not yet raised (a clock
 * that passed both since the last look raises only the overdue one, and
 * *bits gets both so that the warning is never raised after it), else 0.
 * *bits receives the bits to mark with it.  Pure.
 */
int deadline_threshold(const struct deadline_clock *k, int urgent, int marked,
    int64_t now, int *bits);

/* The name of a threshold, as the escalation command sees it: "urgent",
 * "80" or "100". */
const char *deadline_threshold_name(int threshold);

#endif
