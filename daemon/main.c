/*
 * mandated: arguments, configuration, and the order of start-up and
 * shutdown.  Also the offline modes: -t (check configuration and rules),
 * --route (route case JSON lines from stdin) and --hash-token.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "backup.h"
#include "casejson.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "escalate.h"
#include "http.h"
#include "listen.h"
#include "log.h"
#include "loop.h"
#include "mandate/api.h"
#include "ratelimit.h"
#include "restore.h"
#include "retention.h"
#include "routes.h"
#include "rules.h"
#include "ruleset.h"
#include "secret.h"
#include "server.h"

json_t *route_decision_json(const char *id, const struct rules_decision *d);

struct options {
	const char *config;
	const char *log_level;
	int foreground;
	int check;
	int route;
	int hash_token;
	const char *restore; /* --restore FILE */
	int force;           /* --force: restore with other keys */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mandated [-f] [-c FILE] [--log-level LEVEL]\n"
	    "       mandated -t [-c FILE]        check configuration and "
	    "rules\n"
	    "       mandated --route [-c FILE]   route case JSON lines from "
	    "stdin\n"
	    "       mandated --hash-token        hash a bearer token read from "
	    "stdin\n"
	    "       mandated --restore FILE [--force] [-c FILE]\n"
	    "                                    restore a backup (mandated "
	    "stopped)\n"
	    "       mandated --version\n");
}

static void
version(void)
{
	printf("mandated %s (API %d)\nlibevent %s, SQLite %s, %s, jansson %s\n",
	    MANDATE_VERSION, MANDATE_API_VERSION, loop_library_version(),
	    db_library_version(), crypt_library_version(), JANSSON_VERSION);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum {
		OPT_ROUTE = 256,
		OPT_HASH,
		OPT_VERSION,
		OPT_LOGLEVEL,
		OPT_RESTORE,
		OPT_FORCE
	};
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"test", no_argument, NULL, 't'},
	    {"route", no_argument, NULL, OPT_ROUTE},
	    {"hash-token", no_argument, NULL, OPT_HASH},
	    {"log-level", required_argument, NULL, OPT_LOGLEVEL},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {"restore", required_argument, NULL, OPT_RESTORE},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	memset(o, 0, sizeof *o);
	while ((ch = getopt_long(argc, argv, "c:fth", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 't':
			o->check = 1;
			break;
		case OPT_ROUTE:
			o->route = 1;
			break;
		case OPT_HASH:
			o->hash_token = 1;
			break;
		case OPT_LOGLEVEL:
			o->log_level = optarg;
			break;
		case OPT_RESTORE:
			o->restore = optarg;
			break;
		case OPT_FORCE:
			o->force = 1;
			break;
		case OPT_VERSION:
			version();
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(EX_USAGE);
		}
	}
	if (optind != argc || (o->force && o->restore == NULL)) {
		usage(stderr);
		exit(EX_USAGE);
	}
}

static struct config *
load_config(const char *path)
{
	struct config *cfg;
	char *cause = NULL;

	if (path == NULL && access(MANDATE_DEFAULT_CONFIG, F_OK) == 0)
		path = MANDATE_DEFAULT_CONFIG;
	cfg = config_load(path, &cause);
	if (cfg == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		exit(EX_CONFIG);
	}
	return cfg;
}

static struct rules *
load_rules(const struct config *cfg)
{
	struct rules *rules;
	char *cause = NULL;

	rules = ruleset_load(cfg, &cause);
	if (rules == NULL) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		exit(EX_CONFIG);
	}
	return rules;
}

/* -t: configuration, rules, and units that could not take a case. */
static int
check(const struct options *o)
{
	struct config *cfg = load_config(o->config);
	struct rules *rules = load_rules(cfg);
	struct db *db = NULL;
	char *cause = NULL;

	printf("%s: configuration ok\n", cfg->path ? cfg->path : "(embedded)");
	printf("%s: %zu rules, %zu words ok\n", ruleset_source(cfg),
	    rules_count(rules), rules_word_count(rules));
	if (access(cfg->database, F_OK) == 0)
		db = db_open(cfg->database, 1, &cause);
	if (db == NULL && cause != NULL) {
		printf("warning: %s\n", cause);
		free(cause);
	}
	for (size_t i = 0; i < cfg->nunits; i++) {
		int64_t n = db ? db_officer_count(db, cfg->units[i].id) : 0;
		if (n <= 0)
			printf(
			    "warning: unit %s has no enrolled officer: cases "
			    "routed to it will be refused "
			    "(unit_has_no_officer)\n",
			    cfg->units[i].id);
	}
	db_close(db);
	rules_free(rules);
	config_free(cfg);
	return 0;
}

/* One line of --route: a decision, or an error naming the field. */
static int
route_line(const struct config *cfg, const struct rules *rules,
    const char *line, size_t len, unsigned long lineno)
{
	struct case_input in;
	struct case_error e;
	struct rules_decision d;
	json_t *obj, *out;
	char *cause = NULL, *text, msg[300];
	int ret = -1;

	obj = json_parse_strict(line, len, &cause);
	if (obj == NULL || !json_is_object(obj)) {
		snprintf(msg, sizeof msg, "line %lu: %s", lineno,
		    cause ? cause : "not a JSON object");
		out = json_error_body("bad_json", NULL, msg);
	} else if (casejson_parse(obj, cfg, 1, &in, &e) < 0) {
		snprintf(msg, sizeof msg, "line %lu: %s", lineno, e.message);
		out = json_error_body(
		    mandate_error_get(e.err)->code, e.field, msg);
	} else {
		struct rules_case rc = {in.title, in.title_len, in.narrative,
		    in.narrative_len, in.category, in.subject_office};
		if (rules_route(rules, &rc, &d, &cause) < 0) {
			snprintf(
			    msg, sizeof msg, "line %lu: %s", lineno, cause);
			out = json_error_body("internal", NULL, msg);
		} else {
			out = route_decision_json(in.id, &d);
			rules_decision_clear(&d);
			ret = 0;
		}
	}
	text = json_dump_compact(out);
	puts(text);
	free(text);
	json_decref(out);
	json_decref(obj);
	free(cause);
	return ret;
}

/* --route: every line of stdin through the configured rules, offline. */
static int
route_stdin(const struct options *o)
{
	struct config *cfg = load_config(o->config);
	struct rules *rules = load_rules(cfg);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int failed = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if (route_line(cfg, rules, line, (size_t)n, lineno) < 0)
			failed = 1;
	}
	free(line);
	rules_free(rules);
	config_free(cfg);
	return failed ? EX_DATAERR : 0;
}

/* --hash-token: the configuration form of a token read from stdin. */
static int
hash_token(void)
{
	char token[512], hex[2 * CRYPT_HASH_LEN + 1];
	unsigned char h[CRYPT_HASH_LEN];
	size_t n;

	if (fgets(token, sizeof token, stdin) == NULL) {
		fprintf(stderr, "mandated: no token on standard input\n");
		return EX_DATAERR;
	}
	n = strcspn(token, "\r\n");
	token[n] = '\0';
	if (n < 16) {
		fprintf(stderr, "mandated: a token needs at least 16 "
		                "characters\n");
		return EX_DATAERR;
	}
	crypt_hash(h, token, n);
	crypt_hex(hex, h, sizeof h);
	printf("%s\n", hex);
	crypt_wipe(token, sizeof token);
	return 0;
}

/* --restore: a backup in place of the database, the daemon stopped. */
static int
restore(const struct options *o)
{
	struct config *cfg = load_config(o->config);
	char *cause = NULL;
	int rc;

	umask(077);
	rc = restore_run(cfg, o->restore, o->force, stdout, &cause);
	if (rc != 0) {
		fprintf(stderr,
		    "mandated: restore refused, nothing changed: "
		    "%s\n",
		    cause);
		free(cause);
	}
	config_free(cfg);
	return rc;
}

struct daemon {
	struct server srv;
	const struct options *opts;
	struct http *http;
	struct http *metrics; /* metrics_listen's server, or NULL */
};

/* SIGHUP: a new configuration and new rules, or the old ones kept. */
static void
reload(void *arg)
{
	struct daemon *d = arg;
	struct config *cfg, *old = d->srv.cfg;
	struct rules *rules;
	char *cause = NULL;

	cfg = config_load(old->path, &cause);
	if (cfg == NULL) {
		log_warnx("config: reload failed, keeping the running "
		          "configuration and rules: %s",
		    cause);
		free(cause);
		audit_system(&d->srv, AUDIT_CONFIG_RELOAD,
		    json_pack("{s:b}", "ok", 0), 0);
		return;
	}
	rules = ruleset_load(cfg, &cause);
	if (rules == NULL) {
		log_warnx("rules: reload failed, keeping the running "
		          "configuration and rules: %s",
		    cause);
		free(cause);
		config_free(cfg);
		audit_system(&d->srv, AUDIT_CONFIG_RELOAD,
		    json_pack("{s:b}", "ok", 0), 0);
		return;
	}
	if (strcmp(cfg->database, old->database) != 0 ||
	    strcmp(cfg->socket_path, old->socket_path) != 0 ||
	    (cfg->listen_tcp == NULL) != (old->listen_tcp == NULL) ||
	    (cfg->listen_tcp && strcmp(cfg->listen_tcp, old->listen_tcp)) ||
	    (cfg->metrics_listen == NULL) != (old->metrics_listen == NULL) ||
	    (cfg->metrics_listen &&
	        strcmp(cfg->metrics_listen, old->metrics_listen)))
		log_warnx("config: database and listener changes take effect "
		          "at the next restart");
	rules_free(d->srv.rules);
	d->srv.rules = rules;
	d->srv.cfg = cfg;
	config_free(old);
	http_set_limits(d->http, cfg);
	if (d->metrics != NULL)
		http_set_limits(d->metrics, cfg);
	auth_cache_flush();
	ratelimit_set(
	    d->srv.receipts, cfg->receipt_failures, cfg->receipt_window);
	ratelimit_set(
	    d->srv.submissions, cfg->submit_limit, cfg->submit_window);
	server_set_clock_offset(cfg->clock_offset);
	audit_set_sign_every(d->srv.audit, cfg->audit_sign_every);
	log_info("config: reloaded; rules from %s: %zu rules, %zu words",
	    ruleset_source(cfg), rules_count(rules), rules_word_count(rules));
	audit_system(&d->srv, AUDIT_CONFIG_RELOAD,
	    json_pack("{s:b, s:s, s:I}", "ok", 1, "rules", ruleset_source(cfg),
	        "rules_count", (json_int_t)rules_count(rules)),
	    0);
}

/*
 * The audit signing key (created at first start), the clock offset of
 * tests, and the start entry: a daemon that cannot write its audit log
 * does not start.
 */
static void
open_audit(struct daemon *d)
{
	struct config *cfg = d->srv.cfg;
	char *cause = NULL, *path = NULL, fp[CRYPT_FINGERPRINT_LEN + 1];

	server_set_clock_offset(cfg->clock_offset);
	if (cfg->clock_offset != 0)
		log_warnx("config: clock_offset_seconds = %lld moves the "
		          "daemon's clock: for tests only",
		    cfg->clock_offset);
	if (asprintf(&path, "%s/audit-signing.key", cfg->state_dir) < 0 ||
	    (d->srv.audit = audit_open(path, cfg->audit_sign_every, &cause)) ==
	        NULL)
		fatalx("%s", cause);
	free(path);
	audit_fingerprint(d->srv.audit, fp, sizeof fp);
	log_info("audit: signing key fingerprint %s", fp);
	if (audit_system(&d->srv, AUDIT_DAEMON_START,
	        json_pack("{s:s, s:s}", "version", MANDATE_VERSION, "key", fp),
	        0) < 0)
		fatalx("audit: cannot write the audit log: not starting");
}

/* A COMMIT failed: what was written since the last one may or may not be
 * on disk.  Stop, for systemd to restart the daemon on a fresh start. */
static void
write_failed(void *arg)
{
	loop_fail(arg, EX_IOERR);
}

/* The server of GET /metrics alone (metrics_listen, or a socket named
 * "metrics" by systemd), made at its first listener. */
static struct http *
metrics_http(struct daemon *d, struct loop *loop)
{
	if (d->metrics == NULL) {
		d->metrics = http_new(loop_base(loop), &d->srv);
		http_set_metrics_only(d->metrics);
		http_set_limits(d->metrics, d->srv.cfg);
		http_on_failure(d->metrics, write_failed, loop);
	}
	return d->metrics;
}

/*
 * Under socket activation the listeners are systemd's: those of
 * mandated.socket, and of mandated-metrics.socket (named "metrics").  The
 * unit runs without network access of its own, so the TCP addresses of
 * the configuration are not opened then.
 */
static void
open_listeners(struct daemon *d, struct loop *loop)
{
	const struct config *cfg = d->srv.cfg;
	int first, n, fd;
	unsigned metrics;
	char *cause = NULL;

	n = listen_activated(&first, &metrics);
	for (int i = 0; i < n; i++)
		if (http_listen_fd(
		        metrics & (1u << i) ? metrics_http(d, loop) : d->http,
		        first + i, &cause) < 0)
			fatalx("%s", cause);
	if (n > 0) {
		log_info("listen: %d socket(s) from systemd, %d of them for "
		         "GET /metrics only",
		    n, __builtin_popcount(metrics));
		if (cfg->listen_tcp != NULL || cfg->metrics_listen != NULL)
			log_warnx("listen: listen_tcp and metrics_listen are "
			          "not opened under socket activation: add "
			          "ListenStream= to mandated.socket or "
			          "mandated-metrics.socket (mandated(8))");
		return;
	}
	if ((fd = listen_unix(cfg->socket_path, &cause)) < 0 ||
	    http_listen_fd(d->http, fd, &cause) < 0)
		fatalx("%s", cause);
	log_info("listen: unix socket %s", cfg->socket_path);
	if (cfg->listen_tcp != NULL) {
		if ((fd = listen_tcp(cfg->listen_tcp, &cause)) < 0 ||
		    http_listen_fd(d->http, fd, &cause) < 0)
			fatalx("%s", cause);
		log_info("listen: tcp %s (bearer tokens)", cfg->listen_tcp);
	}
	if (cfg->metrics_listen != NULL) {
		if ((fd = listen_tcp(cfg->metrics_listen, &cause)) < 0 ||
		    http_listen_fd(metrics_http(d, loop), fd, &cause) < 0)
			fatalx("%s", cause);
		log_info("listen: tcp %s (GET /metrics only, no "
		         "authentication)",
		    cfg->metrics_listen);
	}
}

static void
log_startup(const struct daemon *d)
{
	const struct config *cfg = d->srv.cfg;
	int64_t officers = 0;

	for (size_t i = 0; i < cfg->nunits; i++) {
		int64_t n = db_officer_count(d->srv.db, cfg->units[i].id);
		if (n > 0)
			officers += n;
		else
			log_warnx("config: unit %s has no enrolled officer",
			    cfg->units[i].id);
	}
	log_info("mandated %s starting: libevent %s, SQLite %s, %s",
	    MANDATE_VERSION, loop_library_version(), db_library_version(),
	    crypt_library_version());
	log_info("db: %s (schema %d); %zu units, %lld officers; rules from "
	         "%s: %zu rules",
	    cfg->database, db_schema_version(d->srv.db), cfg->nunits,
	    (long long)officers, ruleset_source(cfg),
	    rules_count(d->srv.rules));
}

static int
serve(const struct options *o)
{
	struct daemon d = {{0}, o, NULL, NULL};
	struct loop *loop;
	char *cause = NULL, *keypath = NULL;
	int status;

	d.srv.cfg = load_config(o->config);
	if (o->log_level == NULL &&
	    log_set_level_name(d.srv.cfg->log_level) < 0)
		fatalx("config: log_level: unknown level %s",
		    d.srv.cfg->log_level);
	if (geteuid() == 0 && !d.srv.cfg->allow_root)
		fatalx("refusing to run as root: run as a dedicated user (the "
		       "systemd unit does), or set allow_root = yes");
	d.srv.daemon_uid = geteuid();
	d.srv.rules = load_rules(d.srv.cfg);
	if (mkdir(d.srv.cfg->state_dir, 0700) < 0 && errno != EEXIST)
		fatal("cannot create %s", d.srv.cfg->state_dir);
	umask(077);
	d.srv.db = db_open(d.srv.cfg->database, 0, &cause);
	if (d.srv.db == NULL)
		fatalx("%s", cause);
	if (asprintf(&keypath, "%s/index.key", d.srv.cfg->state_dir) < 0 ||
	    (d.srv.index_key = secret_load(keypath, &cause)) == NULL)
		fatalx("%s", cause);
	free(keypath);
	open_audit(&d);
	d.srv.receipts = ratelimit_new(
	    d.srv.cfg->receipt_failures, d.srv.cfg->receipt_window);
	d.srv.submissions =
	    ratelimit_new(d.srv.cfg->submit_limit, d.srv.cfg->submit_window);
	loop = loop_new(reload, &d);
	loop_every(loop, 1, 86400, retention_tick, &d.srv);
	/* The first deadline look a second after start, not in its way. */
	loop_every(loop, 1, ESCALATE_EVERY, escalate_tick, &d.srv);
	d.http = http_new(loop_base(loop), &d.srv);
	http_set_limits(d.http, d.srv.cfg);
	http_on_failure(d.http, write_failed, loop);
	db_group_commit(d.srv.db, http_flush_soon, d.http);
	umask(0);
	open_listeners(&d, loop);
	umask(077);
	loop_set_http(loop, d.http);
	log_startup(&d);
	if (!o->foreground) {
		if (daemon(0, 0) < 0)
			fatal("daemon");
		log_to_syslog();
	}
	status = loop_run(loop);
	backup_job_shutdown();
	db_group_commit(d.srv.db, NULL, NULL);
	http_free(d.http);
	http_free(d.metrics);
	loop_free(loop);
	if (status == 0)
		audit_system(&d.srv, AUDIT_DAEMON_STOP, NULL, 1);
	audit_free(d.srv.audit);
	db_close(d.srv.db);
	rules_free(d.srv.rules);
	crypt_key_free(d.srv.index_key);
	ratelimit_free(d.srv.receipts);
	ratelimit_free(d.srv.submissions);
	if (status != 0)
		log_errx("stopped after a failed write (exit %d)", status);
	else
		log_info("stopped");
	config_free(d.srv.cfg);
	return status;
}

int
main(int argc, char **argv)
{
	struct options o;

	log_init("mandated", LOG_LEVEL_INFO);
	loop_init_memory();
	json_init();
	if (crypt_init() < 0)
		fatalx("libsodium cannot be initialised");
	parse_options(argc, argv, &o);
	if (o.log_level != NULL && log_set_level_name(o.log_level) < 0) {
		fprintf(
		    stderr, "mandated: unknown log level %s\n", o.log_level);
		return EX_USAGE;
	}
	if (o.check)
		return check(&o);
	if (o.route)
		return route_stdin(&o);
	if (o.hash_token)
		return hash_token();
	if (o.restore != NULL)
		return restore(&o);
	return serve(&o);
}
