/*
 * Routing a case with compiled rules.  The title and the narrative are
 * each scanned once, word by word, against the whole dictionary; the
 * rules are then evaluated in order against what was found, and recusal
 * is applied to the destination of the rule that fired.
 *
 * A word or phrase found inside a longer listed phrase does not count on
 * its own: in "conflict of interest", "conflict" alone is not found when
 * "conflict of interest" is listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"

#define RULES_ACTIVE_MAX 256  /* phrases being followed at once */
#define RULES_SPANS_MAX 65536 /* matches kept per scanned field */
#define RULES_LOOKUP_MAX 80   /* patterns a text word can match */
#define RULES_CATEGORY_UNKNOWN 0xfffffffeu
#define RULES_EMITTED 0x80 /* in seen[]: already in the decision */

struct rules_span {
	uint32_t term;
	uint32_t start, end; /* word positions, end included */
};

/* A term found, and where: one entry per term and scope. */
struct rules_hit {
	uint32_t term;
	unsigned int scope;
};

struct rules_active {
	uint32_t node;
	uint32_t start;
};

/* Scratch for one route; nothing in it outlives rules_route(). */
struct rules_state {
	const struct rules *r;
	uint32_t category; /* index, RULES_CATEGORY_NONE or _UNKNOWN */
	uint32_t subject;  /* unit index or RULES_SUBJECT_* */
	uint8_t *found;    /* per list: scopes it was found in */
	uint8_t *contrib;  /* per list: scopes that explain the decision */
	uint8_t *seen;     /* per term: scopes already in order[] */
	struct rules_hit *order; /* terms in the order found */
	size_t norder, caporder;
	struct rules_span *spans;
	size_t nspans, capspans;
	struct rules_active act[2][RULES_ACTIVE_MAX];
};

static int
rules_match_span(
    struct rules_state *st, uint32_t term, uint32_t start, uint32_t end)
{
	struct rules_span *s;

	if (st->nspans >= RULES_SPANS_MAX)
		return 0;
	if (rules_grow(&st->spans, &st->capspans, st->nspans + 1,
	        sizeof(*st->spans)) == -1)
		return -1;
	s = &st->spans[st->nspans++];
	s->term = term;
	s->start = start;
	s->end = end;
	return 0;
}

/* Follows every phrase in progress, and new ones, along the patterns of
 * the word at pos.  Returns the number of phrases still in progress. */
static size_t
rules_match_step(struct rules_state *st, const struct rules_active *old,
    size_t nold, struct rules_active *cur, const uint32_t *pats, size_t npats,
    uint32_t pos, int *err)
{
	const struct rules_dict *d = &st->r->dict;
	size_t i, j, n = 0;
	uint32_t node, start;
	int32_t child;

	for (i = 0; i <= nold; i++) {
		node = i < nold ? old[i].node : 0;
		start = i < nold ? old[i].start : pos;
		for (j = 0; j < npats; j++) {
			child = rules_dict_step(d, node, pats[j]);
			if (child == RULES_NONE)
				continue;
			if (n < RULES_ACTIVE_MAX) {
				cur[n].node = (uint32_t)child;
				cur[n++].start = start;
			}
			if (d->fterm[child] != RULES_NONE &&
			    rules_match_span(st, (uint32_t)d->fterm[child],
			        start, pos) == -1)
				*err = 1;
		}
	}
	return n;
}

/* Whether span i lies inside a longer span. */
static int
rules_match_covered(const struct rules_state *st, size_t i)
{
	const struct rules_span *s = &st->spans[i], *o;
	size_t j;

	for (j = i; j > 0 && st->spans[j - 1].end == s->end; j--)
		;
	for (; j < st->nspans; j++) {
		o = &st->spans[j];
		if (o->end > s->end + RULES_PHRASE_MAX)
			break;
		if (o->start <= s->start && o->end >= s->end &&
		    o->end - o->start > s->end - s->start)
			return 1;
	}
	return 0;
}

/* Marks the lists of the spans that no longer span covers. */
static int
rules_match_mark(struct rules_state *st, unsigned int scope)
{
	const struct rules_term *t;
	struct rules_hit *o;
	size_t i, k;

	for (i = 0; i < st->nspans; i++) {
		if (rules_match_covered(st, i))
			continue;
		t = &st->r->dict.terms[st->spans[i].term];
		for (k = 0; k < t->nlists; k++)
			st->found[t->lists[k]] |= (uint8_t)scope;
		if (st->seen[st->spans[i].term] & scope)
			continue;
		st->seen[st->spans[i].term] |= (uint8_t)scope;
		if (rules_grow(&st->order, &st->caporder, st->norder + 1,
		        sizeof(*st->order)) == -1)
			return -1;
		o = &st->order[st->norder++];
		o->term = st->spans[i].term;
		o->scope = scope;
	}
	return 0;
}

/* Scans one field of the case for listed words and phrases. */
static int
rules_match_scan(
    struct rules_state *st, const char *text, size_t len, unsigned int scope)
{
	uint32_t pats[RULES_LOOKUP_MAX], pos = 0;
	struct norm_scanner sc;
	struct norm_token tok;
	size_t nact = 0, npats;
	int cur = 0, err = 0;

	st->nspans = 0;
	if (text == NULL)
		return 0;
	norm_scanner_init(&sc, text, len, &st->r->norm);
	while (norm_token_next(&sc, &tok)) {
		npats = rules_dict_lookup(
		    &st->r->dict, &tok, pats, RULES_LOOKUP_MAX);
		if (npats == 0)
			nact = 0;
		else
			nact = rules_match_step(st, st->act[cur], nact,
			    st->act[!cur], pats, npats, pos, &err);
		cur = !cur;
		if (pos < UINT32_MAX - RULES_PHRASE_MAX)
			pos++;
	}
	if (err)
		return -1;
	return rules_match_mark(st, scope);
}

static int
rules_match_eval(const struct rules_state *st, const struct rules_cond *c)
{
	const struct rules *r = st->r;
	const uint32_t *v = r->idx + c->first;
	uint32_t i;

	for (i = 0; i < c->count; i++) {
		switch (c->kind) {
		case RULES_COND_ALL:
			if (!rules_match_eval(st, &r->conds[v[i]]))
				return 0;
			break;
		case RULES_COND_ANY:
			if (rules_match_eval(st, &r->conds[v[i]]))
				return 1;
			break;
		case RULES_COND_NOT:
			return !rules_match_eval(st, &r->conds[v[i]]);
		case RULES_COND_CATEGORY:
			if (v[i] == st->category)
				return 1;
			break;
		case RULES_COND_SUBJECT:
			if (v[i] == st->subject)
				return 1;
			break;
		case RULES_COND_WORDS:
			if (st->found[v[i]] & c->scope)
				return 1;
			break;
		}
	}
	return c->kind == RULES_COND_ALL;
}

/* Marks the lists whose words made a true condition true. */
static void
rules_match_explain(struct rules_state *st, const struct rules_cond *c)
{
	const struct rules *r = st->r;
	const uint32_t *v = r->idx + c->first;
	uint32_t i;

	for (i = 0; i < c->count; i++) {
		switch (c->kind) {
		case RULES_COND_ALL:
		case RULES_COND_ANY:
			if (rules_match_eval(st, &r->conds[v[i]]))
				rules_match_explain(st, &r->conds[v[i]]);
			break;
		case RULES_COND_WORDS:
			st->contrib[v[i]] |= st->found[v[i]] & c->scope;
			break;
		default:
			break;
		}
	}
}

static void
rules_match_case(struct rules_state *st, const struct rules_case *c)
{
	const struct rules *r = st->r;
	int i;

	st->category = RULES_CATEGORY_NONE;
	if (c->category != NULL && c->category[0] != '\0') {
		i = rules_category_index(c->category, strlen(c->category));
		st->category = i >= 0 ? (uint32_t)i : RULES_CATEGORY_UNKNOWN;
	}
	st->subject = RULES_SUBJECT_NONE;
	if (c->subject_office != NULL && c->subject_office[0] != '\0') {
		i = rules_unit_index(
		    r, c->subject_office, strlen(c->subject_office));
		st->subject = i >= 0 ? (uint32_t)i : RULES_SUBJECT_OTHER;
	}
}

/* Fills out->matched with the terms that explain the decision. */
static int
rules_match_words(struct rules_state *st, struct rules_decision *out)
{
	const struct rules_term *t;
	const struct rules_hit *o;
	size_t i, k;

	if (st->norder == 0)
		return 0;
	if ((out->matched = calloc(st->norder, sizeof(*out->matched))) == NULL)
		return -1;
	for (i = 0; i < st->norder; i++) {
		o = &st->order[i];
		t = &st->r->dict.terms[o->term];
		if (st->seen[o->term] & RULES_EMITTED)
			continue;
		for (k = 0; k < t->nlists; k++)
			if (st->contrib[t->lists[k]] & o->scope)
				break;
		if (k == t->nlists)
			continue;
		if ((out->matched[out->nmatched] = strdup(t->display)) == NULL)
			return -1;
		out->nmatched++;
		st->seen[o->term] |= RULES_EMITTED;
	}
	return 0;
}

/* Evaluates the rules in order; returns the one that routes, or NULL. */
static const struct rules_rule *
rules_match_rules(struct rules_state *st, struct rules_decision *out)
{
	const struct rules *r = st->r;
	const struct rules_rule *rule;
	size_t i;

	for (i = 0; i < r->nrules; i++) {
		rule = &r->rules[i];
		if (rule->cond != RULES_NONE &&
		    !rules_match_eval(st, &r->conds[rule->cond]))
			continue;
		if (rule->cond != RULES_NONE)
			rules_match_explain(st, &r->conds[rule->cond]);
		if (rule->urgent)
			out->urgent = 1;
		if (rule->unit != RULES_NONE)
			return rule;
	}
	return NULL;
}

static int
rules_match_decide(struct rules_state *st, const struct rules_case *c,
    struct rules_decision *out, char **cause)
{
	const struct rules *r = st->r;
	const struct rules_rule *rule;
	int32_t unit;

	if (rules_match_scan(st, c->title, c->title_len, RULES_SCOPE_TITLE) ==
	        -1 ||
	    rules_match_scan(st, c->narrative, c->narrative_len,
	        RULES_SCOPE_NARRATIVE) == -1)
		goto nomem;
	if ((rule = rules_match_rules(st, out)) == NULL) {
		*cause = strdup("no rule matches the case");
		return -1;
	}
	unit = rule->unit;
	snprintf(out->rule, sizeof(out->rule), "%s", rule->name);
	if (st->subject == (uint32_t)unit && r->recusal[unit].name != NULL) {
		out->recused = 1;
		snprintf(out->recusal_rule, sizeof(out->recusal_rule), "%s",
		    r->recusal[unit].name);
		unit = r->recusal[unit].alternate;
	}
	snprintf(out->unit, sizeof(out->unit), "%s", r->units[unit]);
	if (rules_match_words(st, out) == -1)
		goto nomem;
	return 0;
nomem:
	*cause = strdup("out of memory");
	return -1;
}

int
rules_route(const struct rules *r, const struct rules_case *c,
    struct rules_decision *out, char **cause)
{
	struct rules_state *st;
	uint8_t *bytes;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	*cause = NULL;
	st = calloc(1, sizeof(*st));
	bytes = calloc(r->nlists * 2 + r->dict.nterms + 1, 1);
	if (st == NULL || bytes == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	st->r = r;
	st->found = bytes;
	st->contrib = bytes + r->nlists;
	st->seen = bytes + r->nlists * 2;
	rules_match_case(st, c);
	rc = rules_match_decide(st, c, out, cause);
out:
	if (rc == -1)
		rules_decision_clear(out);
	if (st != NULL) {
		free(st->order);
		free(st->spans);
	}
	free(st);
	free(bytes);
	return rc;
}

void
rules_decision_clear(struct rules_decision *d)
{
	size_t i;

	for (i = 0; i < d->nmatched; i++)
		free(d->matched[i]);
	free(d->matched);
	memset(d, 0, sizeof(*d));
}
