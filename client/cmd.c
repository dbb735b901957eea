/*
 * The command table, dispatch, help, and what every command shares: option
 * handling and the JSON request to the daemon.  See cmd.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cmd.h"
#include "conn.h"
#include "crypt.h"
#include "json.h"
#include "keyfile.h"
#include "mandate/api.h"
#include "mandate/errors.h"
#include "out.h"
#include "xmalloc.h"

#define CMD_TIMEOUT_MAX 86400 /* seconds */

/* In the order of the command list. */
static const struct cmd *const cmd_table[] = {
    &cmd_health,
    &cmd_submit,
    &cmd_status,
    &cmd_reply,
    &cmd_add,
    &cmd_consent,
    &cmd_cases_export, /* before "cases", which would take "cases export" */
    &cmd_cases,
    &cmd_route,
    &cmd_queue,
    &cmd_show,
    &cmd_message,
    &cmd_transition,
    &cmd_claim,
    &cmd_assign,
    &cmd_note,
    &cmd_refer,
    &cmd_recuse,
    &cmd_keys_init,
    &cmd_keys_show,
    &cmd_keys_try_open,
    &cmd_officers_add,
    &cmd_officers_list,
    &cmd_officers_remove,
    &cmd_officers_grant,
    &cmd_conflicts_add,
    &cmd_conflicts_list,
    &cmd_units,
    &cmd_audit_export,
    &cmd_audit_verify,
    &cmd_audit_key,
    &cmd_stats,
    &cmd_hold,
    &cmd_backup,
    &cmd_help,
};
#define CMD_COUNT (sizeof cmd_table / sizeof cmd_table[0])

static const char cmd_common_help[] =
    "  --json                print the JSON reply instead of text\n"
    "  --socket PATH         the daemon's Unix socket (MANDATE_SOCKET; "
    "default\n"
    "                        " MANDATE_DEFAULT_SOCKET ")\n"
    "  --url URL             reach the daemon over TCP instead "
    "(MANDATE_URL)\n"
    "  --token-file FILE     bearer token for --url "
    "(MANDATE_TOKEN_FILE)\n"
    "  --timeout SECONDS     give up on a request after SECONDS "
    "(MANDATE_TIMEOUT;\n"
    "                        default 60)\n"
    "  -h, --help            this help\n";

void
cmd_print_help(const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: mandate %s%s%s\n\n%s.\n", c->name,
	    c->usage[0] != '\0' ? " " : "", c->usage, c->summary);
	if (c->help != NULL)
		fprintf(f, "\n%s", c->help);
	fprintf(f, "\nCommon options:\n%s", cmd_common_help);
}

/* The length of c's group word ("keys" of "keys init"), or 0. */
static size_t
cmd_group_len(const struct cmd *c)
{
	const char *sp = strchr(c->name, ' ');

	return sp != NULL ? (size_t)(sp - c->name) : 0;
}

static int
cmd_in_group(const struct cmd *c, const char *group)
{
	size_t n = cmd_group_len(c);

	return n != 0 && strlen(group) == n && strncmp(c->name, group, n) == 0;
}

void
cmd_print_list(FILE *f, const char *group)
{
	size_t i;

	if (group == NULL)
		fputs("usage: mandate [--json] [--socket PATH | --url URL "
		      "[--token-file FILE]]\n"
		      "               [--timeout SECONDS] COMMAND [ARGS]...\n"
		      "       mandate --version\n\n",
		    f);
	else
		fprintf(f, "usage: mandate %s COMMAND [ARGS]...\n\n", group);
	fputs("Commands:\n", f);
	for (i = 0; i < CMD_COUNT; i++)
		if (group == NULL || cmd_in_group(cmd_table[i], group))
			fprintf(f, "  %-16s %s\n", cmd_table[i]->name,
			    cmd_table[i]->summary);
	if (group == NULL)
		fprintf(f,
		    "\nOptions:\n%s  -V, --version         versions of "
		    "mandate, "
		    "its API and its libraries\n"
		    "\nRun 'mandate COMMAND --help' for a command's "
		    "options.  Exit status: 0, or a\n"
		    "sysexits(3) code (64 usage, 65 bad data, 66 no "
		    "such case or file,\n"
		    "69 daemon unreachable, 77 not allowed, 75 try "
		    "again later).\n",
		    cmd_common_help);
	else
		fprintf(f,
		    "\nRun 'mandate %s COMMAND --help' for a command's "
		    "options.\n",
		    group);
}

int
cmd_usage_error(const struct cmd_env *env, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mandate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (env->cmd != NULL)
		fprintf(stderr, "usage: mandate %s%s%s\n", env->cmd->name,
		    env->cmd->usage[0] != '\0' ? " " : "", env->cmd->usage);
	else
		fputs("Run 'mandate --help' for the commands.\n", stderr);
	return EX_USAGE;
}

int
cmd_option(struct cmd_env *env, int ch, char **argv)
{
	switch (ch) {
	case 'h':
		if (env->cmd != NULL)
			cmd_print_help(env->cmd, stdout);
		else
			cmd_print_list(stdout, NULL);
		return EX_OK;
	case CMD_OPT_JSON:
		env->json = 1;
		return CMD_CONTINUE;
	case CMD_OPT_SOCKET:
		env->socket_path = optarg;
		return CMD_CONTINUE;
	case CMD_OPT_URL:
		env->url = optarg;
		return CMD_CONTINUE;
	case CMD_OPT_TOKEN_FILE:
		env->token_file = optarg;
		return CMD_CONTINUE;
	case CMD_OPT_TIMEOUT:
		if (cmd_parse_number(
		        optarg, 1, CMD_TIMEOUT_MAX, &env->timeout) < 0)
			return cmd_usage_error(env,
			    "--timeout needs a number of seconds from 1 to %d",
			    CMD_TIMEOUT_MAX);
		return CMD_CONTINUE;
	case ':':
		return cmd_usage_error(
		    env, "option %s needs a value", argv[optind - 1]);
	default:
		if (optopt != 0)
			return cmd_usage_error(
			    env, "unknown option -%c", optopt);
		return cmd_usage_error(
		    env, "unknown option %s", argv[optind - 1]);
	}
}

int
cmd_operands(const struct cmd_env *env, int argc, int min, int max)
{
	if (argc < min)
		return cmd_usage_error(env, "missing argument");
	if (argc > max)
		return cmd_usage_error(env, "too many arguments");
	return CMD_CONTINUE;
}

int
cmd_fail(int rc, char *cause)
{
	out_error("%s", cause != NULL ? cause : "failed");
	free(cause);
	return rc;
}

int
cmd_parse_number(const char *s, long min, long max, long *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

int
cmd_case_id(char *out, size_t size, const char *arg)
{
	const struct mandate_error_info *info;
	size_t i;

	for (i = 0; arg[i] != '\0' && i + 1 < size; i++)
		out[i] = (char)toupper((unsigned char)arg[i]);
	out[i] = '\0';
	if (arg[i] == '\0' && mandate_case_id_valid(out))
		return CMD_CONTINUE;
	info = mandate_error_get(MANDATE_ERR_BAD_CASE_ID);
	out_error_field("not a case id (they look like K7QM-3XRD)", "id");
	return info->exit_status;
}

int
cmd_key_load(const char *path, struct keyfile *kf, char **pathp)
{
	char *cause = NULL;
	int rc;

	*pathp = NULL;
	if (path != NULL)
		*pathp = xstrdup(path);
	else if ((rc = keyfile_default_path(pathp, 0, &cause)) != 0)
		return cmd_fail(rc, cause);
	if ((rc = keyfile_read(*pathp, kf, &cause)) != 0) {
		free(*pathp);
		*pathp = NULL;
		return cmd_fail(rc, cause);
	}
	if (kf->loose_mode)
		out_error(
		    "warning: %s is readable by others: chmod 600 it", *pathp);
	return 0;
}

/* The request timeout: --timeout, else MANDATE_TIMEOUT, else conn's. */
static int
cmd_timeout(struct cmd_env *env, long *timeout)
{
	const char *s = getenv("MANDATE_TIMEOUT");

	*timeout = env->timeout;
	if (*timeout != 0 || s == NULL || *s == '\0')
		return 0;
	if (cmd_parse_number(s, 1, CMD_TIMEOUT_MAX, timeout) < 0)
		return cmd_usage_error(env,
		    "MANDATE_TIMEOUT must be a number of seconds from 1 to %d",
		    CMD_TIMEOUT_MAX);
	return 0;
}

/* Opens the connection on first use: flags beat the environment. */
static int
cmd_connect(struct cmd_env *env)
{
	struct conn_options o = {0};
	const char *s;
	char *cause = NULL;
	int rc;

	if (env->conn != NULL)
		return 0;
	if (env->socket_path != NULL && env->url != NULL)
		return cmd_usage_error(env, "--socket and --url exclude each "
		                            "other");
	o.url = env->url;
	o.socket_path = env->socket_path;
	if (o.url == NULL && o.socket_path == NULL &&
	    (s = getenv("MANDATE_URL")) != NULL && *s != '\0')
		o.url = s;
	if (o.socket_path == NULL && (s = getenv("MANDATE_SOCKET")) != NULL &&
	    *s != '\0')
		o.socket_path = s;
	if (o.socket_path == NULL)
		o.socket_path = MANDATE_DEFAULT_SOCKET;
	o.token_file = env->token_file;
	if (o.token_file == NULL &&
	    (s = getenv("MANDATE_TOKEN_FILE")) != NULL && *s != '\0')
		o.token_file = s;
	if ((rc = cmd_timeout(env, &o.timeout)) != 0)
		return rc;
	if ((rc = conn_open(&env->conn, &o, &cause)) != 0)
		return cmd_fail(rc, cause);
	return 0;
}

/* Turns a reply into the caller's object or an error status. */
static int
cmd_reply_read(const struct conn_reply *r, json_t **reply)
{
	json_t *v = NULL;
	char *why = NULL;
	int rc;

	if (r->bodylen > 0)
		v = json_parse_strict(r->body, r->bodylen, &why);
	if (r->status < 200 || r->status > 299)
		rc = out_server_error(r->status, v);
	else if (!json_is_object(v))
		rc = cmd_fail(EX_PROTOCOL,
		    xasprintf("the reply of mandated is not a JSON object%s%s",
		        why != NULL ? ": " : "", why != NULL ? why : ""));
	else {
		*reply = v;
		v = NULL;
		rc = 0;
	}
	free(why);
	json_decref(v);
	return rc;
}

/* The extra header lines of a request, into h (room for 3). */
static void
cmd_headers(const struct cmd_env *env, const char *idem, const char **h)
{
	size_t n = 0;

	if (env->receipt_header != NULL)
		h[n++] = env->receipt_header;
	if (idem != NULL)
		h[n++] = idem;
	h[n] = NULL;
}

/* Nonzero when a reply or a failure is worth the same request again. */
static int
cmd_retryable(int rc, const struct conn_reply *r)
{
	json_t *v;
	const char *code;
	char *why = NULL;
	int again;

	if (rc == EX_UNAVAILABLE)
		return 1; /* unreachable, broken exchange or timeout */
	if (rc != 0 || r->status != 503)
		return 0;
	/* 503 unit_has_no_officer would answer the same again. */
	v = json_parse_strict(r->body, r->bodylen, &why);
	free(why);
	code = json_string_value(
	    json_object_get(json_object_get(v, "error"), "code"));
	again = code != NULL && strcmp(code, "unavailable") == 0;
	json_decref(v);
	return again;
}

/* Sends text (or NULL), retrying up to retries times; see cmd.h. */
static int
cmd_send(struct cmd_env *env, const char *method, const char *path,
    const char *text, const char *idem, int retries, json_t **reply)
{
	static const long backoff_ms[CMD_RETRIES] = {500, 1000, 2000};
	struct conn_reply r;
	const char *headers[3];
	char *cause = NULL;
	int rc, attempt;

	*reply = NULL;
	if ((rc = cmd_connect(env)) != 0)
		return rc;
	cmd_headers(env, idem, headers);
	for (attempt = 0;; attempt++) {
		rc = conn_request(env->conn, method, path, headers, text,
		    text != NULL ? strlen(text) : 0, &r, &cause);
		if (attempt == retries || !cmd_retryable(rc, &r))
			break;
		out_error("%s; trying again in %.1f s (%d of %d)",
		    rc != 0 ? cause : "mandated is unavailable",
		    (double)backoff_ms[attempt] / 1000, attempt + 1, retries);
		free(cause);
		cause = NULL;
		if (rc == 0)
			conn_reply_clear(&r);
		nanosleep(&(struct timespec){backoff_ms[attempt] / 1000,
		              (backoff_ms[attempt] % 1000) * 1000000L},
		    NULL);
	}
	if (rc != 0)
		return cmd_fail(rc, cause);
	rc = cmd_reply_read(&r, reply);
	conn_reply_clear(&r);
	return rc;
}

/* The compact text of a request body, or NULL; wiped by cmd_text_free. */
static char *
cmd_text(const json_t *body)
{
	return body != NULL ? json_dump_compact(body) : NULL;
}

static void
cmd_text_free(char *text)
{
	if (text == NULL)
		return;
	/* A case body carries its content in the clear. */
	crypt_wipe(text, strlen(text));
	free(text);
}

int
cmd_request(struct cmd_env *env, const char *method, const char *path,
    const json_t *body, json_t **reply)
{
	char *text = cmd_text(body);
	int rc;

	rc = cmd_send(env, method, path, text, NULL, 0, reply);
	cmd_text_free(text);
	return rc;
}

int
cmd_request_retry(struct cmd_env *env, const char *method, const char *path,
    const json_t *body, const char *idempotency_key, json_t **reply)
{
	char *text = cmd_text(body), *idem = NULL;
	int rc;

	/* The same text every time: the daemon compares repeats byte for
	 * byte. */
	if (idempotency_key != NULL)
		idem = xasprintf("Idempotency-Key: %s", idempotency_key);
	rc = cmd_send(env, method, path, text, idem, CMD_RETRIES, reply);
	cmd_text_free(text);
	free(idem);
	return rc;
}

/* The table entry for argv, and how many words its name took. */
static const struct cmd *
cmd_find(int argc, char **argv, int *words)
{
	const struct cmd *c;
	size_t i, n;

	for (i = 0; i < CMD_COUNT; i++) {
		c = cmd_table[i];
		if ((n = cmd_group_len(c)) == 0) {
			if (strcmp(c->name, argv[0]) == 0) {
				*words = 1;
				return c;
			}
			continue;
		}
		if (argc > 1 && cmd_in_group(c, argv[0]) &&
		    strcmp(c->name + n + 1, argv[1]) == 0) {
			*words = 2;
			return c;
		}
	}
	return NULL;
}

/* "mandate keys" alone, with --help, or with an unknown subcommand. */
static int
cmd_group_usage(struct cmd_env *env, int argc, char **argv)
{
	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cmd_print_list(stdout, argv[0]);
		return EX_OK;
	}
	if (argc > 1)
		out_error("unknown command: %s %s", argv[0], argv[1]);
	else
		out_error("%s needs a command", argv[0]);
	cmd_print_list(stderr, argv[0]);
	return EX_USAGE;
}

int
cmd_dispatch(struct cmd_env *env, int argc, char **argv)
{
	const struct cmd *c;
	size_t i;
	int words = 0;

	if ((c = cmd_find(argc, argv, &words)) == NULL) {
		for (i = 0; i < CMD_COUNT; i++)
			if (cmd_in_group(cmd_table[i], argv[0]))
				return cmd_group_usage(env, argc, argv);
		return cmd_usage_error(env, "unknown command: %s", argv[0]);
	}
	env->cmd = c;
	optind = 0; /* glibc: start getopt afresh on the command's argv */
	opterr = 0;
	return c->exec(env, argc - words + 1, argv + words - 1);
}

int
cmd_get_and_show(struct cmd_env *env, int argc, char **argv, const char *path,
    void (*print)(const json_t *reply))
{
	static const struct option opts[] = {CMD_LONGOPTS, {NULL, 0, NULL, 0}};
	json_t *reply = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1)
		if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_request(env, "GET", path, NULL, &reply)) != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		print(reply);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}
