/*
 * The word dictionary of compiled rules: every word, stem and phrase of
 * every list in one structure, so that the cost of matching a text word
 * does not depend on how many words the rules hold (see rules-int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"

static uint64_t
rules_dict_hash(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Slot of key in the phrase-edge table: where it is, or where it goes. */
static size_t
rules_dict_slot(const struct rules_dict *d, uint64_t key)
{
	size_t mask = d->hcap - 1, i;

	i = (size_t)rules_dict_hash(key) & mask;
	while (d->hkeys[i] != 0 && d->hkeys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static int
rules_dict_rehash(struct rules_dict *d)
{
	struct rules_dict old = *d;
	size_t i, slot;

	d->hcap = old.hcap == 0 ? 256 : old.hcap * 2;
	d->hkeys = calloc(d->hcap, sizeof(*d->hkeys));
	d->hvals = calloc(d->hcap, sizeof(*d->hvals));
	if (d->hkeys == NULL || d->hvals == NULL) {
		free(d->hkeys);
		free(d->hvals);
		d->hkeys = old.hkeys;
		d->hvals = old.hvals;
		d->hcap = old.hcap;
		return -1;
	}
	for (i = 0; i < old.hcap; i++) {
		if (old.hkeys[i] == 0)
			continue;
		slot = rules_dict_slot(d, old.hkeys[i]);
		d->hkeys[slot] = old.hkeys[i];
		d->hvals[slot] = old.hvals[i];
	}
	free(old.hkeys);
	free(old.hvals);
	return 0;
}

static int32_t
rules_dict_new_pnode(struct rules_dict *d, uint8_t byte)
{
	struct rules_pnode *n;

	if (rules_grow(&d->pnodes, &d->cappnodes, d->npnodes + 1,
	        sizeof(*d->pnodes)) == -1)
		return RULES_NONE;
	n = &d->pnodes[d->npnodes];
	memset(n, 0, sizeof(*n));
	n->byte = byte;
	n->stem = RULES_NONE;
	return (int32_t)d->npnodes++;
}

/* The child of trie node parent labelled byte, made if missing; children
 * stay sorted by byte.  Returns RULES_NONE when memory runs out. */
static int32_t
rules_dict_pchild(struct rules_dict *d, uint32_t parent, uint8_t byte)
{
	uint32_t *link = &d->pnodes[parent].first_child;
	int32_t child;

	while (*link != 0 && d->pnodes[*link].byte < byte)
		link = &d->pnodes[*link].next_sibling;
	if (*link != 0 && d->pnodes[*link].byte == byte)
		return (int32_t)*link;
	if ((child = rules_dict_new_pnode(d, byte)) == RULES_NONE)
		return RULES_NONE;
	/* pnodes may have moved: find the link again. */
	link = &d->pnodes[parent].first_child;
	while (*link != 0 && d->pnodes[*link].byte < byte)
		link = &d->pnodes[*link].next_sibling;
	d->pnodes[child].next_sibling = *link;
	*link = (uint32_t)child;
	return child;
}

static uint32_t
rules_dict_fnv(const char *w, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)w[i];
		h *= 16777619u;
	}
	return h;
}

/* Slot of word w in the exact-word table: where it is, or where it goes. */
static size_t
rules_dict_xslot(
    const struct rules_dict *d, const char *w, size_t len, uint32_t hash)
{
	size_t mask = d->xcap - 1, i = hash & mask;
	const struct rules_xslot *x;

	for (;; i = (i + 1) & mask) {
		x = &d->xslots[i];
		if (x->pattern == 0 ||
		    (x->hash == hash && x->len == len &&
		        memcmp(d->xpool + x->off, w, len) == 0))
			return i;
	}
}

static int
rules_dict_xgrow(struct rules_dict *d)
{
	struct rules_xslot *old = d->xslots, *x;
	size_t oldcap = d->xcap, i;

	d->xcap = oldcap == 0 ? 1024 : oldcap * 2;
	if ((d->xslots = calloc(d->xcap, sizeof(*d->xslots))) == NULL) {
		d->xslots = old;
		d->xcap = oldcap;
		return -1;
	}
	for (i = 0; i < oldcap; i++) {
		if (old[i].pattern == 0)
			continue;
		x = &d->xslots[rules_dict_xslot(
		    d, d->xpool + old[i].off, old[i].len, old[i].hash)];
		*x = old[i];
	}
	free(old);
	return 0;
}

/* The pattern id of an exact word, made if missing, or RULES_NONE. */
static int32_t
rules_dict_exact(struct rules_dict *d, const char *w, size_t len)
{
	uint32_t hash = rules_dict_fnv(w, len);
	struct rules_xslot *x;

	if ((d->xcount + 1) * 2 > d->xcap && rules_dict_xgrow(d) == -1)
		return RULES_NONE;
	x = &d->xslots[rules_dict_xslot(d, w, len, hash)];
	if (x->pattern != 0)
		return (int32_t)(x->pattern - 1);
	if (rules_grow(&d->xpool, &d->xpoolcap, d->xpoolused + len, 1) == -1)
		return RULES_NONE;
	memcpy(d->xpool + d->xpoolused, w, len);
	x->hash = hash;
	x->off = (uint32_t)d->xpoolused;
	x->len = (uint32_t)len;
	x->pattern = (uint32_t)++d->npatterns;
	d->xpoolused += len;
	d->xcount++;
	return (int32_t)(x->pattern - 1);
}

/* The pattern id of a word or stem, made if missing, or RULES_NONE. */
static int32_t
rules_dict_pattern(struct rules_dict *d, const char *w, size_t len, int stem)
{
	int32_t node = 0;
	size_t i;

	if (!stem)
		return rules_dict_exact(d, w, len);
	if (d->npnodes == 0 && rules_dict_new_pnode(d, 0) == RULES_NONE)
		return RULES_NONE;
	for (i = 0; i < len; i++)
		if ((node = rules_dict_pchild(
		         d, (uint32_t)node, (uint8_t)w[i])) == RULES_NONE)
			return RULES_NONE;
	if (d->pnodes[node].stem == RULES_NONE)
		d->pnodes[node].stem = (int32_t)d->npatterns++;
	return d->pnodes[node].stem;
}

/* The phrase node reached from node along pattern, made if missing. */
static int32_t
rules_dict_fchild(struct rules_dict *d, uint32_t node, uint32_t pattern)
{
	uint64_t key = ((uint64_t)node << 32 | pattern) + 1;
	size_t slot;

	if ((d->hcount + 1) * 2 > d->hcap && rules_dict_rehash(d) == -1)
		return RULES_NONE;
	slot = rules_dict_slot(d, key);
	if (d->hkeys[slot] == key)
		return (int32_t)d->hvals[slot];
	if (rules_grow(&d->fterm, &d->capfnodes, d->nfnodes + 1,
	        sizeof(*d->fterm)) == -1)
		return RULES_NONE;
	d->fterm[d->nfnodes] = RULES_NONE;
	d->hkeys[slot] = key;
	d->hvals[slot] = (uint32_t)d->nfnodes;
	d->hcount++;
	return (int32_t)d->nfnodes++;
}

static int32_t
rules_dict_new_term(struct rules_dict *d, const char *display, size_t nwords)
{
	struct rules_term *t;

	if (rules_grow(&d->terms, &d->capterms, d->nterms + 1,
	        sizeof(*d->terms)) == -1)
		return RULES_NONE;
	t = &d->terms[d->nterms];
	memset(t, 0, sizeof(*t));
	if ((t->display = strdup(display)) == NULL)
		return RULES_NONE;
	t->words = (uint8_t)nwords;
	return (int32_t)d->nterms++;
}

int32_t
rules_dict_add(struct rules_dict *d, uint32_t list, const char *const *words,
    const size_t *lens, const int *stems, size_t nwords, const char *display)
{
	int32_t node = 0, pattern, term;
	struct rules_term *t;
	size_t i;

	if (d->nfnodes == 0) {
		if (rules_grow(
		        &d->fterm, &d->capfnodes, 1, sizeof(*d->fterm)) == -1)
			return -1;
		d->fterm[0] = RULES_NONE;
		d->nfnodes = 1;
	}
	for (i = 0; i < nwords; i++) {
		pattern = rules_dict_pattern(d, words[i], lens[i], stems[i]);
		if (pattern == RULES_NONE)
			return -1;
		node = rules_dict_fchild(d, (uint32_t)node, (uint32_t)pattern);
		if (node == RULES_NONE)
			return -1;
	}
	if ((term = d->fterm[node]) == RULES_NONE) {
		if ((term = rules_dict_new_term(d, display, nwords)) ==
		    RULES_NONE)
			return -1;
		d->fterm[node] = term;
	}
	t = &d->terms[term];
	d->nentries++;
	/* Lists are filled in order, so a repeat is always the last one. */
	if (t->nlists > 0 && t->lists[t->nlists - 1] == list)
		return term;
	if (rules_grow(&t->lists, &t->caplists, t->nlists + 1,
	        sizeof(*t->lists)) == -1)
		return -1;
	t->lists[t->nlists++] = list;
	return term;
}

int
rules_dict_freeze(struct rules_dict *d)
{
	size_t i, nedges = 0;
	uint32_t c;

	if (d->npnodes == 0 && rules_dict_new_pnode(d, 0) == RULES_NONE)
		return -1;
	d->ebyte = malloc(d->npnodes);
	d->echild = reallocarray(NULL, d->npnodes, sizeof(*d->echild));
	if (d->ebyte == NULL || d->echild == NULL)
		return -1;
	for (i = 0; i < d->npnodes; i++) {
		d->pnodes[i].edge_first = (uint32_t)nedges;
		for (c = d->pnodes[i].first_child; c != 0;
		     c = d->pnodes[c].next_sibling) {
			d->ebyte[nedges] = d->pnodes[c].byte;
			d->echild[nedges++] = c;
		}
		d->pnodes[i].edge_count =
		    (uint16_t)(nedges - d->pnodes[i].edge_first);
	}
	for (c = d->pnodes[0].first_child; c != 0;
	     c = d->pnodes[c].next_sibling)
		d->root[d->pnodes[c].byte] = c;
	return 0;
}

void
rules_dict_clear(struct rules_dict *d)
{
	size_t i;

	for (i = 0; i < d->nterms; i++) {
		free(d->terms[i].display);
		free(d->terms[i].lists);
	}
	free(d->terms);
	free(d->xslots);
	free(d->xpool);
	free(d->pnodes);
	free(d->ebyte);
	free(d->echild);
	free(d->hkeys);
	free(d->hvals);
	free(d->fterm);
	memset(d, 0, sizeof(*d));
}

/* The child of frozen trie node n labelled byte, or RULES_NONE.  Nodes
 * below the root have few children: a short scan beats a search. */
static int32_t
rules_dict_edge(
    const struct rules_dict *d, const struct rules_pnode *n, uint8_t byte)
{
	size_t lo = n->edge_first, hi = lo + n->edge_count, mid;

	while (hi - lo > 8) {
		mid = lo + (hi - lo) / 2;
		if (d->ebyte[mid] < byte)
			lo = mid + 1;
		else
			hi = mid + 1;
	}
	for (; lo < hi && d->ebyte[lo] <= byte; lo++)
		if (d->ebyte[lo] == byte)
			return (int32_t)d->echild[lo];
	return RULES_NONE;
}

size_t
rules_dict_lookup(const struct rules_dict *d, const struct norm_token *tok,
    uint32_t *out, size_t max)
{
	const struct rules_pnode *n;
	const struct rules_xslot *x;
	size_t i, found = 0;
	int32_t child;

	if (d->xcap > 0 && !tok->truncated) {
		x = &d->xslots[rules_dict_xslot(d, tok->text, tok->len,
		    rules_dict_fnv(tok->text, tok->len))];
		if (x->pattern != 0 && max > 0)
			out[found++] = x->pattern - 1;
	}
	if (d->npnodes == 0 || d->ebyte == NULL)
		return found;
	if (tok->len == 0 || d->root[(uint8_t)tok->text[0]] == 0)
		return found;
	n = &d->pnodes[0];
	for (i = 0; i < tok->len && found < max; i++) {
		child = i == 0 ? (int32_t)d->root[(uint8_t)tok->text[0]]
		               : rules_dict_edge(d, n, (uint8_t)tok->text[i]);
		if (child == RULES_NONE)
			break;
		n = &d->pnodes[child];
		if (n->stem != RULES_NONE)
			out[found++] = (uint32_t)n->stem;
	}
	return found;
}

int32_t
rules_dict_step(const struct rules_dict *d, uint32_t node, uint32_t pattern)
{
	uint64_t key = ((uint64_t)node << 32 | pattern) + 1;
	size_t slot;

	if (d->hcap == 0)
		return RULES_NONE;
	slot = rules_dict_slot(d, key);
	return d->hkeys[slot] == key ? (int32_t)d->hvals[slot] : RULES_NONE;
}
