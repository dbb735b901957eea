/*
 * libFuzzer target for the HTTP request path, from raw bytes through
 * evhttp, identification and the router to the handlers: the input is
 * written as it is to a connection on the Unix socket of a server set up
 * the way mandated sets itself up (configuration, rules, audit and index
 * keys, http.c on a listening socket, the loop of loop.c), the write side
 * is shut, and the loop runs until the server has closed the connection.
 * The caller is the server's own user: administrator, auditor and staff.
 *
 * Each input meets a fresh in-memory database, so that what one input
 * stores cannot change how the next is answered: a crash found is a crash
 * replayed.  After each input no connection may be left open and no file
 * descriptor more than at the start (LeakSanitizer checks the memory).
 *
 * MANDATE_FUZZ_LOG=debug shows the daemon's log (default: errors only).
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "crypt.h"
#include "db.h"
#include "http.h"
#include "json.h"
#include "listen.h"
#include "log.h"
#include "loop.h"
#include "ratelimit.h"
#include "rules.h"
#include "ruleset.h"
#include "secret.h"
#include "server.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	char dir[256];
	char path[300]; /* scratch for the files in dir */
	struct sockaddr_un sun;
	struct server srv;
	struct loop *loop;
	struct http *http;
	int nfds; /* open descriptors before the input */
} fz;

static void
fuzz_die(const char *what, const char *cause)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, cause ? cause : "");
	abort();
}

static const char *
fuzz_file(const char *name)
{
	snprintf(fz.path, sizeof fz.path, "%s/%s", fz.dir, name);
	return fz.path;
}

static int
fuzz_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
fuzz_cleanup(void)
{
	const char *files[] = {
	    "mandated.conf", "index.key", "audit-signing.key", "sock"};

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(fuzz_file(files[i]));
	rmdir(fz.dir);
}

static void
fuzz_reload(void *arg)
{
}

static void
fuzz_write_failed(void *arg)
{
	fuzz_die("a COMMIT failed", "in-memory database");
}

/* The configuration: this user is also an auditor; short limits so that
 * the fuzzer can reach them. */
static struct config *
fuzz_config(void)
{
	struct passwd *pw = getpwuid(geteuid());
	struct config *cfg;
	char *cause = NULL;
	FILE *f;

	if ((f = fopen(fuzz_file("mandated.conf"), "w")) == NULL)
		fuzz_die("config", fz.path);
	fprintf(f,
	    "[daemon]\nstate_directory = %s\nsocket = %s/sock\n"
	    "allow_root = yes\nmax_body_bytes = 65536\n"
	    "max_header_bytes = 2048\n[roles]\nauditor_users = %s\n",
	    fz.dir, fz.dir, pw ? pw->pw_name : "nobody");
	fclose(f);
	if ((cfg = config_load(fz.path, &cause)) == NULL)
		fuzz_die("config", cause);
	return cfg;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR"), *level = getenv("MANDATE_FUZZ_LOG");
	char *cause = NULL;
	int fd;

	log_init("fuzz_http", LOG_LEVEL_ERR);
	if (level != NULL && log_set_level_name(level) < 0)
		fuzz_die("MANDATE_FUZZ_LOG", level);
	loop_init_memory();
	json_init();
	if (crypt_init() < 0)
		fuzz_die("crypt_init", NULL);
	snprintf(fz.dir, sizeof fz.dir, "%s/mandate-fuzz-http.XXXXXX",
	    tmp ? tmp : "/tmp");
	if (mkdtemp(fz.dir) == NULL)
		fuzz_die("mkdtemp", fz.dir);
	atexit(fuzz_cleanup);
	fz.srv.cfg = fuzz_config();
	if ((fz.srv.rules = ruleset_load(fz.srv.cfg, &cause)) == NULL)
		fuzz_die("rules", cause);
	if ((fz.srv.index_key = secret_load(fuzz_file("index.key"), &cause)) ==
	    NULL)
		fuzz_die("index key", cause);
	fz.srv.audit = audit_open(fuzz_file("audit-signing.key"),
	    fz.srv.cfg->audit_sign_every, &cause);
	if (fz.srv.audit == NULL)
		fuzz_die("audit key", cause);
	fz.srv.daemon_uid = geteuid();
	fz.loop = loop_new(fuzz_reload, NULL);
	fz.http = http_new(loop_base(fz.loop), &fz.srv);
	http_set_limits(fz.http, fz.srv.cfg);
	http_on_failure(fz.http, fuzz_write_failed, NULL);
	loop_set_http(fz.loop, fz.http);
	if ((fd = listen_unix(fuzz_file("sock"), &cause)) < 0 ||
	    http_listen_fd(fz.http, fd, &cause) < 0)
		fuzz_die("listen", cause);
	fz.sun.sun_family = AF_UNIX;
	snprintf(fz.sun.sun_path, sizeof fz.sun.sun_path, "%s", fz.path);
	return 0;
}

static int
fuzz_connect(void)
{
	int c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (c < 0 || connect(c, (struct sockaddr *)&fz.sun, sizeof fz.sun) < 0)
		fuzz_die("connect", strerror(errno));
	return c;
}

/* Reads what the server sent: the number of bytes, or -1 once it has
 * closed. */
static ssize_t
fuzz_read(int c)
{
	char buf[65536];
	ssize_t n, total = 0;

	for (;;) {
		n = recv(c, buf, sizeof buf, 0);
		if (n > 0) {
			total += n;
			continue;
		}
		if (n == 0 || errno == ECONNRESET)
			return -1;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return total;
		if (errno != EINTR)
			fuzz_die("recv", strerror(errno));
	}
}

/* Writes what the socket takes of data; *off moves on. */
static void
fuzz_write(int c, const uint8_t *data, size_t size, size_t *off)
{
	ssize_t n;

	while (*off < size) {
		n = send(c, data + *off, size - *off, MSG_NOSIGNAL);
		if (n > 0) {
			*off += (size_t)n;
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		if (errno == EPIPE || errno == ECONNRESET) {
			*off = size; /* the server has stopped reading */
			return;
		}
		if (errno != EINTR)
			fuzz_die("send", strerror(errno));
	}
}

/*
 * One connection: the input in, the write side shut, the replies read
 * until the server closes.  A hasty client shuts its side as soon as the
 * input is written (evhttp then drops pipelined requests and streamed
 * replies: the client has left); a patient one first lets the server go
 * idle, so that every request of the input is answered in full.
 */
static void
fuzz_exchange(const uint8_t *data, size_t size, int patient)
{
	size_t off = 0;
	ssize_t got;
	int c = fuzz_connect(), shut = 0, idle = 0, i;

	for (;;) {
		fuzz_write(c, data, size, &off);
		if (off == size && !shut && (!patient || idle >= 8)) {
			shutdown(c, SHUT_WR);
			shut = 1;
		}
		if ((got = fuzz_read(c)) < 0)
			break;
		if (patient && off == size && !shut) {
			idle = got > 0 ? 0 : idle + 1;
			loop_step(fz.loop, 0);
		} else if (loop_step(fz.loop, 1) < 0)
			fuzz_die("loop", "no event pending");
	}
	close(c);
	/* Closed on the server's side too, its callbacks run. */
	for (i = 0; i < 1000 && http_connections(fz.http) > 0; i++)
		loop_step(fz.loop, 0);
	if (http_connections(fz.http) != 0)
		fuzz_die("connection", "still open after the client left");
	loop_step(fz.loop, 0);
}

/* An officer's public key (X25519), for the enrolments below. */
static const unsigned char fuzz_officer_pk[32] = {0xdf, 0xda, 0x38, 0x01, 0x0d,
    0x41, 0x12, 0xef, 0x58, 0x37, 0x26, 0xe7, 0x96, 0x29, 0xa4, 0x0e, 0xf2,
    0x84, 0xc3, 0xc3, 0x2f, 0x98, 0x7a, 0x1a, 0xf3, 0xdf, 0x0e, 0x8f, 0x43,
    0x12, 0x75, 0x5d};

/* The caller is an officer of ethics and legal, someone else of the
 * inspector-general; the ombudsperson has nobody (unit_has_no_officer). */
static void
fuzz_enrol(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *me = pw ? pw->pw_name : "nobody";
	const char *enrol[][2] = {
	    {me, "ethics"}, {me, "legal"}, {"ig1", "inspector-general"}};
	struct db_officer o;
	char *cause = NULL;

	for (size_t i = 0; i < sizeof enrol / sizeof enrol[0]; i++)
		if (db_officer_insert(fz.srv.db, enrol[i][0], enrol[i][1],
		        fuzz_officer_pk, server_now(), &o, &cause) != 1)
			fuzz_die("enrol", cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct config *cfg = fz.srv.cfg;
	char *cause = NULL;
	int nfds;

	/* Counted here: libFuzzer opens some of its own between inputs. */
	fz.nfds = fuzz_count_fds();
	if ((fz.srv.db = db_open(":memory:", 0, &cause)) == NULL)
		fuzz_die("database", cause);
	fuzz_enrol();
	fz.srv.receipts =
	    ratelimit_new(cfg->receipt_failures, cfg->receipt_window);
	fz.srv.submissions =
	    ratelimit_new(cfg->submit_limit, cfg->submit_window);
	db_group_commit(fz.srv.db, http_flush_soon, fz.http);
	fuzz_exchange(data, size, 0);
	fuzz_exchange(data, size, 1);
	db_group_commit(fz.srv.db, NULL, NULL);
	db_close(fz.srv.db);
	ratelimit_free(fz.srv.receipts);
	ratelimit_free(fz.srv.submissions);
	fz.srv.db = NULL;
	if ((nfds = fuzz_count_fds()) != fz.nfds) {
		fprintf(stderr, "fuzz_http: %d descriptors open, %d before\n",
		    nfds, fz.nfds);
		fuzz_die("descriptors", "the input left some open");
	}
	return 0;
}
