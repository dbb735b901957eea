/*
 * Logging: one line per event to stderr, with a "<N>" priority prefix when
 * running under systemd (JOURNAL_STREAM set), the subsystem first and the
 * request id where there is one.  Never a case's content, a receipt, a key
 * or a passphrase: callers pass metadata only.
 */
#ifndef MANDATE_LOG_H
#define MANDATE_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Sets up logging: name is the program name, level the most verbose level
 * written.  Detects systemd's journal stream for priority prefixes. */
void log_init(const char *name, enum log_level level);

/* Changes the level; returns 0, or -1 when name is not a level. */
int log_set_level_name(const char *name);

/* Sends the following lines to syslog (the daemon left its terminal). */
void log_to_syslog(void);

/* Sets the request id that following lines carry (0 for none). */
void log_set_request(unsigned long long id);

/* An error the daemon survives for now (it may stop soon after). */
void log_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
