/*
 * Private to the rules parser (rules-lex.c, rules-parse.c): the parser's
 * state, its tokens, and what the lexer and the word lists offer the
 * stanza parser.
 */
#ifndef MANDATE_RULES_PARSE_H
#define MANDATE_RULES_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "rules-int.h"

enum rules_tok_kind {
	RULES_TOK_NAME,
	RULES_TOK_STRING,
	RULES_TOK_COMMA,
	RULES_TOK_LPAREN,
	RULES_TOK_RPAREN,
	RULES_TOK_END
};

struct rules_tok {
	enum rules_tok_kind kind;
	const char *line; /* the line it is on */
	size_t off;       /* byte offset in the line; inside the quotes */
	size_t len;       /* bytes; for a string, between the quotes */
	size_t lineno, col;
};

enum rules_stanza {
	RULES_STANZA_NONE,
	RULES_STANZA_WORDS,
	RULES_STANZA_RULE,
	RULES_STANZA_RECUSAL
};

struct rules_parser {
	struct rules *r;
	const char *filename;
	char *cause;
	const char *line;
	size_t lineno;

	enum rules_stanza stanza;
	struct rules_tok head; /* the stanza's name */
	uint32_t list;         /* the list a words stanza fills */
	struct rules_tok *toks;
	size_t ntoks, captoks;
	size_t at; /* parse cursor in toks */

	uint32_t *stack; /* condition parts waiting for their parent */
	size_t nstack, capstack;
	size_t nconds;  /* condition nodes of the current rule */
	int32_t always; /* first rule that routes every case, or RULES_NONE */
	const char *colline; /* rules_parse_colc()'s last answer */
	size_t coloff, colcol;
};

/* Cuts line[i..len) into tokens appended to p->toks. */
int rules_lex(struct rules_parser *p, size_t i, size_t len);

/* The index of the word list named s/len, or RULES_NONE. */
int32_t rules_list_find(const struct rules *r, const char *s, size_t len);

/* A new word list (name NULL: an anonymous one for quoted words); its
 * index, or -1 with the error recorded at `at`. */
int32_t rules_list_new(
    struct rules_parser *p, const struct rules_tok *at, const char *name);

/* Column (1-based, in characters) of byte offset off in line. */
size_t rules_parse_col(const char *line, size_t off);

/* A body line of a words stanza: entries separated by commas. */
int rules_parse_entries(struct rules_parser *p, size_t i, size_t len);

/* Compiles the entry line[a..b) into list. */
int rules_parse_entry(struct rules_parser *p, const char *line, size_t a,
    size_t b, uint32_t list);

/* Records the first error; returns -1 so callers can return it. */
int rules_parse_fail(struct rules_parser *p, size_t lineno, size_t col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* How a token appears in a message, at most 40 bytes of it. */
const char *rules_tok_describe(
    const struct rules_tok *t, char *buf, size_t size);

/* Records "expected ..., got TOKEN" at t; returns -1. */
int rules_tok_fail(
    struct rules_parser *p, const struct rules_tok *t, const char *expected);

/* Nonzero when t is the name token word. */
int rules_tok_is(const struct rules_tok *t, const char *word);

/* The current token, not taken; END at the end of the stanza. */
const struct rules_tok *rules_tok_peek(const struct rules_parser *p);

/* Takes the current token; the END token is never passed. */
const struct rules_tok *rules_tok_take(struct rules_parser *p);

#endif
