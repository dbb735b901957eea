/*
 * The state a running daemon shares with its request handlers: the current
 * configuration and rules (each swapped whole on reload), and the database.
 */
#ifndef MANDATE_SERVER_H
#define MANDATE_SERVER_H

#include <stdint.h>
#include <sys/types.h>

struct config;
struct rules;
struct db;
struct ratelimit;
struct audit;

struct server {
	struct config *cfg;
	struct rules *rules;
	struct db *db;
	unsigned char *index_key;      /* blind indexes (secret.h) */
	struct ratelimit *receipts;    /* failed receipt checks per peer */
	struct ratelimit *submissions; /* submissions per peer */
	uid_t
	    daemon_uid; /* the daemon's own uid: administrator on the socket */
	struct audit *audit; /* the audit log's signing key (NULL: unsigned) */
};

/* The current time in seconds since the epoch, plus the configured
 * clock offset. */
int64_t server_now(void);

/* Sets the offset ([daemon] clock_offset_seconds, for tests only). */
void server_set_clock_offset(int64_t seconds);

#endif
