/*
 * Reading the INI configuration with inih: defaults first, then the file's
 * keys over them; unknown sections and keys are errors, so that a typo is
 * caught by `mandated -t` rather than silently ignored.
 */
#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mandate/api.h"

struct config_parse {
	struct config *cfg;
	int units_seen; /* the file defines its own units: drop the defaults */
	char *error;
	int error_line;
	FILE *file;
	int line; /* lines read so far: inih's line of the handler call */
	/* A lifecycle list being continued on the next lines: its text so
	 * far, its unit and key, and the line it last grew on. */
	char *acc;
	const struct config_unit *acc_unit;
	char acc_key[16];
	int acc_line;
};

/* Retention after closure (README, "Audit log"): the Ombudsperson keeps
 * no permanent record (30 days); the others keep files for years. */
static const struct config_unit config_default_units[] = {
    {.id = "ethics",
        .name = "Ethics Office",
        .acknowledge_days = 5,
        .retention_days = 1825,
        .tombstone = 1,
        .assess_days = 30,
        .escalate = 1},
    {.id = "ombudsperson",
        .name = "Ombudsperson",
        .acknowledge_days = 3,
        .auditors_counts_only = 1,
        .retention_days = 30,
        .referral_consent = 1},
    {.id = "inspector-general",
        .name = "Office of the Inspector General",
        .acknowledge_days = 5,
        .retention_days = 3650,
        .tombstone = 1,
        .assess_days = 30,
        .escalate = 1},
    {.id = "legal",
        .name = "Office of Legal Affairs",
        .acknowledge_days = 5,
        .retention_days = 1825,
        .tombstone = 1,
        .assess_days = 15,
        .escalate = 1},
};

#define CONFIG_RETENTION_DEFAULT 1825   /* days, for other units */
#define CONFIG_RETENTION_COUNTS_ONLY 30 /* days, auditors = counts */
#define CONFIG_RETENTION_MAX 36500

static char *
config_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

static void
config_list_clear(struct config_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

/* Splits a comma-separated value into list, replacing what was there. */
static void
config_list_set(struct config_list *list, const char *value)
{
	char *copy = config_strdup(value), *save = NULL, *tok;

	config_list_clear(list);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save)) {
		list->items =
		    realloc(list->items, (list->n + 1) * sizeof(char *));
		if (list->items == NULL)
			abort();
		list->items[list->n++] = config_strdup(tok);
	}
	free(copy);
}

int
config_list_has(const struct config_list *list, const char *name)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->items[i], name) == 0)
			return 1;
	return 0;
}

static void
config_set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = value[0] == '\0' ? NULL : config_strdup(value);
}

static int
config_parse_uint(const char *value, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-' ||
	    v > max)
		return -1;
	*out = v;
	return 0;
}

/* A signed number of seconds, at most 100 years either way. */
static int
config_parse_offset(const char *value, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v > 3153600000LL ||
	    v < -3153600000LL)
		return -1;
	*out = v;
	return 0;
}

static int
config_parse_bool(const char *value, int *out)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
	    strcmp(value, "1") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
	         strcmp(value, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int config_fail(struct config_parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
config_fail(struct config_parse *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (p->error == NULL) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		p->error = config_strdup(buf);
		p->error_line = p->line;
	}
	return 0;
}

/* Nonzero when value is "host:port" or "[v6]:port", port 1..65535. */
static int
config_hostport_ok(const char *value)
{
	const char *port = strrchr(value, ':');
	unsigned long v;

	if (port == NULL || port == value)
		return 0;
	if (value[0] == '[' && (port[-1] != ']' || port - value < 3))
		return 0;
	if (config_parse_uint(port + 1, 65535, &v) < 0 || v == 0)
		return 0;
	return 1;
}

static int
config_daemon_key(struct config_parse *p, const char *key, const char *value)
{
	struct config *cfg = p->cfg;
	unsigned long v;

	/* These have no "unset": the daemon cannot run without them. */
	if (value[0] == '\0' &&
	    (strcmp(key, "state_directory") == 0 ||
	        strcmp(key, "socket") == 0 || strcmp(key, "log_level") == 0))
		return config_fail(p, "%s: must not be empty", key);
	if (strcmp(key, "state_directory") == 0)
		config_set_str(&cfg->state_dir, value);
	else if (strcmp(key, "socket") == 0)
		config_set_str(&cfg->socket_path, value);
	else if (strcmp(key, "database") == 0)
		config_set_str(&cfg->database, value);
	else if (strcmp(key, "rules") == 0)
		config_set_str(&cfg->rules_path, value);
	else if (strcmp(key, "escalation_command") == 0) {
		if (value[0] != '\0' && value[0] != '/')
			return config_fail(p,
			    "%s: expected an absolute path (it is run without "
			    "a shell), not '%s'",
			    key, value);
		config_set_str(&cfg->escalation_command, value);
	} else if (strcmp(key, "listen_tcp") == 0)
		config_set_str(&cfg->listen_tcp, value);
	else if (strcmp(key, "metrics_listen") == 0) {
		if (value[0] != '\0' && !config_hostport_ok(value))
			return config_fail(p,
			    "%s: expected host:port (or [v6]:port) with a port "
			    "of 1..65535, not '%s'",
			    key, value);
		config_set_str(&cfg->metrics_listen, value);
	} else if (strcmp(key, "log_level") == 0)
		config_set_str(&cfg->log_level, value);
	else if (strcmp(key, "allow_root") == 0) {
		if (config_parse_bool(value, &cfg->allow_root) < 0)
			return config_fail(
			    p, "%s: expected yes or no, not '%s'", key, value);
	} else if (strcmp(key, "max_connections") == 0) {
		if (config_parse_uint(value, 65536, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..65536, not '%s'", key, value);
		cfg->max_connections = (unsigned)v;
	} else if (strcmp(key, "max_body_bytes") == 0) {
		if (config_parse_uint(value, 64UL << 20, &v) < 0 || v < 4096)
			return config_fail(p,
			    "%s: expected 4096..67108864, not '%s'", key,
			    value);
		cfg->max_body = v;
	} else if (strcmp(key, "max_header_bytes") == 0) {
		if (config_parse_uint(value, 1UL << 20, &v) < 0 || v < 1024)
			return config_fail(p,
			    "%s: expected 1024..1048576, not '%s'", key, value);
		cfg->max_headers = v;
	} else if (strcmp(key, "receipt_failures") == 0) {
		if (config_parse_uint(value, 1000, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..1000, not '%s'", key, value);
		cfg->receipt_failures = (unsigned)v;
	} else if (strcmp(key, "receipt_window_seconds") == 0) {
		if (config_parse_uint(value, 86400, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..86400, not '%s'", key, value);
		cfg->receipt_window = (unsigned)v;
	} else if (strcmp(key, "submit_limit") == 0) {
		if (config_parse_uint(value, 100000, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..100000, not '%s'", key, value);
		cfg->submit_limit = (unsigned)v;
	} else if (strcmp(key, "submit_window_seconds") == 0) {
		if (config_parse_uint(value, 86400, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..86400, not '%s'", key, value);
		cfg->submit_window = (unsigned)v;
	} else if (strcmp(key, "attachment_max_bytes") == 0) {
		if (config_parse_uint(value, 1UL << 30, &v) < 0 || v == 0)
			return config_fail(p,
			    "%s: expected 1..1073741824, not '%s'", key, value);
		cfg->attachment_max = (int64_t)v;
	} else if (strcmp(key, "case_attachments_max_bytes") == 0) {
		if (config_parse_uint(value, 1UL << 32, &v) < 0 || v == 0)
			return config_fail(p,
			    "%s: expected 1..4294967296, not '%s'", key, value);
		cfg->case_attachments_max = (int64_t)v;
	} else if (strcmp(key, "min_free_bytes") == 0) {
		if (config_parse_uint(value, 1UL << 60, &v) < 0)
			return config_fail(p,
			    "%s: expected a number of bytes, 0..2^60, not '%s'",
			    key, value);
		cfg->min_free_bytes = (long long)v;
	} else if (strcmp(key, "audit_sign_every") == 0) {
		if (config_parse_uint(value, 1000000, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..1000000, not '%s'", key, value);
		cfg->audit_sign_every = (unsigned)v;
	} else if (strcmp(key, "clock_offset_seconds") == 0) {
		if (config_parse_offset(value, &cfg->clock_offset) < 0)
			return config_fail(p,
			    "%s: expected a whole number of seconds within "
			    "100 years, not '%s'",
			    key, value);
	} else if (strcmp(key, "timeout_seconds") == 0) {
		if (config_parse_uint(value, 3600, &v) < 0 || v == 0)
			return config_fail(
			    p, "%s: expected 1..3600, not '%s'", key, value);
		cfg->timeout_sec = (unsigned)v;
	} else
		return config_fail(
		    p, "unknown key '%s' in section [%s]", key, "daemon");
	return 1;
}

static int
config_roles_key(struct config_parse *p, const char *key, const char *value)
{
	struct config *cfg = p->cfg;

	if (strcmp(key, "auditor_groups") == 0)
		config_list_set(&cfg->auditor_groups, value);
	else if (strcmp(key, "auditor_users") == 0)
		config_list_set(&cfg->auditor_users, value);
	else if (strcmp(key, "admin_groups") == 0)
		config_list_set(&cfg->admin_groups, value);
	else if (strcmp(key, "admin_users") == 0)
		config_list_set(&cfg->admin_users, value);
	else
		return config_fail(
		    p, "unknown key '%s' in section [%s]", key, "roles");
	return 1;
}

static int
config_name_valid(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        (c == '-' && i > 0) || (c == '_' && i > 0) ||
		        (c == '.' && i > 0) || (c >= 'A' && c <= 'Z')))
			return 0;
	}
	return 1;
}

static int
config_token_key(struct config_parse *p, const char *user, const char *value)
{
	struct config *cfg = p->cfg;
	struct config_token *t;

	if (!config_name_valid(user, MANDATE_USER_MAX_BYTES))
		return config_fail(
		    p, "invalid user name '%s'%s", user, " in [tokens]");
	cfg->tokens = realloc(cfg->tokens, (cfg->ntokens + 1) * sizeof *t);
	if (cfg->tokens == NULL)
		abort();
	t = &cfg->tokens[cfg->ntokens];
	memset(t, 0, sizeof *t);
	snprintf(t->user, sizeof t->user, "%s", user);
	if (strlen(value) != 2 * CRYPT_HASH_LEN ||
	    crypt_unhex(t->hash, sizeof t->hash, value) < 0)
		return config_fail(p,
		    "token of '%s': expected the 64-hex-digit BLAKE2b-256 hash "
		    "of the token (mandated --hash-token)%s",
		    user, "");
	cfg->ntokens++;
	return 1;
}

static struct config_unit *
config_unit_get(struct config_parse *p, const char *id)
{
	struct config *cfg = p->cfg;
	struct config_unit *u;

	if (!p->units_seen) {
		p->units_seen = 1;
		cfg->nunits = 0;
	}
	for (size_t i = 0; i < cfg->nunits; i++)
		if (strcmp(cfg->units[i].id, id) == 0)
			return &cfg->units[i];
	cfg->units = realloc(cfg->units, (cfg->nunits + 1) * sizeof *u);
	if (cfg->units == NULL)
		abort();
	u = &cfg->units[cfg->nunits++];
	memset(u, 0, sizeof *u);
	snprintf(u->id, sizeof u->id, "%s", id);
	snprintf(u->name, sizeof u->name, "%s", id);
	u->acknowledge_days = 5;
	u->retention_days = -1;
	u->tombstone = -1;
	u->escalate = -1;
	u->referral_consent = -1;
	u->assess_days = 30;
	for (size_t i = 0;
	     i < sizeof config_default_units / sizeof config_default_units[0];
	     i++)
		if (strcmp(config_default_units[i].id, id) == 0)
			u->assess_days = config_default_units[i].assess_days;
	lifecycle_default(&u->lc, id);
	return u;
}

/* retention_days = N|never, tombstone = yes|no. */
static int
config_unit_retention(struct config_parse *p, struct config_unit *u,
    const char *key, const char *value)
{
	unsigned long v;

	if (strcmp(key, "tombstone") == 0) {
		if (config_parse_bool(value, &u->tombstone) < 0)
			return config_fail(p,
			    "tombstone: expected yes or no, not '%s'%s", value,
			    "");
	} else if (strcmp(value, "never") == 0)
		u->retention_days = 0;
	else if (config_parse_uint(value, CONFIG_RETENTION_MAX, &v) < 0 ||
	         v == 0)
		return config_fail(p,
		    "retention_days: expected 1..36500 or never, not '%s'%s",
		    value, "");
	else
		u->retention_days = (long)v;
	return 1;
}

/* Checks a unit's lifecycle whole: "FILE:LINE: unit X: ..." naming the
 * line of its first lifecycle key. */
static int
config_unit_lifecycle_check(
    struct config *cfg, const struct config_unit *u, char **cause)
{
	char *why = NULL;

	if (lifecycle_validate(&u->lc, &why) == 0)
		return 0;
	if (asprintf(cause, "%s:%d: unit %s: %s",
	        cfg->path ? cfg->path : "(embedded)", u->lc_line, u->id,
	        why) < 0)
		abort();
	free(why);
	return -1;
}

/*
 * A lifecycle list continued on the lines right after its key (inih calls
 * the handler again for each): the whole list so far, joined by commas.
 * Lines are short (INI_MAX_LINE), lists need not be.
 */
static const char *
config_unit_list_text(struct config_parse *p, const struct config_unit *u,
    const char *key, const char *value)
{
	char *text;

	if (p->acc != NULL && p->acc_unit == u &&
	    strcmp(p->acc_key, key) == 0 && p->acc_line == p->line - 1) {
		if (asprintf(&text, "%s,%s", p->acc, value) < 0)
			abort();
	} else if ((text = strdup(value)) == NULL)
		abort();
	free(p->acc);
	p->acc = text;
	p->acc_unit = u;
	snprintf(p->acc_key, sizeof p->acc_key, "%s", key);
	p->acc_line = p->line;
	return text;
}

/* transitions, outcomes, pause_states: each replaces its part of the
 * unit's lifecycle (with its continuation lines), checked whole once the
 * file is read. */
static int
config_unit_lifecycle(struct config_parse *p, struct config_unit *u,
    const char *key, const char *value)
{
	char *why = NULL;
	int r;

	value = config_unit_list_text(p, u, key, value);
	if (u->lc_line == 0)
		u->lc_line = p->line;
	if (strcmp(key, "transitions") == 0) {
		r = lifecycle_parse_transitions(&u->lc, value, &why);
		if (!u->lc_pause_given)
			u->lc.npause = 0;
	} else if (strcmp(key, "outcomes") == 0)
		r = lifecycle_parse_outcomes(&u->lc, value, &why);
	else {
		r = lifecycle_parse_pause(&u->lc, value, &why);
		u->lc_pause_given = 1;
	}
	if (r < 0) {
		config_fail(p, "unit %s: %s: %s", u->id, key, why);
		free(why);
		return 0;
	}
	return 1;
}

/* The retention defaults of units the file left them unset for; refuses
 * a tombstone for a unit whose cases auditors see only as counts. */
static int
config_units_finish(struct config *cfg, char **cause)
{
	for (size_t i = 0; i < cfg->nunits; i++) {
		struct config_unit *u = &cfg->units[i];
		if (u->retention_days < 0)
			u->retention_days = u->auditors_counts_only
			                        ? CONFIG_RETENTION_COUNTS_ONLY
			                        : CONFIG_RETENTION_DEFAULT;
		if (u->tombstone < 0)
			u->tombstone = !u->auditors_counts_only;
		if (u->escalate < 0)
			u->escalate = !u->auditors_counts_only;
		if (u->referral_consent < 0)
			u->referral_consent = u->auditors_counts_only;
		if (u->lc.nstates == 0)
			lifecycle_default(&u->lc, u->id);
		if (config_unit_lifecycle_check(cfg, u, cause) < 0)
			return -1;
		if (u->tombstone && u->auditors_counts_only) {
			if (asprintf(cause,
			        "%s: unit %s: tombstone = yes is not allowed "
			        "for a unit with auditors = counts (it keeps "
			        "no record of a purged case)",
			        cfg->path ? cfg->path : "(embedded)",
			        u->id) < 0)
				abort();
			return -1;
		}
	}
	return 0;
}

static int
config_unit_key(
    struct config_parse *p, const char *id, const char *key, const char *value)
{
	struct config_unit *u;
	unsigned long v;

	if (!config_name_valid(id, MANDATE_UNIT_ID_MAX_BYTES) ||
	    strcmp(id, "other") == 0)
		return config_fail(p, "invalid unit id '%s'%s", id,
		    " (lower-case letters, digits and '-', at most 32)");
	u = config_unit_get(p, id);
	if (strcmp(key, "name") == 0) {
		if (strlen(value) >= sizeof u->name)
			return config_fail(
			    p, "unit %s: name too long%s", id, "");
		snprintf(u->name, sizeof u->name, "%s", value);
	} else if (strcmp(key, "acknowledge_days") == 0) {
		if (config_parse_uint(value, 365, &v) < 0 || v == 0)
			return config_fail(p,
			    "acknowledge_days: expected 1..365, not '%s'%s",
			    value, "");
		u->acknowledge_days = (unsigned)v;
	} else if (strcmp(key, "auditors") == 0) {
		if (strcmp(value, "cases") == 0)
			u->auditors_counts_only = 0;
		else if (strcmp(value, "counts") == 0)
			u->auditors_counts_only = 1;
		else
			return config_fail(p,
			    "auditors: expected cases or counts, not '%s'%s",
			    value, "");
	} else if (strcmp(key, "assess_days") == 0) {
		if (config_parse_uint(value, 365, &v) < 0)
			return config_fail(p,
			    "assess_days: expected 0..365, not '%s'%s", value,
			    "");
		u->assess_days = (unsigned)v;
	} else if (strcmp(key, "escalate") == 0) {
		if (config_parse_bool(value, &u->escalate) < 0)
			return config_fail(p,
			    "escalate: expected yes or no, not '%s'%s", value,
			    "");
	} else if (strcmp(key, "referral_needs_consent") == 0) {
		if (config_parse_bool(value, &u->referral_consent) < 0)
			return config_fail(p,
			    "referral_needs_consent: expected yes or no, not "
			    "'%s'%s",
			    value, "");
	} else if (strcmp(key, "transitions") == 0 ||
	           strcmp(key, "outcomes") == 0 ||
	           strcmp(key, "pause_states") == 0)
		return config_unit_lifecycle(p, u, key, value);
	else if (strcmp(key, "retention_days") == 0 ||
	         strcmp(key, "tombstone") == 0)
		return config_unit_retention(p, u, key, value);
	else
		return config_fail(
		    p, "unknown key '%s' in section [unit.%s]", key, id);
	return 1;
}

static int
config_handler(
    void *user, const char *section, const char *key, const char *value)
{
	struct config_parse *p = user;

	if (p->error != NULL)
		return 0;
	if (key == NULL) /* section start (INI_CALL_HANDLER_ON_NEW_SECTION) */
		return 1;
	if (strcmp(section, "daemon") == 0)
		return config_daemon_key(p, key, value);
	if (strcmp(section, "roles") == 0)
		return config_roles_key(p, key, value);
	if (strcmp(section, "tokens") == 0)
		return config_token_key(p, key, value);
	if (strncmp(section, "unit.", 5) == 0)
		return config_unit_key(p, section + 5, key, value);
	return config_fail(p, "unknown section [%s]%s", section, "");
}

static void
config_defaults(struct config *cfg)
{
	cfg->state_dir = config_strdup(MANDATE_DEFAULT_STATE_DIR);
	cfg->socket_path = config_strdup(MANDATE_DEFAULT_SOCKET);
	cfg->log_level = config_strdup("info");
	cfg->max_connections = 512;
	cfg->max_body = 1024 * 1024;
	cfg->max_headers = 8192;
	cfg->timeout_sec = 30;
	cfg->receipt_failures = 10;
	cfg->receipt_window = 600;
	cfg->submit_limit = 30;
	cfg->submit_window = 60;
	cfg->attachment_max = 20 * 1024 * 1024;
	cfg->case_attachments_max = 100 * 1024 * 1024;
	cfg->audit_sign_every = 1000;
	cfg->min_free_bytes = 64LL * 1024 * 1024;
	config_list_set(&cfg->auditor_groups, "mandate-auditors");
	config_list_set(&cfg->admin_groups, "mandate-admins");
	cfg->nunits =
	    sizeof config_default_units / sizeof config_default_units[0];
	cfg->units = calloc(cfg->nunits, sizeof *cfg->units);
	if (cfg->units == NULL)
		abort();
	memcpy(cfg->units, config_default_units, sizeof config_default_units);
}

/* inih's reader, counting lines as inih does, so that an error from the
 * handler carries its own line (inih reports only the first error, which
 * may be a syntax error on an earlier line). */
static char *
config_read_line(char *buf, int size, void *stream)
{
	struct config_parse *p = stream;
	char *s = fgets(buf, size, p->file);
	size_t n;

	if (s == NULL)
		return NULL;
	p->line++;
	/* inih reads lines into a buffer of its own size: a longer one
	 * would come back as two, the second a syntax error on a line that
	 * does not exist.  Stop at the real one. */
	n = strlen(s);
	if (n == (size_t)size - 1 && s[n - 1] != '\n' && !feof(p->file)) {
		if (p->error == NULL) {
			if (asprintf(&p->error,
			        "line longer than %d characters: continue a "
			        "long value on indented lines",
			        size - 2) < 0)
				abort();
			p->error_line = p->line;
		}
		return NULL;
	}
	return s;
}

static char *
config_cause(const char *path, int line, const char *msg)
{
	char *s;

	if (asprintf(&s, "%s:%d: %s", path, line, msg) < 0)
		abort();
	return s;
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_parse p = {0};
	struct config *cfg;
	int r;

	cfg = calloc(1, sizeof *cfg);
	if (cfg == NULL)
		abort();
	config_defaults(cfg);
	p.cfg = cfg;
	if (path != NULL) {
		cfg->path = config_strdup(path);
		if ((p.file = fopen(path, "r")) == NULL) {
			if (asprintf(cause, "%s: cannot open: %s", path,
			        strerror(errno)) < 0)
				abort();
			goto fail;
		}
		r = ini_parse_stream(config_read_line, &p, config_handler, &p);
		fclose(p.file);
		if (p.error != NULL && (r <= 0 || p.error_line <= r)) {
			*cause = config_cause(path, p.error_line, p.error);
			goto fail;
		}
		if (r != 0) {
			*cause =
			    config_cause(path, r > 0 ? r : 0, "syntax error");
			goto fail;
		}
	}
	if (config_units_finish(cfg, cause) < 0)
		goto fail;
	if (cfg->database == NULL &&
	    asprintf(&cfg->database, "%s/mandate.db", cfg->state_dir) < 0)
		abort();
	free(p.error);
	free(p.acc);
	return cfg;
fail:
	free(p.error);
	free(p.acc);
	config_free(cfg);
	return NULL;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->state_dir);
	free(cfg->socket_path);
	free(cfg->database);
	free(cfg->rules_path);
	free(cfg->listen_tcp);
	free(cfg->metrics_listen);
	free(cfg->log_level);
	free(cfg->escalation_command);
	config_list_clear(&cfg->auditor_groups);
	config_list_clear(&cfg->auditor_users);
	config_list_clear(&cfg->admin_groups);
	config_list_clear(&cfg->admin_users);
	free(cfg->units);
	crypt_wipe(cfg->tokens, cfg->ntokens * sizeof *cfg->tokens);
	free(cfg->tokens);
	free(cfg);
}

const struct config_unit *
config_unit_find(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->nunits; i++)
		if (strcmp(cfg->units[i].id, id) == 0)
			return &cfg->units[i];
	return NULL;
}

const char *
config_token_user(const struct config *cfg, const char *token, size_t len)
{
	unsigned char h[CRYPT_HASH_LEN];
	const char *user = NULL;

	crypt_hash(h, token, len);
	/* Every entry is compared, so the time does not depend on which. */
	for (size_t i = 0; i < cfg->ntokens; i++)
		if (crypt_equal(h, cfg->tokens[i].hash, sizeof h) &&
		    user == NULL)
			user = cfg->tokens[i].user;
	crypt_wipe(h, sizeof h);
	return user;
}
