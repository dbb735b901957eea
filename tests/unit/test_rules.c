/*
 * Unit tests of the rules module: every parse error with its exact
 * "FILE:LINE:COLUMN: message", each rule form, word matching (prefixes,
 * phrases, word boundaries, longest phrase), decisions (matched words,
 * urgent flag, recusal), the precedence of the default policy, the second
 * profile, and the default rules against the worked examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "rules.h"

#ifndef MANDATE_SOURCE_DIR
#define MANDATE_SOURCE_DIR "."
#endif

static const char *const units[] = {
    "ethics", "ombudsperson", "inspector-general", "legal"};

/* A file's last lines that make it valid: a catch-all and the recusal of
 * the unit it routes to. */
#define TAIL                       \
	"rule default\n"           \
	"\troute ethics\n"         \
	"recusal recusal-ethics\n" \
	"\tunit ethics\n"          \
	"\talternate inspector-general\n"

/* All four recusals of the policy. */
#define RECUSALS                              \
	"recusal recusal-ethics\n"            \
	"\tunit ethics\n"                     \
	"\talternate inspector-general\n"     \
	"recusal recusal-inspector-general\n" \
	"\tunit inspector-general\n"          \
	"\talternate ethics\n"                \
	"recusal recusal-ombudsperson\n"      \
	"\tunit ombudsperson\n"               \
	"\talternate ethics\n"                \
	"recusal recusal-legal\n"             \
	"\tunit legal\n"                      \
	"\talternate ethics\n"

static struct rules *
load_len(const char *text, size_t len)
{
	struct rules *r;
	char *cause = NULL;

	r = rules_load(text, len, "t.rules", units, 4, &cause);
	if (r == NULL)
		fail_msg("rules_load: %s", cause);
	return r;
}

static struct rules *
load(const char *text)
{
	return load_len(text, strlen(text));
}

static void
assert_error_len(const char *text, size_t len, const char *want)
{
	struct rules *r;
	char *cause = NULL;

	r = rules_load(text, len, "t.rules", units, 4, &cause);
	if (r != NULL) {
		rules_free(r);
		fail_msg("loaded; expected \"%s\"", want);
	}
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
}

static void
assert_error(const char *text, const char *want)
{
	assert_error_len(text, strlen(text), want);
}

/* Routes a case; fails the test if routing fails. */
static void
route(const struct rules *r, const char *title, const char *narrative,
    const char *category, const char *subject, struct rules_decision *d)
{
	struct rules_case c;
	char *cause = NULL;

	c.title = title;
	c.title_len = strlen(title);
	c.narrative = narrative;
	c.narrative_len = strlen(narrative);
	c.category = category;
	c.subject_office = subject;
	if (rules_route(r, &c, d, &cause) != 0)
		fail_msg("rules_route: %s", cause);
}

/* The unit a narrative goes to, with no title, category or subject. */
static void
assert_routes(const struct rules *r, const char *narrative, const char *unit)
{
	struct rules_decision d;

	route(r, "", narrative, NULL, NULL, &d);
	if (strcmp(d.unit, unit) != 0)
		fail_msg("\"%s\" went to %s by rule %s, expected %s", narrative,
		    d.unit, d.rule, unit);
	rules_decision_clear(&d);
}

static void
assert_matched(const struct rules_decision *d, size_t n, ...)
{
	va_list ap;
	size_t i;

	assert_int_equal(d->nmatched, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(d->matched[i], va_arg(ap, const char *));
	va_end(ap);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL)
		return NULL;
	buf = malloc(4 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	return buf;
}

static struct rules *
load_shipped(const char *name)
{
	char path[4096], *text, *cause = NULL;
	struct rules *r;
	size_t len;

	snprintf(path, sizeof(path), "%s/rules/%s", MANDATE_SOURCE_DIR, name);
	text = read_file(path, &len);
	if (text == NULL)
		fail_msg("cannot read %s", path);
	r = rules_load(text, len, name, units, 4, &cause);
	free(text);
	if (r == NULL)
		fail_msg("%s", cause);
	return r;
}

/* ---- Parse errors, each with its position ---- */

static void
test_rules__file_too_large__is_refused(void **state)
{
	size_t len = 1024 * 1024 + 1;
	char *text = malloc(len);

	(void)state;
	assert_non_null(text);
	memset(text, '\n', len);
	assert_error_len(
	    text, len, "t.rules:1:1: file larger than 1048576 bytes");
	free(text);
}

static void
test_rules__line_too_long__is_refused(void **state)
{
	char text[5000];

	(void)state;
	memset(text, '#', 4097);
	text[4097] = '\0';
	assert_error(text, "t.rules:1:1: line longer than 4096 bytes");
	/* 4096 bytes and a CR are fine. */
	memcpy(text + 4096, "\r\n" TAIL, sizeof("\r\n" TAIL));
	rules_free(load(text));
}

static void
test_rules__control_character__is_refused(void **state)
{
	(void)state;
	assert_error(
	    "# ok\nrule a\x01\n", "t.rules:2:7: control character 0x01");
	assert_error_len(
	    "rule a\0b\n", 9, "t.rules:1:7: control character 0x00");
}

static void
test_rules__invalid_utf8__is_refused(void **state)
{
	(void)state;
	assert_error(
	    "words w\n\tcafé, caf\xc3\n", "t.rules:2:11: invalid UTF-8");
}

static void
test_rules__indented_line_outside_stanza__is_refused(void **state)
{
	(void)state;
	assert_error("# comment\n  route ethics\n",
	    "t.rules:2:3: indented line outside a stanza");
}

static void
test_rules__unknown_stanza__is_refused(void **state)
{
	(void)state;
	assert_error("frobnicate x\n",
	    "t.rules:1:1: expected 'words', 'rule' or 'recusal', got "
	    "'frobnicate'");
	assert_error("(rule x\n",
	    "t.rules:1:1: expected 'words', 'rule' or 'recusal', got '('");
}

static void
test_rules__stanza_without_name__is_refused(void **state)
{
	(void)state;
	assert_error("rule\n", "t.rules:1:5: expected a name after 'rule'");
	assert_error(
	    "words \"x\"\n", "t.rules:1:7: expected a name, got \"x\"");
}

static void
test_rules__bad_names__are_refused(void **state)
{
	char text[200];

	(void)state;
	assert_error("rule -x\n",
	    "t.rules:1:6: a name must start with a letter or a digit");
	snprintf(text, sizeof(text), "rule %065d\n", 0);
	assert_error(text, "t.rules:1:6: name longer than 64 bytes");
	assert_error(
	    "rule a extra\n", "t.rules:1:8: unexpected 'extra' after the name");
	assert_error("words and\n",
	    "t.rules:1:7: 'and' is a reserved word and cannot name a word "
	    "list");
}

static void
test_rules__duplicate_names__are_refused(void **state)
{
	(void)state;
	assert_error("words w\n\tx\nwords w\n\ty\n",
	    "t.rules:3:7: duplicate word list 'w' (already defined on line 1)");
	assert_error("rule a\n\twhen category is fraud\n\troute ethics\n"
	             "rule a\n\troute ethics\n",
	    "t.rules:4:6: duplicate name 'a' (already used on line 1)");
	assert_error("recusal a\n\tunit legal\n\talternate ethics\n"
	             "rule a\n\troute ethics\n",
	    "t.rules:4:6: duplicate name 'a' (already used on line 1)");
}

static void
test_rules__rule_after_catch_all__is_refused(void **state)
{
	(void)state;
	assert_error("rule default\n\troute ethics\n\n"
	             "rule late\n\twhen category is fraud\n\troute legal\n",
	    "t.rules:4:6: rule 'late' is never reached: rule 'default' on "
	    "line 1 routes every case");
}

static void
test_rules__too_many_rules__are_refused(void **state)
{
	size_t size = 1001 * 64, used = 0;
	char *text = malloc(size);
	int i;

	(void)state;
	assert_non_null(text);
	for (i = 0; i <= 1000; i++)
		used += (size_t)snprintf(text + used, size - used,
		    "rule r%d\n\twhen category is fraud\n\tflag urgent\n", i);
	assert_error(text, "t.rules:3001:6: too many rules (more than 1000)");
	free(text);
}

static void
test_rules__word_list_errors__are_refused(void **state)
{
	char text[300];

	(void)state;
	assert_error("words w\nrule a\n\troute ethics\n",
	    "t.rules:1:7: word list 'w' is empty");
	assert_error("words w\n\tfraud, , theft\n", "t.rules:2:9: empty entry");
	assert_error("words w\n\t,fraud\n", "t.rules:2:2: empty entry");
	assert_error("words w\n\t*fraud\n",
	    "t.rules:2:2: '*' must end a word, as in 'embezzl*'");
	assert_error("words w\n\tem*bezzle\n",
	    "t.rules:2:5: '*' must end a word, as in 'embezzl*'");
	assert_error("words w\n\tembezzl**\n",
	    "t.rules:2:10: '*' must end a word, as in 'embezzl*'");
	assert_error("words w\n\tfraud; theft\n",
	    "t.rules:2:7: unexpected character ';' in a word or phrase");
	assert_error("words w\n\ta b c d e f g h i\n",
	    "t.rules:2:18: phrase longer than 8 words");
	snprintf(text, sizeof(text), "words w\n\tok, %065d\n", 0);
	assert_error(text, "t.rules:2:6: word longer than 64 bytes");
	assert_error("words w\n\tab*\n",
	    "t.rules:2:2: a stem needs at least 3 letters before '*'");
	assert_error(
	    "words w\n\t' -\n", "t.rules:2:2: entry has no letters or digits");
}

static void
test_rules__too_many_entries__are_refused(void **state)
{
	size_t size = 60000 * 8, used = 0;
	char *text = malloc(size);
	int i;

	(void)state;
	assert_non_null(text);
	used += (size_t)snprintf(text, size, "words w\n");
	for (i = 0; i < 50001; i++)
		used +=
		    (size_t)snprintf(text + used, size - used, "\tw%d\n", i);
	assert_error(text,
	    "t.rules:50002:2: too many word list entries (more than 50000)");
	free(text);
}

static void
test_rules__too_many_lists__are_refused(void **state)
{
	size_t size = 2001 * 32, used = 0;
	char *text = malloc(size);
	int i;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < 2001; i++)
		used += (size_t)snprintf(
		    text + used, size - used, "words l%d\n\tx\n", i);
	assert_error(
	    text, "t.rules:4001:7: too many word lists (more than 2000)");
	free(text);
}

static void
test_rules__lexical_errors__are_refused(void **state)
{
	(void)state;
	assert_error("rule a\n\twhen text has \"fraud\n",
	    "t.rules:2:16: unterminated quoted word");
	assert_error("rule a\n\twhen text has fraud @ x\n",
	    "t.rules:2:22: unexpected character '@'");
	assert_error("rule a\n\twhen text has é\n",
	    "t.rules:2:16: unexpected character 'é'");
}

static void
test_rules__stanza_too_long__is_refused(void **state)
{
	size_t size = 9000 * 4 + 64, used = 0;
	char *text = malloc(size);
	int i;

	(void)state;
	assert_non_null(text);
	used += (size_t)snprintf(text, size, "rule a\n");
	for (i = 0; i < 8193; i++)
		used += (size_t)snprintf(text + used, size - used, "\t(\n");
	assert_error(
	    text, "t.rules:8194:2: stanza too long (more than 8192 tokens)");
	free(text);
}

static void
test_rules__condition_errors__are_refused(void **state)
{
	(void)state;
	assert_error("rule a\n\twhen text has nope\n\troute ethics\n",
	    "t.rules:2:16: unknown word list 'nope'");
	assert_error("rule a\n\twhen text has (x)\n\troute ethics\n",
	    "t.rules:2:16: expected a word list or a quoted word, got '('");
	assert_error("rule a\n\twhen category is bogus\n\troute ethics\n",
	    "t.rules:2:19: unknown category 'bogus'");
	assert_error("rule a\n\twhen category is fraud,\n\troute ethics\n",
	    "t.rules:3:2: unknown category 'route'");
	assert_error("rule a\n\twhen category is \"fraud\"\n\troute ethics\n",
	    "t.rules:2:19: expected a category, got \"fraud\"");
	assert_error("rule a\n\twhen subject is nowhere\n\troute ethics\n",
	    "t.rules:2:18: unknown unit 'nowhere'");
	assert_error("rule a\n\twhen subject is (\n\troute ethics\n",
	    "t.rules:2:18: expected a unit, 'other' or 'none', got '('");
	assert_error("rule a\n\twhen route ethics\n",
	    "t.rules:2:7: expected a condition (text, title, narrative, "
	    "category, subject, not or '('), got 'route'");
	assert_error("rule a\n\twhen\n",
	    "t.rules:2:6: expected a condition (text, title, narrative, "
	    "category, subject, not or '('), got the end of the stanza");
	assert_error("rule a\n\twhen text is x\n\troute ethics\n",
	    "t.rules:2:12: expected 'has' after 'text', got 'is'");
	assert_error("rule a\n\twhen category has x\n\troute ethics\n",
	    "t.rules:2:16: expected 'is' after 'category', got 'has'");
	assert_error("rule a\n\twhen (category is fraud\n\troute ethics\n",
	    "t.rules:3:2: expected ')', got 'route'");
	assert_error("rule a\n\twhen category is fraud or category is legal "
	             "and category is none\n\troute ethics\n",
	    "t.rules:2:46: mixing 'and' and 'or' needs parentheses");
}

static void
test_rules__deep_nesting__is_refused(void **state)
{
	char text[400];
	size_t used;
	int i;

	(void)state;
	used = (size_t)snprintf(text, sizeof(text), "rule a\n\twhen ");
	for (i = 0; i < 33; i++)
		used +=
		    (size_t)snprintf(text + used, sizeof(text) - used, "not ");
	snprintf(text + used, sizeof(text) - used,
	    "category is fraud\n\troute ethics\n");
	assert_error(text,
	    "t.rules:2:135: condition nested too deeply (more than 32 "
	    "levels)");
	used = (size_t)snprintf(text, sizeof(text), "rule a\n\twhen ");
	for (i = 0; i < 33; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "(");
	assert_error(text,
	    "t.rules:2:39: condition nested too deeply (more than 32 "
	    "levels)");
}

static void
test_rules__long_condition__is_refused(void **state)
{
	size_t size = 600 * 24, used = 0;
	char *text = malloc(size);
	int i;

	(void)state;
	assert_non_null(text);
	used += (size_t)snprintf(text, size, "rule a\n\twhen category is none");
	for (i = 0; i < 600; i++)
		used += (size_t)snprintf(
		    text + used, size - used, "\n\tor category is none");
	snprintf(text + used, size - used, "\n\troute ethics\n");
	assert_error(
	    text, "t.rules:514:5: condition too long (more than 512 parts)");
	free(text);
}

static void
test_rules__clause_errors__are_refused(void **state)
{
	(void)state;
	assert_error("rule a\n\troute\n",
	    "t.rules:2:7: expected a unit after 'route', got the end of the "
	    "stanza");
	assert_error(
	    "rule a\n\troute nowhere\n", "t.rules:2:8: unknown unit 'nowhere'");
	assert_error("rule a\n\troute ethics\n\troute legal\n",
	    "t.rules:3:2: 'route' given twice in 'a'");
	assert_error("rule a\n\twhen category is fraud\n\twhen category is "
	             "legal\n\troute ethics\n",
	    "t.rules:3:2: 'when' given twice in 'a'");
	assert_error("rule a\n\tflag important\n",
	    "t.rules:2:7: expected 'urgent', got 'important'");
	assert_error("rule a\n\tgoto ethics\n",
	    "t.rules:2:2: expected 'when', 'route' or 'flag', got 'goto'");
	assert_error("rule a\n\twhen category is fraud\n",
	    "t.rules:1:6: rule 'a' has neither 'route' nor 'flag'");
}

static void
test_rules__recusal_errors__are_refused(void **state)
{
	(void)state;
	assert_error("recusal x\n\troute ethics\n",
	    "t.rules:2:2: expected 'unit' or 'alternate', got 'route'");
	assert_error("recusal x\n\tunit ethics\n",
	    "t.rules:1:9: recusal 'x' needs a 'unit' and an 'alternate'");
	assert_error("recusal x\n\tunit ethics\n\talternate ethics\n",
	    "t.rules:3:12: the alternate must differ from the unit");
	assert_error("recusal x\n\tunit ethics\n\tunit legal\n",
	    "t.rules:3:2: 'unit' given twice in 'x'");
	assert_error("recusal x\n\tunit (\n",
	    "t.rules:2:7: expected a unit after 'unit', got '('");
	assert_error("recusal x\n\tunit ethics alternate nowhere\n",
	    "t.rules:2:24: unknown unit 'nowhere'");
	assert_error("recusal a\n\tunit ethics\n\talternate legal\n"
	             "recusal b\n\tunit ethics\n\talternate ombudsperson\n",
	    "t.rules:5:7: unit 'ethics' already has a recusal ('a' on line "
	    "1)");
}

static void
test_rules__destination_without_recusal__is_refused(void **state)
{
	(void)state;
	assert_error("rule a\n\twhen category is legal\n\troute legal\n" TAIL,
	    "t.rules:3:8: unit 'legal' has no recusal: add a 'recusal' stanza "
	    "naming its alternate");
}

static void
test_rules__file_without_route__is_refused(void **state)
{
	(void)state;
	assert_error("", "t.rules:1:1: no rule has a 'route'");
	assert_error("# nothing\nrule a\n\tflag urgent\n",
	    "t.rules:3:1: no rule has a 'route'");
}

static void
test_rules__bad_units__are_refused(void **state)
{
	const char *bad[] = {"ethics", "bad unit"};
	const char *twice[] = {"ethics", "ethics"};
	const char *other[] = {"other"};
	char *cause = NULL;

	(void)state;
	assert_null(rules_load(TAIL, strlen(TAIL), "t.rules", bad, 2, &cause));
	assert_string_equal(cause, "rules: invalid unit id 'bad unit'");
	free(cause);
	assert_null(
	    rules_load(TAIL, strlen(TAIL), "t.rules", twice, 2, &cause));
	assert_string_equal(cause, "rules: unit 'ethics' given twice");
	free(cause);
	assert_null(
	    rules_load(TAIL, strlen(TAIL), "t.rules", other, 1, &cause));
	assert_string_equal(cause, "rules: invalid unit id 'other'");
	free(cause);
	assert_null(
	    rules_load(TAIL, strlen(TAIL), "t.rules", units, 0, &cause));
	assert_string_equal(cause, "rules: 0 units given (1 to 64 allowed)");
	free(cause);
}

/* ---- The forms of the language ---- */

static void
test_rules__comments_blank_lines_and_crlf__are_ignored(void **state)
{
	struct rules *r;

	(void)state;
	r = load("# a comment\r\n\r\n"
	         "words w # after a list name\r\n"
	         "\tfraud,   # after an entry\r\n"
	         "\n"
	         "\ttheft\r\n"
	         "rule a\t# after a rule name\r\n"
	         "  # an indented comment\r\n"
	         "\twhen text has w, \"tax\" # a \"quoted\" comment\r\n"
	         "\troute legal\r\n"
	         "recusal x\r\n\tunit legal\r\n\talternate ethics\r\n" TAIL);
	assert_int_equal(rules_count(r), 4);
	assert_int_equal(rules_word_count(r), 3);
	assert_routes(r, "theft", "legal");
	assert_routes(r, "tax", "legal");
	assert_routes(r, "quoted comment", "ethics");
	assert_routes(r, "nothing", "ethics");
	rules_free(r);
}

static void
test_rules__first_match__wins(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule one\n\twhen text has \"fraud\"\n\troute legal\n"
	         "rule two\n\twhen text has \"fraud\"\n\troute ombudsperson\n"
	         "recusal a\n\tunit legal\n\talternate ethics\n"
	         "recusal b\n\tunit ombudsperson\n\talternate ethics\n" TAIL);
	route(r, "", "fraud", NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_string_equal(d.rule, "one");
	assert_int_equal(d.recused, 0);
	assert_string_equal(d.recusal_rule, "");
	assert_int_equal(d.urgent, 0);
	rules_decision_clear(&d);
	route(r, "", "nothing", NULL, NULL, &d);
	assert_string_equal(d.rule, "default");
	assert_int_equal(d.nmatched, 0);
	assert_null(d.matched);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__flag_without_route__flags_and_lets_routing_go_on(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule danger\n\twhen text has \"kill*\"\n\tflag urgent\n"
	         "rule fraud\n\twhen text has \"fraud\"\n\troute legal\n"
	         "recusal a\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "", "he will kill me over the fraud", NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_string_equal(d.rule, "fraud");
	assert_int_equal(d.urgent, 1);
	assert_matched(&d, 2, "kill*", "fraud");
	rules_decision_clear(&d);
	route(r, "", "fraud only", NULL, NULL, &d);
	assert_int_equal(d.urgent, 0);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__flag_with_route__flags_and_routes(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule danger\n\twhen text has \"weapon\"\n\tflag urgent\n"
	         "\troute legal\n"
	         "recusal a\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "", "a weapon", NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_int_equal(d.urgent, 1);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__flag_after_deciding_rule__is_not_reached(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load(
	    "rule fraud\n\twhen text has \"fraud\"\n\troute ethics\n"
	    "rule danger\n\twhen text has \"weapon\"\n\tflag urgent\n" TAIL);
	route(r, "", "fraud with a weapon", NULL, NULL, &d);
	assert_string_equal(d.rule, "fraud");
	assert_int_equal(d.urgent, 0);
	assert_matched(&d, 1, "fraud");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__category_condition__matches_listed_or_none(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule money\n\twhen category is fraud, legal\n"
	         "\troute inspector-general\n"
	         "rule none\n\twhen category is none\n\troute legal\n" RECUSALS
	         "rule default\n\troute ethics\n");
	route(r, "", "", "legal", NULL, &d);
	assert_string_equal(d.rule, "money");
	rules_decision_clear(&d);
	route(r, "", "", "fraud", NULL, &d);
	assert_string_equal(d.rule, "money");
	rules_decision_clear(&d);
	route(r, "", "", NULL, NULL, &d);
	assert_string_equal(d.rule, "none");
	rules_decision_clear(&d);
	route(r, "", "", "", NULL, &d);
	assert_string_equal(d.rule, "none");
	rules_decision_clear(&d);
	route(r, "", "", "misconduct", NULL, &d);
	assert_string_equal(d.rule, "default");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__subject_condition__matches_unit_other_or_none(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule unit\n\twhen subject is legal\n\troute ombudsperson\n"
	         "rule other\n\twhen subject is other\n\troute legal\n"
	         "rule none\n\twhen subject is none\n"
	         "\troute inspector-general\n" RECUSALS
	         "rule default\n\troute ethics\n");
	route(r, "", "", NULL, "legal", &d);
	assert_string_equal(d.rule, "unit");
	rules_decision_clear(&d);
	route(r, "", "", NULL, "other", &d);
	assert_string_equal(d.rule, "other");
	rules_decision_clear(&d);
	/* A unit the rules do not know is another organisation's. */
	route(r, "", "", NULL, "catering", &d);
	assert_string_equal(d.rule, "other");
	rules_decision_clear(&d);
	route(r, "", "", NULL, NULL, &d);
	assert_string_equal(d.rule, "none");
	rules_decision_clear(&d);
	route(r, "", "", NULL, "ethics", &d);
	assert_string_equal(d.rule, "default");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__title_and_narrative_scopes__are_separate(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load(
	    "words w\n\tfraud\n"
	    "rule in-title\n\twhen title has w\n\troute legal\n"
	    "rule in-narrative\n\twhen narrative has w\n"
	    "\troute ombudsperson\n" RECUSALS "rule default\n\troute ethics\n");
	route(r, "Fraud", "nothing", NULL, NULL, &d);
	assert_string_equal(d.rule, "in-title");
	rules_decision_clear(&d);
	route(r, "Nothing", "fraud", NULL, NULL, &d);
	assert_string_equal(d.rule, "in-narrative");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__phrase__does_not_span_title_and_narrative(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"bid rigging\"\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "A bid", "rigging", NULL, NULL, &d);
	assert_string_equal(d.rule, "default");
	rules_decision_clear(&d);
	route(r, "", "A bid. Rigging!", NULL, NULL, &d);
	assert_string_equal(d.rule, "a");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__and_or_not_parentheses__combine(void **state)
{
	struct rules *r;

	(void)state;
	r = load("words a\n\talpha\nwords b\n\tbeta\nwords c\n\tgamma\n"
	         "rule both\n\twhen text has a and text has b\n\troute legal\n"
	         "rule a-or-c-not-b\n"
	         "\twhen (text has a or text has c) and not text has b\n"
	         "\troute ombudsperson\n"
	         "rule not-not\n\twhen not not text has b\n"
	         "\troute inspector-general\n" RECUSALS
	         "rule default\n\troute ethics\n");
	assert_routes(r, "alpha beta", "legal");
	assert_routes(r, "alpha", "ombudsperson");
	assert_routes(r, "gamma", "ombudsperson");
	assert_routes(r, "gamma beta", "inspector-general");
	assert_routes(r, "delta", "ethics");
	rules_free(r);
}

static void
test_rules__has_list__accepts_several_lists_and_quoted_words(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("words a\n\talpha\n"
	         "rule any\n\twhen text has a, \"conflit d’intérêts\"\n"
	         "\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "ALPHA", "legal");
	route(r, "", "Un CONFLIT D'INTERETS ?", NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_matched(&d, 1, "conflit d'interets");
	rules_decision_clear(&d);
	rules_free(r);
}

/* ---- Word matching ---- */

static void
test_rules__prefix_wildcard__matches_words_starting_so(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"embezzl*\"\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "he will embezzle", "legal");
	assert_routes(r, "EMBEZZLEMENT", "legal");
	assert_routes(r, "embezzling funds", "legal");
	assert_routes(r, "embezzl", "legal");
	assert_routes(r, "embezel", "ethics");
	assert_routes(r, "unembezzled", "ethics");
	route(r, "", "embezzled, embezzlement", NULL, NULL, &d);
	assert_matched(&d, 1, "embezzl*");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__prefix_wildcard__folds_accents(void **state)
{
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"détourn*\", \"harcel*\"\n"
	         "\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "Il DÉTOURNE des fonds", "legal");
	assert_routes(r, "détournement", "legal");
	assert_routes(r, "il me harcèle", "legal");
	assert_routes(r, "détour", "ethics");
	rules_free(r);
}

static void
test_rules__exact_word__respects_word_boundaries(void **state)
{
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"rape\"\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "grape juice", "ethics");
	assert_routes(r, "the drapes", "ethics");
	assert_routes(r, "rapeseed", "ethics");
	assert_routes(r, "rapes", "ethics");
	assert_routes(r, "an alleged rape.", "legal");
	assert_routes(r, "RAPE", "legal");
	assert_routes(r, "(rape)", "legal");
	rules_free(r);
}

static void
test_rules__phrase__needs_its_words_in_order_and_adjacent(void **state)
{
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"conflict of interest\"\n"
	         "\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "a Conflict-of-Interest question", "legal");
	assert_routes(r, "conflict, of interest", "legal");
	assert_routes(r, "conflict of great interest", "ethics");
	assert_routes(r, "interest of conflict", "ethics");
	assert_routes(r, "conflict of", "ethics");
	rules_free(r);
}

static void
test_rules__phrase__may_hold_stems_and_overlap_itself(void **state)
{
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"falsif* claim*\", \"a a b\"\n"
	         "\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "falsified claims", "legal");
	assert_routes(r, "falsifying a claim", "ethics");
	assert_routes(r, "falsification claimed", "legal");
	/* A false start does not hide the real one. */
	assert_routes(r, "a a a b", "legal");
	rules_free(r);
}

static void
test_rules__character_making_two_words__is_a_phrase(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("words half\n\t½\n"
	         "rule a\n\twhen text has half\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "", "one 1/2 share", NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_matched(&d, 1, "1 2");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__apostrophes_and_accents__match_alike(void **state)
{
	struct rules *r;

	(void)state;
	r = load("words coi\n\tconflit d'intérêts\n"
	         "rule a\n\twhen text has coi\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "conflit d’intérêts", "legal");
	assert_routes(r, "CONFLIT D'INTERETS", "legal");
	assert_routes(r, "conflit dʼinterets", "legal");
	assert_routes(r, "ｃｏｎｆｌｉｔ ｄ’ｉｎｔéｒêｔｓ", "legal");
	assert_routes(r, "conflit dinterets", "ethics");
	rules_free(r);
}

static void
test_rules__longer_phrase__hides_the_words_inside_it(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("words coi\n\tconflict of interest\n"
	         "words dispute\n\tconflict\n"
	         "rule dispute\n\twhen text has dispute\n\troute ombudsperson\n"
	         "rule coi\n\twhen text has coi\n\troute legal\n" RECUSALS
	         "rule default\n\troute ethics\n");
	assert_routes(r, "a conflict of interest", "legal");
	assert_routes(r, "a conflict", "ombudsperson");
	route(r, "", "conflict of interest and a conflict", NULL, NULL, &d);
	assert_string_equal(d.unit, "ombudsperson");
	assert_matched(&d, 1, "conflict");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__matched__lists_unique_words_in_order_found(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("words w\n\tkickback*, Fraud, pot-de-vin, bid rigging\n"
	         "words more\n\tgift\n"
	         "rule a\n\twhen text has w or text has more\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "FRAUD",
	    "Bid-rigging, kickbacks, fraud, un pot de vin, "
	    "more kickbacks, bid rigging",
	    NULL, NULL, &d);
	assert_string_equal(d.unit, "legal");
	assert_matched(
	    &d, 4, "fraud", "bid rigging", "kickback*", "pot-de-vin");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__matched__leaves_out_words_of_unused_conditions(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load("words a\n\talpha\nwords b\n\tbeta\nwords c\n\tgamma\n"
	         "rule r\n\twhen text has a or (text has b and not text has c)"
	         "\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	route(r, "", "gamma beta alpha", NULL, NULL, &d);
	assert_string_equal(d.rule, "r");
	assert_matched(&d, 1, "alpha");
	rules_decision_clear(&d);
	route(r, "", "beta", NULL, NULL, &d);
	assert_matched(&d, 1, "beta");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__invalid_utf8_in_case__separates_words(void **state)
{
	struct rules *r;

	(void)state;
	r = load("rule a\n\twhen text has \"bid rigging\"\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	assert_routes(r, "bid\xffrigging", "legal");
	assert_routes(r, "bid\xc3", "ethics");
	rules_free(r);
}

static void
test_rules__case_text__need_not_be_nul_terminated(void **state)
{
	struct rules_decision d;
	struct rules_case c;
	struct rules *r;
	char *cause = NULL;

	(void)state;
	r = load("rule a\n\twhen text has \"fraud\"\n\troute legal\n"
	         "recusal x\n\tunit legal\n\talternate ethics\n" TAIL);
	memset(&c, 0, sizeof(c));
	c.title = "fraudulent";
	c.title_len = 5;
	assert_int_equal(rules_route(r, &c, &d, &cause), 0);
	assert_string_equal(d.unit, "legal");
	rules_decision_clear(&d);
	c.title = NULL;
	c.title_len = 0;
	assert_int_equal(rules_route(r, &c, &d, &cause), 0);
	assert_string_equal(d.unit, "ethics");
	rules_decision_clear(&d);
	rules_decision_clear(&d);
	rules_free(r);
}

/* ---- Recusal ---- */

static void
test_rules__recused_subject__goes_to_alternate(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load(RECUSALS "rule fraud\n\twhen category is fraud\n"
	                  "\troute inspector-general\n"
	                  "rule default\n\troute ethics\n");
	route(r, "", "", "fraud", "inspector-general", &d);
	assert_string_equal(d.unit, "ethics");
	assert_string_equal(d.rule, "fraud");
	assert_int_equal(d.recused, 1);
	assert_string_equal(d.recusal_rule, "recusal-inspector-general");
	rules_decision_clear(&d);
	route(r, "", "", NULL, "ethics", &d);
	assert_string_equal(d.unit, "inspector-general");
	assert_string_equal(d.rule, "default");
	assert_string_equal(d.recusal_rule, "recusal-ethics");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__subject_of_another_unit__is_not_recused(void **state)
{
	struct rules_decision d;
	struct rules *r;

	(void)state;
	r = load(RECUSALS "rule default\n\troute ethics\n");
	route(r, "", "", NULL, "ombudsperson", &d);
	assert_string_equal(d.unit, "ethics");
	assert_int_equal(d.recused, 0);
	assert_string_equal(d.recusal_rule, "");
	rules_decision_clear(&d);
	route(r, "", "", NULL, "other", &d);
	assert_int_equal(d.recused, 0);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__without_catch_all__unmatched_case_fails(void **state)
{
	struct rules_decision d;
	struct rules_case c;
	struct rules *r;
	char *cause = NULL;

	(void)state;
	r = load("rule a\n\twhen category is fraud\n\troute ethics\n"
	         "recusal x\n\tunit ethics\n\talternate legal\n");
	memset(&c, 0, sizeof(c));
	assert_int_equal(rules_route(r, &c, &d, &cause), -1);
	assert_string_equal(cause, "no rule matches the case");
	assert_int_equal(d.nmatched, 0);
	free(cause);
	rules_free(r);
}

static void
test_rules__free_and_clear__accept_empty_values(void **state)
{
	struct rules_decision d;

	(void)state;
	memset(&d, 0, sizeof(d));
	rules_decision_clear(&d);
	rules_free(NULL);
}

/* ---- The default rules and the policy's precedence ---- */

static void
test_rules__precedence__recusal_beats_safeguarding(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");

	(void)state;
	route(r, "Ethics officer", "An ethics officer sexually harassed me.",
	    "workplace-dispute", "ethics", &d);
	assert_string_equal(d.rule, "safeguarding");
	assert_string_equal(d.unit, "inspector-general");
	assert_int_equal(d.recused, 1);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__precedence__safeguarding_beats_retaliation(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");

	(void)state;
	route(r, "", "He raped a beneficiary and took retaliation on me.",
	    "retaliation", NULL, &d);
	assert_string_equal(d.rule, "safeguarding");
	assert_string_equal(d.unit, "ethics");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__precedence__retaliation_beats_category(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");

	(void)state;
	route(r, "", "After I reported the fraud, I was demoted.", "fraud",
	    NULL, &d);
	assert_string_equal(d.rule, "retaliation");
	assert_string_equal(d.unit, "ethics");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__precedence__category_beats_content(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");

	(void)state;
	route(r, "", "The supplier pays kickbacks.", "legal", NULL, &d);
	assert_string_equal(d.rule, "category-legal");
	assert_string_equal(d.unit, "legal");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__precedence__content_beats_default(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");

	(void)state;
	route(r, "", "The supplier pays kickbacks.", NULL, NULL, &d);
	assert_string_equal(d.rule, "content-fraud");
	assert_string_equal(d.unit, "inspector-general");
	assert_matched(&d, 1, "kickback*");
	rules_decision_clear(&d);
	route(r, "Hello", "I am not sure where this goes.", NULL, NULL, &d);
	assert_string_equal(d.rule, "default");
	assert_string_equal(d.unit, "ethics");
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__default_rules__route_each_category(void **state)
{
	static const char *const want[][2] = {{"misconduct", "ethics"},
	    {"fraud", "inspector-general"}, {"retaliation", "ethics"},
	    {"workplace-dispute", "ombudsperson"},
	    {"conflict-of-interest", "ethics"}, {"data-protection", "legal"},
	    {"legal", "legal"}};
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		route(
		    r, "A case", "Please look at this.", want[i][0], NULL, &d);
		assert_string_equal(d.unit, want[i][1]);
		rules_decision_clear(&d);
	}
	rules_free(r);
}

static void
test_rules__default_rules__flag_threats_to_life_in_three_languages(void **state)
{
	static const char *const urgent[] = {
	    "My supervisor threatened to kill me.",
	    "A colleague talks about suicide.",
	    "J'ai reçu des menaces de mort.", "Mi vida está en peligro.",
	    "Me amenazó con un arma."};
	struct rules_decision d;
	struct rules *r = load_shipped("default.rules");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(urgent) / sizeof(urgent[0]); i++) {
		route(r, "", urgent[i], NULL, NULL, &d);
		if (!d.urgent)
			fail_msg("not urgent: %s", urgent[i]);
		rules_decision_clear(&d);
	}
	route(r, "", "The invoices were inflated.", NULL, NULL, &d);
	assert_int_equal(d.urgent, 0);
	rules_decision_clear(&d);
	rules_free(r);
}

static void
test_rules__default_rules__fear_of_retaliation_is_no_complaint(void **state)
{
	struct rules *r = load_shipped("default.rules");

	(void)state;
	assert_routes(r,
	    "I want to report bribery in procurement but I fear retaliation.",
	    "inspector-general");
	assert_routes(r,
	    "Je crains des représailles mais je signale une "
	    "fraude.",
	    "inspector-general");
	assert_routes(
	    r, "They took retaliation on me for my report.", "ethics");
	rules_free(r);
}

static void
test_rules__default_rules__harassment_beats_wish_for_mediation(void **state)
{
	struct rules *r = load_shipped("default.rules");

	(void)state;
	assert_routes(
	    r, "My colleague harasses me; I would prefer mediation.", "ethics");
	assert_routes(r,
	    "I have a disagreement with my colleague and would "
	    "like mediation.",
	    "ombudsperson");
	rules_free(r);
}

static void
test_rules__default_rules__data_breach_beats_theft(void **state)
{
	struct rules *r = load_shipped("default.rules");

	(void)state;
	assert_routes(
	    r, "A laptop with personal data of refugees was stolen.", "legal");
	assert_routes(
	    r, "A laptop was stolen from the office.", "inspector-general");
	rules_free(r);
}

static void
test_rules__oig_profile__sends_misconduct_to_inspector_general(void **state)
{
	struct rules_decision d;
	struct rules *r = load_shipped("oig-misconduct.rules");

	(void)state;
	route(r, "", "My supervisor harasses me.", "misconduct", NULL, &d);
	assert_string_equal(d.unit, "inspector-general");
	rules_decision_clear(&d);
	route(r, "", "A colleague sexually assaulted me.", NULL, NULL, &d);
	assert_string_equal(d.unit, "inspector-general");
	rules_decision_clear(&d);
	route(
	    r, "", "After I reported fraud, I was demoted.", "fraud", NULL, &d);
	assert_string_equal(d.unit, "ethics");
	assert_string_equal(d.rule, "retaliation");
	rules_decision_clear(&d);
	route(r, "", "May I accept this gift?", NULL, NULL, &d);
	assert_string_equal(d.unit, "ethics");
	rules_decision_clear(&d);
	route(r, "", "My supervisor harasses me.", "misconduct",
	    "inspector-general", &d);
	assert_string_equal(d.unit, "ethics");
	assert_int_equal(d.recused, 1);
	rules_decision_clear(&d);
	rules_free(r);
}

/* Routes one corpus case; returns 1 when it reached its expected unit. */
static int
route_corpus_case(const struct rules *r, json_t *c)
{
	const char *title, *narrative, *id;
	struct rules_decision d;
	char *want;
	int ok;

	id = json_string_value(json_object_get(c, "id"));
	want = strdup(json_string_value(json_object_get(c, "expect")));
	title = json_string_value(json_object_get(c, "title"));
	narrative = json_string_value(json_object_get(c, "narrative"));
	assert_non_null(want);
	assert_non_null(title);
	assert_non_null(narrative);
	/* The answers are not input. */
	json_object_del(c, "expect");
	json_object_del(c, "why");
	route(r, title, narrative,
	    json_string_value(json_object_get(c, "category")),
	    json_string_value(json_object_get(c, "subject_office")), &d);
	ok = strcmp(d.unit, want) == 0;
	if (!ok)
		print_error("%s: went to %s by rule %s, expected %s\n",
		    id ? id : "?", d.unit, d.rule, want);
	rules_decision_clear(&d);
	free(want);
	return ok;
}

static void
test_rules__default_rules__route_every_worked_example(void **state)
{
	const char *path =
	    MANDATE_SOURCE_DIR "/../shared/corpus/routing-visible.jsonl";
	size_t len, start, end, n = 0, bad = 0;
	struct rules *r;
	json_error_t err;
	char *text;
	json_t *c;

	(void)state;
	if ((text = read_file(path, &len)) == NULL) {
		skip();
		return;
	}
	r = load_shipped("default.rules");
	for (start = 0; start < len; start = end + 1) {
		for (end = start; end < len && text[end] != '\n'; end++)
			;
		if (end == start)
			continue;
		c = json_loadb(text + start, end - start, 0, &err);
		if (c == NULL)
			fail_msg("%s:%d: %s", path, err.line, err.text);
		n++;
		bad += !route_corpus_case(r, c);
		json_decref(c);
	}
	rules_free(r);
	free(text);
	assert_true(n > 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rules__file_too_large__is_refused),
	    cmocka_unit_test(test_rules__line_too_long__is_refused),
	    cmocka_unit_test(test_rules__control_character__is_refused),
	    cmocka_unit_test(test_rules__invalid_utf8__is_refused),
	    cmocka_unit_test(
	        test_rules__indented_line_outside_stanza__is_refused),
	    cmocka_unit_test(test_rules__unknown_stanza__is_refused),
	    cmocka_unit_test(test_rules__stanza_without_name__is_refused),
	    cmocka_unit_test(test_rules__bad_names__are_refused),
	    cmocka_unit_test(test_rules__duplicate_names__are_refused),
	    cmocka_unit_test(test_rules__rule_after_catch_all__is_refused),
	    cmocka_unit_test(test_rules__too_many_rules__are_refused),
	    cmocka_unit_test(test_rules__word_list_errors__are_refused),
	    cmocka_unit_test(test_rules__too_many_entries__are_refused),
	    cmocka_unit_test(test_rules__too_many_lists__are_refused),
	    cmocka_unit_test(test_rules__lexical_errors__are_refused),
	    cmocka_unit_test(test_rules__stanza_too_long__is_refused),
	    cmocka_unit_test(test_rules__condition_errors__are_refused),
	    cmocka_unit_test(test_rules__deep_nesting__is_refused),
	    cmocka_unit_test(test_rules__long_condition__is_refused),
	    cmocka_unit_test(test_rules__clause_errors__are_refused),
	    cmocka_unit_test(test_rules__recusal_errors__are_refused),
	    cmocka_unit_test(
	        test_rules__destination_without_recusal__is_refused),
	    cmocka_unit_test(test_rules__file_without_route__is_refused),
	    cmocka_unit_test(test_rules__bad_units__are_refused),
	    cmocka_unit_test(
	        test_rules__comments_blank_lines_and_crlf__are_ignored),
	    cmocka_unit_test(test_rules__first_match__wins),
	    cmocka_unit_test(
	        test_rules__flag_without_route__flags_and_lets_routing_go_on),
	    cmocka_unit_test(test_rules__flag_with_route__flags_and_routes),
	    cmocka_unit_test(
	        test_rules__flag_after_deciding_rule__is_not_reached),
	    cmocka_unit_test(
	        test_rules__category_condition__matches_listed_or_none),
	    cmocka_unit_test(
	        test_rules__subject_condition__matches_unit_other_or_none),
	    cmocka_unit_test(
	        test_rules__title_and_narrative_scopes__are_separate),
	    cmocka_unit_test(
	        test_rules__phrase__does_not_span_title_and_narrative),
	    cmocka_unit_test(test_rules__and_or_not_parentheses__combine),
	    cmocka_unit_test(
	        test_rules__has_list__accepts_several_lists_and_quoted_words),
	    cmocka_unit_test(
	        test_rules__prefix_wildcard__matches_words_starting_so),
	    cmocka_unit_test(test_rules__prefix_wildcard__folds_accents),
	    cmocka_unit_test(test_rules__exact_word__respects_word_boundaries),
	    cmocka_unit_test(
	        test_rules__phrase__needs_its_words_in_order_and_adjacent),
	    cmocka_unit_test(
	        test_rules__phrase__may_hold_stems_and_overlap_itself),
	    cmocka_unit_test(
	        test_rules__character_making_two_words__is_a_phrase),
	    cmocka_unit_test(test_rules__apostrophes_and_accents__match_alike),
	    cmocka_unit_test(
	        test_rules__longer_phrase__hides_the_words_inside_it),
	    cmocka_unit_test(
	        test_rules__matched__lists_unique_words_in_order_found),
	    cmocka_unit_test(
	        test_rules__matched__leaves_out_words_of_unused_conditions),
	    cmocka_unit_test(test_rules__invalid_utf8_in_case__separates_words),
	    cmocka_unit_test(test_rules__case_text__need_not_be_nul_terminated),
	    cmocka_unit_test(test_rules__recused_subject__goes_to_alternate),
	    cmocka_unit_test(
	        test_rules__subject_of_another_unit__is_not_recused),
	    cmocka_unit_test(
	        test_rules__without_catch_all__unmatched_case_fails),
	    cmocka_unit_test(test_rules__free_and_clear__accept_empty_values),
	    cmocka_unit_test(
	        test_rules__precedence__recusal_beats_safeguarding),
	    cmocka_unit_test(
	        test_rules__precedence__safeguarding_beats_retaliation),
	    cmocka_unit_test(
	        test_rules__precedence__retaliation_beats_category),
	    cmocka_unit_test(test_rules__precedence__category_beats_content),
	    cmocka_unit_test(test_rules__precedence__content_beats_default),
	    cmocka_unit_test(test_rules__default_rules__route_each_category),
	    cmocka_unit_test(
	        test_rules__default_rules__flag_threats_to_life_in_three_languages),
	    cmocka_unit_test(
	        test_rules__default_rules__fear_of_retaliation_is_no_complaint),
	    cmocka_unit_test(
	        test_rules__default_rules__harassment_beats_wish_for_mediation),
	    cmocka_unit_test(
	        test_rules__default_rules__data_breach_beats_theft),
	    cmocka_unit_test(
	        test_rules__oig_profile__sends_misconduct_to_inspector_general),
	    cmocka_unit_test(
	        test_rules__default_rules__route_every_worked_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
