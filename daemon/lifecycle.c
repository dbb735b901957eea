/*
 * Lifecycles: parsing "from>to" lists into a small graph, checking it,
 * and answering which transitions and outcomes it allows.
 */
#include "lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ethics Office and Inspector General (issue 5), with a state that waits
 * for information from the submitter; Ombudsperson (informal); Legal. */
static const char lifecycle_investigative[] =
    "received>acknowledged, acknowledged>assessment, "
    "acknowledged>awaiting-information, assessment>awaiting-information, "
    "awaiting-information>assessment, assessment>referred, "
    "assessment>investigation, assessment>advice-given, assessment>closed, "
    "referred>closed, advice-given>closed, investigation>closed";
static const char lifecycle_investigative_outcomes[] =
    "substantiated, unsubstantiated, advice-given, referred, withdrawn, "
    "outside-mandate";
static const char lifecycle_ombudsperson[] =
    "received>in-conversation, in-conversation>closed, received>closed";
static const char lifecycle_ombudsperson_outcomes[] =
    "resolved, not-resolved, withdrawn, referred, outside-mandate";
static const char lifecycle_legal[] =
    "received>acknowledged, acknowledged>in-review, "
    "in-review>awaiting-information, awaiting-information>in-review, "
    "in-review>closed";
static const char lifecycle_legal_outcomes[] =
    "advice-given, resolved, referred, withdrawn, outside-mandate";

static int lifecycle_fail(char **cause, const char *what, const char *name)
    __attribute__((format(printf, 2, 0)));

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
lifecycle_fail(char **cause, const char *what, const char *name)
{
	if (asprintf(cause, what, name) < 0)
		abort();
	return -1;
}
#pragma GCC diagnostic pop

static int
lifecycle_name_valid(const char *s, size_t n)
{
	if (n == 0 || n > LIFECYCLE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > 0)))
			return 0;
	return 1;
}

/* Calls each(arg, name, len) for each comma-separated name of value,
 * spaces trimmed; stops at the first -1. */
static int
lifecycle_split(const char *value,
    int (*each)(void *, const char *, size_t, char **), void *arg, char **cause)
{
	const char *p = value;

	while (*p != '\0') {
		size_t n = strcspn(p, ","), len = n;
		const char *s = p;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len > 0 && each(arg, s, len, cause) < 0)
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The index of the state, added when new; -1 when full. */
static int
lifecycle_intern(struct lifecycle *lc, const char *s, size_t n)
{
	char name[LIFECYCLE_NAME_MAX + 1];
	int i;

	snprintf(name, sizeof name, "%.*s", (int)n, s);
	if ((i = lifecycle_state(lc, name)) >= 0)
		return i;
	if (lc->nstates == LIFECYCLE_STATES_MAX)
		return -1;
	memcpy(lc->states[lc->nstates], name, sizeof name);
	return (int)lc->nstates++;
}

static int
lifecycle_add_edge(void *arg, const char *s, size_t n, char **cause)
{
	struct lifecycle *lc = arg;
	char pair[2 * LIFECYCLE_NAME_MAX + 8];
	const char *gt = memchr(s, '>', n);
	size_t fl, tl;
	const char *t;
	int f, to;

	snprintf(pair, sizeof pair, "%.*s", (int)(n < 70 ? n : 70), s);
	if (gt == NULL)
		return lifecycle_fail(
		    cause, "transition '%s': expected FROM>TO", pair);
	fl = (size_t)(gt - s);
	while (fl > 0 && s[fl - 1] == ' ')
		fl--;
	t = gt + 1;
	while (*t == ' ')
		t++;
	tl = n - (size_t)(t - s);
	if (!lifecycle_name_valid(s, fl) || !lifecycle_name_valid(t, tl))
		return lifecycle_fail(cause,
		    "transition '%s': a state is lower-case letters, digits "
		    "and '-', at most 32",
		    pair);
	f = lifecycle_intern(lc, s, fl);
	to = lifecycle_intern(lc, t, tl);
	if (f < 0 || to < 0 || lc->nedges == LIFECYCLE_EDGES_MAX)
		return lifecycle_fail(cause,
		    "transition '%s': too many states or transitions", pair);
	if (f == to)
		return lifecycle_fail(cause,
		    "transition '%s': a state cannot lead to itself", pair);
	for (size_t i = 0; i < lc->nedges; i++)
		if (lc->from[i] == f && lc->to[i] == to)
			return 0;
	lc->from[lc->nedges] = (unsigned char)f;
	lc->to[lc->nedges++] = (unsigned char)to;
	return 0;
}

int
lifecycle_parse_transitions(
    struct lifecycle *lc, const char *value, char **cause)
{
	lc->nstates = 0;
	lc->nedges = 0;
	return lifecycle_split(value, lifecycle_add_edge, lc, cause);
}

/* Appends a name to a list of names (outcomes or pause states). */
struct lifecycle_list {
	char (*items)[LIFECYCLE_NAME_MAX + 1];
	size_t *n;
	const char *what;
};

static int
lifecycle_add_name(void *arg, const char *s, size_t n, char **cause)
{
	struct lifecycle_list *l = arg;
	char name[LIFECYCLE_NAME_MAX + 1];

	snprintf(name, sizeof name, "%.*s", (int)n, s);
	if (!lifecycle_name_valid(s, n))
		return lifecycle_fail(cause,
		    "'%s': a name is lower-case letters, digits and '-', at "
		    "most 32",
		    name);
	if (*l->n == LIFECYCLE_STATES_MAX)
		return lifecycle_fail(cause, "too many %s", l->what);
	memcpy(l->items[(*l->n)++], name, sizeof name);
	return 0;
}

int
lifecycle_parse_outcomes(struct lifecycle *lc, const char *value, char **cause)
{
	struct lifecycle_list l = {lc->outcomes, &lc->noutcomes, "outcomes"};

	lc->noutcomes = 0;
	return lifecycle_split(value, lifecycle_add_name, &l, cause);
}

int
lifecycle_parse_pause(struct lifecycle *lc, const char *value, char **cause)
{
	struct lifecycle_list l = {lc->pause, &lc->npause, "pause states"};

	lc->npause = 0;
	return lifecycle_split(value, lifecycle_add_name, &l, cause);
}

void
lifecycle_default(struct lifecycle *lc, const char *unit_id)
{
	const char *t = lifecycle_investigative,
	           *o = lifecycle_investigative_outcomes,
	           *p = "awaiting-information";
	char *cause = NULL;

	memset(lc, 0, sizeof *lc);
	if (strcmp(unit_id, "ombudsperson") == 0) {
		t = lifecycle_ombudsperson;
		o = lifecycle_ombudsperson_outcomes;
		p = "";
	} else if (strcmp(unit_id, "legal") == 0) {
		t = lifecycle_legal;
		o = lifecycle_legal_outcomes;
	}
	if (lifecycle_parse_transitions(lc, t, &cause) < 0 ||
	    lifecycle_parse_outcomes(lc, o, &cause) < 0 ||
	    lifecycle_parse_pause(lc, p, &cause) < 0)
		abort(); /* the shipped lists are constants */
}

/* Marks in seen[] every state reachable from start (forward) or that can
 * reach start (backward). */
static void
lifecycle_reach(
    const struct lifecycle *lc, int start, int backward, unsigned char *seen)
{
	int stack[LIFECYCLE_STATES_MAX], top = 0;

	memset(seen, 0, LIFECYCLE_STATES_MAX);
	seen[start] = 1;
	stack[top++] = start;
	while (top > 0) {
		int s = stack[--top];
		for (size_t i = 0; i < lc->nedges; i++) {
			int a = backward ? lc->to[i] : lc->from[i];
			int b = backward ? lc->from[i] : lc->to[i];
			if (a == s && !seen[b]) {
				seen[b] = 1;
				stack[top++] = b;
			}
		}
	}
}

int
lifecycle_validate(const struct lifecycle *lc, char **cause)
{
	unsigned char fwd[LIFECYCLE_STATES_MAX], back[LIFECYCLE_STATES_MAX];
	int start = lifecycle_state(lc, LIFECYCLE_START);
	int end = lifecycle_state(lc, LIFECYCLE_END);

	if (start < 0 || end < 0)
		return lifecycle_fail(cause,
		    "transitions: the lifecycle must lead from 'received' to "
		    "'%s'",
		    LIFECYCLE_END);
	for (size_t i = 0; i < lc->nedges; i++)
		if (lc->from[i] == end)
			return lifecycle_fail(cause,
			    "transitions: '%s' is final: no transition may "
			    "leave it",
			    LIFECYCLE_END);
	for (size_t i = 0; i < lc->npause; i++) {
		int s = lifecycle_state(lc, lc->pause[i]);
		if (s < 0)
			return lifecycle_fail(cause,
			    "pause_states: unknown state '%s'", lc->pause[i]);
		if (s == start || s == end)
			return lifecycle_fail(cause,
			    "pause_states: '%s' cannot wait for the submitter",
			    lc->pause[i]);
	}
	lifecycle_reach(lc, start, 0, fwd);
	lifecycle_reach(lc, end, 1, back);
	for (size_t i = 0; i < lc->nstates; i++) {
		if (!fwd[i])
			return lifecycle_fail(cause,
			    "transitions: state '%s' is unreachable from "
			    "'received'",
			    lc->states[i]);
		if (!back[i])
			return lifecycle_fail(cause,
			    "transitions: state '%s' has no path to 'closed'",
			    lc->states[i]);
	}
	if (lc->noutcomes == 0)
		return lifecycle_fail(cause,
		    "outcomes: closing needs at least one outcome%s", "");
	return 0;
}

int
lifecycle_state(const struct lifecycle *lc, const char *name)
{
	for (size_t i = 0; i < lc->nstates; i++)
		if (strcmp(lc->states[i], name) == 0)
			return (int)i;
	return -1;
}

int
lifecycle_allowed(const struct lifecycle *lc, const char *from, const char *to)
{
	int f = lifecycle_state(lc, from), t = lifecycle_state(lc, to);

	for (size_t i = 0; f >= 0 && t >= 0 && i < lc->nedges; i++)
		if (lc->from[i] == f && lc->to[i] == t)
			return 1;
	return 0;
}

size_t
lifecycle_next(
    const struct lifecycle *lc, const char *from, const char **out, size_t max)
{
	int f = lifecycle_state(lc, from);
	size_t n = 0;

	for (size_t i = 0; f >= 0 && i < lc->nedges; i++)
		if (lc->from[i] == f) {
			if (n < max)
				out[n] = lc->states[lc->to[i]];
			n++;
		}
	return n;
}

int
lifecycle_outcome_valid(const struct lifecycle *lc, const char *outcome)
{
	for (size_t i = 0; i < lc->noutcomes; i++)
		if (strcmp(lc->outcomes[i], outcome) == 0)
			return 1;
	return 0;
}

int
lifecycle_paused(const struct lifecycle *lc, const char *state)
{
	for (size_t i = 0; i < lc->npause; i++)
		if (strcmp(lc->pause[i], state) == 0)
			return 1;
	return 0;
}
