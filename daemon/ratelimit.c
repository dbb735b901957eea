/*
 * A small open-addressing table of peers keyed by a hash of their name;
 * entries whose window has passed are reused, and when the table is full
 * the oldest window is evicted, so memory stays bounded whatever the
 * number of peers.
 */
#include "ratelimit.h"

#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "log.h"

#define RATELIMIT_SLOTS 4096

struct ratelimit_slot {
	unsigned char peer[16]; /* hash of the peer name; all zero: free */
	int64_t start;
	unsigned failures;
};

struct ratelimit {
	unsigned max, window;
	struct ratelimit_slot slot[RATELIMIT_SLOTS];
};

struct ratelimit *
ratelimit_new(unsigned max, unsigned window)
{
	struct ratelimit *rl = calloc(1, sizeof *rl);

	if (rl == NULL)
		fatalx("ratelimit: out of memory");
	ratelimit_set(rl, max, window);
	return rl;
}

void
ratelimit_set(struct ratelimit *rl, unsigned max, unsigned window)
{
	rl->max = max;
	rl->window = window;
}

/* The slot of peer, or NULL; with create, a fresh or expired one. */
static struct ratelimit_slot *
ratelimit_find(struct ratelimit *rl, const char *peer, int64_t now, int create)
{
	unsigned char h[CRYPT_HASH_LEN];
	struct ratelimit_slot *s, *oldest = NULL;
	size_t start;

	crypt_hash(h, peer, strlen(peer));
	h[0] |= 1; /* never all zero */
	memcpy(&start, h + 8, sizeof start);
	for (size_t i = 0; i < 16; i++) {
		s = &rl->slot[(start + i) % RATELIMIT_SLOTS];
		if (memcmp(s->peer, h, sizeof s->peer) == 0) {
			if (now - s->start >= rl->window) {
				s->start = now;
				s->failures = 0;
			}
			return s;
		}
		if (oldest == NULL || s->start < oldest->start)
			oldest = s;
	}
	if (!create)
		return NULL;
	memcpy(oldest->peer, h, sizeof oldest->peer);
	oldest->start = now;
	oldest->failures = 0;
	return oldest;
}

unsigned
ratelimit_wait(struct ratelimit *rl, const char *peer, int64_t now)
{
	struct ratelimit_slot *s = ratelimit_find(rl, peer, now, 0);

	if (s == NULL || s->failures < rl->max)
		return 0;
	return (unsigned)(s->start + rl->window - now);
}

void
ratelimit_fail(struct ratelimit *rl, const char *peer, int64_t now)
{
	struct ratelimit_slot *s = ratelimit_find(rl, peer, now, 1);

	s->failures++;
}

void
ratelimit_count(struct ratelimit *rl, const char *peer, int64_t now)
{
	ratelimit_fail(rl, peer, now);
}

void
ratelimit_free(struct ratelimit *rl)
{
	free(rl);
}
