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

struct server {
	struct config *cfg;
	struct rules *rules;
	struct db *db;
	uid_t daemon_uid; /* the daemon's own uid: administrator on the socket */
};

/* The current time in seconds since the epoch. */
int64_t server_now(void);

#endif
