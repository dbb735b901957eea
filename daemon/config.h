/*
 * The daemon's configuration: an INI file (inih) in which every key has an
 * embedded default, so that mandated runs with no file at all.  This is
 * the only module that includes ini.h.  A loaded configuration is
 * immutable; a reload builds a new one and swaps it in whole.
 */
#ifndef MANDATE_CONFIG_H
#define MANDATE_CONFIG_H

#include <stddef.h>

#include "crypt.h"
#include "lifecycle.h"

struct config_unit {
	char id[33];
	char name[128];
	unsigned acknowledge_days; /* working days to acknowledge receipt */
	int auditors_counts_only;  /* auditors see its cases only as counts */
	/* Days a closed case is kept before it is purged; 0: never purged.
	 * -1 only while the file is read (then the default applies). */
	long retention_days;
	/* A purged case leaves a content-free tombstone (never for a unit
	 * with auditors = counts); -1 only while the file is read. */
	int tombstone;
	unsigned assess_days; /* working days to assess once acknowledged */
	/* Deadline alerts may leave the unit (the escalation command runs);
	 * -1 only while the file is read (default: no for auditors = counts,
	 * as the Ombudsperson's never leave it). */
	int escalate;
	/* A referral out of the unit needs the submitter's recorded
	 * consent; -1 only while the file is read (default: yes for
	 * auditors = counts, the Ombudsperson). */
	int referral_consent;
	struct lifecycle lc; /* states, transitions, outcomes, pause states */
	int lc_line;         /* line of its first lifecycle key, 0: default */
	int lc_pause_given;  /* pause_states set in the file */
};

struct config_token {
	char user[65];
	unsigned char hash[CRYPT_HASH_LEN]; /* BLAKE2b-256 of the token */
};

struct config_list {
	char **items;
	size_t n;
};

struct config {
	char *path; /* the file read, or NULL for the embedded defaults */
	char *state_dir;
	char *socket_path;
	char *database;
	char *rules_path; /* NULL: the embedded default rules */
	char *listen_tcp; /* "host:port", or NULL when TCP is off */
	/* "host:port" serving only GET /metrics without authentication, or
	 * NULL (the default) when off */
	char *metrics_listen;
	char *log_level;
	unsigned max_connections;
	size_t max_body;
	size_t max_headers;
	unsigned timeout_sec;
	int allow_root;
	unsigned receipt_failures; /* failed receipt checks allowed per peer */
	unsigned receipt_window;   /* ... in this many seconds */
	unsigned submit_limit;     /* submissions allowed per peer ... */
	unsigned submit_window;    /* ... in this many seconds */
	int64_t attachment_max;    /* bytes per attachment */
	int64_t case_attachments_max; /* bytes of attachments per case */
	unsigned audit_sign_every; /* sign the audit chain's head this often */
	long long clock_offset;    /* seconds added to the clock: tests only */
	char *escalation_command;  /* run at deadline thresholds; NULL: none */
	/* Writes are refused below this many bytes free on the database's
	 * file system (storage.c); 0: no reserve. */
	long long min_free_bytes;
	struct config_list auditor_groups;
	struct config_list auditor_users;
	struct config_list admin_groups;
	struct config_list admin_users;
	struct config_unit *units;
	size_t nunits;
	struct config_token *tokens;
	size_t ntokens;
};

/*
 * Loads the configuration from path, or the embedded defaults when path is
 * NULL.  Returns a new configuration, or NULL with *cause set (caller frees)
 * to "FILE:LINE: message" naming the first error.
 */
struct config *config_load(const char *path, char **cause)
    __attribute__((warn_unused_result));

/* Frees a configuration; accepts NULL. */
void config_free(struct config *cfg);

/* The unit with this id, or NULL. */
const struct config_unit *config_unit_find(
    const struct config *cfg, const char *id);

/* The user a bearer token belongs to, compared in constant time over every
 * configured token; NULL when none matches. */
const char *config_token_user(
    const struct config *cfg, const char *token, size_t len);

/* Nonzero when name is in the list. */
int config_list_has(const struct config_list *list, const char *name);

#endif
