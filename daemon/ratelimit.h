/*
 * Per-peer event counting in a fixed window: failures for guessable
 * secrets (receipts), and submissions.  In memory only, keyed by a hash of
 * the peer's name, so that nothing about who tried is written anywhere.
 */
#ifndef MANDATE_RATELIMIT_H
#define MANDATE_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* A limiter allowing max failures per window seconds; fatal on ENOMEM. */
struct ratelimit *ratelimit_new(unsigned max, unsigned window);

/* Changes the limits (reload). */
void ratelimit_set(struct ratelimit *rl, unsigned max, unsigned window);

/* Seconds until peer may try again, or 0 when it may try now. */
unsigned ratelimit_wait(struct ratelimit *rl, const char *peer, int64_t now);

/* Counts one failure of peer. */
void ratelimit_fail(struct ratelimit *rl, const char *peer, int64_t now);

/* Counts one event of peer (a submission): the same count as a failure,
 * for limiters of things that succeed. */
void ratelimit_count(struct ratelimit *rl, const char *peer, int64_t now);

/* Frees the limiter; accepts NULL. */
void ratelimit_free(struct ratelimit *rl);

#endif
