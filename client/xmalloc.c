/*
 * Allocation that never fails from the caller's view: see xmalloc.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "xmalloc.h"

void
xmalloc_fatal(void)
{
	static const char msg[] = "mandate: out of memory\n";

	/* write(2), not stdio: stdio may itself need memory. */
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more to try */
	}
	_exit(EX_OSERR);
}

void *
xmalloc(size_t size)
{
	void *p;

	if ((p = malloc(size != 0 ? size : 1)) == NULL)
		xmalloc_fatal();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n != 0 ? n : 1, size != 0 ? size : 1)) == NULL)
		xmalloc_fatal();
	return p;
}

void *
xrealloc(void *p, size_t size)
{
	void *q;

	if ((q = realloc(p, size != 0 ? size : 1)) == NULL)
		xmalloc_fatal();
	return q;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		xmalloc_fatal();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmalloc_fatal();
	return s;
}
