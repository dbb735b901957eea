/*
 * The daemon under test: a temporary state directory, its configuration
 * (the shipped defaults but for paths, a TCP listener, an auditor and
 * bearer tokens), start and stop, and three officers enrolled in every
 * unit by the real client.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_load.h"
#include "config.h"
#include "crypt.h"
#include "load.h"

/* A loopback port below the ephemeral range that nothing holds now. */
static int
bl_free_port(void)
{
	struct sockaddr_in sin;
	uint32_t r;
	int fd, port;

	for (int tries = 0; tries < 100; tries++) {
		crypt_random(&r, sizeof r);
		port = 20000 + (int)(r % 12000);
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			continue;
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0) {
			close(fd);
			return port;
		}
		close(fd);
	}
	bl_die("no free TCP port");
	return -1;
}

/* A bearer token for user: its file (0600), and its line of the
 * configuration's [tokens] section, hashed by mandated --hash-token. */
static void
bl_token(const struct bl_opts *o, struct bl_site *s, const char *user,
    char *tok, size_t toksize, char *file, FILE *conf)
{
	char *argv[] = {(char *)o->mandated, "--hash-token", NULL};
	unsigned char raw[24];
	char path[BL_PATH];
	struct lp_run run;

	crypt_random(raw, sizeof raw);
	if (toksize < 2 * sizeof raw + 1)
		bl_die("token buffer");
	crypt_hex(tok, raw, sizeof raw);
	bl_fmt(path, sizeof path, "%s/token-%s", s->dir, user);
	if (bl_write_file(path, tok, 0600) < 0)
		bl_die("cannot write a token file");
	if (file != NULL)
		snprintf(file, BL_PATH, "%s", path);
	if (lp_spawn(argv, NULL, tok, NULL, 1, &run) < 0 || run.status != 0)
		bl_die("mandated --hash-token failed");
	fprintf(
	    conf, "%s = %.*s\n", user, (int)strcspn(run.out, "\n"), run.out);
	free(run.out);
}

/* Writes the site's configuration: the shipped defaults but for the
 * paths, a TCP listener, an auditor and the bearer tokens; with lift,
 * the per-peer submission limit raised out of the benchmark's way. */
static void
bl_site_conf(const struct bl_opts *o, struct bl_site *s, int lift)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		bl_die("out of memory");
	fprintf(f, "[daemon]\nstate_directory = %s\nsocket = %s\n", s->state,
	    s->sock);
	fprintf(f, "listen_tcp = %s:%d\n", s->host, s->port);
	if (geteuid() == 0)
		fprintf(f, "allow_root = yes\n");
	if (lift)
		fprintf(f, "submit_limit = 100000\nsubmit_window_seconds = "
		           "1\n");
	fprintf(f, "[roles]\nauditor_users = bench-auditor\n[tokens]\n");
	bl_token(o, s, "bench-staff", s->staff_tok, sizeof s->staff_tok,
	    s->staff_file, f);
	bl_token(o, s, "bench-auditor", s->auditor_tok, sizeof s->auditor_tok,
	    s->auditor_file, f);
	for (size_t u = 0; u < s->nunits; u++)
		for (int k = 0; k < BL_OFFICERS; k++) {
			char user[64];

			snprintf(user, sizeof user, "officer-%s-%d",
			    s->cfg->units[u].id, k + 1);
			bl_token(o, s, user, s->officer_tok[u][k],
			    sizeof s->officer_tok[u][k], NULL, f);
		}
	if (fclose(f) != 0 || bl_write_file(s->conf, text, 0600) < 0)
		bl_die("cannot write the configuration");
	free(text);
}

/* mandated -t on the site's configuration: its exit status, its output
 * in *out (caller frees). */
static int
bl_site_check(const struct bl_opts *o, struct bl_site *s, char **out)
{
	char *argv[] = {(char *)o->mandated, "-t", "-c", s->conf, NULL};
	struct lp_run run;

	if (lp_spawn(argv, NULL, NULL, NULL, 1, &run) < 0)
		bl_die("cannot run mandated -t");
	*out = run.out;
	return run.status;
}

void
bl_site_init(const struct bl_opts *o, struct bl_site *s, const char *work,
    const char *name)
{
	char *cause = NULL, *out = NULL;

	memset(s, 0, sizeof *s);
	bl_fmt(s->dir, sizeof s->dir, "%s/%s", work, name);
	bl_fmt(s->state, sizeof s->state, "%s/state", s->dir);
	bl_fmt(s->sock, sizeof s->sock, "%s/mandated.sock", s->dir);
	bl_fmt(s->conf, sizeof s->conf, "%s/mandated.conf", s->dir);
	bl_fmt(s->log, sizeof s->log, "%s/mandated.log", s->dir);
	bl_fmt(s->db, sizeof s->db, "%s/mandate.db", s->state);
	snprintf(s->host, sizeof s->host, "127.0.0.1");
	if (mkdir(s->dir, 0700) < 0)
		bl_die("cannot create the site directory");
	if ((s->cfg = config_load(NULL, &cause)) == NULL)
		bl_die(cause);
	s->nunits = s->cfg->nunits < BL_UNITS ? s->cfg->nunits : BL_UNITS;
	s->port = bl_free_port();
	/* The submission limit is lifted when this daemon knows it. */
	bl_site_conf(o, s, 1);
	if (bl_site_check(o, s, &out) != 0) {
		free(out);
		bl_site_conf(o, s, 0);
		if (bl_site_check(o, s, &out) != 0) {
			fprintf(stderr, "%s", out);
			bl_die("mandated -t refuses the configuration");
		}
	} else
		printf("  %s: submit_limit lifted to 100000 per second for "
		       "the benchmark\n",
		    name);
	free(out);
	config_free(s->cfg);
	if ((s->cfg = config_load(s->conf, &cause)) == NULL)
		bl_die(cause);
}

int
bl_site_start(const struct bl_opts *o, struct bl_site *s, double *startup)
{
	double t;

	s->pid = lp_daemon_start(
	    o->mandated, s->conf, s->log, s->sock, 120, startup ? startup : &t);
	if (s->pid < 0)
		fprintf(stderr, "bench_load: mandated did not start: see %s\n",
		    s->log);
	else
		bl_daemon = s->pid;
	return s->pid < 0 ? -1 : 0;
}

void
bl_site_stop(struct bl_site *s)
{
	int st;

	if (s->pid <= 0)
		return;
	bl_daemon = 0;
	if ((st = lp_daemon_stop(s->pid)) != 0)
		fprintf(stderr, "bench_load: mandated exited with %d: see %s\n",
		    st, s->log);
	s->pid = 0;
}

/* Runs the client; dies with its output when it fails. */
static void
bl_client(const struct bl_opts *o, struct bl_site *s, char *const args[],
    const char *stdin_text, int over_tcp, const char *token_file)
{
	char *argv[16], env0[BL_PATH + 32], env1[BL_PATH + 32];
	char *env[] = {env0, env1, NULL};
	struct lp_run run;
	size_t n = 0;

	argv[n++] = (char *)o->mandate;
	while (args[n - 1] != NULL && n < 15) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	if (over_tcp) {
		snprintf(env0, sizeof env0, "MANDATE_URL=http://%s:%d", s->host,
		    s->port);
		snprintf(
		    env1, sizeof env1, "MANDATE_TOKEN_FILE=%s", token_file);
	} else {
		snprintf(env0, sizeof env0, "MANDATE_SOCKET=%s", s->sock);
		env[1] = NULL;
	}
	if (lp_spawn(argv, env, stdin_text, NULL, 1, &run) < 0 ||
	    run.status != 0) {
		fprintf(stderr, "bench_load: mandate %s %s failed:\n%s\n",
		    args[0], args[1] ? args[1] : "", run.out ? run.out : "");
		exit(1);
	}
	free(run.out);
}

/* Three officers in every unit, each with a key pair made by the client
 * (kept in keys, made once for every site) and enrolled by it. */
void
bl_enrol(const struct bl_opts *o, struct bl_site *s, const char *keys)
{
	char key[BL_PATH], pub[BL_PATH], user[64], pass[64];
	struct stat sb;

	snprintf(pass, sizeof pass, "%s\n", BL_PASS);
	for (size_t u = 0; u < s->nunits; u++)
		for (int k = 0; k < BL_OFFICERS; k++) {
			const char *unit = s->cfg->units[u].id;

			snprintf(
			    user, sizeof user, "officer-%s-%d", unit, k + 1);
			bl_fmt(key, sizeof key, "%s/%s.key", keys, user);
			bl_fmt(pub, sizeof pub, "%s.pub", key);
			if (stat(key, &sb) < 0) {
				char *init[] = {"keys", "init", "-o", key,
				    "--kdf", "interactive", "--passphrase-fd",
				    "0", NULL};
				bl_client(o, s, init, pass, 0, NULL);
			}
			char *add[] = {"officers", "add", "--unit",
			    (char *)unit, "--user", user, "--key", pub, NULL};
			bl_client(o, s, add, NULL, 0, NULL);
		}
}
