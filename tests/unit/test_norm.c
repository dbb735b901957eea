/*
 * Unit tests of norm.c: the normaliser (accents, case, apostrophes,
 * ligatures, full-width forms, hyphens, invisible characters, invalid
 * UTF-8), the tokenizer and its source offsets, the character classes,
 * and the fast table agreeing with utf8proc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "norm.h"

/* Asserts that text normalises to the words in want. */
static void
assert_words(const char *text, const char *want)
{
	char *out = NULL, *cause = NULL;
	size_t len = 0;

	assert_int_equal(
	    norm_text_words(text, strlen(text), &out, &len, &cause), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
}

static void
test_norm__accents__are_removed(void **state)
{
	(void)state;
	assert_words("intérêts élève niño ação", "interets eleve nino acao");
}

static void
test_norm__case__is_folded(void **state)
{
	(void)state;
	assert_words("HARCÈLEMENT Fraud ÉTÉ", "harcelement fraud ete");
}

static void
test_norm__apostrophes__all_split_words_alike(void **state)
{
	(void)state;
	assert_words("conflit d'intérêts", "conflit d interets");
	assert_words("conflit d’intérêts", "conflit d interets");
	assert_words("CONFLIT D'INTERETS", "conflit d interets");
	assert_words("conflit dʼintérêts", "conflit d interets");
	assert_words("conflit d‘intérêts", "conflit d interets");
	assert_words("conflit d`intérêts", "conflit d interets");
	assert_words("conflit d´intérêts", "conflit d interets");
	assert_words("conflit d＇intérêts", "conflit d interets");
}

static void
test_norm__ligatures__are_spelled_out(void **state)
{
	(void)state;
	assert_words("Œuvre cœur Æther", "oeuvre coeur aether");
	assert_words("ﬁnance ﬂight", "finance flight");
}

static void
test_norm__sharp_s__folds_to_ss(void **state)
{
	(void)state;
	assert_words("Straße STRASSE", "strasse strasse");
}

static void
test_norm__full_width__folds_to_ascii(void **state)
{
	(void)state;
	assert_words("ＦＲＡＵＤ１２ ｆｒａｕｄ", "fraud12 fraud");
}

static void
test_norm__hyphens_and_dashes__split_words(void **state)
{
	(void)state;
	assert_words("pot-de-vin", "pot de vin");
	assert_words("whistle‐blower sub–office non—renewal",
	    "whistle blower sub office non renewal");
}

static void
test_norm__invisible_characters__join_words(void **state)
{
	(void)state;
	/* Soft hyphen and zero-width joiner are ignorable. */
	assert_words("harass\xc2\xad"
	             "ment em\xe2\x80\x8d"
	             "bezzle",
	    "harassment embezzle");
}

static void
test_norm__punctuation_and_symbols__separate_words(void **state)
{
	(void)state;
	assert_words("fraud,theft;bribery!(kickbacks) 5€ «waste»",
	    "fraud theft bribery kickbacks 5 waste");
}

static void
test_norm__invalid_utf8__separates_words(void **state)
{
	(void)state;
	assert_words("abc\xff"
	             "def\xc3",
	    "abc def");
	assert_words("\xe2\x82", "");
}

static void
test_norm__other_scripts__are_words(void **state)
{
	(void)state;
	assert_words("Привет ΚΑΛΗΜΕΡΑ", "привет καλημερα");
	assert_words("v2 2024 ½", "v2 2024 1 2");
}

static void
test_norm__empty_text__has_no_words(void **state)
{
	(void)state;
	assert_words("", "");
	assert_words(" \t\n.,;-'", "");
}

static void
test_norm__tokenizer__reports_source_offsets(void **state)
{
	const char *text = "  Café-au-lait, d’été";
	struct norm_scanner sc;
	struct norm_token tok;

	(void)state;
	norm_scanner_init(&sc, text, strlen(text), NULL);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_int_equal(tok.len, 4);
	assert_memory_equal(tok.text, "cafe", 4);
	assert_int_equal(tok.start, 2);
	assert_int_equal(tok.end, 7); /* é is two bytes */
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_memory_equal(tok.text, "au", 2);
	assert_int_equal(tok.start, 8);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_memory_equal(tok.text, "lait", 4);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_int_equal(tok.len, 1);
	assert_memory_equal(tok.text, "d", 1);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_int_equal(tok.len, 3);
	assert_memory_equal(tok.text, "ete", 3);
	assert_int_equal(tok.end, strlen(text));
	assert_int_equal(norm_token_next(&sc, &tok), 0);
	assert_int_equal(norm_token_next(&sc, &tok), 0);
}

static void
test_norm__long_word__is_truncated_and_marked(void **state)
{
	char text[300];
	struct norm_scanner sc;
	struct norm_token tok;

	(void)state;
	memset(text, 'A', 200);
	memcpy(text + 200, " ok", 4);
	norm_scanner_init(&sc, text, strlen(text), NULL);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_int_equal(tok.len, NORM_TOKEN_MAX);
	assert_int_equal(tok.truncated, 1);
	assert_int_equal(tok.text[0], 'a');
	assert_int_equal(tok.end, 200);
	assert_int_equal(norm_token_next(&sc, &tok), 1);
	assert_int_equal(tok.truncated, 0);
	assert_memory_equal(tok.text, "ok", 2);
}

static void
test_norm__classify__names_each_class(void **state)
{
	size_t n;

	(void)state;
	assert_int_equal(norm_char_classify("a", 1, &n), NORM_CLASS_WORD);
	assert_int_equal(n, 1);
	assert_int_equal(norm_char_classify("é", 2, &n), NORM_CLASS_WORD);
	assert_int_equal(n, 2);
	assert_int_equal(norm_char_classify("Ａ", 3, &n), NORM_CLASS_WORD);
	assert_int_equal(n, 3);
	assert_int_equal(norm_char_classify("7", 1, &n), NORM_CLASS_WORD);
	assert_int_equal(norm_char_classify(" ", 1, &n), NORM_CLASS_SPACE);
	assert_int_equal(norm_char_classify("\t", 1, &n), NORM_CLASS_SPACE);
	assert_int_equal(
	    norm_char_classify("\xc2\xa0", 2, &n), NORM_CLASS_SPACE);
	assert_int_equal(norm_char_classify("'", 1, &n), NORM_CLASS_APOSTROPHE);
	assert_int_equal(norm_char_classify("’", 3, &n), NORM_CLASS_APOSTROPHE);
	assert_int_equal(norm_char_classify("ʼ", 2, &n), NORM_CLASS_APOSTROPHE);
	assert_int_equal(norm_char_classify("-", 1, &n), NORM_CLASS_HYPHEN);
	assert_int_equal(norm_char_classify("–", 3, &n), NORM_CLASS_HYPHEN);
	assert_int_equal(norm_char_classify(".", 1, &n), NORM_CLASS_OTHER);
	assert_int_equal(norm_char_classify("€", 3, &n), NORM_CLASS_OTHER);
	assert_int_equal(norm_char_classify("\xff", 1, &n), NORM_CLASS_INVALID);
	assert_int_equal(n, 1);
	assert_int_equal(norm_char_classify("\xc3", 1, &n), NORM_CLASS_INVALID);
}

/* Collects the words of text, with or without a table, as one string. */
static void
scan_all(const char *text, size_t len, const struct norm_table *t, char *out,
    size_t size)
{
	struct norm_scanner sc;
	struct norm_token tok;
	size_t used = 0;

	norm_scanner_init(&sc, text, len, t);
	while (norm_token_next(&sc, &tok)) {
		assert_true(used + tok.len + 32 < size);
		used += (size_t)snprintf(out + used, size - used,
		    "%zu:%zu:%d:", tok.start, tok.end, tok.truncated);
		memcpy(out + used, tok.text, tok.len);
		used += tok.len;
		out[used++] = '|';
	}
	out[used] = '\0';
}

static void
test_norm__table__gives_the_same_words_as_utf8proc(void **state)
{
	static char text[8192], with[65536], without[65536];
	struct norm_table *t;
	size_t len = 0;
	unsigned int cp;

	(void)state;
	t = malloc(sizeof(*t));
	assert_non_null(t);
	norm_table_init(t);
	/* Every cached character, between letters and alone. */
	for (cp = NORM_TABLE_FIRST; cp <= NORM_TABLE_LAST; cp++) {
		text[len++] = 'x';
		text[len++] = (char)(0xc0 | cp >> 6);
		text[len++] = (char)(0x80 | (cp & 0x3f));
		text[len++] = cp % 3 == 0 ? ' ' : 'y';
	}
	scan_all(text, len, t, with, sizeof(with));
	scan_all(text, len, NULL, without, sizeof(without));
	assert_string_equal(with, without);
	free(t);
}

static void
test_norm__table__leaves_longer_characters_to_utf8proc(void **state)
{
	/* Lead bytes of three- and four-byte sequences, truncated ones, and
	 * stray continuation bytes around the table's range. */
	static const char text[] =
	    "\xe1\xbc\x80x \xe1\x80 \xf0\x9f\x98\x80y "
	    "\xef\xbc\xa1 \xc3 \x80\xbf \xdf\xbf \xc9\x8f";
	static char with[4096], without[4096];
	struct norm_table *t;

	(void)state;
	t = malloc(sizeof(*t));
	assert_non_null(t);
	norm_table_init(t);
	scan_all(text, sizeof(text) - 1, t, with, sizeof(with));
	scan_all(text, sizeof(text) - 1, NULL, without, sizeof(without));
	assert_string_equal(with, without);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_norm__accents__are_removed),
	    cmocka_unit_test(test_norm__case__is_folded),
	    cmocka_unit_test(test_norm__apostrophes__all_split_words_alike),
	    cmocka_unit_test(test_norm__ligatures__are_spelled_out),
	    cmocka_unit_test(test_norm__sharp_s__folds_to_ss),
	    cmocka_unit_test(test_norm__full_width__folds_to_ascii),
	    cmocka_unit_test(test_norm__hyphens_and_dashes__split_words),
	    cmocka_unit_test(test_norm__invisible_characters__join_words),
	    cmocka_unit_test(
	        test_norm__punctuation_and_symbols__separate_words),
	    cmocka_unit_test(test_norm__invalid_utf8__separates_words),
	    cmocka_unit_test(test_norm__other_scripts__are_words),
	    cmocka_unit_test(test_norm__empty_text__has_no_words),
	    cmocka_unit_test(test_norm__tokenizer__reports_source_offsets),
	    cmocka_unit_test(test_norm__long_word__is_truncated_and_marked),
	    cmocka_unit_test(test_norm__classify__names_each_class),
	    cmocka_unit_test(
	        test_norm__table__gives_the_same_words_as_utf8proc),
	    cmocka_unit_test(
	        test_norm__table__leaves_longer_characters_to_utf8proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
