/*
 * Allocation for the client, tmux-style: running out of memory is the one
 * condition the client does not try to recover from, so these never return
 * NULL; they print "mandate: out of memory" and exit with EX_OSERR.
 */
#ifndef MANDATE_CLIENT_XMALLOC_H
#define MANDATE_CLIENT_XMALLOC_H

#include <stddef.h>

/* Prints "mandate: out of memory" and exits with EX_OSERR. */
void xmalloc_fatal(void) __attribute__((noreturn));

/* malloc(size), never NULL (size 0 allocates one byte). */
void *xmalloc(size_t size);

/* calloc(n, size) with the overflow check, never NULL. */
void *xcalloc(size_t n, size_t size);

/* realloc(p, size), never NULL. */
void *xrealloc(void *p, size_t size);

/* strdup(s), never NULL. */
char *xstrdup(const char *s);

/* A malloc'd formatted string, never NULL. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
