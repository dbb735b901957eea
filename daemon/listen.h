/*
 * Listening sockets: the Unix socket (mode 0666: authorization comes from
 * the peer's credentials), an optional TCP address, sockets passed by
 * systemd's socket activation, and the peer credentials of a connection.
 */
#ifndef MANDATE_LISTEN_H
#define MANDATE_LISTEN_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Binds and listens on a Unix socket at path, replacing a stale socket
 * file (but never a live socket or another kind of file).  Returns the
 * non-blocking fd, or -1 with *cause set.
 */
int listen_unix(const char *path, char **cause)
    __attribute__((warn_unused_result));

/* Binds and listens on "host:port" (or "[v6]:port").  Returns the fd, or
 * -1 with *cause set. */
int listen_tcp(const char *hostport, char **cause)
    __attribute__((warn_unused_result));

/*
 * The listeners systemd passed (LISTEN_FDS for this pid), made
 * non-blocking.  Returns their number (0 when none) with the first fd in
 * *first; bit i of *metrics is set when listener i is named "metrics"
 * (FileDescriptorName=metrics in LISTEN_FDNAMES): it serves only
 * GET /metrics.  The environment variables are unset.
 */
int listen_activated(int *first, unsigned *metrics);

/*
 * Turns Nagle's algorithm off on a connected TCP socket (nothing on a Unix
 * one): a reply goes out whole at once instead of waiting for the
 * client's delayed acknowledgement of its first segment.
 */
void listen_nodelay(int fd);

/* Nonzero when fd is a Unix-domain socket. */
int listen_is_unix(int fd);

/* The uid of the peer of a connected Unix socket: 0 or -1. */
int listen_peer_uid(int fd, uid_t *uid) __attribute__((warn_unused_result));

#endif
