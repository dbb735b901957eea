/*
 * The command table and what commands share: option handling, help, the
 * connection to the daemon and the JSON request helper.  Each command is
 * a const struct cmd in its own cmd-<verb>.c; cmd.c lists them.
 */
#ifndef MANDATE_CLIENT_CMD_H
#define MANDATE_CLIENT_CMD_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

struct conn;
struct keyfile;

/* What a command runs with; main() fills the options, cmd.c the rest. */
struct cmd_env {
	const struct cmd *cmd;   /* the command running, NULL before */
	int json;                /* --json */
	const char *socket_path; /* --socket, or NULL */
	const char *url;         /* --url, or NULL */
	const char *token_file;  /* --token-file, or NULL */
	long timeout;            /* --timeout seconds, or 0 */
	struct conn *conn;       /* opened by the first request */
	/* "X-Mandate-Receipt: ..." sent with every request when not NULL;
	 * borrowed from the command that proves a receipt (follow.h). */
	const char *receipt_header;
};

struct cmd {
	const char *name;    /* "queue", or "keys init" for a group */
	const char *summary; /* one line, for the command list */
	const char *usage;   /* what follows the name in a usage line */
	const char *help;    /* option lines for --help, or NULL */
	/* Runs the command: argv[0] is its last name word; returns the
	 * exit status, having printed any error. */
	int (*exec)(struct cmd_env *env, int argc, char **argv);
};

extern const struct cmd cmd_health;
extern const struct cmd cmd_submit;
extern const struct cmd cmd_route;
extern const struct cmd cmd_queue;
extern const struct cmd cmd_show;
extern const struct cmd cmd_keys_init;
extern const struct cmd cmd_keys_show;
extern const struct cmd cmd_officers_add;
extern const struct cmd cmd_officers_list;
extern const struct cmd cmd_units;
extern const struct cmd cmd_status;
extern const struct cmd cmd_reply;
extern const struct cmd cmd_add;
extern const struct cmd cmd_consent;
extern const struct cmd cmd_cases;
extern const struct cmd cmd_message;
extern const struct cmd cmd_audit_export;
extern const struct cmd cmd_audit_verify;
extern const struct cmd cmd_audit_key;
extern const struct cmd cmd_cases_export;
extern const struct cmd cmd_stats;
extern const struct cmd cmd_hold;
extern const struct cmd cmd_transition;
extern const struct cmd cmd_claim;
extern const struct cmd cmd_assign;
extern const struct cmd cmd_note;
extern const struct cmd cmd_refer;
extern const struct cmd cmd_recuse;
extern const struct cmd cmd_officers_remove;
extern const struct cmd cmd_officers_grant;
extern const struct cmd cmd_keys_try_open;
extern const struct cmd cmd_conflicts_add;
extern const struct cmd cmd_conflicts_list;
extern const struct cmd cmd_backup;
extern const struct cmd cmd_help;

/* Returned by cmd_option() when the command should carry on. */
#define CMD_CONTINUE (-1)

enum cmd_option {
	CMD_OPT_JSON = 0x100,
	CMD_OPT_SOCKET,
	CMD_OPT_URL,
	CMD_OPT_TOKEN_FILE,
	CMD_OPT_VERSION,
	CMD_OPT_TIMEOUT,
	CMD_OPT_LOCAL = 0x180, /* first value for a command's own options */
};

/* getopt_long short options and long entries every command accepts. */
#define CMD_SHORTOPTS ":h"
#define CMD_LONGOPTS                                                      \
	{"help", no_argument, NULL, 'h'},                                 \
	    {"json", no_argument, NULL, CMD_OPT_JSON},                    \
	    {"socket", required_argument, NULL, CMD_OPT_SOCKET},          \
	    {"url", required_argument, NULL, CMD_OPT_URL},                \
	    {"timeout", required_argument, NULL, CMD_OPT_TIMEOUT},        \
	{                                                                 \
		"token-file", required_argument, NULL, CMD_OPT_TOKEN_FILE \
	}

/*
 * Handles an option getopt_long() returned that the command does not know
 * itself: the common options, --help (prints the help: EX_OK), unknown
 * options and missing values (print the error: EX_USAGE).  Returns
 * CMD_CONTINUE, or the status the command should return at once.
 */
int cmd_option(struct cmd_env *env, int ch, char **argv);

/* Prints "mandate: <message>" and the command's usage line on stderr;
 * returns EX_USAGE. */
int cmd_usage_error(const struct cmd_env *env, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Checks the number of operands left after the options (argc - optind):
 * returns CMD_CONTINUE, or EX_USAGE after saying so. */
int cmd_operands(const struct cmd_env *env, int argc, int min, int max);

/* Prints "mandate: <cause>", frees cause and returns rc. */
int cmd_fail(int rc, char *cause);

/* Parses a decimal number in [min, max]: 0, or -1. */
int cmd_parse_number(const char *s, long min, long max, long *out);

/*
 * Copies a case id argument into out (MANDATE_CASE_ID_LEN + 1 bytes),
 * upper-cased, and checks its shape.  Returns CMD_CONTINUE, or the error
 * table's status for bad_case_id after printing the error.
 */
int cmd_case_id(char *out, size_t size, const char *arg);

/*
 * Reads the officer key file: path when not NULL, else the default one
 * (keyfile_default_path()).  Warns when a key file is readable by others.
 * Returns 0 with *kf and *pathp (malloc'd), or an exit status after
 * printing the error.
 */
int cmd_key_load(const char *path, struct keyfile *kf, char **pathp)
    __attribute__((warn_unused_result));

/*
 * The whole of a command that takes no option or operand of its own: GETs
 * path and prints the reply as JSON (--json) or with print().  Returns the
 * exit status.
 */
int cmd_get_and_show(struct cmd_env *env, int argc, char **argv,
    const char *path, void (*print)(const json_t *reply));

/*
 * Sends a request with a JSON body (or NULL) on the connection, opened on
 * first use from the options and environment.  Returns 0 and *reply (a
 * new reference to the reply object) on a 2xx status; otherwise prints
 * the error (the server's, a transport or a protocol error) and returns
 * its exit status.  The body's text is wiped after sending.
 */
int cmd_request(struct cmd_env *env, const char *method, const char *path,
    const json_t *body, json_t **reply) __attribute__((warn_unused_result));

/*
 * As cmd_request(), for a request that is safe to repeat: when the daemon
 * cannot be reached, does not answer in time or answers 503 unavailable,
 * sends the very same body again, up to CMD_RETRIES times, after 0.5 s,
 * 1 s and 2 s, saying so on stderr.  With idempotency_key (not NULL), the
 * header "Idempotency-Key" carries it, so that the daemon answers a repeat
 * of a submission with the first one's result.
 */
#define CMD_RETRIES 3
int cmd_request_retry(struct cmd_env *env, const char *method, const char *path,
    const json_t *body, const char *idempotency_key, json_t **reply)
    __attribute__((warn_unused_result));

/* Dispatches argv (argv[0] the first command word) through the table;
 * returns the command's exit status, or EX_USAGE for an unknown one. */
int cmd_dispatch(struct cmd_env *env, int argc, char **argv);

/* Prints a command's full help to f. */
void cmd_print_help(const struct cmd *c, FILE *f);

/* Prints the program's usage and command list to f; with group, only the
 * commands of that group (such as "keys"). */
void cmd_print_list(FILE *f, const char *group);

#endif
