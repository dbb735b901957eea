/*
 * Logging to stderr for the daemon: see log.h.  Lines are written with one
 * write(2) each so that concurrent writers do not interleave.
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

static const char *log_name = "mandated";
static enum log_level log_level = LOG_LEVEL_INFO;
static int log_prefix_priority;
static int log_syslog; /* detached from the terminal: lines go to syslog */
static unsigned long long log_request;

void
log_init(const char *name, enum log_level level)
{
	log_name = name;
	log_level = level;
	log_prefix_priority = getenv("JOURNAL_STREAM") != NULL;
}

int
log_set_level_name(const char *name)
{
	static const struct {
		const char *name;
		enum log_level level;
	} levels[] = {
	    {"error", LOG_LEVEL_ERR},
	    {"warning", LOG_LEVEL_WARNING},
	    {"notice", LOG_LEVEL_NOTICE},
	    {"info", LOG_LEVEL_INFO},
	    {"debug", LOG_LEVEL_DEBUG},
	};
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		if (strcasecmp(name, levels[i].name) == 0) {
			log_level = levels[i].level;
			return 0;
		}
	}
	return -1;
}

void
log_to_syslog(void)
{
	openlog(log_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = 1;
}

void
log_set_request(unsigned long long id)
{
	log_request = id;
}

static void log_vwrite(enum log_level level, int errnum, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

static void
log_vwrite(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n = 0, prefix;
	int r;

	if (level > log_level)
		return;
	if (log_prefix_priority)
		n += (size_t)snprintf(line, sizeof line, "<%d>", (int)level);
	else if (!log_syslog)
		n += (size_t)snprintf(line, sizeof line, "%s: ", log_name);
	prefix = n;
	if (log_request != 0 && n < sizeof line)
		n += (size_t)snprintf(
		    line + n, sizeof line - n, "[req %llu] ", log_request);
	if (n < sizeof line) {
		r = vsnprintf(line + n, sizeof line - n, fmt, ap);
		if (r > 0)
			n += (size_t)r;
	}
	if (errnum != 0 && n < sizeof line)
		n += (size_t)snprintf(
		    line + n, sizeof line - n, ": %s", strerror(errnum));
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	if (log_syslog) {
		line[n] = '\0';
		syslog((int)level, "%s", line + prefix);
		return;
	}
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

#define LOG_DEFINE(fn, level, with_errno)                           \
	void fn(const char *fmt, ...)                               \
	{                                                           \
		int saved = errno;                                  \
		va_list ap;                                         \
		va_start(ap, fmt);                                  \
		log_vwrite(level, with_errno ? saved : 0, fmt, ap); \
		va_end(ap);                                         \
		errno = saved;                                      \
	}

LOG_DEFINE(log_warn, LOG_LEVEL_WARNING, 1)
LOG_DEFINE(log_errx, LOG_LEVEL_ERR, 0)
LOG_DEFINE(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_DEFINE(log_info, LOG_LEVEL_INFO, 0)
LOG_DEFINE(log_notice, LOG_LEVEL_NOTICE, 0)
LOG_DEFINE(log_debug, LOG_LEVEL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, saved, fmt, ap);
	va_end(ap);
	exit(70);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_LEVEL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(70);
}
