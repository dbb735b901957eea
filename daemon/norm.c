/*
 * Text normalisation and tokenizing on top of utf8proc (see norm.h for the
 * rules).  ASCII, the bulk of most texts, takes a fast path that gives the
 * same result utf8proc would; every other character goes through
 * utf8proc_decompose_char() with compatibility decomposition, case folding,
 * mark stripping and removal of default-ignorable characters.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "norm.h"

#define NORM_OPTIONS                                                \
	(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | \
	    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

_Static_assert(sizeof(int32_t) == sizeof(utf8proc_int32_t),
    "utf8proc code points are 32-bit");

/* Unicode files these apostrophes under "modifier letter"; as letters they
 * would glue "dʼintérêts" into one word, so they are treated like ’. */
static int
norm_is_letter_apostrophe(int32_t cp)
{
	return cp == 0x02BB || cp == 0x02BC || cp == 0x02BD;
}

static int
norm_is_apostrophe(int32_t cp)
{
	switch (cp) {
	case '\'':
	case '`':
	case 0x00B4: /* acute accent */
	case 0x2018: /* left single quotation mark */
	case 0x2019: /* right single quotation mark */
	case 0x201B: /* single high-reversed-9 quotation mark */
	case 0x2032: /* prime */
	case 0x2035: /* reversed prime */
	case 0xFF07: /* full-width apostrophe */
		return 1;
	default:
		return norm_is_letter_apostrophe(cp);
	}
}

/* Whether a normalised code point belongs in a word. */
static int
norm_is_word_cp(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (norm_is_letter_apostrophe(cp))
		return 0;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/*
 * Decomposes one source code point into out (max entries).  Returns the
 * number of code points, 0 for a character that vanishes.  A character
 * whose decomposition does not fit becomes a separator.
 */
static size_t
norm_decompose(int32_t cp, int32_t *out, size_t max)
{
	utf8proc_ssize_t n;
	int boundclass = 0;

	if (norm_is_letter_apostrophe(cp)) {
		out[0] = '\'';
		return 1;
	}
	n = utf8proc_decompose_char(
	    cp, out, (utf8proc_ssize_t)max, NORM_OPTIONS, &boundclass);
	if (n < 0 || (size_t)n > max) {
		out[0] = ' ';
		return 1;
	}
	return (size_t)n;
}

/* Appends a normalised word character to tok, spelling out œ and æ. */
static void
norm_token_append(struct norm_token *tok, int32_t cp)
{
	utf8proc_uint8_t buf[8];
	size_t n;

	if (tok->truncated)
		return;
	if (cp == 0x0153 || cp == 0x00E6) {
		buf[0] = cp == 0x0153 ? 'o' : 'a';
		buf[1] = 'e';
		n = 2;
	} else if (cp >= 'A' && cp <= 'Z') {
		buf[0] = (utf8proc_uint8_t)(cp - 'A' + 'a');
		n = 1;
	} else {
		n = (size_t)utf8proc_encode_char(cp, buf);
	}
	if (tok->len + n > sizeof(tok->text)) {
		tok->truncated = 1;
		return;
	}
	memcpy(tok->text + tok->len, buf, n);
	tok->len += n;
}

enum norm_table_kind {
	NORM_TABLE_UNKNOWN, /* ask utf8proc */
	NORM_TABLE_WORD,    /* a word character spelled text/len */
	NORM_TABLE_SEP,     /* separates words */
	NORM_TABLE_VANISH   /* ignored */
};

void
norm_table_init(struct norm_table *t)
{
	struct norm_table_entry *e;
	struct norm_token tok;
	int32_t cp, out[32];
	size_t n;

	memset(t, 0, sizeof(*t));
	for (cp = NORM_TABLE_FIRST; cp <= NORM_TABLE_LAST; cp++) {
		e = &t->e[cp - NORM_TABLE_FIRST];
		n = norm_decompose(cp, out, sizeof(out) / sizeof(out[0]));
		/* Only what maps to at most one code point is kept, so the
		 * scanner appends exactly what the slow path would. */
		if (n == 0) {
			e->kind = NORM_TABLE_VANISH;
		} else if (n == 1 && !norm_is_word_cp(out[0])) {
			e->kind = NORM_TABLE_SEP;
		} else if (n == 1) {
			tok.len = 0;
			tok.truncated = 0;
			norm_token_append(&tok, out[0]);
			if (tok.len <= sizeof(e->text)) {
				e->kind = NORM_TABLE_WORD;
				e->len = (unsigned char)tok.len;
				memcpy(e->text, tok.text, tok.len);
			}
		}
	}
}

void
norm_scanner_init(struct norm_scanner *s, const char *src, size_t len,
    const struct norm_table *t)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->len = len;
	s->table = t;
}

/* The table entry for the two-byte character at s->pos, or NULL. */
static const struct norm_table_entry *
norm_scanner_cached(const struct norm_scanner *s)
{
	const unsigned char *p = (const unsigned char *)s->src + s->pos;
	const struct norm_table_entry *e;
	int32_t cp;

	if (s->table == NULL || s->len - s->pos < 2 || p[0] < 0xc2 ||
	    p[0] > 0xdf || (p[1] & 0xc0) != 0x80)
		return NULL;
	cp = (p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	if (cp > NORM_TABLE_LAST)
		return NULL;
	e = &s->table->e[cp - NORM_TABLE_FIRST];
	return e->kind == NORM_TABLE_UNKNOWN ? NULL : e;
}

/* Takes a cached character; returns 1 when it ends a complete word. */
static int
norm_scanner_take_cached(struct norm_scanner *s, struct norm_token *tok,
    int *inword, const struct norm_table_entry *e)
{
	s->pos += 2;
	if (e->kind == NORM_TABLE_VANISH)
		return 0;
	if (e->kind == NORM_TABLE_SEP)
		return *inword;
	if (!*inword) {
		*inword = 1;
		tok->start = s->pos - 2;
	}
	if (!tok->truncated && tok->len + e->len <= sizeof(tok->text)) {
		memcpy(tok->text + tok->len, e->text, e->len);
		tok->len += e->len;
	} else {
		tok->truncated = 1;
	}
	tok->end = s->pos;
	return 0;
}

/* Decodes the source character at s->pos into the pending buffer. */
static void
norm_scanner_fill(struct norm_scanner *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	n = utf8proc_iterate((const utf8proc_uint8_t *)s->src + s->pos,
	    (utf8proc_ssize_t)(s->len - s->pos), &cp);
	s->pstart = s->pos;
	s->ipending = 0;
	if (n <= 0) {
		s->pending[0] = ' ';
		s->npending = 1;
		s->pos++;
	} else {
		s->npending = norm_decompose(
		    cp, s->pending, sizeof(s->pending) / sizeof(s->pending[0]));
		s->pos += (size_t)n;
	}
	s->pend = s->pos;
}

/* Adds code point cp, from source span [start,end), to the word being
 * built.  Returns 1 when cp ends a word that is now complete. */
static int
norm_scanner_take(
    struct norm_token *tok, int *inword, int32_t cp, size_t start, size_t end)
{
	if (!norm_is_word_cp(cp))
		return *inword;
	if (!*inword) {
		*inword = 1;
		tok->start = start;
	}
	norm_token_append(tok, cp);
	tok->end = end;
	return 0;
}

int
norm_token_next(struct norm_scanner *s, struct norm_token *tok)
{
	int inword = 0;
	unsigned char b;

	tok->len = 0;
	tok->truncated = 0;
	tok->start = tok->end = s->pos;
	for (;;) {
		if (s->ipending < s->npending) {
			if (norm_scanner_take(tok, &inword,
			        s->pending[s->ipending++], s->pstart, s->pend))
				return 1;
			continue;
		}
		if (s->pos >= s->len)
			return inword;
		b = (unsigned char)s->src[s->pos];
		if (b >= 0x80) {
			const struct norm_table_entry *e;

			if ((e = norm_scanner_cached(s)) == NULL)
				norm_scanner_fill(s);
			else if (norm_scanner_take_cached(s, tok, &inword, e))
				return 1;
			continue;
		}
		/* ASCII, most of most texts: the same result, faster. */
		s->pos++;
		if ((unsigned char)((b | 0x20) - 'a') < 26 ||
		    (unsigned char)(b - '0') < 10) {
			if (!inword) {
				inword = 1;
				tok->start = s->pos - 1;
			}
			if (tok->len < sizeof(tok->text) && !tok->truncated)
				tok->text[tok->len++] =
				    (char)(b >= 'A' && b <= 'Z' ? b | 0x20 : b);
			else
				tok->truncated = 1;
			tok->end = s->pos;
		} else if (inword) {
			return 1;
		}
	}
}

/* Classifies a code point that is not ASCII. */
static enum norm_class
norm_classify_cp(int32_t cp)
{
	int32_t out[32];
	size_t i, n;

	if (norm_is_apostrophe(cp))
		return NORM_CLASS_APOSTROPHE;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_PD:
		return NORM_CLASS_HYPHEN;
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return NORM_CLASS_SPACE;
	default:
		break;
	}
	if (cp == 0x00AD || cp == 0x2212) /* soft hyphen, minus sign */
		return NORM_CLASS_HYPHEN;
	n = norm_decompose(cp, out, sizeof(out) / sizeof(out[0]));
	for (i = 0; i < n; i++)
		if (norm_is_word_cp(out[i]))
			return NORM_CLASS_WORD;
	return NORM_CLASS_OTHER;
}

enum norm_class
norm_char_classify(const char *s, size_t len, size_t *nbytes)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	*nbytes = 1;
	n = utf8proc_iterate(
	    (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
	if (n <= 0)
		return NORM_CLASS_INVALID;
	*nbytes = (size_t)n;
	if (cp >= 0x80)
		return norm_classify_cp(cp);
	if (norm_is_word_cp(cp))
		return NORM_CLASS_WORD;
	if (cp == ' ' || (cp >= '\t' && cp <= '\r'))
		return NORM_CLASS_SPACE;
	if (norm_is_apostrophe(cp))
		return NORM_CLASS_APOSTROPHE;
	if (cp == '-')
		return NORM_CLASS_HYPHEN;
	return NORM_CLASS_OTHER;
}

int
norm_text_words(
    const char *src, size_t len, char **out, size_t *outlen, char **cause)
{
	struct norm_scanner sc;
	struct norm_token tok;
	char *buf;
	size_t used = 0, size;

	/* Normalising can grow a text (ß→ss, ﬃ→ffi), so size by the words. */
	size = len + 1;
	if ((buf = malloc(size)) == NULL)
		goto nomem;
	norm_scanner_init(&sc, src, len, NULL);
	while (norm_token_next(&sc, &tok)) {
		if (used + tok.len + 2 > size) {
			char *nbuf;

			size = (used + tok.len + 2) * 2;
			if ((nbuf = realloc(buf, size)) == NULL)
				goto nomem;
			buf = nbuf;
		}
		if (used > 0)
			buf[used++] = ' ';
		memcpy(buf + used, tok.text, tok.len);
		used += tok.len;
	}
	buf[used] = '\0';
	*out = buf;
	if (outlen != NULL)
		*outlen = used;
	return 0;
nomem:
	free(buf);
	*cause = strdup("out of memory");
	return -1;
}
