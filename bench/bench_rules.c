/*
 * Benchmark of routing: loads the default rules and routes generated
 * narratives of 2 KiB and 64 KiB, a mix of English, French and Spanish
 * drawn from a fixed seed, many times each, and prints the mean time per
 * route next to its target.  Not a test: timings depend on the machine.
 *
 *	bench_rules [RULES-FILE [SEED]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules.h"

#ifndef MANDATE_SOURCE_DIR
#define MANDATE_SOURCE_DIR "."
#endif

/* Ordinary words of the three languages, some accented, some apostrophed,
 * and a few that the default rules list. */
static const char *const bench_words[] = {"the", "office", "staff", "member",
    "report", "meeting", "project", "during", "mission", "field", "supervisor",
    "colleague", "because", "after", "budget", "would", "which", "invoice",
    "team", "travel", "le", "la", "les", "des", "du", "bureau", "réunion",
    "équipe", "collègue", "depuis", "après", "dépenses", "d'intérêts",
    "l'équipe", "qu'il", "à", "été", "très", "où", "el", "los", "las", "una",
    "oficina", "reunión", "compañero", "después", "también", "información",
    "niño", "año", "más", "ESTÁ", "Straße", "cœur", "kickbacks", "harcèlement",
    "mediación", "personal", "data", "contract", "gift", "retaliation",
    "fraude", "Ｆｕｌｌ"};

static uint64_t
bench_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Fills buf with size bytes of words and punctuation (NUL-terminated). */
static void
bench_text(char *buf, size_t size, uint64_t *state)
{
	size_t nwords = sizeof(bench_words) / sizeof(bench_words[0]);
	size_t used = 0, n;
	const char *w;
	uint64_t r;

	while (used + 1 < size) {
		r = bench_next(state);
		w = bench_words[r % nwords];
		n = strlen(w);
		if (used + n + 2 >= size)
			break;
		memcpy(buf + used, w, n);
		used += n;
		buf[used++] = (r >> 32) % 11 == 0 ? '.' : ' ';
	}
	while (used + 1 < size)
		buf[used++] = ' ';
	buf[used] = '\0';
}

static char *
bench_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL || (buf = malloc(4 << 20)) == NULL) {
		perror(path);
		exit(1);
	}
	*len = fread(buf, 1, 4 << 20, f);
	fclose(f);
	return buf;
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Routes a text of size bytes rounds times; returns µs per route. */
static double
bench_run(const struct rules *rules, size_t size, int rounds, uint64_t *seed)
{
	struct rules_decision d;
	struct rules_case c;
	char *text, *cause = NULL;
	double start, total;
	int i;

	if ((text = malloc(size + 1)) == NULL)
		exit(1);
	bench_text(text, size + 1, seed);
	memset(&c, 0, sizeof(c));
	c.title = "Bench";
	c.title_len = 5;
	c.narrative = text;
	c.narrative_len = size;
	start = bench_now();
	for (i = 0; i < rounds; i++) {
		if (rules_route(rules, &c, &d, &cause) == -1) {
			fprintf(stderr, "route: %s\n", cause);
			exit(1);
		}
		rules_decision_clear(&d);
	}
	total = bench_now() - start;
	free(text);
	return total * 1e6 / rounds;
}

int
main(int argc, char **argv)
{
	const char *units[] = {
	    "ethics", "ombudsperson", "inspector-general", "legal"};
	const char *path = MANDATE_SOURCE_DIR "/rules/default.rules";
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct rules *rules;
	char *text, *cause = NULL;
	size_t len;
	double small, large;

	if (argc > 1)
		path = argv[1];
	if (argc > 2)
		seed = strtoull(argv[2], NULL, 0) | 1;
	text = bench_read(path, &len);
	rules = rules_load(text, len, path, units, 4, &cause);
	free(text);
	if (rules == NULL) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	printf("%s: %zu rules, %zu words and phrases\n", path,
	    rules_count(rules), rules_word_count(rules));
	small = bench_run(rules, 2 * 1024, 20000, &seed);
	large = bench_run(rules, 64 * 1024, 1000, &seed);
	printf(
	    "2 KiB narrative:  %8.1f us per route (target < 50 us)\n", small);
	printf(
	    "64 KiB narrative: %8.1f us per route (target < 1000 us)\n", large);
	rules_free(rules);
	return 0;
}
