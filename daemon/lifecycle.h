/*
 * A unit's case lifecycle as data: its states, the transitions allowed
 * between them, the outcomes a closing may record, and the states that
 * wait for the submitter (deadline clocks pause there).  Parsed from the
 * configuration ([unit.ID] transitions, outcomes, pause_states) and
 * checked whole: every state reachable from "received", "closed"
 * reachable from every state.  Pure: no I/O.
 */
#ifndef MANDATE_LIFECYCLE_H
#define MANDATE_LIFECYCLE_H

#include <stddef.h>

#define LIFECYCLE_STATES_MAX 16
#define LIFECYCLE_EDGES_MAX 64
#define LIFECYCLE_OUTCOMES_MAX 16
#define LIFECYCLE_NAME_MAX 32

#define LIFECYCLE_START "received"
#define LIFECYCLE_END "closed"

struct lifecycle {
	char states[LIFECYCLE_STATES_MAX][LIFECYCLE_NAME_MAX + 1];
	size_t nstates;
	unsigned char from[LIFECYCLE_EDGES_MAX], to[LIFECYCLE_EDGES_MAX];
	size_t nedges;
	char outcomes[LIFECYCLE_OUTCOMES_MAX][LIFECYCLE_NAME_MAX + 1];
	size_t noutcomes;
	char pause[LIFECYCLE_STATES_MAX][LIFECYCLE_NAME_MAX + 1];
	size_t npause;
};

/*
 * Fills lc with the shipped lifecycle of unit id: Ethics and Inspector
 * General, Ombudsperson, Legal Affairs; any other unit gets the Ethics
 * one.  Always succeeds.
 */
void lifecycle_default(struct lifecycle *lc, const char *unit_id);

/*
 * Replaces the states and transitions of lc with value, a comma-separated
 * list of "from>to" pairs.  Returns 0, or -1 with *cause set (caller
 * frees) naming the faulty pair.
 */
int lifecycle_parse_transitions(
    struct lifecycle *lc, const char *value, char **cause);

/* Replaces the outcomes (comma-separated names).  0, or -1 with *cause. */
int lifecycle_parse_outcomes(
    struct lifecycle *lc, const char *value, char **cause);

/* Replaces the pause states (comma-separated; may be empty).  0 or -1. */
int lifecycle_parse_pause(
    struct lifecycle *lc, const char *value, char **cause);

/*
 * Checks lc whole: "received" and "closed" exist, "closed" has no way
 * out, pause states are states of the lifecycle (and neither end),
 * every state is reachable from "received" and can reach "closed", and
 * there is at least one outcome.  Returns 0, or -1 with *cause set.
 */
int lifecycle_validate(const struct lifecycle *lc, char **cause);

/* The index of state name, or -1 when lc has no such state. */
int lifecycle_state(const struct lifecycle *lc, const char *name);

/* Nonzero when lc allows from -> to. */
int lifecycle_allowed(
    const struct lifecycle *lc, const char *from, const char *to);

/*
 * The states reachable in one step from state from: up to max borrowed
 * names in out; returns how many there are.
 */
size_t lifecycle_next(
    const struct lifecycle *lc, const char *from, const char **out, size_t max);

/* Nonzero when outcome is one of lc's outcomes. */
int lifecycle_outcome_valid(const struct lifecycle *lc, const char *outcome);

/* Nonzero when state waits for the submitter (its deadline clock pauses). */
int lifecycle_paused(const struct lifecycle *lc, const char *state);

#endif
