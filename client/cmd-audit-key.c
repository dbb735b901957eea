/*
 * mandate audit key: the public key that signs the audit log, to keep
 * beside exports and verify them with offline (`mandate audit verify
 * --key`).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cmd.h"
#include "json.h"
#include "out.h"
#include "xmalloc.h"

/* Writes the key reply as one JSON line to a new file (mode 644: it is
 * public). */
static int
audit_key_save(const char *file, const json_t *reply)
{
	char *text = json_dump_compact(reply);
	size_t n = strlen(text);
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int rc = 0;

	if (fd < 0)
		rc = cmd_fail(EX_CANTCREAT,
		    xasprintf("%s: %s (not replaced)", file, strerror(errno)));
	else if (write(fd, text, n) != (ssize_t)n || write(fd, "\n", 1) != 1 ||
	         close(fd) != 0)
		rc = cmd_fail(
		    EX_IOERR, xasprintf("%s: %s", file, strerror(errno)));
	free(text);
	return rc;
}

static int
audit_key_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	const char *file = NULL;
	json_t *reply = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, CMD_SHORTOPTS "o:", opts, NULL)) !=
	       -1) {
		if (ch == 'o')
			file = optarg;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 0, 0)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_request(env, "GET", "/v1/audit/key", NULL, &reply)) != 0)
		return rc;
	if (file != NULL && (rc = audit_key_save(file, reply)) != 0)
		;
	else if (env->json)
		rc = out_json(reply);
	else {
		out_field("Algorithm", out_str(reply, "algorithm"));
		out_field("Fingerprint", out_str(reply, "fingerprint"));
		out_field("Public key", out_str(reply, "public_key"));
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_audit_key = {
    .name = "audit key",
    .summary = "Show or save the key that signs the audit log",
    .usage = "[-o FILE]",
    .help = "Options:\n"
            "  -o, --output FILE     also save it to FILE (never "
            "replaced), for\n"
            "                        mandate audit verify --key FILE\n",
    .exec = audit_key_exec,
};
