/*
 * Inside the rules module: the compiled form shared by the parser
 * (rules-parse.c), the word dictionary (rules-dict.c), the matcher
 * (rules-match.c) and the entry points (rules.c).  Not for other modules.
 */
#ifndef MANDATE_RULES_INT_H
#define MANDATE_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "norm.h"
#include "rules.h"

/* Bounds on what a rules file may hold: the parser refuses more. */
#define RULES_FILE_MAX (1024 * 1024) /* bytes in a rules file */
#define RULES_LINE_MAX 4096          /* bytes in a line */
#define RULES_NAME_MAX 64            /* bytes in a rule or list name */
#define RULES_RULES_MAX 1000         /* rules in a file */
#define RULES_LISTS_MAX 2000         /* word lists, quoted words included */
#define RULES_ENTRIES_MAX 50000      /* entries of all word lists */
#define RULES_PHRASE_MAX 8           /* words in a phrase */
#define RULES_WORD_MAX 64            /* bytes in a normalised word */
#define RULES_STEM_MIN 3             /* bytes before a '*' */
#define RULES_DEPTH_MAX 32           /* nesting of 'not' and '(' */
#define RULES_CONDS_MAX 512          /* condition nodes in one rule */
#define RULES_TOKENS_MAX 8192        /* tokens in one rule stanza */
#define RULES_UNITS_MAX 64           /* units passed to rules_load() */

/* Scopes a word condition looks in. */
#define RULES_SCOPE_TITLE 1u
#define RULES_SCOPE_NARRATIVE 2u

/* Values of a category condition: the categories of MANDATE_CATEGORIES
 * by index, then this one for "no category". */
#define RULES_CATEGORY_NONE 7u
#define RULES_CATEGORY_COUNT 7u

/* Values of a subject condition besides unit indexes. */
#define RULES_SUBJECT_OTHER 0xfffffff0u
#define RULES_SUBJECT_NONE 0xfffffff1u

#define RULES_NONE (-1)

/*
 * All the words of all lists, compiled into one structure.  A normalised
 * word ("fraud") or stem ("embezzl*") is a "pattern".  Exact words live in
 * a hash table, found with one probe per text word; stems live in a byte
 * trie, so that one walk along a text word finds every stem it starts
 * with.  A term (a list entry: one word or a phrase of up to
 * RULES_PHRASE_MAX patterns) is a path in a second trie whose edges are
 * pattern ids, held in another hash table.
 */
struct rules_dict {
	/* Exact words: open addressing over xslots, strings in xpool. */
	struct rules_xslot *xslots;
	size_t xcap, xcount;
	char *xpool;
	size_t xpoolused, xpoolcap;

	/* Stem trie; node 0 is the root.  While loading, children are
	 * sibling-linked; rules_dict_freeze() turns them into sorted edge
	 * arrays (edge_first/edge_count into ebyte/echild). */
	struct rules_pnode *pnodes;
	size_t npnodes, cappnodes;
	uint8_t *ebyte;
	uint32_t *echild;
	uint32_t root[256]; /* children of the root, 0 = none, once frozen */
	size_t npatterns;

	/* Phrase trie; node 0 is the root.  Edge (node, pattern) -> child. */
	uint64_t *hkeys; /* (node << 32 | pattern) + 1; 0 = empty slot */
	uint32_t *hvals;
	size_t hcap, hcount;
	int32_t *fterm; /* term ending at a phrase node, or RULES_NONE */
	size_t nfnodes, capfnodes;

	struct rules_term *terms;
	size_t nterms, capterms;
	size_t nentries;
};

struct rules_xslot {
	uint32_t hash;
	uint32_t pattern; /* pattern id + 1; 0 = empty slot */
	uint32_t off;     /* word in xpool */
	uint32_t len;
};

struct rules_pnode {
	uint32_t first_child;  /* while loading; 0 = none */
	uint32_t next_sibling; /* while loading; 0 = none */
	uint32_t edge_first;   /* once frozen */
	uint16_t edge_count;   /* once frozen */
	uint8_t byte;          /* label of the edge from the parent */
	int32_t stem; /* pattern: any word starting so, or RULES_NONE */
};

struct rules_term {
	char *display;   /* normalised, e.g. "conflit d'interets", "brib*" */
	uint32_t *lists; /* lists holding the term, ascending */
	size_t nlists, caplists;
	uint8_t words; /* number of words in the phrase */
};

struct rules_list {
	char *name; /* NULL for a quoted word in a condition */
	size_t line;
	size_t nentries;
};

enum rules_cond_kind {
	RULES_COND_ALL,      /* and: children in idx[first..first+count) */
	RULES_COND_ANY,      /* or: likewise */
	RULES_COND_NOT,      /* one child */
	RULES_COND_CATEGORY, /* category values in idx[] */
	RULES_COND_SUBJECT,  /* subject values in idx[] */
	RULES_COND_WORDS     /* list ids in idx[], scope */
};

struct rules_cond {
	enum rules_cond_kind kind;
	unsigned int scope;
	uint32_t first;
	uint32_t count;
};

struct rules_rule {
	char *name;
	size_t line;
	int32_t cond; /* root condition, or RULES_NONE for "always" */
	int32_t unit; /* destination unit index, or RULES_NONE */
	int urgent;   /* 1 with "flag urgent" */
	size_t route_line, route_col;
};

struct rules_recusal {
	char *name;
	size_t line;
	int32_t alternate; /* unit index, or RULES_NONE */
};

struct rules {
	char **units;
	size_t nunits;
	struct rules_recusal *recusal; /* one slot per unit */
	size_t nrecusals;

	struct rules_rule *rules;
	size_t nrules, caprules;
	struct rules_cond *conds;
	size_t nconds, capconds;
	uint32_t *idx;
	size_t nidx, capidx;
	struct rules_list *lists;
	size_t nlists, caplists;

	struct rules_dict dict;
	struct norm_table norm; /* for scanning cases */
};

/* Parses text into r, whose units are set.  Returns 0, or -1 with
 * *cause set (caller frees) to "FILE:LINE:COLUMN: message". */
int rules_parse_text(struct rules *r, const char *text, size_t len,
    const char *filename, char **cause);

/*
 * Adds a list entry, already cut into normalised words, to the dictionary.
 * words[i]/lens[i] is word i, stems[i] is 1 when it ends in '*'.  display
 * is the entry as shown in decisions.  Returns the term id (>= 0), or -1
 * when memory runs out.
 */
int32_t rules_dict_add(struct rules_dict *d, uint32_t list,
    const char *const *words, const size_t *lens, const int *stems,
    size_t nwords, const char *display);

/* Turns the pattern trie into its matching form.  Returns 0 or -1 when
 * memory runs out.  No rules_dict_add() after this. */
int rules_dict_freeze(struct rules_dict *d);

/* Releases what the dictionary holds and zeroes it. */
void rules_dict_clear(struct rules_dict *d);

/*
 * Finds the patterns a normalised text word matches: its exact word and
 * every stem that is a prefix of it.  Stores up to max pattern ids in
 * out and returns how many.
 */
size_t rules_dict_lookup(const struct rules_dict *d,
    const struct norm_token *tok, uint32_t *out, size_t max);

/* The child of phrase node along pattern, or RULES_NONE. */
int32_t rules_dict_step(
    const struct rules_dict *d, uint32_t node, uint32_t pattern);

/* Grows *array (of elem-sized items, *cap of them) to hold at least
 * need, doubling.  Returns 0, or -1 when memory runs out (the array is
 * then unchanged). */
int rules_grow(void *array, size_t *cap, size_t need, size_t elem);

/* Index of category name s in MANDATE_CATEGORIES, or RULES_NONE. */
int rules_category_index(const char *s, size_t len);

/* Index of unit id s among r->units, or RULES_NONE. */
int rules_unit_index(const struct rules *r, const char *s, size_t len);

#endif
