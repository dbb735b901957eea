/*
 * The rules file parser: reads the language described in rules/LANGUAGE.md
 * line by line into the compiled form of rules-int.h, stopping at the first
 * error with its "FILE:LINE:COLUMN: message".  Stanzas start at the first
 * column of a line and go on over the indented lines below; word lists are
 * compiled into the dictionary as they are read (rules-lex.c), rule and
 * recusal stanzas are cut into tokens (rules-lex.c) and parsed here when
 * the stanza ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-parse.h"

static const char *const rules_reserved[] = {"alternate", "and", "category",
    "flag", "has", "is", "narrative", "none", "not", "or", "other", "route",
    "subject", "text", "title", "unit", "when"};

/* Pushes a condition part for the parent being parsed. */
static int
rules_stack_push(struct rules_parser *p, uint32_t v)
{
	if (rules_grow(&p->stack, &p->capstack, p->nstack + 1,
	        sizeof(*p->stack)) == -1)
		return -1;
	p->stack[p->nstack++] = v;
	return 0;
}

/* Makes a condition node owning the stack entries from mark up. */
static int32_t
rules_cond_new(struct rules_parser *p, const struct rules_tok *at,
    enum rules_cond_kind kind, unsigned int scope, size_t mark)
{
	struct rules *r = p->r;
	size_t n = p->nstack - mark;
	struct rules_cond *c;

	if (++p->nconds > RULES_CONDS_MAX)
		return rules_parse_fail(p, at->lineno, at->col,
		    "condition too long (more than %d parts)", RULES_CONDS_MAX);
	if (rules_grow(&r->conds, &r->capconds, r->nconds + 1,
	        sizeof(*r->conds)) == -1 ||
	    rules_grow(&r->idx, &r->capidx, r->nidx + n, sizeof(*r->idx)) == -1)
		return rules_parse_fail(
		    p, at->lineno, at->col, "out of memory");
	c = &r->conds[r->nconds];
	c->kind = kind;
	c->scope = scope;
	c->first = (uint32_t)r->nidx;
	c->count = (uint32_t)n;
	if (n > 0)
		memcpy(r->idx + r->nidx, p->stack + mark, n * sizeof(*r->idx));
	r->nidx += n;
	p->nstack = mark;
	return (int32_t)r->nconds++;
}

static int32_t rules_parse_expr(struct rules_parser *p, size_t depth);

/* "has" followed by list names and quoted words, separated by commas. */
static int32_t
rules_parse_words(
    struct rules_parser *p, const struct rules_tok *at, unsigned int scope)
{
	const struct rules_tok *t;
	size_t mark = p->nstack;
	int32_t list;

	do {
		t = rules_tok_take(p);
		if (t->kind == RULES_TOK_NAME) {
			list = rules_list_find(p->r, t->line + t->off, t->len);
			if (list == RULES_NONE)
				return rules_parse_fail(p, t->lineno, t->col,
				    "unknown word list '%.*s'", (int)t->len,
				    t->line + t->off);
		} else if (t->kind == RULES_TOK_STRING) {
			if ((list = rules_list_new(p, t, NULL)) == -1 ||
			    rules_parse_entry(p, t->line, t->off,
			        t->off + t->len, (uint32_t)list) == -1)
				return -1;
		} else {
			return rules_tok_fail(
			    p, t, "a word list or a quoted word");
		}
		if (rules_stack_push(p, (uint32_t)list) == -1)
			return rules_parse_fail(
			    p, t->lineno, t->col, "out of memory");
	} while (rules_tok_peek(p)->kind == RULES_TOK_COMMA &&
	         rules_tok_take(p) != NULL);
	return rules_cond_new(p, at, RULES_COND_WORDS, scope, mark);
}

/* The value of a category or subject condition, or -1 after an error. */
static int64_t
rules_parse_value(
    struct rules_parser *p, const struct rules_tok *t, int category)
{
	int i;

	if (t->kind != RULES_TOK_NAME)
		return rules_tok_fail(p, t,
		    category ? "a category" : "a unit, 'other' or 'none'");
	if (rules_tok_is(t, "none"))
		return category ? RULES_CATEGORY_NONE : RULES_SUBJECT_NONE;
	if (category) {
		if ((i = rules_category_index(t->line + t->off, t->len)) >= 0)
			return i;
		return rules_parse_fail(p, t->lineno, t->col,
		    "unknown category '%.*s'", (int)t->len, t->line + t->off);
	}
	if (rules_tok_is(t, "other"))
		return RULES_SUBJECT_OTHER;
	if ((i = rules_unit_index(p->r, t->line + t->off, t->len)) >= 0)
		return i;
	return rules_parse_fail(p, t->lineno, t->col, "unknown unit '%.*s'",
	    (int)t->len, t->line + t->off);
}

/* "is" followed by values separated by commas. */
static int32_t
rules_parse_values(
    struct rules_parser *p, const struct rules_tok *at, int category)
{
	size_t mark = p->nstack;
	int64_t v;

	do {
		if ((v = rules_parse_value(p, rules_tok_take(p), category)) < 0)
			return -1;
		if (rules_stack_push(p, (uint32_t)v) == -1)
			return rules_parse_fail(
			    p, at->lineno, at->col, "out of memory");
	} while (rules_tok_peek(p)->kind == RULES_TOK_COMMA &&
	         rules_tok_take(p) != NULL);
	return rules_cond_new(p, at,
	    category ? RULES_COND_CATEGORY : RULES_COND_SUBJECT, 0, mark);
}

static int32_t
rules_parse_atom(struct rules_parser *p)
{
	const struct rules_tok *t = rules_tok_take(p), *verb;
	unsigned int scope = 0;
	char buf[80];

	if (rules_tok_is(t, "text"))
		scope = RULES_SCOPE_TITLE | RULES_SCOPE_NARRATIVE;
	else if (rules_tok_is(t, "title"))
		scope = RULES_SCOPE_TITLE;
	else if (rules_tok_is(t, "narrative"))
		scope = RULES_SCOPE_NARRATIVE;
	else if (!rules_tok_is(t, "category") && !rules_tok_is(t, "subject"))
		return rules_tok_fail(p, t,
		    "a condition (text, title, narrative, category, subject, "
		    "not or '(')");
	verb = rules_tok_take(p);
	snprintf(buf, sizeof(buf), "'%s' after '%.*s'", scope ? "has" : "is",
	    (int)t->len, t->line + t->off);
	if (!rules_tok_is(verb, scope ? "has" : "is"))
		return rules_tok_fail(p, verb, buf);
	if (scope)
		return rules_parse_words(p, t, scope);
	return rules_parse_values(p, t, rules_tok_is(t, "category"));
}

static int32_t
rules_parse_unary(struct rules_parser *p, size_t depth)
{
	const struct rules_tok *t = rules_tok_peek(p);
	size_t mark = p->nstack;
	int32_t c;

	if (depth > RULES_DEPTH_MAX)
		return rules_parse_fail(p, t->lineno, t->col,
		    "condition nested too deeply (more than %d levels)",
		    RULES_DEPTH_MAX);
	if (rules_tok_is(t, "not")) {
		rules_tok_take(p);
		if ((c = rules_parse_unary(p, depth + 1)) == -1)
			return -1;
		if (rules_stack_push(p, (uint32_t)c) == -1)
			return rules_parse_fail(
			    p, t->lineno, t->col, "out of memory");
		return rules_cond_new(p, t, RULES_COND_NOT, 0, mark);
	}
	if (t->kind != RULES_TOK_LPAREN)
		return rules_parse_atom(p);
	rules_tok_take(p);
	if ((c = rules_parse_expr(p, depth + 1)) == -1)
		return -1;
	if (rules_tok_peek(p)->kind != RULES_TOK_RPAREN)
		return rules_tok_fail(p, rules_tok_peek(p), "')'");
	rules_tok_take(p);
	return c;
}

/* Parts joined by one operator; mixing "and" and "or" needs brackets. */
static int32_t
rules_parse_expr(struct rules_parser *p, size_t depth)
{
	const struct rules_tok *first = rules_tok_peek(p), *op = NULL, *t;
	size_t mark = p->nstack;
	int32_t c;

	for (;;) {
		if ((c = rules_parse_unary(p, depth)) == -1)
			return -1;
		if (rules_stack_push(p, (uint32_t)c) == -1)
			return rules_parse_fail(
			    p, first->lineno, first->col, "out of memory");
		t = rules_tok_peek(p);
		if (!rules_tok_is(t, "and") && !rules_tok_is(t, "or"))
			break;
		if (op != NULL &&
		    !rules_tok_is(t, rules_tok_is(op, "and") ? "and" : "or"))
			return rules_parse_fail(p, t->lineno, t->col,
			    "mixing 'and' and 'or' needs parentheses");
		op = rules_tok_take(p);
	}
	if (op == NULL) {
		p->nstack = mark;
		return c;
	}
	return rules_cond_new(p, first,
	    rules_tok_is(op, "and") ? RULES_COND_ALL : RULES_COND_ANY, 0, mark);
}

/* The unit named by the next token, or -1 after an error. */
static int32_t
rules_parse_unit(
    struct rules_parser *p, const struct rules_tok **tp, const char *after)
{
	const struct rules_tok *t = rules_tok_take(p);
	char buf[64];
	int i;

	*tp = t;
	if (t->kind != RULES_TOK_NAME) {
		snprintf(buf, sizeof(buf), "a unit after '%s'", after);
		return rules_tok_fail(p, t, buf);
	}
	if ((i = rules_unit_index(p->r, t->line + t->off, t->len)) < 0)
		return rules_parse_fail(p, t->lineno, t->col,
		    "unknown unit '%.*s'", (int)t->len, t->line + t->off);
	return i;
}

/* Fails when a clause that may appear once shows up again. */
static int
rules_parse_once(struct rules_parser *p, const struct rules_tok *t, int *seen)
{
	if (*seen)
		return rules_parse_fail(p, t->lineno, t->col,
		    "'%.*s' given twice in '%.*s'", (int)t->len,
		    t->line + t->off, (int)p->head.len,
		    p->head.line + p->head.off);
	*seen = 1;
	return 0;
}

static int
rules_parse_clauses(struct rules_parser *p, struct rules_rule *rule)
{
	const struct rules_tok *t, *u;
	int when = 0, route = 0, flag = 0;

	while ((t = rules_tok_take(p))->kind != RULES_TOK_END) {
		if (rules_tok_is(t, "when")) {
			if (rules_parse_once(p, t, &when) == -1 ||
			    (rule->cond = rules_parse_expr(p, 1)) == -1)
				return -1;
		} else if (rules_tok_is(t, "route")) {
			if (rules_parse_once(p, t, &route) == -1 ||
			    (rule->unit = rules_parse_unit(p, &u, "route")) ==
			        -1)
				return -1;
			rule->route_line = u->lineno;
			rule->route_col = u->col;
		} else if (rules_tok_is(t, "flag")) {
			if (rules_parse_once(p, t, &flag) == -1)
				return -1;
			u = rules_tok_take(p);
			if (!rules_tok_is(u, "urgent"))
				return rules_tok_fail(p, u, "'urgent'");
			rule->urgent = 1;
		} else {
			return rules_tok_fail(
			    p, t, "'when', 'route' or 'flag'");
		}
	}
	if (!route && !flag)
		return rules_parse_fail(p, p->head.lineno, p->head.col,
		    "rule '%.*s' has neither 'route' nor 'flag'",
		    (int)p->head.len, p->head.line + p->head.off);
	return 0;
}

static int
rules_parse_rule(struct rules_parser *p)
{
	struct rules *r = p->r;
	struct rules_rule *rule;

	if (rules_grow(&r->rules, &r->caprules, r->nrules + 1,
	        sizeof(*r->rules)) == -1)
		return rules_parse_fail(p, p->head.lineno, 1, "out of memory");
	rule = &r->rules[r->nrules];
	memset(rule, 0, sizeof(*rule));
	rule->line = p->head.lineno;
	rule->cond = rule->unit = RULES_NONE;
	p->nconds = 0;
	if (rules_parse_clauses(p, rule) == -1)
		return -1;
	if ((rule->name = strndup(p->head.line + p->head.off, p->head.len)) ==
	    NULL)
		return rules_parse_fail(p, p->head.lineno, 1, "out of memory");
	if (rule->unit != RULES_NONE && rule->cond == RULES_NONE)
		p->always = (int32_t)r->nrules;
	r->nrules++;
	return 0;
}

/* "unit UNIT" or "alternate UNIT" in a recusal stanza. */
static int
rules_parse_recusal_clause(struct rules_parser *p, int32_t *unit, int32_t *alt,
    const struct rules_tok **ut, const struct rules_tok **at)
{
	const struct rules_tok *t = rules_tok_take(p);
	int seen;

	if (rules_tok_is(t, "unit")) {
		seen = *unit != RULES_NONE;
		if (rules_parse_once(p, t, &seen) == -1 ||
		    (*unit = rules_parse_unit(p, ut, "unit")) == -1)
			return -1;
	} else if (rules_tok_is(t, "alternate")) {
		seen = *alt != RULES_NONE;
		if (rules_parse_once(p, t, &seen) == -1 ||
		    (*alt = rules_parse_unit(p, at, "alternate")) == -1)
			return -1;
	} else {
		return rules_tok_fail(p, t, "'unit' or 'alternate'");
	}
	return 0;
}

static int
rules_parse_recusal(struct rules_parser *p)
{
	const struct rules_tok *ut = NULL, *at = NULL;
	int32_t unit = RULES_NONE, alt = RULES_NONE;
	struct rules_recusal *rc;

	while (rules_tok_peek(p)->kind != RULES_TOK_END)
		if (rules_parse_recusal_clause(p, &unit, &alt, &ut, &at) == -1)
			return -1;
	if (unit == RULES_NONE || alt == RULES_NONE)
		return rules_parse_fail(p, p->head.lineno, p->head.col,
		    "recusal '%.*s' needs a 'unit' and an 'alternate'",
		    (int)p->head.len, p->head.line + p->head.off);
	if (unit == alt)
		return rules_parse_fail(p, at->lineno, at->col,
		    "the alternate must differ from the unit");
	rc = &p->r->recusal[unit];
	if (rc->name != NULL)
		return rules_parse_fail(p, ut->lineno, ut->col,
		    "unit '%s' already has a recusal ('%s' on line %zu)",
		    p->r->units[unit], rc->name, rc->line);
	if ((rc->name = strndup(p->head.line + p->head.off, p->head.len)) ==
	    NULL)
		return rules_parse_fail(p, p->head.lineno, 1, "out of memory");
	rc->line = p->head.lineno;
	rc->alternate = alt;
	p->r->nrecusals++;
	return 0;
}

/* Completes the stanza being read, if any. */
static int
rules_parse_finish(struct rules_parser *p)
{
	struct rules_tok *end;
	int rc = 0;

	switch (p->stanza) {
	case RULES_STANZA_WORDS:
		if (p->r->lists[p->list].nentries == 0)
			rc = rules_parse_fail(p, p->head.lineno, p->head.col,
			    "word list '%.*s' is empty", (int)p->head.len,
			    p->head.line + p->head.off);
		break;
	case RULES_STANZA_RULE:
	case RULES_STANZA_RECUSAL:
		/* An END token just after the last one (room is kept). */
		if (rules_grow(&p->toks, &p->captoks, p->ntoks + 1,
		        sizeof(*p->toks)) == -1)
			return rules_parse_fail(
			    p, p->head.lineno, 1, "out of memory");
		end = &p->toks[p->ntoks];
		*end = p->ntoks > 0 ? p->toks[p->ntoks - 1] : p->head;
		end->col = rules_parse_col(
		    end->line, end->off + end->len +
		                   (end->kind == RULES_TOK_STRING ? 1 : 0));
		end->kind = RULES_TOK_END;
		end->len = 0;
		p->at = 0;
		rc = p->stanza == RULES_STANZA_RULE ? rules_parse_rule(p)
		                                    : rules_parse_recusal(p);
		break;
	case RULES_STANZA_NONE:
		break;
	}
	p->stanza = RULES_STANZA_NONE;
	p->ntoks = 0;
	return rc;
}

/* Fails when name is taken by a rule or a recusal. */
static int
rules_parse_unique(struct rules_parser *p, const struct rules_tok *t)
{
	const struct rules *r = p->r;
	const char *name = NULL;
	size_t i, line = 0;

	for (i = 0; i < r->nrules && name == NULL; i++)
		if (strlen(r->rules[i].name) == t->len &&
		    memcmp(r->rules[i].name, t->line + t->off, t->len) == 0) {
			name = r->rules[i].name;
			line = r->rules[i].line;
		}
	for (i = 0; i < r->nunits && name == NULL; i++)
		if (r->recusal[i].name != NULL &&
		    strlen(r->recusal[i].name) == t->len &&
		    memcmp(r->recusal[i].name, t->line + t->off, t->len) == 0) {
			name = r->recusal[i].name;
			line = r->recusal[i].line;
		}
	if (name != NULL)
		return rules_parse_fail(p, t->lineno, t->col,
		    "duplicate name '%s' (already used on line %zu)", name,
		    line);
	return 0;
}

/* Starts a "words NAME" stanza. */
static int
rules_parse_start_words(struct rules_parser *p, const struct rules_tok *t)
{
	char name[RULES_NAME_MAX + 1];
	int32_t list;
	size_t i;

	memcpy(name, t->line + t->off, t->len);
	name[t->len] = '\0';
	for (i = 0; i < sizeof(rules_reserved) / sizeof(rules_reserved[0]); i++)
		if (strcmp(name, rules_reserved[i]) == 0)
			return rules_parse_fail(p, t->lineno, t->col,
			    "'%s' is a reserved word and cannot name a word "
			    "list",
			    name);
	if ((list = rules_list_find(p->r, name, t->len)) != RULES_NONE)
		return rules_parse_fail(p, t->lineno, t->col,
		    "duplicate word list '%s' (already defined on line %zu)",
		    name, p->r->lists[list].line);
	if ((list = rules_list_new(p, t, name)) == -1)
		return -1;
	p->list = (uint32_t)list;
	return 0;
}

/* Starts a "rule NAME" stanza. */
static int
rules_parse_start_rule(struct rules_parser *p, const struct rules_tok *t)
{
	const struct rules_rule *always;

	if (rules_parse_unique(p, t) == -1)
		return -1;
	if (p->r->nrules >= RULES_RULES_MAX)
		return rules_parse_fail(p, t->lineno, t->col,
		    "too many rules (more than %d)", RULES_RULES_MAX);
	if (p->always != RULES_NONE) {
		always = &p->r->rules[p->always];
		return rules_parse_fail(p, t->lineno, t->col,
		    "rule '%.*s' is never reached: rule '%s' on line %zu "
		    "routes every case",
		    (int)t->len, t->line + t->off, always->name, always->line);
	}
	return 0;
}

/* Checks the name token of a stanza header. */
static int
rules_parse_name(struct rules_parser *p, const struct rules_tok *kw)
{
	const struct rules_tok *t = kw + 1;
	char buf[64];
	char c;

	if (p->ntoks < 2)
		return rules_parse_fail(p, kw->lineno,
		    rules_parse_col(kw->line, kw->off + kw->len),
		    "expected a name after '%.*s'", (int)kw->len,
		    kw->line + kw->off);
	if (t->kind != RULES_TOK_NAME)
		return rules_tok_fail(p, t, "a name");
	c = t->line[t->off];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	        (c >= '0' && c <= '9')))
		return rules_parse_fail(p, t->lineno, t->col,
		    "a name must start with a letter or a digit");
	if (t->len > RULES_NAME_MAX)
		return rules_parse_fail(p, t->lineno, t->col,
		    "name longer than %d bytes", RULES_NAME_MAX);
	if (p->ntoks > 2)
		return rules_parse_fail(p, t[1].lineno, t[1].col,
		    "unexpected %s after the name",
		    rules_tok_describe(&t[1], buf, sizeof(buf)));
	return 0;
}

/* A line starting at its first column: the header of a new stanza. */
static int
rules_parse_header(struct rules_parser *p, size_t len)
{
	const struct rules_tok *kw;
	enum rules_stanza kind;

	if (rules_parse_finish(p) == -1 || rules_lex(p, 0, len) == -1)
		return -1;
	kw = &p->toks[0];
	if (rules_tok_is(kw, "words"))
		kind = RULES_STANZA_WORDS;
	else if (rules_tok_is(kw, "rule"))
		kind = RULES_STANZA_RULE;
	else if (rules_tok_is(kw, "recusal"))
		kind = RULES_STANZA_RECUSAL;
	else
		return rules_tok_fail(p, kw, "'words', 'rule' or 'recusal'");
	if (rules_parse_name(p, kw) == -1)
		return -1;
	p->head = kw[1];
	if ((kind == RULES_STANZA_WORDS &&
	        rules_parse_start_words(p, &p->head) == -1) ||
	    (kind == RULES_STANZA_RULE &&
	        rules_parse_start_rule(p, &p->head) == -1) ||
	    (kind == RULES_STANZA_RECUSAL &&
	        rules_parse_unique(p, &p->head) == -1))
		return -1;
	p->stanza = kind;
	p->ntoks = 0;
	return 0;
}

/* Refuses control characters and invalid UTF-8 in line[0..len). */
static int
rules_parse_chars(struct rules_parser *p, const char *line, size_t len)
{
	unsigned char b;
	size_t i, n;

	for (i = 0; i < len; i += n) {
		b = (unsigned char)line[i];
		n = 1;
		if ((b < 0x20 && b != '\t') || b == 0x7f)
			return rules_parse_fail(p, p->lineno,
			    rules_parse_col(line, i),
			    "control character 0x%02x", b);
		if (b >= 0x80 && norm_char_classify(line + i, len - i, &n) ==
		                     NORM_CLASS_INVALID)
			return rules_parse_fail(p, p->lineno,
			    rules_parse_col(line, i), "invalid UTF-8");
	}
	return 0;
}

static int
rules_parse_line(struct rules_parser *p, const char *line, size_t len)
{
	size_t i;
	int quoted = 0;

	p->line = line;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > RULES_LINE_MAX)
		return rules_parse_fail(p, p->lineno, 1,
		    "line longer than %d bytes", RULES_LINE_MAX);
	if (rules_parse_chars(p, line, len) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == '#' && !quoted)
			len = i;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return 0;
	if (i == 0)
		return rules_parse_header(p, len);
	switch (p->stanza) {
	case RULES_STANZA_NONE:
		return rules_parse_fail(p, p->lineno, rules_parse_col(line, i),
		    "indented line outside a stanza");
	case RULES_STANZA_WORDS:
		return rules_parse_entries(p, i, len);
	default:
		return rules_lex(p, i, len);
	}
}

/* Whole-file checks: something routes, and every destination has a
 * recusal alternate, so no case can stay with its subject's unit. */
static int
rules_parse_check(struct rules_parser *p)
{
	const struct rules *r = p->r;
	const struct rules_rule *rule;
	size_t i;
	int routes = 0;

	for (i = 0; i < r->nrules; i++) {
		rule = &r->rules[i];
		if (rule->unit == RULES_NONE)
			continue;
		routes = 1;
		if (r->recusal[rule->unit].name == NULL)
			return rules_parse_fail(p, rule->route_line,
			    rule->route_col,
			    "unit '%s' has no recusal: add a 'recusal' stanza "
			    "naming its alternate",
			    r->units[rule->unit]);
	}
	if (!routes)
		return rules_parse_fail(p, p->lineno > 0 ? p->lineno : 1, 1,
		    "no rule has a 'route'");
	return 0;
}

int
rules_parse_text(struct rules *r, const char *text, size_t len,
    const char *filename, char **cause)
{
	struct rules_parser p;
	const char *eol;
	size_t off = 0, n;

	memset(&p, 0, sizeof(p));
	p.r = r;
	p.filename = filename;
	p.always = RULES_NONE;
	if (len > RULES_FILE_MAX) {
		rules_parse_fail(
		    &p, 1, 1, "file larger than %d bytes", RULES_FILE_MAX);
		goto out;
	}
	while (off < len) {
		eol = memchr(text + off, '\n', len - off);
		n = eol != NULL ? (size_t)(eol - (text + off)) : len - off;
		p.lineno++;
		if (rules_parse_line(&p, text + off, n) == -1)
			goto out;
		off += n + 1;
	}
	if (rules_parse_finish(&p) == -1 || rules_parse_check(&p) == -1)
		goto out;
	if (rules_dict_freeze(&r->dict) == -1)
		rules_parse_fail(&p, 1, 1, "out of memory");
out:
	free(p.toks);
	free(p.stack);
	if (p.cause != NULL) {
		*cause = p.cause;
		return -1;
	}
	return 0;
}
