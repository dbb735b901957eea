/*
 * The rules file lexer and word lists: error positions, tokens of rule and
 * recusal stanzas, and the entries of words stanzas compiled into the
 * dictionary as they are read.  The stanza parser is rules-parse.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-parse.h"

/* Records the first error; returns -1 so callers can return it. */
int
rules_parse_fail(
    struct rules_parser *p, size_t lineno, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->cause != NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL || asprintf(&p->cause, "%s:%zu:%zu: %s", p->filename,
	                       lineno, col, msg) == -1)
		p->cause = NULL;
	free(msg);
	if (p->cause == NULL)
		p->cause = strdup("out of memory");
	return -1;
}

/* Column (1-based, in characters) of byte offset off in line. */
size_t
rules_parse_col(const char *line, size_t off)
{
	size_t i, col = 1;

	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* The same, remembering the last answer: tokens come left to right, so
 * a line costs one pass however many tokens it holds. */
static size_t
rules_parse_colc(struct rules_parser *p, const char *line, size_t off)
{
	size_t i;

	if (line != p->colline || off < p->coloff) {
		p->colline = line;
		p->coloff = 0;
		p->colcol = 1;
	}
	for (i = p->coloff; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			p->colcol++;
	p->coloff = off;
	return p->colcol;
}

int
rules_tok_is(const struct rules_tok *t, const char *word)
{
	return t->kind == RULES_TOK_NAME && strlen(word) == t->len &&
	       memcmp(t->line + t->off, word, t->len) == 0;
}

/* How a token appears in a message, at most 40 bytes of it. */
const char *
rules_tok_describe(const struct rules_tok *t, char *buf, size_t size)
{
	int n = (int)(t->len > 40 ? 40 : t->len);

	while (n > 0 && t->len > (size_t)n &&
	       ((unsigned char)t->line[t->off + (size_t)n] & 0xc0) == 0x80)
		n--;
	switch (t->kind) {
	case RULES_TOK_NAME:
		snprintf(buf, size, "'%.*s'", n, t->line + t->off);
		break;
	case RULES_TOK_STRING:
		snprintf(buf, size, "\"%.*s\"", n, t->line + t->off);
		break;
	case RULES_TOK_END:
		snprintf(buf, size, "the end of the stanza");
		break;
	default:
		snprintf(buf, size, "'%c'", t->line[t->off]);
		break;
	}
	return buf;
}

int
rules_tok_fail(
    struct rules_parser *p, const struct rules_tok *t, const char *expected)
{
	char buf[64];

	return rules_parse_fail(p, t->lineno, t->col, "expected %s, got %s",
	    expected, rules_tok_describe(t, buf, sizeof(buf)));
}

const struct rules_tok *
rules_tok_peek(const struct rules_parser *p)
{
	return &p->toks[p->at];
}

/* Takes the current token; the END token is never passed. */
const struct rules_tok *
rules_tok_take(struct rules_parser *p)
{
	const struct rules_tok *t = &p->toks[p->at];

	if (t->kind != RULES_TOK_END)
		p->at++;
	return t;
}

static int
rules_tok_push(
    struct rules_parser *p, enum rules_tok_kind kind, size_t off, size_t len)
{
	struct rules_tok *t;

	if (p->ntoks >= RULES_TOKENS_MAX)
		return rules_parse_fail(p, p->lineno,
		    rules_parse_col(p->line, off),
		    "stanza too long (more than %d tokens)", RULES_TOKENS_MAX);
	if (rules_grow(&p->toks, &p->captoks, p->ntoks + 2, sizeof(*p->toks)) ==
	    -1)
		return rules_parse_fail(p, p->lineno, 1, "out of memory");
	t = &p->toks[p->ntoks++];
	t->kind = kind;
	t->line = p->line;
	t->off = off;
	t->len = len;
	t->lineno = p->lineno;
	t->col = rules_parse_colc(
	    p, p->line, kind == RULES_TOK_STRING ? off - 1 : off);
	return 0;
}

static int
rules_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static enum rules_tok_kind
rules_punct_kind(char c)
{
	if (c == ',')
		return RULES_TOK_COMMA;
	return c == '(' ? RULES_TOK_LPAREN : RULES_TOK_RPAREN;
}

/* Cuts line[i..len) into tokens appended to p->toks. */
int
rules_lex(struct rules_parser *p, size_t i, size_t len)
{
	const char *s = p->line;
	const char *q;
	size_t j, n;

	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
		} else if (rules_is_name_char(s[i])) {
			for (j = i; j < len && rules_is_name_char(s[j]); j++)
				;
			if (rules_tok_push(p, RULES_TOK_NAME, i, j - i) == -1)
				return -1;
			i = j;
		} else if (s[i] == '"') {
			q = memchr(s + i + 1, '"', len - i - 1);
			if (q == NULL)
				return rules_parse_fail(p, p->lineno,
				    rules_parse_col(s, i),
				    "unterminated quoted word");
			n = (size_t)(q - (s + i + 1));
			if (rules_tok_push(p, RULES_TOK_STRING, i + 1, n) == -1)
				return -1;
			i += n + 2;
		} else if (s[i] == ',' || s[i] == '(' || s[i] == ')') {
			if (rules_tok_push(p, rules_punct_kind(s[i]), i, 1) ==
			    -1)
				return -1;
			i++;
		} else {
			norm_char_classify(s + i, len - i, &n);
			return rules_parse_fail(p, p->lineno,
			    rules_parse_col(s, i),
			    "unexpected character '%.*s'", (int)n, s + i);
		}
	}
	return 0;
}

/* Separator shown between two words of a phrase, from the source gap. */
static char
rules_entry_gap(const char *s, size_t len)
{
	enum norm_class c;
	char sep = ' ';
	size_t i, n;

	for (i = 0; i < len; i += n) {
		c = norm_char_classify(s + i, len - i, &n);
		if (c == NORM_CLASS_APOSTROPHE)
			return '\'';
		if (c == NORM_CLASS_HYPHEN)
			sep = '-';
	}
	return sep;
}

/* Checks the characters of an entry line[a..b): word characters,
 * spaces, apostrophes, hyphens, and '*' right after a word. */
static int
rules_entry_check(struct rules_parser *p, const char *line, size_t a, size_t b)
{
	enum norm_class c, prev = NORM_CLASS_SPACE;
	size_t i, n;

	for (i = a; i < b; i += n) {
		c = norm_char_classify(line + i, b - i, &n);
		if (line[i] == '*') {
			if (prev != NORM_CLASS_WORD)
				return rules_parse_fail(p, p->lineno,
				    rules_parse_col(line, i),
				    "'*' must end a word, as in 'embezzl*'");
			prev = NORM_CLASS_OTHER;
			continue;
		}
		if (c == NORM_CLASS_OTHER || c == NORM_CLASS_INVALID)
			return rules_parse_fail(p, p->lineno,
			    rules_parse_col(line, i),
			    "unexpected character '%.*s' in a word or phrase",
			    (int)n, line + i);
		if (c == NORM_CLASS_WORD && prev == NORM_CLASS_OTHER)
			return rules_parse_fail(p, p->lineno,
			    rules_parse_col(line, i),
			    "'*' must end a word, as in 'embezzl*'");
		prev = c;
	}
	return 0;
}

/* The words of an entry, normalised, and how it is displayed. */
struct rules_entry {
	char words[RULES_PHRASE_MAX][RULES_WORD_MAX];
	const char *wp[RULES_PHRASE_MAX];
	size_t lens[RULES_PHRASE_MAX];
	int stems[RULES_PHRASE_MAX];
	size_t n;
	char display[RULES_PHRASE_MAX * (RULES_WORD_MAX + 2) + 1];
	size_t dlen;
};

/* Adds one normalised word of an entry; tok is relative to line+a. */
static int
rules_entry_word(struct rules_parser *p, struct rules_entry *e,
    const char *line, size_t a, size_t b, const struct norm_token *tok,
    size_t prev_end)
{
	size_t col = rules_parse_colc(p, line, a + tok->start);
	int stem = a + tok->end < b && line[a + tok->end] == '*';

	if (e->n == RULES_PHRASE_MAX)
		return rules_parse_fail(p, p->lineno, col,
		    "phrase longer than %d words", RULES_PHRASE_MAX);
	if (tok->truncated || tok->len > RULES_WORD_MAX)
		return rules_parse_fail(p, p->lineno, col,
		    "word longer than %d bytes", RULES_WORD_MAX);
	if (stem && tok->len < RULES_STEM_MIN)
		return rules_parse_fail(p, p->lineno, col,
		    "a stem needs at least %d letters before '*'",
		    RULES_STEM_MIN);
	/* One source character may yield two words ("½"): no gap then. */
	if (e->n > 0)
		e->display[e->dlen++] =
		    tok->start > prev_end ? rules_entry_gap(line + a + prev_end,
		                                tok->start - prev_end)
		                          : ' ';
	memcpy(e->words[e->n], tok->text, tok->len);
	memcpy(e->display + e->dlen, tok->text, tok->len);
	e->dlen += tok->len;
	if (stem)
		e->display[e->dlen++] = '*';
	e->display[e->dlen] = '\0';
	e->wp[e->n] = e->words[e->n];
	e->lens[e->n] = tok->len;
	e->stems[e->n++] = stem;
	return 0;
}

/* Compiles the entry line[a..b) into list. */
int
rules_parse_entry(
    struct rules_parser *p, const char *line, size_t a, size_t b, uint32_t list)
{
	struct rules_entry e;
	struct norm_scanner sc;
	struct norm_token tok;
	size_t prev_end = 0;

	if (rules_entry_check(p, line, a, b) == -1)
		return -1;
	e.n = e.dlen = 0;
	norm_scanner_init(&sc, line + a, b - a, NULL);
	while (norm_token_next(&sc, &tok)) {
		if (rules_entry_word(p, &e, line, a, b, &tok, prev_end) == -1)
			return -1;
		prev_end = tok.end;
	}
	if (e.n == 0)
		return rules_parse_fail(p, p->lineno, rules_parse_col(line, a),
		    "entry has no letters or digits");
	if (p->r->dict.nentries >= RULES_ENTRIES_MAX)
		return rules_parse_fail(p, p->lineno, rules_parse_col(line, a),
		    "too many word list entries (more than %d)",
		    RULES_ENTRIES_MAX);
	if (rules_dict_add(
	        &p->r->dict, list, e.wp, e.lens, e.stems, e.n, e.display) == -1)
		return rules_parse_fail(p, p->lineno, 1, "out of memory");
	p->r->lists[list].nentries++;
	return 0;
}

/* A body line of a words stanza: entries separated by commas. */
int
rules_parse_entries(struct rules_parser *p, size_t i, size_t len)
{
	const char *s = p->line;
	size_t a, b, end;

	while (i < len) {
		end = i;
		while (end < len && s[end] != ',')
			end++;
		for (a = i; a < end && (s[a] == ' ' || s[a] == '\t'); a++)
			;
		for (b = end; b > a && (s[b - 1] == ' ' || s[b - 1] == '\t');
		     b--)
			;
		if (a == b)
			return rules_parse_fail(
			    p, p->lineno, rules_parse_col(s, a), "empty entry");
		rules_parse_colc(p, s, a);
		if (rules_parse_entry(p, s, a, b, p->list) == -1)
			return -1;
		i = end + 1;
		/* A comma may end the line; the list goes on below. */
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return 0;
}

int32_t
rules_list_find(const struct rules *r, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < r->nlists; i++)
		if (r->lists[i].name != NULL &&
		    strlen(r->lists[i].name) == len &&
		    memcmp(r->lists[i].name, s, len) == 0)
			return (int32_t)i;
	return RULES_NONE;
}

int32_t
rules_list_new(
    struct rules_parser *p, const struct rules_tok *at, const char *name)
{
	struct rules *r = p->r;
	struct rules_list *l;

	if (r->nlists >= RULES_LISTS_MAX)
		return rules_parse_fail(p, at->lineno, at->col,
		    "too many word lists (more than %d)", RULES_LISTS_MAX);
	if (rules_grow(&r->lists, &r->caplists, r->nlists + 1,
	        sizeof(*r->lists)) == -1)
		return rules_parse_fail(
		    p, at->lineno, at->col, "out of memory");
	l = &r->lists[r->nlists];
	l->name = NULL;
	l->line = at->lineno;
	l->nentries = 0;
	if (name != NULL && (l->name = strdup(name)) == NULL)
		return rules_parse_fail(
		    p, at->lineno, at->col, "out of memory");
	return (int32_t)r->nlists++;
}
