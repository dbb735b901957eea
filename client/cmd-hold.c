/*
 * mandate hold: places or lifts a legal hold on a case (officers of Legal
 * Affairs, administrators); a held case is never purged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cmd.h"
#include "conn.h"
#include "json.h"
#include "mandate/api.h"
#include "out.h"
#include "xmalloc.h"

enum { HOLD_OPT_LIFT = CMD_OPT_LOCAL };

/* POST or DELETE path; 0 with *reply, or an exit status (printed). */
static int
hold_send(
    struct cmd_env *env, const char *method, const char *path, json_t **reply)
{
	struct conn_reply r;
	char *buf = NULL, *cause = NULL, *why = NULL;
	size_t len = 0;
	json_t *body = NULL;
	FILE *mem;
	int rc;

	/* Opens the connection (and shows the daemon is there). */
	if ((rc = cmd_request(env, "GET", "/v1/health", NULL, &body)) != 0)
		return rc;
	json_decref(body);
	if ((mem = open_memstream(&buf, &len)) == NULL)
		xmalloc_fatal();
	rc = conn_fetch(env->conn, method, path, mem, &r, &cause);
	fclose(mem);
	if (rc != 0) {
		free(buf);
		return cmd_fail(rc, cause);
	}
	if (r.status >= 200 && r.status <= 299)
		body = json_parse_strict(buf, len, &why);
	else
		body = json_parse_strict(r.body, r.bodylen, &why);
	if (r.status < 200 || r.status > 299)
		rc = out_server_error(r.status, body);
	else if (!json_is_object(body))
		rc = cmd_fail(EX_PROTOCOL,
		    xstrdup("the reply of mandated is not a JSON object"));
	else
		*reply = json_incref(body);
	json_decref(body);
	free(why);
	free(buf);
	conn_reply_clear(&r);
	return rc;
}

static int
hold_exec(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"lift", no_argument, NULL, HOLD_OPT_LIFT}, CMD_LONGOPTS,
	    {NULL, 0, NULL, 0}};
	char id[MANDATE_CASE_ID_LEN + 1], *path;
	json_t *reply = NULL;
	int ch, rc, lift = 0;

	while (
	    (ch = getopt_long(argc, argv, CMD_SHORTOPTS, opts, NULL)) != -1) {
		if (ch == HOLD_OPT_LIFT)
			lift = 1;
		else if ((rc = cmd_option(env, ch, argv)) != CMD_CONTINUE)
			return rc;
	}
	if ((rc = cmd_operands(env, argc - optind, 1, 1)) != CMD_CONTINUE)
		return rc;
	if ((rc = cmd_case_id(id, sizeof id, argv[optind])) != CMD_CONTINUE)
		return rc;
	path = xasprintf("/v1/cases/%s/hold", id);
	rc = hold_send(env, lift ? "DELETE" : "POST", path, &reply);
	free(path);
	if (rc != 0)
		return rc;
	if (env->json)
		rc = out_json(reply);
	else {
		printf("legal hold %s on %s\n", lift ? "lifted" : "placed", id);
		rc = out_flush();
	}
	json_decref(reply);
	return rc;
}

const struct cmd cmd_hold = {
    .name = "hold",
    .summary = "Place or lift a legal hold on a case (Legal Affairs, "
               "administrators)",
    .usage = "ID [--lift]",
    .help = "Options:\n"
            "  --lift                lift the hold: the case is purged once "
            "its\n"
            "                        retention has run out\n",
    .exec = hold_exec,
};
