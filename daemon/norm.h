/*
 * Text normalisation for matching words: compatibility decomposition
 * (NFKD), case folding and removal of accents, so that "Intérêts",
 * "INTERETS" and full-width "ｉｎｔｅｒｅｔｓ" are the same word, and a
 * tokenizer that cuts text into such normalised words.
 *
 * A word is a run of letters and digits.  Everything else separates words,
 * apostrophes and hyphens included: "d'intérêts", "d’intérêts" and
 * "D'INTERETS" all give the two words "d" and "interets", and "pot-de-vin"
 * gives "pot", "de", "vin".  The ligatures œ and æ, which Unicode does not
 * decompose, are spelled out as "oe" and "ae".  Invisible format characters
 * (soft hyphen, zero-width joiner) vanish, joining what they separated.
 * Invalid UTF-8 bytes separate words.
 *
 * This is the only module that knows about utf8proc.  Pure: no I/O, no
 * global state.
 */
#ifndef MANDATE_NORM_H
#define MANDATE_NORM_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of a normalised word kept; the rest of a longer word is dropped
 * and the token marked truncated. */
#define NORM_TOKEN_MAX 128

/* One normalised word, with where it came from in the source. */
struct norm_token {
	char text[NORM_TOKEN_MAX]; /* normalised UTF-8, not NUL-terminated */
	size_t len;                /* bytes used in text */
	int truncated; /* 1 when the word had more than text holds */
	size_t start;  /* source byte offset of its first char */
	size_t end;    /* source byte offset just past its last */
};

/* The normalised forms of the Latin letters beyond ASCII (U+0080 to
 * U+024F), computed once by norm_table_init() so that the scanner need not
 * ask utf8proc for every accented letter.  Read-only once built. */
#define NORM_TABLE_FIRST 0x80
#define NORM_TABLE_LAST 0x24f

struct norm_table_entry {
	unsigned char kind; /* private: how the scanner treats the char */
	unsigned char len;
	char text[6];
};

struct norm_table {
	struct norm_table_entry e[NORM_TABLE_LAST - NORM_TABLE_FIRST + 1];
};

/* Walks a text word by word.  Initialise with norm_scanner_init(); the
 * fields are private. */
struct norm_scanner {
	const char *src;
	size_t len;
	size_t pos;
	const struct norm_table *table;
	int32_t pending[32]; /* decomposition of the current source char */
	size_t npending;
	size_t ipending;
	size_t pstart; /* source span of the char that produced pending */
	size_t pend;
};

/* What a source character is to the tokenizer. */
enum norm_class {
	NORM_CLASS_WORD,       /* letter or digit: part of a word */
	NORM_CLASS_SPACE,      /* white space */
	NORM_CLASS_APOSTROPHE, /* ' ’ ‘ ` ´ ʼ and the like */
	NORM_CLASS_HYPHEN,     /* - and the Unicode dashes */
	NORM_CLASS_OTHER,      /* any other punctuation, symbol or control */
	NORM_CLASS_INVALID     /* a byte that does not start valid UTF-8 */
};

/* Fills a table for norm_scanner_init(); the same words come out with or
 * without it, only faster with it. */
void norm_table_init(struct norm_table *t);

/* Starts scanning src/len (UTF-8, need not be NUL-terminated), with
 * table t or NULL.  The scanner borrows src and t, which must outlive it. */
void norm_scanner_init(struct norm_scanner *s, const char *src, size_t len,
    const struct norm_table *t);

/*
 * Fills *tok with the next normalised word.  Returns 1 when a word was
 * found, 0 at the end of the text.  Never fails: invalid bytes separate
 * words.
 */
int norm_token_next(struct norm_scanner *s, struct norm_token *tok);

/*
 * Classifies the character at the start of s/len (len > 0) and stores its
 * length in bytes in *nbytes (1 for an invalid byte).  A character that
 * decomposes to a letter or digit (full-width "Ａ", "ﬁ") is a word
 * character.
 */
enum norm_class norm_char_classify(const char *s, size_t len, size_t *nbytes);

/*
 * Normalises a whole text into its words joined by single spaces:
 * "  L’Œuvre — d'ÉTÉ " gives "l oeuvre d ete".  Returns 0 with *out set
 * to a NUL-terminated string the caller frees (and *outlen, when not NULL,
 * to its length), or -1 with *cause set (caller frees) when memory runs
 * out.
 */
int norm_text_words(const char *src, size_t len, char **out, size_t *outlen,
    char **cause) __attribute__((warn_unused_result));

#endif
