/*
 * The free-space reserve: writes are refused while the file system that
 * holds the database has less than [daemon] min_free_bytes available, so
 * that SQLite never meets a full disk halfway through a transaction and
 * reads, with the audit entries they append, keep working.
 */
#ifndef MANDATE_STORAGE_H
#define MANDATE_STORAGE_H

struct server;

/* What a refused write is told, with 507 storage_full. */
#define STORAGE_FULL_MESSAGE                                                 \
	"the server is low on disk space and keeps its free-space reserve: " \
	"nothing was changed; reads still work; retry later"

/*
 * Returns 1 when a write may go ahead: the database's file system has at
 * least min_free_bytes available to the daemon (statvfs f_bavail *
 * f_frsize, measured at most once a second), or the reserve is 0, or the
 * free space cannot be measured (logged).  Returns 0 below the reserve.
 * Entering and leaving the reserve are logged once each.
 */
int storage_reserve_ok(struct server *srv) __attribute__((nonnull));

#endif
