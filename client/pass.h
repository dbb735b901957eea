/*
 * Passphrases: read from the terminal without echo, or one line from a
 * file descriptor (--passphrase-fd N, MANDATE_PASSPHRASE_FD), never from
 * argv.  The text lives in a locked page kept out of core dumps and is
 * wiped when released.
 *
 * Functions return 0, or a sysexits(3) status with *cause set (caller
 * frees; *cause must be NULL on entry).
 */
#ifndef MANDATE_CLIENT_PASS_H
#define MANDATE_CLIENT_PASS_H

#include <stddef.h>

#define PASS_MAX 1024 /* bytes */

struct pass {
	char *buf;  /* NUL-terminated; owned, release with pass_clear() */
	size_t len; /* without the NUL */
};

/*
 * The descriptor to read from: arg (a --passphrase-fd value) when not
 * NULL, else $MANDATE_PASSPHRASE_FD when set, else -1 for the terminal.
 * EX_USAGE when the value is not a descriptor number.
 */
int pass_resolve_fd(const char *arg, int *fd, char **cause)
    __attribute__((warn_unused_result));

/*
 * Reads a passphrase into *p: with fd >= 0, one line from fd (newline
 * stripped, nothing read past it); with fd < 0, from /dev/tty after
 * prompt (also when fd is itself a terminal), without echo, the terminal
 * restored on every path (on SIGINT, SIGTERM, SIGHUP or SIGQUIT it is restored
 * before the signal is re-raised).  EX_NOINPUT when there is no terminal,
 * EX_DATAERR when the line is longer than PASS_MAX, EX_IOERR when reading
 * fails.
 */
int pass_read(struct pass *p, int fd, const char *prompt, char **cause)
    __attribute__((warn_unused_result));

/*
 * Reads a new passphrase: on the terminal twice (the two must match), from
 * fd once.  Refuses an empty one.  EX_DATAERR when they differ or it is
 * empty; otherwise as pass_read().
 */
int pass_read_new(struct pass *p, int fd, char **cause)
    __attribute__((warn_unused_result));

/* Wipes and releases the passphrase; accepts an empty struct pass. */
void pass_clear(struct pass *p);

#endif
